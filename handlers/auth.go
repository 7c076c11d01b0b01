package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
)

// Sign-in limits: after too many failures for one email address, or from
// one client address, sign-in is refused for the rest of the window. The
// message is the same whether or not the account exists.
const (
	signInWindow          = 15 * time.Minute
	maxFailuresPerEmail   = 5
	maxFailuresPerAddress = 50
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

func (s *Server) signIn(c echo.Context) error {
	ctx := c.Request().Context()
	form := signInForm{
		Email:    strings.TrimSpace(c.FormValue("email")),
		Password: c.FormValue("password"),
		Next:     safeNext(c.FormValue("next")),
	}
	v := s.view(c, "Sign in")
	v.Data = s.signInPageData(c)
	refuse := func(status int, field, message string) error {
		form.Password = "" // never sent back
		v.Form = form
		v.Errors.Add(field, message)
		return s.render(c, status, "sign_in", v)
	}
	// The email's domain decides whether the person is offered their
	// organisation's single sign-on: an email with no password is the
	// first step of it.
	var choices []models.SSOChoice
	if form.Email != "" && textRule(c, "email", "email address") == "" {
		var err error
		if choices, err = s.ssoChoices(c, form.Email); err != nil {
			return err
		}
		if len(choices) > 0 && form.Password == "" && !hasBadInput(c) {
			return s.renderSSOChoice(c, http.StatusOK, form.Email, form.Next, choices, nil)
		}
	}
	if form.Email == "" {
		v.Errors.Add("email", "Enter your email address")
	}
	if form.Password == "" {
		v.Errors.Add("password", "Enter your password")
	}
	// The input rule, before anything reaches the database.
	if p := textRule(c, "email", "email address"); p != "" {
		v.Errors.Add("email", p)
	}
	if p := textRule(c, "password", "password"); p != "" {
		v.Errors.Add("password", p)
	}
	if v.Errors = withInputErrors(c, v.Errors); len(v.Errors) > 0 {
		v.Form = signInForm{Email: form.Email, Next: form.Next}
		return s.render(c, http.StatusUnprocessableEntity, "sign_in", v)
	}

	emailKey, addressKey, byEmail, byAddress, err := s.recentAttempts(c, "sign-in", form.Email, signInWindow)
	if err != nil {
		return err
	}
	if byEmail >= maxFailuresPerEmail || byAddress >= maxFailuresPerAddress {
		v.Data = signInData{Locked: true, SSO: v.Data.(signInData).SSO}
		s.countSignIn(signInPassword, signInFailure)
		return refuse(http.StatusTooManyRequests, "email",
			"Too many attempts to sign in. Wait 15 minutes, then try again")
	}

	u, err := s.store.UserByEmail(ctx, form.Email)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	found := err == nil
	// A single-sign-on-only organisation refuses passwords, except its
	// break-glass account's: the password is not even checked.
	if only, err := s.ssoPasswordRefusal(c, u, found, choices); err != nil {
		return err
	} else if len(only) > 0 {
		if _, err := s.verifyPassword(ctx, form.Password, s.dummyHash); err != nil {
			return err
		}
		errs := formErrors{{Field: "sso-" + strconv.FormatUint(uint64(only[0].Settings.OrganisationID), 10), Message: ssoOnlyMessage(only)}}
		return s.renderSSOChoice(c, http.StatusUnprocessableEntity, form.Email, form.Next, only, errs)
	}
	ok := false
	if found && u.PasswordHash != "" {
		ok, err = s.verifyPassword(ctx, form.Password, u.PasswordHash)
		if err != nil {
			return err
		}
	} else {
		// Spend the same time as a real check so that timing does not tell
		// whether the account exists.
		if _, err := s.verifyPassword(ctx, form.Password, s.dummyHash); err != nil {
			return err
		}
	}
	if !ok {
		if err := s.store.RecordFailedSignIn(ctx, emailKey, addressKey); err != nil {
			return err
		}
		s.countSignIn(signInPassword, signInFailure)
		return refuse(http.StatusUnprocessableEntity, "email", "Enter a correct email address and password")
	}
	if !u.Active {
		s.countSignIn(signInPassword, signInFailure)
		return refuse(http.StatusUnprocessableEntity, "email",
			"Your account has been deactivated. Ask your organisation's digital lead if you need it again")
	}
	if err := s.store.ClearFailedSignIns(ctx, emailKey); err != nil {
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	// Only now, signed in with their own password, do the person's
	// self-assessments count towards the workforce figures: an account
	// someone else set up through its invitation link counts for nothing.
	if err := s.store.MarkOwnSignIn(c.Request().Context(), u.ID); err != nil {
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

// recentAttempts names, by hashed keys, the attempts of one kind (failed
// sign-ins, reset requests) made for an email address and from the
// client's address, and counts each over the last window: what the
// per-address and per-client limits are checked against.
func (s *Server) recentAttempts(c echo.Context, kind, email string, window time.Duration) (emailKey, addressKey string, byEmail, byAddress int64, err error) {
	ctx := c.Request().Context()
	emailKey = s.tokenHash(kind + " email:" + models.NormaliseEmail(email))
	addressKey = s.tokenHash(kind + " address:" + c.RealIP())
	since := time.Now().Add(-window)
	if byEmail, err = s.store.FailedSignIns(ctx, emailKey, since); err != nil {
		return
	}
	byAddress, err = s.store.FailedSignIns(ctx, addressKey, since)
	return
}
