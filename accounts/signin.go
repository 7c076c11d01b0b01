package accounts

import (
	"context"
	"errors"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Sign-in limits: after too many failures for one email address, or from
// one client address, sign-in is refused for the rest of the window. The
// message is the same whether or not the account exists.
const (
	SignInWindow          = 15 * time.Minute
	MaxFailuresPerEmail   = 5
	MaxFailuresPerAddress = 50
)

// Why a password sign-in is refused.
var (
	// ErrLocked: a limit of failed sign-ins is reached.
	ErrLocked = errors.New("accounts: too many failed sign-ins")
	// ErrWrongPassword: no account has this address and password.
	ErrWrongPassword = errors.New("accounts: wrong email address or password")
)

// SSOOffer is no refusal: the address's domain has single sign-on and no
// password was typed, so the person is offered Choices.
type SSOOffer struct{ Choices []models.SSOChoice }

func (e *SSOOffer) Error() string { return "accounts: single sign-on is offered" }

// SSOOnlyError refuses a password because the organisation signs in with
// single sign-on only; Choices are the organisations to offer instead.
type SSOOnlyError struct{ Choices []models.SSOChoice }

func (e *SSOOnlyError) Error() string { return "accounts: the organisation uses single sign-on only" }

// Message says so, naming the organisation when there is one.
func (e *SSOOnlyError) Message() string {
	name := "Your organisation"
	if len(e.Choices) == 1 {
		name = e.Choices[0].OrganisationName
	}
	return name + " uses single sign-on only: sign in with your organisation's account below, not a password"
}

// attempts are the recent attempts of one kind (failed sign-ins, reset
// requests) for an email address and from a client address, under hashed
// keys: what the per-address and per-client limits are checked against.
type attempts struct {
	emailKey, addressKey string
	byEmail, byAddress   int64
}

func (s *Service) attempts(ctx context.Context, kind, email, client string, window time.Duration) (attempts, error) {
	a := attempts{emailKey: s.TokenHash(kind + " email:" + models.NormaliseEmail(email)),
		addressKey: s.TokenHash(kind + " address:" + client)}
	since := time.Now().Add(-window)
	var err error
	if a.byEmail, err = s.Store.FailedSignIns(ctx, a.emailKey, since); err != nil {
		return a, err
	}
	a.byAddress, err = s.Store.FailedSignIns(ctx, a.addressKey, since)
	return a, err
}

// SignInForm is a sign-in as typed, and the client address it came from.
type SignInForm struct{ Email, Password, Client string }

// SignIn checks a password sign-in. It offers single sign-on (*SSOOffer)
// when the address's domain has it and no password was typed; it refuses
// with validation.Errors, ErrLocked, *SSOOnlyError, ErrWrongPassword or
// ErrDeactivated. On success the person's own sign-in is recorded: only
// now, signed in with their own password, do their self-assessments count
// towards the workforce figures.
func (s *Service) SignIn(ctx context.Context, f SignInForm, in Input) (models.User, error) {
	address, password := f.Email, f.Password
	// The email's domain decides whether the person is offered their
	// organisation's single sign-on: an email with no password is the
	// first step of it.
	var choices []models.SSOChoice
	if address != "" && !in.Fields.Has("email") {
		var err error
		if choices, err = s.SSOChoices(ctx, address); err != nil {
			return models.User{}, err
		}
		if len(choices) > 0 && password == "" && len(in.Fields)+len(in.Other) == 0 {
			return models.User{}, &SSOOffer{Choices: choices}
		}
	}
	var errs validation.Errors
	if address == "" {
		errs.Add("email", "Enter your email address")
	}
	if password == "" {
		errs.Add("password", "Enter your password")
	}
	// The input rule, before anything reaches the database.
	if errs = append(append(errs, in.Fields...), in.Other...); len(errs) > 0 {
		return models.User{}, errs
	}
	a, err := s.attempts(ctx, "sign-in", address, f.Client, SignInWindow)
	if err != nil {
		return models.User{}, err
	}
	if a.byEmail >= MaxFailuresPerEmail || a.byAddress >= MaxFailuresPerAddress {
		return models.User{}, ErrLocked
	}
	u, err := s.Store.UserByEmail(ctx, address)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return u, err
	}
	found := err == nil
	// A single-sign-on-only organisation refuses passwords, except its
	// break-glass account's: the password is not even checked.
	only, err := s.ssoOnly(ctx, u, found, choices)
	if err != nil {
		return u, err
	}
	if len(only) > 0 {
		if _, err := s.VerifyPassword(ctx, password, s.DummyHash); err != nil {
			return u, err
		}
		return u, &SSOOnlyError{Choices: only}
	}
	ok := false
	if found && u.PasswordHash != "" {
		if ok, err = s.VerifyPassword(ctx, password, u.PasswordHash); err != nil {
			return u, err
		}
	} else if _, err := s.VerifyPassword(ctx, password, s.DummyHash); err != nil {
		// The same time as a real check, so that timing does not tell
		// whether the account exists.
		return u, err
	}
	if !ok {
		if err := s.Store.RecordFailedSignIn(ctx, a.emailKey, a.addressKey); err != nil {
			return u, err
		}
		return u, ErrWrongPassword
	}
	if !u.Active {
		return u, ErrDeactivated
	}
	if err := s.Store.ClearFailedSignIns(ctx, a.emailKey); err != nil {
		return u, err
	}
	return u, s.Store.MarkOwnSignIn(ctx, u.ID)
}

// ssoOnly are the organisations to offer instead when a password must be
// refused because the organisation is single sign-on only. For an address
// with no account, the domain decides, so that the answer does not tell
// whether the account exists.
func (s *Service) ssoOnly(ctx context.Context, u models.User, found bool, choices []models.SSOChoice) ([]models.SSOChoice, error) {
	if found {
		st, err := s.Store.SSOSettingsFor(ctx, u.OrganisationID)
		if errors.Is(err, models.ErrNotFound) || (err == nil && !st.RefusesPassword(u)) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		org, err := s.Store.OrganisationByID(ctx, u.OrganisationID)
		if err != nil {
			return nil, err
		}
		return []models.SSOChoice{{Settings: st, OrganisationName: org.Name}}, nil
	}
	var only []models.SSOChoice
	for _, ch := range choices {
		if ch.Settings.SSOOnly {
			only = append(only, ch)
		}
	}
	return only, nil
}
