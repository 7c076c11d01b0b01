package models

import (
	"context"
	"errors"
	"time"
)

// Named reasons a password-reset link cannot be used.
var (
	ErrResetUsed    = errors.New("password reset link has already been used")
	ErrResetExpired = errors.New("password reset link has expired")
)

// PasswordReset is a single-use link to set a new password. Only an HMAC
// of its token is stored, as for invitations.
type PasswordReset struct {
	ID        uint
	UserID    uint
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// ResetIssue says who asked for a reset link and how it reaches the person.
type ResetIssue struct {
	// ActorID is the lead or admin who made the link (0: the person
	// themselves by email, or the command line).
	ActorID uint
	// Email, when set, is the message that carries the link; it is queued
	// in the same transaction that stores the link.
	Email *OutboxMessage
	// How is "email", "lead" or "command line", for the audit log.
	How string
}

// CreatePasswordReset stores a reset link for u, ending any earlier link
// not yet used, so that only the newest works. It is audited, and the email
// carrying it, if any, is queued with it.
func (s *Store) CreatePasswordReset(ctx context.Context, u User, tokenHash string, expires time.Time, issue ResetIssue) error {
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Model(&PasswordReset{}).Where("user_id = ? AND used_at IS NULL", u.ID).Update("used_at", now).Error; err != nil {
			return err
		}
		if err := tx.db.Create(&PasswordReset{UserID: u.ID, TokenHash: tokenHash, ExpiresAt: expires.UTC(), CreatedAt: now}).Error; err != nil {
			return err
		}
		if issue.Email != nil {
			if err := tx.EnqueueEmails(ctx, []OutboxMessage{*issue.Email}); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: actorRef(issue.ActorID),
			Action: "account.password.reset_link", Subject: u.Email, Details: "by " + issue.How})
	})
}

// PasswordResetByTokenHash finds a usable link and its account; a used or
// expired link returns the matching named error.
func (s *Store) PasswordResetByTokenHash(ctx context.Context, tokenHash string) (PasswordReset, User, error) {
	var r PasswordReset
	if err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).First(&r).Error; err != nil {
		return PasswordReset{}, User{}, namedError(err)
	}
	if err := singleUse(r.UsedAt, r.ExpiresAt, ErrResetUsed, ErrResetExpired); err != nil {
		return r, User{}, err
	}
	u, err := s.UserByID(ctx, r.UserID)
	return r, u, err
}

// UsePasswordReset sets the new password and marks the link used, in one
// transaction, so that a link works once; every session of the account
// ends. A link used meanwhile is ErrResetUsed.
func (s *Store) UsePasswordReset(ctx context.Context, r PasswordReset, hash string) error {
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		res := tx.db.Model(&PasswordReset{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", r.ID, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrResetUsed
		}
		var u User
		if err := tx.db.First(&u, r.UserID).Error; err != nil {
			return namedError(err)
		}
		if err := tx.db.Model(&u).Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.db.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: &u.ID, Action: "account.password.reset", Subject: u.Email})
	})
}
