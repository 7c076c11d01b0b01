package models

import (
	"context"
	"time"
)

// AuditEvent records who changed what, and when.
type AuditEvent struct {
	ID             uint
	OrganisationID *uint
	ActorID        *uint
	Action         string
	Subject        string
	Details        string
	CreatedAt      time.Time
}

// AuditEntry is an event with the actor's name, for the audit log page.
type AuditEntry struct {
	AuditEvent
	ActorName  string
	ActorEmail string
}

// Audit stores one event.
func (s *Store) Audit(ctx context.Context, e AuditEvent) error {
	// A plain INSERT: every change writes one, and nothing reads its id back.
	return s.db.WithContext(ctx).Exec("INSERT INTO audit_events (organisation_id, actor_id, action, subject, details, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		e.OrganisationID, e.ActorID, e.Action, e.Subject, e.Details, time.Now().UTC()).Error
}

// AuditLog returns an organisation's newest events first, at most limit.
func (s *Store) AuditLog(ctx context.Context, organisationID uint, limit int) ([]AuditEntry, error) {
	var list []AuditEntry
	err := s.db.WithContext(ctx).Table("audit_events").
		Select("audit_events.*, COALESCE(users.name, '') AS actor_name, COALESCE(users.email, '') AS actor_email").
		Joins("LEFT JOIN users ON users.id = audit_events.actor_id").
		Where("audit_events.organisation_id = ?", organisationID).
		Order("audit_events.created_at DESC, audit_events.id DESC").Limit(limit).
		Scan(&list).Error
	return list, err
}
