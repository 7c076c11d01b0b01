package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/models"
)

type signInForm struct {
	Email    string
	Password string
	Next     string
}

type signInData struct {
	Locked bool
	// SSO says some organisation offers single sign-on, so the page says
	// how to reach it.
	SSO bool
}

// signInPageData is what the sign-in page needs besides the form.
func (s *Server) signInPageData(c echo.Context) signInData {
	on, err := s.store.AnySSO(c.Request().Context())
	if err != nil {
		// Only a hint depends on it: the page still works without.
		s.log.Warn("single sign-on lookup failed", "err", err)
	}
	return signInData{SSO: on}
}

func (s *Server) signInPage(c echo.Context) error {
	if _, ok := currentUser(c); ok {
		return redirect(c, "/")
	}
	v := s.view(c, "Sign in")
	v.Form = signInForm{Next: safeNext(c.QueryParam("next"))}
	v.Data = s.signInPageData(c)
	return s.render(c, http.StatusOK, "sign_in", v)
}

// signInRefusals are the messages of the refusals that show the form again.
var signInRefusals = []struct {
	err     error
	message string
}{
	{accounts.ErrWrongPassword, "Enter a correct email address and password"},
	{accounts.ErrDeactivated, "Your account has been deactivated. Ask your organisation's digital lead if you need it again"},
}

func (s *Server) signIn(c echo.Context) error {
	form := signInForm{
		Email:    strings.TrimSpace(c.FormValue("email")),
		Password: c.FormValue("password"),
		Next:     safeNext(c.FormValue("next")),
	}
	v := s.view(c, "Sign in")
	data := s.signInPageData(c)
	v.Data = data
	// The password is never sent back.
	v.Form = signInForm{Email: form.Email, Next: form.Next}
	u, err := s.people().SignIn(c.Request().Context(), accounts.SignInForm{Email: form.Email, Password: form.Password, Client: c.RealIP()},
		ruleInput(c, "email", "email address", "password", "password"))
	var offer *accounts.SSOOffer
	var only *accounts.SSOOnlyError
	switch {
	case errors.As(err, &offer):
		return s.renderSSOChoice(c, http.StatusOK, form.Email, form.Next, offer.Choices, nil)
	case errors.As(err, &v.Errors):
		return s.render(c, http.StatusUnprocessableEntity, "sign_in", v)
	case errors.Is(err, accounts.ErrLocked):
		data.Locked = true
		v.Data = data
		v.Errors.Add("email", "Too many attempts to sign in. Wait 15 minutes, then try again")
		s.countSignIn(signInPassword, signInFailure)
		return s.render(c, http.StatusTooManyRequests, "sign_in", v)
	case errors.As(err, &only):
		errs := formErrors{{Field: "sso-" + strconv.FormatUint(uint64(only.Choices[0].Settings.OrganisationID), 10), Message: only.Message()}}
		return s.renderSSOChoice(c, http.StatusUnprocessableEntity, form.Email, form.Next, only.Choices, errs)
	}
	for _, r := range signInRefusals {
		if errors.Is(err, r.err) {
			v.Errors.Add("email", r.message)
			s.countSignIn(signInPassword, signInFailure)
			return s.render(c, http.StatusUnprocessableEntity, "sign_in", v)
		}
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.countSignIn(signInPassword, signInSuccess)
	return redirect(c, form.Next)
}

// startSession signs u in with a new token, ending any session the browser
// had, and renews the CSRF token with it.
func (s *Server) startSession(c echo.Context, u models.User) error {
	old := ""
	if ck, err := c.Cookie(s.cookieName(sessionCookie)); err == nil && ck.Value != "" {
		old = s.tokenHash(ck.Value)
	}
	token := newToken()
	if err := s.store.CreateSession(c.Request().Context(), u, s.tokenHash(token), old); err != nil {
		return err
	}
	s.setCookie(c, &http.Cookie{Name: sessionCookie, Value: token, MaxAge: int(s.cfg.SessionAbsolute.Seconds())})
	// A new pre-session value too, so one planted before sign-in is gone
	// by sign-out; from here on forms carry the session's token.
	s.setCSRFCookie(c)
	c.Set(ctxCSRF, s.sessionCSRF(s.tokenHash(token)))
	return nil
}

func (s *Server) signOut(c echo.Context) error {
	if u, ok := currentUser(c); ok {
		hash, _ := c.Get(ctxSessionHash).(string)
		if err := s.store.EndSession(c.Request().Context(), hash, u); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	s.setFlash(c, "You have signed out.")
	return redirect(c, "/sign-in")
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
