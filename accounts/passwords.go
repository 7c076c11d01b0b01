package accounts

import (
	"context"
	"errors"
	"strings"
	"time"

	"nhs-digital-maturity/email"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Limits of "Forgot your password?": per address and per client, in an
// hour. Past them no email is sent, and the page says the same as ever.
const (
	ResetWindow          = time.Hour
	MaxResetsPerEmail    = 3
	MaxResetsPerAddress  = 20
	DefaultResetLifetime = time.Hour
	// A link a lead or the command line makes is handed over by a person,
	// so it lasts longer than one sent by email.
	DefaultIssuedResetLifetime = 24 * time.Hour
)

// RequestReset emails a reset link when the address has an active account
// and neither limit is reached; client is the address the request came
// from. The person is told the same whatever happens; only the log says
// more.
func (s *Service) RequestReset(ctx context.Context, address, client string) error {
	var errs validation.Errors
	if address == "" {
		errs.Add("email", "Enter your email address")
	} else if !strings.Contains(address, "@") {
		errs.Add("email", "Enter an email address in the correct format, like name@example.nhs.uk")
	}
	if len(errs) > 0 {
		return errs
	}
	if !s.Mail {
		return nil
	}
	a, err := s.attempts(ctx, "reset", address, client, ResetWindow)
	if err != nil {
		return err
	}
	if err := s.Store.RecordFailedSignIn(ctx, a.emailKey, a.addressKey); err != nil {
		return err
	}
	if a.byEmail >= MaxResetsPerEmail || a.byAddress >= MaxResetsPerAddress {
		s.Log.Info("password reset limit reached; no email sent")
		return nil
	}
	u, err := s.Store.UserByEmail(ctx, address)
	switch {
	case errors.Is(err, models.ErrNotFound):
		s.Log.Info("password reset asked for an unknown address")
		return nil
	case err != nil:
		return err
	case !u.Active:
		s.Log.Info("password reset asked for a deactivated account", "user", u.ID)
		return nil
	}
	token := s.NewToken()
	msg := email.PasswordReset(u.Email, s.resetLink(token), s.ResetLifetime)
	msg.OrganisationID = &u.OrganisationID
	return s.Store.CreatePasswordReset(ctx, u, s.TokenHash(token), time.Now().Add(s.ResetLifetime),
		models.ResetIssue{Email: &msg, How: "email"})
}

func (s *Service) resetLink(token string) string { return s.BaseURL + "/password/reset/" + token }

// Reset finds the usable reset link of token and its account. The store's
// ErrResetUsed, ErrResetExpired and ErrNotFound, or ErrDeactivated, say
// why it cannot be used.
func (s *Service) Reset(ctx context.Context, token string) (models.PasswordReset, models.User, error) {
	r, u, err := s.Store.PasswordResetByTokenHash(ctx, s.TokenHash(token))
	if err == nil && !u.Active {
		err = ErrDeactivated
	}
	return r, u, err
}

// UseReset sets u's new password with reset link r; the store's
// ErrResetUsed says someone used it a moment ago.
func (s *Service) UseReset(ctx context.Context, r models.PasswordReset, u models.User, pw NewPassword) error {
	hash, err := s.newHash(ctx, problems{}, pw, u.Email)
	if err != nil {
		return err
	}
	return s.Store.UsePasswordReset(ctx, r, hash)
}

// ResetLink is a reset link made for a person to hand over, shown once.
type ResetLink struct {
	Account models.User
	// Organisation is the account's.
	Organisation models.Organisation
	Link         string
	ExpiresAt    time.Time
}

// IssueResetLink is me, a digital lead or admin, making a reset link for
// u: the way back in when the service sends no email. Audited.
func (s *Service) IssueResetLink(ctx context.Context, me, u models.User) (ResetLink, error) {
	if u.Roles().Outranks(me.Roles()) {
		return ResetLink{}, ErrOutranked
	}
	if !u.Active {
		return ResetLink{}, validation.Errors{{Field: "reset-link", Message: "This account is deactivated. Reactivate it before making a password reset link"}}
	}
	l, err := s.issue(ctx, u, models.ResetIssue{ActorID: me.ID, How: "a digital lead or administrator"})
	if err != nil {
		return l, err
	}
	l.Organisation, err = s.Store.OrganisationByID(ctx, u.OrganisationID)
	return l, err
}

// IssueResetLinkByEmail makes the same link for the command line ("app
// reset-password"), audited as made from there.
func (s *Service) IssueResetLinkByEmail(ctx context.Context, address string) (ResetLink, error) {
	u, err := s.Store.UserByEmail(ctx, address)
	if errors.Is(err, models.ErrNotFound) {
		return ResetLink{}, ErrNoSuchAccount
	}
	if err != nil {
		return ResetLink{}, err
	}
	return s.issue(ctx, u, models.ResetIssue{How: "the command line"})
}

func (s *Service) issue(ctx context.Context, u models.User, how models.ResetIssue) (ResetLink, error) {
	token := s.NewToken()
	l := ResetLink{Account: u, Link: s.resetLink(token), ExpiresAt: time.Now().Add(s.IssuedResetLifetime)}
	return l, s.Store.CreatePasswordReset(ctx, u, s.TokenHash(token), l.ExpiresAt, how)
}

// ChangePassword changes the signed-in person's password once they have
// given their current one, signing out every other session than keep.
func (s *Service) ChangePassword(ctx context.Context, u *models.User, current string, pw NewPassword, keep string) error {
	ok, err := s.VerifyPassword(ctx, current, u.PasswordHash)
	// An account made by single sign-on has no hash to check against.
	if err != nil && (u.PasswordHash != "" || !errors.Is(err, models.ErrBadHash)) {
		return err
	}
	var errs validation.Errors
	if current == "" {
		errs.Add("current-password", "Enter your current password")
	} else if !ok {
		errs.Add("current-password", "Your current password is not correct")
	}
	hash, err := s.newHash(ctx, problems{errs: errs}, pw, u.Email)
	if err != nil {
		return err
	}
	return s.Store.SetPasswordHash(ctx, u, hash, keep)
}
