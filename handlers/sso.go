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
		return s.ssoProblem(c, http.StatusBadGateway, sso.Refusal(sso.Login{}, err))
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
		return refuse(http.StatusBadRequest, sso.Refusal(sso.Login{}, sso.ErrLoginUnknown))
	}
	code := c.QueryParam("code")
	if c.QueryParam("error") != "" {
		code = "" // the person cancelled, or the provider refused them
	}
	login, err := s.ssoAccounts().Finish(c.Request().Context(), state, code)
	if errors.Is(err, sso.ErrSecretSealed) {
		return s.ssoSecretProblem(c, err)
	}
	if message := sso.Refusal(login, err); message != "" {
		s.log.Warn("single sign-on refused", "organisation", login.OrganisationID, "err", err)
		status := http.StatusForbidden
		switch {
		case errors.Is(err, sso.ErrLoginUnknown):
			status = http.StatusBadRequest
		case errors.Is(err, sso.ErrProviderUnavailable):
			status = http.StatusBadGateway
		}
		return refuse(status, message)
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
	data, err := s.ssoAccounts().SettingsPage(c.Request().Context(), org, secretSaved)
	if err != nil {
		return err
	}
	v := s.view(c, "Single sign-on for "+org.Name)
	v.BackLink = "/admin/organisations/" + strconv.FormatUint(uint64(org.ID), 10)
	v.Form = form
	v.Errors = errs
	v.Data = data
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
