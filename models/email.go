package models

import (
	"context"
	"errors"
	"regexp"
	"time"

	"gorm.io/gorm"
)

// Statuses of a message in the email queue.
const (
	EmailQueued  = "queued"
	EmailSending = "sending"
	EmailSent    = "sent"
	EmailFailed  = "failed"
)

// Kinds of message, for the counts on the admin page.
const (
	EmailInvitation      = "invitation"
	EmailPasswordReset   = "password-reset"
	EmailSectionAssigned = "section-assigned"
	EmailSectionDue      = "section-due"
	EmailAllAnswered     = "all-answered"
	EmailSkillsInvite    = "skills-invitation"
	EmailSkillsReminder  = "skills-reminder"
)

// ErrNoEmailDue is ClaimEmail finding nothing to send.
var ErrNoEmailDue = errors.New("no email is due")

// OutboxMessage is one email waiting in, or gone through, the queue. Once
// sent its recipient and body are blanked: the queue keeps no record of
// who was sent what.
type OutboxMessage struct {
	ID             uint
	OrganisationID *uint
	Kind           string
	Recipient      string
	Subject        string
	Body           string
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	ClaimedUntil   *time.Time
	LastError      string
	LastErrorAt    *time.Time
	CreatedAt      time.Time
	SentAt         *time.Time
}

// TableName is the queue's table.
func (OutboxMessage) TableName() string { return "email_outbox" }

// EnqueueEmails adds messages to the queue, due now. Called inside the
// transaction that makes what they announce, the message is queued exactly
// when the change is stored.
func (s *Store) EnqueueEmails(ctx context.Context, msgs []OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	now := time.Now().UTC()
	for i := range msgs {
		msgs[i].Status, msgs[i].NextAttemptAt, msgs[i].CreatedAt = EmailQueued, now, now
	}
	return s.db.WithContext(ctx).CreateInBatches(&msgs, 500).Error
}

// ClaimEmail takes the oldest message due at now for one sender until
// now+lease: a queued message whose retry time has come, or one whose
// sender's lease ran out (it stopped before saying how the send went).
// The claim is a conditional update, so two instances never claim the
// same message. ErrNoEmailDue when there is none.
func (s *Store) ClaimEmail(ctx context.Context, now time.Time, lease time.Duration) (OutboxMessage, error) {
	now = now.UTC()
	due := "(status = ? AND next_attempt_at <= ?) OR (status = ? AND claimed_until < ?)"
	for range 5 {
		var m OutboxMessage
		err := s.db.WithContext(ctx).Where(due, EmailQueued, now, EmailSending, now).Order("id").First(&m).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return OutboxMessage{}, ErrNoEmailDue
		}
		if err != nil {
			return OutboxMessage{}, err
		}
		until := now.Add(lease)
		res := s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ?", m.ID).Where(due, EmailQueued, now, EmailSending, now).
			Updates(map[string]any{"status": EmailSending, "claimed_until": until, "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil {
			return OutboxMessage{}, res.Error
		}
		if res.RowsAffected == 1 {
			m.Status, m.ClaimedUntil, m.Attempts = EmailSending, &until, m.Attempts+1
			return m, nil
		}
		// Another sender claimed it first: look again.
	}
	return OutboxMessage{}, ErrNoEmailDue
}

// MarkEmailSent records that the mail server accepted the message, and
// forgets its recipient and body.
func (s *Store) MarkEmailSent(ctx context.Context, id uint) error {
	return s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", id, EmailSending).
		Updates(map[string]any{"status": EmailSent, "sent_at": time.Now().UTC(), "recipient": "", "body": "", "claimed_until": nil}).Error
}

// RetryEmail puts a message back in the queue until at, noting why it
// was not sent.
func (s *Store) RetryEmail(ctx context.Context, id uint, at time.Time, reason string) error {
	return s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", id, EmailSending).
		Updates(map[string]any{"status": EmailQueued, "next_attempt_at": at.UTC(), "claimed_until": nil,
			"last_error": ScrubAddresses(reason), "last_error_at": time.Now().UTC()}).Error
}

// FailEmail gives up on a message: the mail server refused it for good,
// or every retry failed. It is kept, for an administrator to try again
// once the fault is mended (RequeueFailedEmails), until retention removes it.
func (s *Store) FailEmail(ctx context.Context, id uint, reason string) error {
	return s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", id, EmailSending).
		Updates(map[string]any{"status": EmailFailed, "claimed_until": nil,
			"last_error": ScrubAddresses(reason), "last_error_at": time.Now().UTC()}).Error
}

// addressPattern finds email addresses in a mail server's message.
var addressPattern = regexp.MustCompile(`[^\s<>"':;,()\[\]]+@[^\s<>"':;,()\[\]]+`)

// ScrubAddresses takes email addresses out of an error before it is
// stored where administrators read it, and bounds its length.
func ScrubAddresses(s string) string {
	s = addressPattern.ReplaceAllString(s, "[address]")
	if r := []rune(s); len(r) > 500 {
		s = string(r[:500]) + "…"
	}
	return s
}

// EmailQueueSummary is what an administrator sees of the queue: counts and
// the last error, never a recipient or a body.
type EmailQueueSummary struct {
	Queued, Sending, Sent, Failed int64
	LastError                     string
	LastErrorAt                   *time.Time
}

// EmailQueueSummary counts the queue's messages by status.
func (s *Store) EmailQueueSummary(ctx context.Context) (EmailQueueSummary, error) {
	var rows []struct {
		Status string
		N      int64
	}
	var sum EmailQueueSummary
	if err := s.db.WithContext(ctx).Model(&OutboxMessage{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return sum, err
	}
	for _, r := range rows {
		switch r.Status {
		case EmailQueued:
			sum.Queued = r.N
		case EmailSending:
			sum.Sending = r.N
		case EmailSent:
			sum.Sent = r.N
		case EmailFailed:
			sum.Failed = r.N
		}
	}
	var last OutboxMessage
	err := s.db.WithContext(ctx).Where("last_error_at IS NOT NULL").Order("last_error_at DESC").First(&last).Error
	if err == nil {
		sum.LastError, sum.LastErrorAt = last.LastError, last.LastErrorAt
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return sum, err
	}
	return sum, nil
}

// RequeueFailedEmails gives every failed message another round of attempts, for an administrator once the
// mail server is mended.
func (s *Store) RequeueFailedEmails(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("status = ?", EmailFailed).
		Updates(map[string]any{"status": EmailQueued, "attempts": 0, "next_attempt_at": time.Now().UTC()})
	return res.RowsAffected, res.Error
}
