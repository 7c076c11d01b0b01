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
	outcome, err := s.people().RequestReset(c.Request().Context(), form.Email, c.RealIP())
	if errors.As(err, &v.Errors) {
		return s.renderForm(c, "forgot_password", v)
	} else if err != nil {
		return err
	}
	switch outcome {
	case accounts.ResetNoMail:
		return s.render(c, http.StatusOK, "forgot_password", v)
	case accounts.ResetUnknownAddress:
		s.log.Info("password reset asked for an unknown address")
	case accounts.ResetDeactivated:
		s.log.Info("password reset asked for a deactivated account")
	case accounts.ResetLimited:
		s.log.Info("password reset limit reached; no email sent")
	}
	v.Data = forgotData{Mail: true, Sent: true}
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
	var problem invitationProblem
	status := http.StatusGone
	switch {
	case errors.Is(err, models.ErrResetUsed):
		problem = invitationProblem{"This link has already been used",
			"Each password reset link works once. If you did not set your password with it, ask for a new link."}
	case errors.Is(err, models.ErrResetExpired):
		problem = invitationProblem{"This link has expired",
			"Password reset links work for a short time only. Ask for a new link."}
	case errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
		problem = invitationProblem{"This link is not recognised",
			"Check you copied the entire link. If it still does not work, ask for a new link."}
	case errors.Is(err, accounts.ErrDeactivated):
		problem = invitationProblem{"This account has been deactivated",
			"Ask your organisation's digital lead if you need it again."}
	default:
		return r, u, false, err
	}
	return r, u, true, s.linkProblem(c, status, problem)
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
	var fe formErrors
	switch {
	case errors.As(err, &fe):
		v := s.view(c, "Set a new password")
		v.Errors = fe
		v.Data = resetData{Token: c.Param("token"), Account: u}
		return s.renderForm(c, "reset_password", v)
	case errors.Is(err, models.ErrResetUsed):
		_, _, _, err = s.resetFromLink(c)
		return err
	case err != nil:
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
	org, err := s.store.OrganisationByID(c.Request().Context(), u.OrganisationID)
	if err != nil {
		return err
	}
	v := s.view(c, "Password reset link created")
	v.BackLink = accounts.Link(me, org)
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
