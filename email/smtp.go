package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"nhs-digital-maturity/models"
)

// ErrSMTPURL is a SMTP_URL the service cannot use.
var ErrSMTPURL = errors.New("SMTP_URL must look like smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS)")

// ErrMailFrom is a missing or malformed MAIL_FROM.
var ErrMailFrom = errors.New("MAIL_FROM must be the address messages come from, like no-reply@trust.nhs.uk, when SMTP_URL is set")

// Sender opens a connection to the mail server, over which the worker
// sends a batch of messages.
type Sender interface {
	Open(ctx context.Context) (Conn, error)
}

// Conn is one open connection to the mail server.
type Conn interface {
	Send(ctx context.Context, m models.OutboxMessage) error
	Close() error
}

// SMTP sends through an SMTP server with github.com/wneessen/go-mail.
type SMTP struct {
	client *gomail.Client
	from   string
}

// SMTPOptions are the settings of the SMTP sender. TLS, when set, replaces
// the default TLS settings (tests give their own certificate authority).
type SMTPOptions struct {
	URL     string
	From    string
	TLS     *tls.Config
	Timeout time.Duration
}

// NewSMTP reads SMTP_URL. smtps:// is TLS from the start (port 465 by
// default). smtp:// with a user name requires STARTTLS (port 587 by
// default), so a password never crosses the network in clear; smtp://
// without one, a relay inside the organisation's network, uses STARTTLS
// whenever the server offers it (port 25 by default).
func NewSMTP(o SMTPOptions) (*SMTP, error) {
	u, err := url.Parse(o.URL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, ErrSMTPURL
	}
	if o.From == "" {
		return nil, ErrMailFrom
	}
	if err := gomail.NewMsg().From(o.From); err != nil {
		return nil, fmt.Errorf("%w (got %q)", ErrMailFrom, o.From)
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	port := 25
	user := u.User.Username()
	switch {
	case u.Scheme == "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	case user != "":
		port = 587
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, ErrSMTPURL
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if user != "" {
		password, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(user), gomail.WithPassword(password))
	}
	if o.TLS != nil {
		opts = append(opts, gomail.WithTLSConfig(o.TLS))
	}
	c, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	return &SMTP{client: c, from: o.From}, nil
}

// Open connects and authenticates.
func (s *SMTP) Open(ctx context.Context) (Conn, error) {
	c, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, err
	}
	return &smtpConn{s: s, c: c}, nil
}

type smtpConn struct {
	s *SMTP
	c *smtp.Client
}

// Send writes one message with a text part.
func (c *smtpConn) Send(_ context.Context, m models.OutboxMessage) error {
	msg := gomail.NewMsg()
	if err := msg.From(c.s.from); err != nil {
		return err
	}
	if err := msg.To(m.Recipient); err != nil {
		return permanent{err}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return c.s.client.SendWithSMTPClient(c.c, msg)
}

func (c *smtpConn) Close() error {
	return c.s.client.CloseWithSMTPClient(c.c)
}

// permanent marks an error that no retry can mend.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent says whether err is the mail server refusing a message for
// good (a 5xx reply) or a message that can never be sent; anything else
// (a 4xx reply, the server unreachable) is worth a retry.
func Permanent(err error) bool {
	var p permanent
	if errors.As(err, &p) {
		return true
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		return code >= 500 && code < 600
	}
	return false
}
