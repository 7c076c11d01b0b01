package sso

import (
	"context"
	"errors"
	"fmt"
	"time"

	"nhs-digital-maturity/models"
)

// LoginTTL is how long a person has to come back from their provider.
const LoginTTL = 10 * time.Minute

// Why a sign-in cannot start or finish.
var (
	// ErrNotOffered: the organisation has no single sign-on, or it is off.
	ErrNotOffered = errors.New("sso: the organisation offers no single sign-on")
	// ErrLoginUnknown: the sign-in has been used, has expired or never was.
	ErrLoginUnknown = errors.New("sso: the sign-in is used, expired or unknown")
	// ErrProviderRefused: the person cancelled, or the provider refused them.
	ErrProviderRefused = errors.New("sso: the provider did not sign the person in")
	// ErrTurnedOff: single sign-on was turned off during the sign-in.
	ErrTurnedOff = errors.New("sso: single sign-on has been turned off")
)

// Button is one organisation's "Sign in with" button.
type Button struct {
	OrganisationID   uint
	OrganisationName string
	ProviderName     string
}

// ChoicePage is the "Sign in with" page of an email address.
type ChoicePage struct {
	Buttons []Button
	Email   string
	Next    string
	// PasswordAllowed offers the password form as well; false when every
	// organisation offered is single sign-on only.
	PasswordAllowed bool
}

// Choices are the organisations offering single sign-on to email's domain.
func (a *Accounts) Choices(ctx context.Context, email string) ([]models.SSOChoice, error) {
	d := Domain(email)
	if d == "" {
		return nil, nil
	}
	return a.Store.SSOForDomain(ctx, d)
}

// NewChoicePage offers choices to email, going on to next once signed in.
func NewChoicePage(email, next string, choices []models.SSOChoice) ChoicePage {
	p := ChoicePage{Email: email, Next: next}
	for _, ch := range choices {
		p.Buttons = append(p.Buttons, Button{ch.Settings.OrganisationID, ch.OrganisationName, ch.Settings.ProviderName})
		if !ch.Settings.SSOOnly {
			p.PasswordAllowed = true
		}
	}
	return p
}

// stateHash is the key a sign-in is kept under: the database never holds
// a state that could be used as it is.
func (a *Accounts) stateHash(state string) string { return a.TokenHash("sso state:" + state) }

// Begin starts a sign-in with the organisation's provider for email,
// going on to next: it returns the provider's address to send the browser
// to and the state the browser must bring back. The sign-in is kept in the
// database, so any instance can finish what another started.
func (a *Accounts) Begin(ctx context.Context, organisationID uint, email, next string) (to, state string, err error) {
	st, err := a.Store.SSOSettingsFor(ctx, organisationID)
	if errors.Is(err, models.ErrNotFound) || (err == nil && !st.Enabled) {
		return "", "", ErrNotOffered
	}
	if err != nil {
		return "", "", err
	}
	provider, err := a.Provider(st)
	if err != nil {
		return "", "", err
	}
	start := NewStart()
	if to, err = a.Client.AuthCodeURL(ctx, provider, start, email); err != nil {
		return "", "", fmt.Errorf("organisation %d: %w", organisationID, err)
	}
	err = a.Store.CreateSSOLogin(ctx, models.SSOLogin{StateHash: a.stateHash(start.State),
		OrganisationID: st.OrganisationID, Nonce: start.Nonce, CodeVerifier: start.Verifier, Next: next,
		ExpiresAt: time.Now().Add(LoginTTL).UTC()})
	return to, start.State, err
}

// Login is a finished sign-in: who, as the provider said, and where to go.
type Login struct {
	User     models.User
	Identity Identity
	Next     string
	// OrganisationID is the organisation the sign-in was for, known even
	// when it was refused once the state was recognised.
	OrganisationID uint
}

// Finish ends the sign-in of state with the provider's code ("" when the
// provider sent none, or an error) and signs the person in to their
// account (SignIn). Every refusal is a named error of this package.
func (a *Accounts) Finish(ctx context.Context, state, code string) (Login, error) {
	l, err := a.Store.TakeSSOLogin(ctx, a.stateHash(state))
	if errors.Is(err, models.ErrNotFound) {
		return Login{}, ErrLoginUnknown
	}
	if err != nil {
		return Login{}, err
	}
	login := Login{Next: l.Next, OrganisationID: l.OrganisationID}
	if code == "" {
		return login, ErrProviderRefused
	}
	st, err := a.Store.SSOSettingsFor(ctx, l.OrganisationID)
	if errors.Is(err, models.ErrNotFound) || (err == nil && !st.Enabled) {
		return login, ErrTurnedOff
	}
	if err != nil {
		return login, err
	}
	provider, err := a.Provider(st)
	if err != nil {
		return login, err
	}
	if login.Identity, err = a.Client.Finish(ctx, provider, Start{State: state, Nonce: l.Nonce, Verifier: l.CodeVerifier}, code); err != nil {
		return login, err
	}
	login.User, err = a.SignIn(ctx, st, login.Identity)
	return login, err
}
