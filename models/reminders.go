package models

import (
	"context"
	"errors"
	"time"
)

// Kinds of reminder run.
const (
	RunSkillsInvite   = "skills-invitation"
	RunSkillsReminder = "skills-reminder"
)

// ErrRunTooSoon is a reminder run asked for within the least interval
// since the last one of the same kind.
var ErrRunTooSoon = errors.New("a run of this kind was sent too recently")

// ReminderRun records that a digital lead sent invitations or reminders
// to the organisation's staff: how many, never to whom.
type ReminderRun struct {
	ID             uint
	OrganisationID uint
	Kind           string
	Sent           int
	CreatedByID    *uint
	CreatedAt      time.Time
}

// LastReminderRun is the newest run of kind in the organisation, or
// ErrNotFound.
func (s *Store) LastReminderRun(ctx context.Context, organisationID uint, kind string) (ReminderRun, error) {
	var r ReminderRun
	err := s.db.WithContext(ctx).Where("organisation_id = ? AND kind = ?", organisationID, kind).Order("created_at DESC, id DESC").First(&r).Error
	return r, namedError(err)
}

// SkillsRecipient is whom a skills invitation or reminder goes to. It
// leaves this package only to be written into a message.
type SkillsRecipient struct {
	Email string
	Name  string
}

// SendSkillsRun queues a message for each active member of staff of the
// organisation: every one for an invitation; for a reminder, only those
// who have not completed the self-assessment in period. It refuses a run
// within minGap of the last of its kind (ErrRunTooSoon), so that neither
// staff nor the count can be used over and over. It returns how many were
// queued: the recipients are never stored outside the queue, nor audited.
func (s *Store) SendSkillsRun(ctx context.Context, organisationID, actorID uint, kind, period string, minGap time.Duration,
	compose func(SkillsRecipient) OutboxMessage) (int, error) {
	now := time.Now().UTC()
	sent := 0
	err := s.inTx(ctx, func(tx *Store) error {
		// Lock the organisation's row, so two leads pressing at once make
		// one run.
		if err := tx.db.Exec("UPDATE organisations SET updated_at = updated_at WHERE id = ?", organisationID).Error; err != nil {
			return err
		}
		last, err := tx.LastReminderRun(ctx, organisationID, kind)
		if err == nil && now.Sub(last.CreatedAt) < minGap {
			return ErrRunTooSoon
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		q := tx.db.Table("users").Select("email, name").
			Where("organisation_id = ? AND active = ? AND ' ' || roles || ' ' LIKE ?", organisationID, true, "% "+string(RoleStaff)+" %")
		if kind == RunSkillsReminder {
			q = q.Where("NOT EXISTS (SELECT 1 FROM skills_assessments a WHERE a.user_id = users.id AND a.completed_at IS NOT NULL AND a.period = ?)", period)
		}
		var people []SkillsRecipient
		if err := q.Order("id").Scan(&people).Error; err != nil {
			return err
		}
		msgs := make([]OutboxMessage, len(people))
		for i, p := range people {
			msgs[i] = compose(p)
			msgs[i].OrganisationID = &organisationID
		}
		if err := tx.EnqueueEmails(ctx, msgs); err != nil {
			return err
		}
		sent = len(msgs)
		if err := tx.db.Create(&ReminderRun{OrganisationID: organisationID, Kind: kind, Sent: sent, CreatedByID: actorRef(actorID), CreatedAt: now}).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &organisationID, ActorID: actorRef(actorID), Action: "skills." + kind,
			Subject: "staff of the organisation", Details: "queued; the count is on the reminders page"})
	})
	return sent, err
}
