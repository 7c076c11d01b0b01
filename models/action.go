package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Action statuses.
const (
	ActionNotStarted = "not-started"
	ActionInProgress = "in-progress"
	ActionDone       = "done"
	ActionBlocked    = "blocked"
)

// ActionStatus is a stored code with its label.
type ActionStatus struct{ Code, Label string }

// ActionStatuses in the order forms list them.
func ActionStatuses() []ActionStatus {
	return []ActionStatus{
		{ActionNotStarted, "Not started"},
		{ActionInProgress, "In progress"},
		{ActionDone, "Done"},
		{ActionBlocked, "Blocked"},
	}
}

// ActionStatusLabel is a status as people read it.
func ActionStatusLabel(code string) string {
	for _, s := range ActionStatuses() {
		if s.Code == code {
			return s.Label
		}
	}
	return code
}

// Action is something the organisation will do to improve, tied to a
// cycle and a section (success measure) or skills domain.
type Action struct {
	ID             uint
	OrganisationID uint
	CycleID        *uint
	SectionCode    string
	Title          string
	Owner          string
	DueDate        *time.Time
	Status         string
	Progress       string
	Version        int64 // counts saves, for optimistic locking
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// StatusLabel is the status as people read it.
func (a Action) StatusLabel() string { return ActionStatusLabel(a.Status) }

// Overdue says whether the action is past its due date and not done.
func (a Action) Overdue(now time.Time) bool {
	return a.DueDate != nil && a.Status != ActionDone && a.DueDate.Before(now.Truncate(24*time.Hour))
}

// CycleActions lists a cycle's actions by due date, undated last.
func (s *Store) CycleActions(ctx context.Context, organisationID, cycleID uint) ([]Action, error) {
	var list []Action
	err := s.db.WithContext(ctx).Where("organisation_id = ? AND cycle_id = ?", organisationID, cycleID).
		Order("CASE WHEN due_date IS NULL THEN 1 ELSE 0 END, due_date, id").Find(&list).Error
	return list, err
}

// ActionInOrganisation returns an action only if it belongs to organisationID.
func (s *Store) ActionInOrganisation(ctx context.Context, organisationID, id uint) (Action, error) {
	var a Action
	err := s.db.WithContext(ctx).Where("organisation_id = ?", organisationID).First(&a, id).Error
	return a, namedError(err)
}

// SaveAction creates or updates an action and records it. An update
// carries the version the editor loaded (a.Version): if the action changed
// since, it is ErrConflict and nothing is saved. In the same transaction
// the action's cycle counts the change, so that a submission prepared
// before it is refused.
func (s *Store) SaveAction(ctx context.Context, a *Action, actorID uint) error {
	action := "action.update"
	if a.ID == 0 {
		action = "action.create"
	}
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		if a.CycleID != nil {
			if _, err := tx.lockCycle(*a.CycleID); err != nil {
				return err
			}
		}
		var before Action
		if a.ID != 0 {
			// What it was, for the audit log; a missing row fails the update below.
			if err := tx.db.Where("id = ? AND organisation_id = ?", a.ID, a.OrganisationID).Take(&before).Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
		}
		if a.ID == 0 {
			a.Version, a.CreatedAt, a.UpdatedAt = 1, now, now
			if err := tx.db.Create(a).Error; err != nil {
				return err
			}
		} else {
			res := tx.db.Model(&Action{}).Where("id = ? AND organisation_id = ? AND version = ?", a.ID, a.OrganisationID, a.Version).
				Updates(map[string]any{"section_code": a.SectionCode, "title": a.Title, "owner": a.Owner, "due_date": a.DueDate,
					"status": a.Status, "progress": a.Progress, "version": gorm.Expr("version + 1"), "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrConflict
			}
			a.Version++
		}
		if a.CycleID != nil {
			if err := tx.changedCycle(*a.CycleID, now, nil); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &a.OrganisationID, ActorID: actorRef(actorID), Action: action,
			Subject: a.Title, Details: actionDetails(before, *a)})
	})
}

// BoardMembers lists an organisation's active board members by name.
func (s *Store) BoardMembers(ctx context.Context, organisationID uint) ([]User, error) {
	var list []User
	err := s.db.WithContext(ctx).
		Where("organisation_id = ? AND active = ? AND ' ' || roles || ' ' LIKE ?", organisationID, true, "% "+string(RoleBoard)+" %").
		Order("name").Find(&list).Error
	return list, err
}

// actionDetails is the audit record of an action changing from before
// (the zero Action for a new one) to after.
func actionDetails(before, after Action) string {
	label := func(a Action) string {
		if a.Status == "" {
			return ""
		}
		return a.StatusLabel()
	}
	due := func(a Action) string {
		if a.DueDate == nil {
			return ""
		}
		return a.DueDate.Format("2 January 2006")
	}
	return changeDetails(
		AuditField{Field: "Title", Before: before.Title, After: after.Title},
		AuditField{Field: "Success measure", Before: before.SectionCode, After: after.SectionCode},
		AuditField{Field: "Owner", Before: before.Owner, After: after.Owner},
		AuditField{Field: "Due date", Before: due(before), After: due(after)},
		AuditField{Field: "Status", Before: label(before), After: label(after)},
		AuditField{Field: "Progress", Before: before.Progress, After: after.Progress},
	)
}
