package models

import (
	"context"
	"errors"
	"time"
)

// Named reasons an invitation cannot be used.
var (
	ErrInvitationExpired = errors.New("invitation has expired")
	ErrInvitationUsed    = errors.New("invitation has already been used")
)

// Invitation lets one person create an account with the roles chosen for
// them. Only a hash of its token is stored.
type Invitation struct {
	ID             uint
	OrganisationID uint
	Email          string
	Name           string
	RoleCodes      string `gorm:"column:roles"`
	TokenHash      string
	InvitedByID    *uint
	ExpiresAt      time.Time
	UsedAt         *time.Time
	CreatedAt      time.Time
	// ImportID is the staff import that created the invitation, if any.
	ImportID *uint
}

// Roles returns the roles the account will have.
func (i Invitation) Roles() Roles { return ParseRoles(i.RoleCodes) }

// Pending says whether the invitation can still be used at time now.
func (i Invitation) Pending(now time.Time) bool { return i.UsedAt == nil && now.Before(i.ExpiresAt) }

// CreateInvitation stores an invitation and records who sent it.
func (s *Store) CreateInvitation(ctx context.Context, inv *Invitation, actorID uint) error {
	inv.Email = NormaliseEmail(inv.Email)
	inv.RoleCodes = ParseRoles(inv.RoleCodes).String()
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Create(inv).Error; err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &inv.OrganisationID, ActorID: actorRef(actorID), Action: "invitation.create",
			Subject: inv.Email, Details: "roles [" + inv.RoleCodes + "]"})
	})
}

// InvitationByTokenHash finds an invitation that can still be used; a used
// or expired one returns the matching named error.
func (s *Store) InvitationByTokenHash(ctx context.Context, tokenHash string) (Invitation, error) {
	var inv Invitation
	if err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).First(&inv).Error; err != nil {
		return Invitation{}, namedError(err)
	}
	return inv, singleUse(inv.UsedAt, inv.ExpiresAt, ErrInvitationUsed, ErrInvitationExpired)
}

// singleUse says whether a single-use link (an invitation or a password
// reset) can still be used: used, whatever its expiry, is used.
func singleUse(usedAt *time.Time, expiresAt time.Time, used, expired error) error {
	if usedAt != nil {
		return used
	}
	if !time.Now().Before(expiresAt) {
		return expired
	}
	return nil
}

// PendingInvitations lists an organisation's invitations not yet used or expired.
func (s *Store) PendingInvitations(ctx context.Context, organisationID uint) ([]Invitation, error) {
	var list []Invitation
	err := s.db.WithContext(ctx).
		Where("organisation_id = ? AND used_at IS NULL AND expires_at > ?", organisationID, time.Now().UTC()).
		Order("created_at DESC").Find(&list).Error
	return list, err
}

// AcceptInvitation creates the account and marks the invitation used, in one
// transaction, so that a second use of the same link always fails.
func (s *Store) AcceptInvitation(ctx context.Context, inv Invitation, u *User) error {
	now := time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		res := tx.db.Model(&Invitation{}).Where("id = ? AND used_at IS NULL", inv.ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrInvitationUsed
		}
		u.OrganisationID = inv.OrganisationID
		u.Email = inv.Email
		u.RoleCodes = inv.RoleCodes
		u.Active = true
		// An imported person already has an account, without a password:
		// the invitation lets them set one.
		var imported User
		err := tx.db.Where("email = ? AND organisation_id = ? AND password_hash = ''", inv.Email, inv.OrganisationID).First(&imported).Error
		if err == nil {
			roles := ParseRoles(imported.RoleCodes, inv.RoleCodes)
			if err := tx.db.Model(&imported).Updates(map[string]any{"name": u.Name, "password_hash": u.PasswordHash,
				"roles": roles.String(), "active": true, "updated_at": now}).Error; err != nil {
				return err
			}
			name, hash := u.Name, u.PasswordHash
			*u = imported
			u.Name, u.PasswordHash, u.RoleCodes, u.Active = name, hash, roles.String(), true
		} else if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &inv.OrganisationID, ActorID: &u.ID, Action: "invitation.accept", Subject: u.Email})
	})
}
