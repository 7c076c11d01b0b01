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

type acceptForm struct {
	Name string
}

type acceptData struct {
	Invitation   models.Invitation
	Organisation models.Organisation
	Token        string
}

// linkProblem renders the page that says why an invitation or reset link
// cannot be used: gone, or never made.
func (s *Server) linkProblem(c echo.Context, problem accounts.LinkProblem) error {
	status := http.StatusGone
	if problem.Unknown {
		status = http.StatusNotFound
	}
	return s.renderPage(c, "invitation_problem", page{Title: problem.Heading, Data: problem, Status: status})
}

// invitationFromLink finds a usable invitation or renders the page that
// says why it cannot be used; handled is true when that page was written.
func (s *Server) invitationFromLink(c echo.Context) (inv models.Invitation, org models.Organisation, handled bool, err error) {
	inv, org, err = s.people().Invitation(c.Request().Context(), c.Param("token"))
	if problem, ok := accounts.InvitationProblem(err); ok {
		return inv, org, true, s.linkProblem(c, problem)
	}
	return inv, org, false, err
}

func (s *Server) acceptInvitationPage(c echo.Context) error {
	inv, org, handled, err := s.invitationFromLink(c)
	if handled || err != nil {
		return err
	}
	return s.renderAccept(c, acceptForm{Name: inv.Name}, acceptData{Invitation: inv, Organisation: org, Token: c.Param("token")}, nil)
}

func (s *Server) renderAccept(c echo.Context, form acceptForm, data acceptData, errs formErrors) error {
	return s.renderPage(c, "accept_invitation", page{Title: "Set up your account", Form: form, Errors: errs, Data: data})
}

func (s *Server) acceptInvitation(c echo.Context) error {
	inv, org, handled, err := s.invitationFromLink(c)
	if handled || err != nil {
		return err
	}
	form := acceptForm{Name: strings.TrimSpace(c.FormValue("name"))}
	u, err := s.people().Accept(c.Request().Context(), inv, form.Name,
		accounts.NewPassword{Password: c.FormValue("password"), Confirm: c.FormValue("confirm-password")},
		ruleInput(c, "name", "your full name", "password", "password"))
	var fe formErrors
	if errors.As(err, &fe) {
		return s.renderAccept(c, form, acceptData{Invitation: inv, Organisation: org, Token: c.Param("token")}, fe)
	}
	if problem, ok := accounts.InvitationProblem(err); ok {
		return s.linkProblem(c, problem)
	}
	if errors.Is(err, models.ErrDuplicate) {
		return s.renderPage(c, "invitation_problem", page{Title: "This invitation cannot be used", Data: accounts.AccountExists, Status: http.StatusConflict})
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.setFlash(c, "Your account is ready. Welcome, "+u.Name+".")
	return redirect(c, "/")
}

type forgotForm struct{ Email string }

type forgotData struct {
	// Mail says whether the service sends email; without it the page tells
	// people to ask their digital lead.
	Mail bool
	Sent bool
}

func (s *Server) forgotPasswordPage(c echo.Context) error {
	return s.renderForgot(c, forgotForm{}, forgotData{Mail: s.cfg.Mail}, nil)
}

func (s *Server) renderForgot(c echo.Context, form forgotForm, data forgotData, errs formErrors) error {
	return s.renderPage(c, "forgot_password", page{Title: "Reset your password", BackLink: "/sign-in", Form: form, Data: data, Errors: errs})
}

// forgotPassword sends a reset link when the address has an active
// account. The answer is the same whether or not it has, and whether or
// not a limit stopped the email.
func (s *Server) forgotPassword(c echo.Context) error {
	form := forgotForm{Email: strings.TrimSpace(c.FormValue("email"))}
	err := s.people().RequestReset(c.Request().Context(), form.Email, c.RealIP())
	if fe := (formErrors{}); errors.As(err, &fe) {
		return s.renderForgot(c, form, forgotData{Mail: s.cfg.Mail}, fe)
	}
	if err != nil {
		return err
	}
	return s.renderForgot(c, form, forgotData{Mail: s.cfg.Mail, Sent: s.cfg.Mail}, nil)
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
	return s.renderReset(c, u, nil)
}

func (s *Server) renderReset(c echo.Context, u models.User, errs formErrors) error {
	return s.renderPage(c, "reset_password", page{Title: "Set a new password", Data: resetData{Token: c.Param("token"), Account: u}, Errors: errs})
}

func (s *Server) resetPassword(c echo.Context) error {
	r, u, handled, err := s.resetFromLink(c)
	if handled || err != nil {
		return err
	}
	err = s.people().UseReset(c.Request().Context(), r, u,
		accounts.NewPassword{Password: c.FormValue("password"), Confirm: c.FormValue("confirm-password")})
	if fe := (formErrors{}); errors.As(err, &fe) {
		return s.renderReset(c, u, fe)
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
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.renderPage(c, "reset_link", page{Title: "Password reset link created", BackLink: accounts.Link(me, link.Organisation), Data: link})
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
