package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/models"
)

type forgotForm struct{ Email string }

type forgotData struct {
	// Mail says whether the service sends email; without it the page tells
	// people to ask their digital lead.
	Mail bool
	Sent bool
}

func (s *Server) forgotPasswordPage(c echo.Context) error {
	v := s.view(c, "Reset your password")
	v.BackLink = "/sign-in"
	v.Form = forgotForm{}
	v.Data = forgotData{Mail: s.cfg.Mail}
	return s.render(c, http.StatusOK, "forgot_password", v)
}

// forgotPassword sends a reset link when the address has an active
// account. The answer is the same whether or not it has, and whether or
// not a limit stopped the email.
func (s *Server) forgotPassword(c echo.Context) error {
	form := forgotForm{Email: strings.TrimSpace(c.FormValue("email"))}
	v := s.view(c, "Reset your password")
	v.BackLink = "/sign-in"
	v.Form = form
	v.Data = forgotData{Mail: s.cfg.Mail}
	err := s.people().RequestReset(c.Request().Context(), form.Email, c.RealIP())
	if errors.As(err, &v.Errors) {
		return s.renderForm(c, "forgot_password", v)
	}
	if err != nil {
		return err
	}
	v.Data = forgotData{Mail: s.cfg.Mail, Sent: s.cfg.Mail}
	return s.render(c, http.StatusOK, "forgot_password", v)
}

type resetData struct {
	Token   string
	Account models.User
}

// resetFromLink finds a usable reset link or renders the page that says
// why it cannot be used; handled is true when that page was written.
func (s *Server) resetFromLink(c echo.Context) (r models.PasswordReset, u models.User, handled bool, err error) {
	r, u, err = s.people().Reset(c.Request().Context(), c.Param("token"))
	if problem, ok := accounts.ResetProblem(err); ok {
		return r, u, true, s.linkProblem(c, problem)
	}
	return r, u, false, err
}

func (s *Server) resetPasswordPage(c echo.Context) error {
	_, u, handled, err := s.resetFromLink(c)
	if handled || err != nil {
		return err
	}
	v := s.view(c, "Set a new password")
	v.Data = resetData{Token: c.Param("token"), Account: u}
	return s.render(c, http.StatusOK, "reset_password", v)
}

func (s *Server) resetPassword(c echo.Context) error {
	r, u, handled, err := s.resetFromLink(c)
	if handled || err != nil {
		return err
	}
	err = s.people().UseReset(c.Request().Context(), r, u,
		accounts.NewPassword{Password: c.FormValue("password"), Confirm: c.FormValue("confirm-password")})
	v := s.view(c, "Set a new password")
	if errors.As(err, &v.Errors) {
		v.Data = resetData{Token: c.Param("token"), Account: u}
		return s.renderForm(c, "reset_password", v)
	}
	if problem, ok := accounts.ResetProblem(err); ok {
		return s.linkProblem(c, problem)
	}
	if err != nil {
		return err
	}
	s.clearCookie(c, sessionCookie)
	s.setFlash(c, "Your password has been changed. Sign in with your new password.")
	return redirect(c, "/sign-in")
}

// issueResetLink is a digital lead or admin making a reset link for an
// account they manage, shown once, for them to hand over. Audited.
func (s *Server) issueResetLink(c echo.Context) error {
	u, err := s.accountFor(c)
	if err != nil {
		return err
	}
	me := mustUser(c)
	link, err := s.people().IssueResetLink(c.Request().Context(), me, u)
	var fe formErrors
	switch {
	case errors.Is(err, accounts.ErrOutranked):
		return echo.ErrForbidden
	case errors.As(err, &fe):
		return s.renderAccount(c, u, u.Roles(), fe)
	case err != nil:
		return err
	}
	v := s.view(c, "Password reset link created")
	v.BackLink = accounts.Link(me, link.Organisation)
	v.Data = link
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "reset_link", v)
}

// ErrNoSuchAccount is the command line naming an address with no account.
var ErrNoSuchAccount = accounts.ErrNoSuchAccount

// IssueResetLink makes a password reset link for the command line
// ("app reset-password"): the same link a lead can make, audited as made
// from the command line.
func IssueResetLink(ctx context.Context, store *models.Store, sessionKey []byte, baseURL, address string) (string, time.Time, error) {
	people := accounts.Service{Store: store, NewToken: newToken, BaseURL: strings.TrimRight(baseURL, "/"),
		TokenHash:           func(token string) string { return tokenHashWith(sessionKey, token) },
		IssuedResetLifetime: accounts.DefaultIssuedResetLifetime}
	link, err := people.IssueResetLinkByEmail(ctx, address)
	return link.Link, link.ExpiresAt, err
}
