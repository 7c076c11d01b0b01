package models

import (
	"context"
	"strings"
	"time"
)

// SSOSettings is one organisation's single sign-on: its OpenID Connect
// provider and what the service does with the people it signs in.
type SSOSettings struct {
	OrganisationID uint `gorm:"primaryKey;autoIncrement:false"`
	// ProviderName is what the button says: "Sign in with <ProviderName>".
	ProviderName string
	Issuer       string
	ClientID     string
	// ClientSecret is sealed (package sso); it is never shown back.
	ClientSecret string
	// Domains are the allowed email domains, lower case, space-separated.
	Domains string
	// Scopes are asked for besides openid, profile and email, space-separated
	// (for NHS CIS2, for example, nhsperson associatedorgs selectedrole).
	Scopes  string
	Enabled bool
	// CreateAccounts gives a staff account to a person from an allowed
	// domain who has none; otherwise they are refused.
	CreateAccounts bool
	// SSOOnly refuses passwords for the organisation's accounts, except
	// the break-glass account's.
	SSOOnly          bool `gorm:"column:sso_only"`
	BreakGlassUserID *uint
	UpdatedAt        time.Time
}

// TableName is the table GORM uses.
func (SSOSettings) TableName() string { return "sso_settings" }

// DomainList is Domains as a list.
func (s SSOSettings) DomainList() []string { return strings.Fields(s.Domains) }

// RefusesPassword says whether the account u may not sign in with a
// password under these settings.
func (s SSOSettings) RefusesPassword(u User) bool {
	return s.Enabled && s.SSOOnly && (s.BreakGlassUserID == nil || *s.BreakGlassUserID != u.ID)
}

// SSOChoice is an organisation offering single sign-on for a domain.
type SSOChoice struct {
	Settings         SSOSettings
	OrganisationName string
}

// SSOSettingsFor returns an organisation's settings or ErrNotFound.
func (s *Store) SSOSettingsFor(ctx context.Context, organisationID uint) (SSOSettings, error) {
	var st SSOSettings
	err := s.db.WithContext(ctx).Where("organisation_id = ?", organisationID).First(&st).Error
	return st, namedError(err)
}

// SaveSSOSettings stores an organisation's settings and its domains, and
// records who changed them (never the secret).
func (s *Store) SaveSSOSettings(ctx context.Context, st SSOSettings, actorID uint) error {
	st.UpdatedAt = time.Now().UTC()
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Where("organisation_id = ?", st.OrganisationID).Delete(&SSOSettings{}).Error; err != nil {
			return err
		}
		if err := tx.db.Create(&st).Error; err != nil {
			return err
		}
		if err := tx.db.Exec("DELETE FROM sso_domains WHERE organisation_id = ?", st.OrganisationID).Error; err != nil {
			return err
		}
		for _, d := range st.DomainList() {
			if err := tx.db.Exec("INSERT INTO sso_domains (domain, organisation_id) VALUES (?, ?)", d, st.OrganisationID).Error; err != nil {
				return err
			}
		}
		details := "issuer " + st.Issuer + ", client " + st.ClientID + ", domains " + st.Domains
		if st.Scopes != "" {
			details += ", scopes " + st.Scopes
		}
		if !st.Enabled {
			details += ", off"
		}
		if st.SSOOnly {
			details += ", single sign-on only"
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &st.OrganisationID, ActorID: actorRef(actorID), Action: "sso.settings",
			Details: details})
	})
}

// SSOForDomain lists the organisations that offer single sign-on to
// addresses of domain, by name.
func (s *Store) SSOForDomain(ctx context.Context, domain string) ([]SSOChoice, error) {
	var rows []struct {
		SSOSettings
		OrganisationName string
	}
	err := s.db.WithContext(ctx).Table("sso_settings st").
		Select("st.*, o.name AS organisation_name").
		Joins("JOIN sso_domains d ON d.organisation_id = st.organisation_id").
		Joins("JOIN organisations o ON o.id = st.organisation_id").
		Where("d.domain = ? AND st.enabled = ?", strings.ToLower(domain), true).
		Order("o.name").Scan(&rows).Error
	choices := make([]SSOChoice, len(rows))
	for i, r := range rows {
		choices[i] = SSOChoice{Settings: r.SSOSettings, OrganisationName: r.OrganisationName}
	}
	return choices, err
}

// AnySSO says whether any organisation offers single sign-on.
func (s *Store) AnySSO(ctx context.Context) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&SSOSettings{}).Where("enabled = ?", true).Limit(1).Count(&n).Error
	return n > 0, err
}

// SSOLogin is one sign-in between leaving for the provider and coming
// back. Only the state's hash is kept, as for session tokens.
type SSOLogin struct {
	StateHash      string `gorm:"primaryKey"`
	OrganisationID uint
	Nonce          string
	CodeVerifier   string
	Next           string
	ExpiresAt      time.Time
}

// TableName is the table GORM uses.
func (SSOLogin) TableName() string { return "sso_logins" }

// CreateSSOLogin stores a sign-in in flight, clearing out expired ones.
func (s *Store) CreateSSOLogin(ctx context.Context, l SSOLogin) error {
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Where("expires_at < ?", time.Now().UTC()).Delete(&SSOLogin{}).Error; err != nil {
			return err
		}
		return tx.db.Create(&l).Error
	})
}

// TakeSSOLogin returns the sign-in with that state hash and deletes it, so
// a state works once. A used, unknown or expired state is ErrNotFound.
func (s *Store) TakeSSOLogin(ctx context.Context, stateHash string) (SSOLogin, error) {
	var l SSOLogin
	err := s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.Where("state_hash = ?", stateHash).First(&l).Error; err != nil {
			return namedError(err)
		}
		// Deleting is what claims it: of two callbacks racing with one
		// state, only one deletes the row.
		res := tx.db.Where("state_hash = ?", stateHash).Delete(&SSOLogin{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return SSOLogin{}, err
	}
	if !time.Now().Before(l.ExpiresAt) {
		return SSOLogin{}, ErrNotFound
	}
	return l, nil
}

// PendingInvitationByEmail returns an organisation's newest usable
// invitation for email, or ErrNotFound.
func (s *Store) PendingInvitationByEmail(ctx context.Context, organisationID uint, email string) (Invitation, error) {
	var inv Invitation
	err := s.db.WithContext(ctx).
		Where("organisation_id = ? AND email = ? AND used_at IS NULL AND expires_at > ?", organisationID, NormaliseEmail(email), time.Now().UTC()).
		Order("created_at DESC").First(&inv).Error
	return inv, namedError(err)
}

// CreateSSOUser makes the account of a person from an allowed domain who
// signed in with single sign-on and had none: a staff account, no password.
func (s *Store) CreateSSOUser(ctx context.Context, u *User) error {
	u.RoleCodes = Roles{RoleStaff}.String()
	u.Active = true
	u.PasswordHash = ""
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEvent{OrganisationID: &u.OrganisationID, ActorID: &u.ID, Action: "account.sso.create", Subject: u.Email})
	})
}

// SSOBreakGlassCandidates are the accounts that may be an organisation's
// break-glass account: active, with the digital lead or administrator role.
func (s *Store) SSOBreakGlassCandidates(ctx context.Context, organisationID uint) ([]User, error) {
	var list []User
	err := s.db.WithContext(ctx).
		Where("organisation_id = ? AND active = ? AND (' ' || roles || ' ' LIKE ? OR ' ' || roles || ' ' LIKE ?)",
			organisationID, true, "% lead %", "% admin %").
		Order("name, email").Find(&list).Error
	return list, err
}
