package models

import (
	"context"
	"time"
)

// Session is a signed-in browser. Only a hash of its token is stored, so a
// copy of the database cannot be used to sign in.
type Session struct {
	TokenHash      string `gorm:"primaryKey"`
	UserID         uint
	OrganisationID uint
	CreatedAt      time.Time
	LastSeenAt     time.Time
}

// CreateSession stores a new session for u and ends the one it replaces, so
// that every sign-in rotates the token.
func (s *Store) CreateSession(ctx context.Context, u User, tokenHash, replacesHash string) error {
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		if replacesHash != "" {
			if err := tx.db.Where("token_hash = ?", replacesHash).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		if err := tx.db.Create(&Session{TokenHash: tokenHash, UserID: u.ID, OrganisationID: u.OrganisationID,
			CreatedAt: now, LastSeenAt: now}).Error; err != nil {
			return err
		}
		if err := tx.db.Model(&u).Update("last_sign_in_at", now).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: &u.ID, Action: "sign-in", Subject: u.Email})
	})
}

// ActiveSession returns the session, its user and the user's organisation
// when the session exists, the user is active and neither timeout has
// passed; otherwise ErrNotFound. An expired session is deleted on the way.
// It is one query: every signed-in request runs it.
func (s *Store) ActiveSession(ctx context.Context, tokenHash string, idle, absolute time.Duration) (Session, User, Organisation, error) {
	var row struct {
		User
		SessionCreatedAt  time.Time
		SessionLastSeenAt time.Time
		OrgName           string
		OrgODSCode        string `gorm:"column:org_ods_code"`
		OrgKind           string
		OrgParentID       *uint
		OrgCreatedAt      time.Time
		OrgUpdatedAt      time.Time
	}
	res := s.db.WithContext(ctx).Table("sessions s").
		Select("u.*, s.created_at AS session_created_at, s.last_seen_at AS session_last_seen_at, "+
			"o.name AS org_name, o.ods_code AS org_ods_code, o.kind AS org_kind, o.parent_id AS org_parent_id, "+
			"o.created_at AS org_created_at, o.updated_at AS org_updated_at").
		Joins("JOIN users u ON u.id = s.user_id").
		Joins("JOIN organisations o ON o.id = u.organisation_id").
		Where("s.token_hash = ?", tokenHash).Limit(1).Scan(&row)
	if res.Error != nil {
		return Session{}, User{}, Organisation{}, res.Error
	}
	if res.RowsAffected == 0 {
		return Session{}, User{}, Organisation{}, ErrNotFound
	}
	u := row.User
	sess := Session{TokenHash: tokenHash, UserID: u.ID, OrganisationID: u.OrganisationID,
		CreatedAt: row.SessionCreatedAt, LastSeenAt: row.SessionLastSeenAt}
	org := Organisation{ID: u.OrganisationID, Name: row.OrgName, ODSCode: row.OrgODSCode, Kind: row.OrgKind,
		ParentID: row.OrgParentID, CreatedAt: row.OrgCreatedAt, UpdatedAt: row.OrgUpdatedAt}
	now := time.Now().UTC()
	if now.Sub(sess.LastSeenAt) > idle || now.Sub(sess.CreatedAt) > absolute {
		s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Delete(&Session{})
		return Session{}, User{}, Organisation{}, ErrNotFound
	}
	if !u.Active {
		return Session{}, User{}, Organisation{}, ErrNotFound
	}
	// Write the idle clock at most once a minute rather than on every request.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt = now
		if err := s.db.WithContext(ctx).Model(&sess).Update("last_seen_at", now).Error; err != nil {
			return Session{}, User{}, Organisation{}, err
		}
	}
	return sess, u, org, nil
}

// EndSession signs a session out and records it.
func (s *Store) EndSession(ctx context.Context, tokenHash string, u User) error {
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Where("token_hash = ?", tokenHash).Delete(&Session{}).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: &u.ID, Action: "sign-out", Subject: u.Email})
	})
}

// SignInAttempt is one failed sign-in, keyed by a hash of the address or of
// the client address, kept for the lockout window.
type SignInAttempt struct {
	ID        uint
	KeyHash   string
	CreatedAt time.Time
}

// RecordFailedSignIn notes a failed attempt against each key.
func (s *Store) RecordFailedSignIn(ctx context.Context, keyHashes ...string) error {
	now := time.Now().UTC()
	rows := make([]SignInAttempt, len(keyHashes))
	for i, k := range keyHashes {
		rows[i] = SignInAttempt{KeyHash: k, CreatedAt: now}
	}
	return s.db.WithContext(ctx).Create(&rows).Error
}

// FailedSignIns counts the failed attempts against key since a time.
func (s *Store) FailedSignIns(ctx context.Context, keyHash string, since time.Time) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&SignInAttempt{}).
		Where("key_hash = ? AND created_at > ?", keyHash, since.UTC()).Count(&n).Error
	return n, err
}

// ClearFailedSignIns forgets an address's failures after a good sign-in.
func (s *Store) ClearFailedSignIns(ctx context.Context, keyHash string) error {
	return s.db.WithContext(ctx).Where("key_hash = ?", keyHash).Delete(&SignInAttempt{}).Error
}

// PruneSecurityRecords deletes attempts and sessions too old to matter.
func (s *Store) PruneSecurityRecords(ctx context.Context, before time.Time) error {
	if err := s.db.WithContext(ctx).Where("created_at < ?", before.UTC()).Delete(&SignInAttempt{}).Error; err != nil {
		return err
	}
	return s.db.WithContext(ctx).Where("created_at < ?", before.UTC()).Delete(&Session{}).Error
}
