package models

import (
	"context"
	"time"
)

// SetAssignmentsNotifying saves assignments like SetAssignments and queues
// the messages telling members of their new sections, in one transaction.
func (s *Store) SetAssignmentsNotifying(ctx context.Context, c MaturityCycle, bySection map[string][]uint, actorID uint, msgs []OutboxMessage) error {
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.SetAssignments(ctx, c, bySection, actorID); err != nil {
			return err
		}
		return tx.EnqueueEmails(ctx, msgs)
	})
}

// OrganisationLeads lists the organisation's active digital leads.
func (s *Store) OrganisationLeads(ctx context.Context, organisationID uint) ([]User, error) {
	var list []User
	err := s.db.WithContext(ctx).Where("organisation_id = ? AND active = ? AND ' ' || roles || ' ' LIKE ?", organisationID, true, "% "+string(RoleLead)+" %").
		Order("id").Find(&list).Error
	return list, err
}

// NotifyAllAnswered queues the message that every section of the cycle
// is answered, once per cycle: a second call does nothing.
func (s *Store) NotifyAllAnswered(ctx context.Context, c MaturityCycle, msgs []OutboxMessage) (bool, error) {
	first := false
	err := s.inTx(ctx, func(tx *Store) error {
		res := tx.db.Model(&MaturityCycle{}).Where("id = ? AND answered_notice_at IS NULL", c.ID).Update("answered_notice_at", time.Now().UTC())
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		first = true
		return tx.EnqueueEmails(ctx, msgs)
	})
	return first, err
}

// DueAssignment is a board member's section in an open cycle due soon,
// not yet reminded.
type DueAssignment struct {
	OrganisationID uint
	CycleID        uint
	Period         string
	DueDate        time.Time
	SectionCode    string
	UserID         uint
	Email          string
	Name           string
}

// AssignmentsDueBy lists the assignments of cycles not submitted whose due
// date is before by (and not yet past), whose member has not been reminded.
func (s *Store) AssignmentsDueBy(ctx context.Context, now, by time.Time) ([]DueAssignment, error) {
	var list []DueAssignment
	err := s.db.WithContext(ctx).Table("maturity_assignments a").
		Select("a.organisation_id, a.cycle_id, c.period, c.due_date, a.section_code, a.user_id, u.email, u.name").
		Joins("JOIN maturity_cycles c ON c.id = a.cycle_id").
		Joins("JOIN users u ON u.id = a.user_id").
		Where("a.reminded_at IS NULL AND c.status <> ? AND c.due_date >= ? AND c.due_date < ? AND u.active = ?", CycleSubmitted, now.UTC(), by.UTC(), true).
		Order("a.cycle_id, a.user_id, a.section_code").Scan(&list).Error
	return list, err
}

// RemindAssignment marks the assignment reminded and queues msg (nil: the
// section is answered, so only the mark), once: false when it was marked
// already.
func (s *Store) RemindAssignment(ctx context.Context, d DueAssignment, msg *OutboxMessage) (bool, error) {
	first := false
	err := s.inTx(ctx, func(tx *Store) error {
		res := tx.db.Table("maturity_assignments").Where("cycle_id = ? AND section_code = ? AND user_id = ? AND reminded_at IS NULL",
			d.CycleID, d.SectionCode, d.UserID).Update("reminded_at", time.Now().UTC())
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		first = true
		if msg == nil {
			return nil
		}
		return tx.EnqueueEmails(ctx, []OutboxMessage{*msg})
	})
	return first, err
}

// ReissueImportInvitationsByEmail gives the import's pending invitations
// new tokens, like ReissueImportInvitations, and queues a message with
// each new link, in one transaction: either every person gets a working
// link by email, or nothing changes.
func (s *Store) ReissueImportInvitationsByEmail(ctx context.Context, imp StaffImport, actorID uint, expires time.Time,
	tokenHash func(email string) string, compose func(Invitation) OutboxMessage) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *Store) error {
		list, err := tx.ReissueImportInvitations(ctx, imp, expires, tokenHash)
		if err != nil {
			return err
		}
		msgs := make([]OutboxMessage, len(list))
		for i, inv := range list {
			msgs[i] = compose(inv)
			msgs[i].OrganisationID = &imp.OrganisationID
		}
		if err := tx.EnqueueEmails(ctx, msgs); err != nil {
			return err
		}
		n = len(msgs)
		return tx.Audit(ctx, AuditEvent{OrganisationID: &imp.OrganisationID, ActorID: actorRef(actorID), Action: "staff.import.email",
			Subject: imp.FileName, Details: "invitations sent by email"})
	})
	return n, err
}
