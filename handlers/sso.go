package handlers

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/sso"
)

// Single sign-on (OpenID Connect). The sign-in page learns the person's
// email address first; when its domain belongs to an organisation with
// single sign-on, the person is offered "Sign in with <provider>". Package
// sso keeps each sign-in in the database until the provider sends the
// browser back; the state also sits in a short cookie, so a callback is
// only accepted in the browser that began it.

const (
	ssoStateCookie = "sso_state"
	ssoCallbackURL = "/sign-in/sso/callback"
)

// ssoAccounts is package sso's side of accounts with this server's
// provider client, sealer and keys.
func (s *Server) ssoAccounts() *sso.Accounts {
	return &sso.Accounts{Store: s.store, Client: s.sso, Sealer: s.sealer, Log: s.log,
		TokenHash: s.tokenHash, CallbackURL: s.cfg.BaseURL + ssoCallbackURL}
}

// renderSSOChoice shows the "Sign in with" page; errs, when given, say why
// a password was refused.
func (s *Server) renderSSOChoice(c echo.Context, status int, email, next string, choices []models.SSOChoice, errs formErrors) error {
	v := s.view(c, "Sign in with your organisation's account")
	v.Errors = errs
	v.Data = sso.NewChoicePage(email, next, choices)
	return s.render(c, status, "sign_in_sso", v)
}

// ssoUnavailable is the message when a provider cannot be reached.
const ssoUnavailable = "Your organisation's sign-in service could not be reached. Try again in a few minutes. If it keeps happening, tell your IT service desk."

// startSSO sends the browser to the organisation's provider.
func (s *Server) startSSO(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	next := safeNext(c.FormValue("next"))
	id, perr := strconv.ParseUint(c.FormValue("organisation"), 10, 64)
	to, state := "", ""
	err := sso.ErrNotOffered
	if perr == nil && textRule(c, "email", "email address") == "" {
		to, state, err = s.ssoAccounts().Begin(c.Request().Context(), uint(id), email, next)
	}
	switch {
	case errors.Is(err, sso.ErrNotOffered):
		v := s.view(c, "Sign in")
		v.Form = signInForm{Email: email, Next: next}
		v.Data = s.signInPageData(c)
		v.Errors.Add("email", "Enter your email address, then choose how to sign in")
		v.Errors = withInputErrors(c, v.Errors)
		return s.render(c, http.StatusUnprocessableEntity, "sign_in", v)
	case errors.Is(err, sso.ErrSecretSealed):
		return s.ssoSecretProblem(c, err)
	case errors.Is(err, sso.ErrProviderUnavailable):
		s.log.Warn("single sign-on provider unavailable", "err", err)
		return s.ssoProblem(c, http.StatusBadGateway, ssoUnavailable)
	case err != nil:
		return err
	}
	s.setCookie(c, &http.Cookie{Name: ssoStateCookie, Value: state, MaxAge: int(sso.LoginTTL.Seconds())})
	return c.Redirect(http.StatusSeeOther, to)
}

// ssoSecretProblem is the page when a client secret does not open: sealed
// under another SESSION_KEY, so an administrator must enter it again.
func (s *Server) ssoSecretProblem(c echo.Context, err error) error {
	s.log.Error("single sign-on client secret does not open", "err", err)
	return s.ssoProblem(c, http.StatusServiceUnavailable,
		"Single sign-on is not working for your organisation at the moment. Tell your IT service desk: the service's administrator needs to enter the client secret again.")
}

// ssoProblem renders the page that says why single sign-on did not sign
// the person in, with the way back to the sign-in page.
func (s *Server) ssoProblem(c echo.Context, status int, body string) error {
	v := s.view(c, "We could not sign you in")
	v.Data = body
	return s.render(c, status, "sso_problem", v)
}

// ssoUsedOrExpired is the message for a callback this browser did not start.
const ssoUsedOrExpired = "This sign-in has already been used or has expired, or it was started in another browser. Start again from the sign-in page."

// ssoRefusals are the messages for each reason the sso package names.
var ssoRefusals = []struct {
	err     error
	status  int
	message string
}{
	{sso.ErrLoginUnknown, http.StatusBadRequest, ssoUsedOrExpired},
	{sso.ErrProviderRefused, http.StatusForbidden, "Your organisation's sign-in service did not sign you in. Start again from the sign-in page, or ask your IT service desk."},
	{sso.ErrTurnedOff, http.StatusForbidden, "Single sign-on has been turned off for your organisation. Sign in with your email address and password."},
	{sso.ErrTokenExpired, http.StatusForbidden, "The answer from your organisation's account has expired. Start again from the sign-in page."},
	{sso.ErrNonce, http.StatusForbidden, "The answer from your organisation's account does not belong to this sign-in. Start again from the sign-in page."},
	{sso.ErrEmailUnverified, http.StatusForbidden, "Your organisation's account says your email address has not been verified, so we cannot match it to an account here. Ask your IT service desk."},
	{sso.ErrNoEmail, http.StatusForbidden, "Your organisation's account did not give us your email address, so we cannot match it to an account here. Ask your IT service desk."},
	{sso.ErrTokenInvalid, http.StatusForbidden, "The answer from your organisation's account could not be checked, so we did not sign you in. Start again from the sign-in page."},
	{sso.ErrProviderUnavailable, http.StatusBadGateway, ssoUnavailable},
	{sso.ErrOtherOrganisation, http.StatusForbidden, "Your account in this service belongs to another organisation. Sign in from that organisation, or ask its digital lead."},
	{sso.ErrAccountDeactivated, http.StatusForbidden, "Your account has been deactivated. Ask your organisation's digital lead if you need it again."},
	{sso.ErrNoAccount, http.StatusForbidden, "You have no account in this service yet. Ask your organisation's digital lead to invite you."},
	{sso.ErrAccountRace, http.StatusForbidden, "Your account was being set up at the same moment. Start again from the sign-in page."},
}

// ssoCallback is where the provider sends the browser back.
func (s *Server) ssoCallback(c echo.Context) error {
	refuse := func(status int, message string) error {
		s.countSignIn(signInSSO, signInFailure)
		return s.ssoProblem(c, status, message)
	}
	state := c.QueryParam("state")
	ck, _ := c.Cookie(s.cookieName(ssoStateCookie))
	s.clearCookie(c, ssoStateCookie)
	if state == "" || ck == nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(state)) != 1 {
		return refuse(http.StatusBadRequest, ssoUsedOrExpired)
	}
	code := c.QueryParam("code")
	if c.QueryParam("error") != "" {
		code = "" // the person cancelled, or the provider refused them
	}
	login, err := s.ssoAccounts().Finish(c.Request().Context(), state, code)
	if errors.Is(err, sso.ErrSecretSealed) {
		return s.ssoSecretProblem(c, err)
	}
	if errors.Is(err, sso.ErrDomainNotAllowed) {
		return refuse(http.StatusForbidden, "Your organisation's account gave the email address "+login.Identity.Email+
			", whose domain is not one this organisation allows for single sign-on. Ask your organisation's digital lead.")
	}
	for _, r := range ssoRefusals {
		if errors.Is(err, r.err) {
			s.log.Warn("single sign-on refused", "organisation", login.OrganisationID, "err", err)
			return refuse(r.status, r.message)
		}
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, login.User); err != nil {
		return err
	}
	s.countSignIn(signInSSO, signInSuccess)
	return redirect(c, login.Next)
}

// The administrator's settings page for an organisation's single sign-on.

type ssoSettingsData struct {
	Organisation  models.Organisation
	SecretSaved   bool
	BreakGlass    []sso.BreakGlassChoice
	YesNo         []option
	CreateOptions []option
	OnlyOptions   []option
	Callback      string
}

func (s *Server) ssoSettingsPage(c echo.Context) error {
	org, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	form, secretSaved, err := s.ssoAccounts().Settings(c.Request().Context(), org.ID)
	if err != nil {
		return err
	}
	return s.renderSSOSettings(c, org, form, secretSaved, nil)
}

func (s *Server) renderSSOSettings(c echo.Context, org models.Organisation, form sso.Form, secretSaved bool, errs formErrors) error {
	candidates, err := s.ssoAccounts().BreakGlassChoices(c.Request().Context(), org.ID)
	if err != nil {
		return err
	}
	v := s.view(c, "Single sign-on for "+org.Name)
	v.BackLink = "/admin/organisations/" + strconv.FormatUint(uint64(org.ID), 10)
	v.Form = form
	v.Errors = errs
	v.Data = ssoSettingsData{Organisation: org, SecretSaved: secretSaved, Callback: s.cfg.BaseURL + ssoCallbackURL, BreakGlass: candidates,
		YesNo:         []option{{"yes", "Yes"}, {"no", "No"}},
		CreateOptions: []option{{"yes", "Give them a staff account in this organisation"}, {"no", "Refuse them: they need an invitation or an import first"}},
		OnlyOptions:   []option{{"no", "Yes, a password or single sign-on"}, {"yes", "No, single sign-on only (except the break-glass account)"}}}
	return s.renderForm(c, "sso_settings", v)
}

func (s *Server) saveSSOSettings(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	form := sso.Form{
		ProviderName:   strings.TrimSpace(c.FormValue("provider-name")),
		Issuer:         strings.TrimSpace(c.FormValue("issuer")),
		ClientID:       strings.TrimSpace(c.FormValue("client-id")),
		Domains:        strings.TrimSpace(c.FormValue("domains")),
		Scopes:         strings.TrimSpace(c.FormValue("scopes")),
		Enabled:        c.FormValue("enabled"),
		CreateAccounts: c.FormValue("create-accounts"),
		SSOOnly:        c.FormValue("sso-only"),
		BreakGlass:     c.FormValue("break-glass"),
	}
	err = s.ssoAccounts().SaveSettings(ctx, org.ID, form, strings.TrimSpace(c.FormValue("client-secret")), mustUser(c).ID)
	if fe := (formErrors{}); errors.As(err, &fe) {
		_, secretSaved, err := s.ssoAccounts().Settings(ctx, org.ID)
		if err != nil {
			return err
		}
		return s.renderSSOSettings(c, org, form, secretSaved, fe)
	} else if err != nil {
		return err
	}
	s.setFlash(c, "Single sign-on for "+org.Name+" has been saved.")
	return redirect(c, "/admin/organisations/"+strconv.FormatUint(uint64(org.ID), 10)+"/sign-in")
}
