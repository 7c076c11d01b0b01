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

// refusals are what to tell the person for each reason a sign-in fails.
var refusals = []struct {
	err     error
	message string
}{
	{ErrLoginUnknown, "This sign-in has already been used or has expired, or it was started in another browser. Start again from the sign-in page."},
	{ErrProviderRefused, "Your organisation's sign-in service did not sign you in. Start again from the sign-in page, or ask your IT service desk."},
	{ErrTurnedOff, "Single sign-on has been turned off for your organisation. Sign in with your email address and password."},
	{ErrTokenExpired, "The answer from your organisation's account has expired. Start again from the sign-in page."},
	{ErrNonce, "The answer from your organisation's account does not belong to this sign-in. Start again from the sign-in page."},
	{ErrEmailUnverified, "Your organisation's account says your email address has not been verified, so we cannot match it to an account here. Ask your IT service desk."},
	{ErrNoEmail, "Your organisation's account did not give us your email address, so we cannot match it to an account here. Ask your IT service desk."},
	{ErrTokenInvalid, "The answer from your organisation's account could not be checked, so we did not sign you in. Start again from the sign-in page."},
	{ErrProviderUnavailable, "Your organisation's sign-in service could not be reached. Try again in a few minutes. If it keeps happening, tell your IT service desk."},
	{ErrOtherOrganisation, "Your account in this service belongs to another organisation. Sign in from that organisation, or ask its digital lead."},
	{ErrAccountDeactivated, "Your account has been deactivated. Ask your organisation's digital lead if you need it again."},
	{ErrNoAccount, "You have no account in this service yet. Ask your organisation's digital lead to invite you."},
	{ErrAccountRace, "Your account was being set up at the same moment. Start again from the sign-in page."},
}

// Refusal is what to tell the person whose sign-in l failed with err, or
// "" when err is not one of the reasons this package names.
func Refusal(l Login, err error) string {
	if errors.Is(err, ErrDomainNotAllowed) {
		return "Your organisation's account gave the email address " + l.Identity.Email +
			", whose domain is not one this organisation allows for single sign-on. Ask your organisation's digital lead."
	}
	for _, r := range refusals {
		if errors.Is(err, r.err) {
			return r.message
		}
	}
	return ""
}
