package models

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"
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

// AuditField is one value an event changed, as people read it. An empty
// Before is a value that was not set (or a new record).
type AuditField struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// auditChanges is the JSON an event's Details holds for a change, written
// at the time of the change so that the log can show before and after.
type auditChanges struct {
	Changes []AuditField `json:"changes"`
}

// changeDetails encodes the fields whose value differs as an event's
// Details. Events written before this carry plain text (see Changes).
func changeDetails(fields ...AuditField) string {
	var kept []AuditField
	for _, f := range fields {
		if f.Before != f.After {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	b, err := json.Marshal(auditChanges{Changes: kept})
	if err != nil {
		// Strings always marshal; keep the event rather than lose it.
		return ""
	}
	return string(b)
}

// Changes returns the before and after values stored with the event, and
// false for an event whose details are plain text (older events).
func (e AuditEvent) Changes() ([]AuditField, bool) {
	if !strings.HasPrefix(e.Details, `{"changes":`) {
		return nil, false
	}
	var c auditChanges
	if err := json.Unmarshal([]byte(e.Details), &c); err != nil {
		return nil, false
	}
	return c.Changes, true
}

// Audit stores one event.
func (s *Store) Audit(ctx context.Context, e AuditEvent) error {
	// A plain INSERT: every change writes one, and nothing reads its id back.
	return s.db.WithContext(ctx).Exec("INSERT INTO audit_events (organisation_id, actor_id, action, subject, details, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		e.OrganisationID, e.ActorID, e.Action, e.Subject, e.Details, time.Now().UTC()).Error
}

// AuditFilter narrows the audit log. Zero values filter nothing.
type AuditFilter struct {
	// Person is part of the name or email address of who acted, or of
	// the subject (an account's email address, for example).
	Person string
	// Actions are the event codes to keep.
	Actions []string
	// From and Until bound the time: From <= created_at < Until.
	From, Until time.Time
}

func (s *Store) auditQuery(ctx context.Context, organisationID uint, f AuditFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Table("audit_events").
		Joins("LEFT JOIN users ON users.id = audit_events.actor_id").
		Where("audit_events.organisation_id = ?", organisationID)
	if p := strings.TrimSpace(f.Person); p != "" {
		like := "%" + escapeLike(strings.ToLower(p)) + "%"
		q = q.Where("(LOWER(COALESCE(users.name, '')) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(users.email, '')) LIKE ? ESCAPE '\\' OR LOWER(audit_events.subject) LIKE ? ESCAPE '\\')",
			like, like, like)
	}
	if len(f.Actions) > 0 {
		q = q.Where("audit_events.action IN ?", f.Actions)
	}
	if !f.From.IsZero() {
		q = q.Where("audit_events.created_at >= ?", f.From.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("audit_events.created_at < ?", f.Until.UTC())
	}
	return q
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AuditLog returns an organisation's newest events first, at most limit.
func (s *Store) AuditLog(ctx context.Context, organisationID uint, limit int) ([]AuditEntry, error) {
	list, _, err := s.AuditPage(ctx, organisationID, AuditFilter{}, 0, limit)
	return list, err
}

// AuditPage returns one page of an organisation's events that match f,
// newest first, and how many match in all.
func (s *Store) AuditPage(ctx context.Context, organisationID uint, f AuditFilter, offset, limit int) ([]AuditEntry, int64, error) {
	var total int64
	if err := s.auditQuery(ctx, organisationID, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var list []AuditEntry
	err := s.auditQuery(ctx, organisationID, f).
		Select("audit_events.*, COALESCE(users.name, '') AS actor_name, COALESCE(users.email, '') AS actor_email").
		Order("audit_events.created_at DESC, audit_events.id DESC").Offset(offset).Limit(limit).
		Scan(&list).Error
	return list, total, err
}

// EachAuditEntry calls fn for every event that matches f, newest first,
// reading a batch at a time so that a long log is never held at once.
// Events are only ever added, so the batches stop at the newest event
// there was at the start: one added meanwhile cannot shift them.
func (s *Store) EachAuditEntry(ctx context.Context, organisationID uint, f AuditFilter, fn func(AuditEntry) error) error {
	const batch = 1000
	var newest uint
	if err := s.auditQuery(ctx, organisationID, f).Select("COALESCE(MAX(audit_events.id), 0)").Scan(&newest).Error; err != nil {
		return err
	}
	for offset := 0; ; offset += batch {
		var list []AuditEntry
		err := s.auditQuery(ctx, organisationID, f).Where("audit_events.id <= ?", newest).
			Select("audit_events.*, COALESCE(users.name, '') AS actor_name, COALESCE(users.email, '') AS actor_email").
			Order("audit_events.created_at DESC, audit_events.id DESC").Offset(offset).Limit(batch).Scan(&list).Error
		if err != nil {
			return err
		}
		for _, e := range list {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(list) < batch {
			return nil
		}
	}
}
