// Package smtptest is a real SMTP server for tests (github.com/emersion/go-smtp)
// on 127.0.0.1: it keeps what arrived, and can be told to refuse mail
// with a temporary error until it recovers.
package smtptest

import (
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	// Subject and Text are the decoded header and text part.
	Subject, Text string
	Raw           string
	// TLS says the message came over TLS (after STARTTLS); Authenticated
	// that the client logged in first.
	TLS, Authenticated bool
}

// Server is a running test SMTP server.
type Server struct {
	srv      *smtp.Server
	addr     string
	mu       sync.Mutex
	received []Received
	refuse   bool
	refused  int
	// User and Password, when set, are the only credentials accepted.
	user, password string
}

// Options of a test server.
type Options struct {
	// TLS turns on STARTTLS with this certificate.
	TLS *tls.Config
	// User and Password require authentication.
	User, Password string
}

// Start runs a server until the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{user: o.User, password: o.Password}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.TLSConfig = o.TLS
	srv.AllowInsecureAuth = o.TLS == nil
	srv.ErrorLog = discard{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.srv, s.addr = srv, l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

type discard struct{}

func (discard) Printf(string, ...any) {}
func (discard) Println(...any)        {}

// Addr is host:port.
func (s *Server) Addr() string { return s.addr }

// URL is an SMTP_URL for the server, with the credentials if it wants any.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.password) // escaped, as SMTP_URL wants
	}
	return u.String()
}

// Refuse makes the server answer every message with 451 (try again
// later) until Refuse(false).
func (s *Server) Refuse(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = on
}

// Refused is how many messages were turned away.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Messages is a copy of what arrived.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// To is what arrived for one address.
func (s *Server) To(addr string) []Received {
	var out []Received
	for _, m := range s.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	from   string
	to     []string
	authed bool
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != ss.s.user || password != ss.s.password {
			return errors.New("invalid credentials")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.refuse {
		ss.s.refused++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	_, overTLS := ss.conn.TLSConnectionState()
	m := Received{From: ss.from, To: append([]string(nil), ss.to...), Raw: string(raw), TLS: overTLS, Authenticated: ss.authed}
	m.Subject, m.Text = decode(string(raw))
	ss.s.received = append(ss.s.received, m)
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// decode reads the subject and the text part of a message.
func decode(raw string) (subject, text string) {
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return "", raw
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	mt, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	body := io.Reader(msg.Body)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
				b, _ := io.ReadAll(p) // multipart decodes quoted-printable
				return subject, string(b)
			}
		}
		return subject, ""
	}
	b, _ := io.ReadAll(body)
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		b, _ = io.ReadAll(quotedPrintable(string(b)))
	}
	return subject, string(b)
}

func quotedPrintable(s string) io.Reader { return quotedprintable.NewReader(strings.NewReader(s)) }
