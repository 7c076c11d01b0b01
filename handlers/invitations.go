package handlers

import (
	"errors"
	"net/http"
	"strings"

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

// invitationProblem explains why a link cannot be used.
type invitationProblem struct {
	Heading string
	Body    string
}

// linkProblem renders the page that says why an invitation or reset link
// cannot be used.
func (s *Server) linkProblem(c echo.Context, status int, problem invitationProblem) error {
	v := s.view(c, problem.Heading)
	v.Data = problem
	return s.render(c, status, "invitation_problem", v)
}

// invitationFromLink finds a usable invitation or renders the page that
// says why it cannot be used; handled is true when that page was written.
func (s *Server) invitationFromLink(c echo.Context) (inv models.Invitation, org models.Organisation, handled bool, err error) {
	inv, org, err = s.people().Invitation(c.Request().Context(), c.Param("token"))
	var problem invitationProblem
	status := http.StatusGone
	switch {
	case errors.Is(err, models.ErrInvitationUsed):
		problem = invitationProblem{"This invitation has already been used",
			"Each invitation link works once. If you have set your password, sign in with your email address. If not, ask the person who invited you for a new invitation."}
	case errors.Is(err, models.ErrInvitationExpired):
		problem = invitationProblem{"This invitation has expired",
			"Invitation links work for 7 days. Ask the person who invited you to send you a new one."}
	case errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
		problem = invitationProblem{"This invitation link is not recognised",
			"Check you copied the entire link. If it still does not work, ask the person who invited you for a new invitation."}
	default:
		return inv, org, false, err
	}
	return inv, org, true, s.linkProblem(c, status, problem)
}

func (s *Server) acceptInvitationPage(c echo.Context) error {
	inv, org, handled, err := s.invitationFromLink(c)
	if handled || err != nil {
		return err
	}
	return s.renderAccept(c, acceptForm{Name: inv.Name}, acceptData{Invitation: inv, Organisation: org, Token: c.Param("token")}, nil)
}

func (s *Server) renderAccept(c echo.Context, form acceptForm, data acceptData, errs formErrors) error {
	v := s.view(c, "Set up your account")
	v.Form = form
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "accept_invitation", v)
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
	switch {
	case errors.As(err, &fe):
		return s.renderAccept(c, form, acceptData{Invitation: inv, Organisation: org, Token: c.Param("token")}, fe)
	case errors.Is(err, models.ErrInvitationUsed):
		_, _, _, err = s.invitationFromLink(c)
		return err
	case errors.Is(err, models.ErrDuplicate):
		v := s.view(c, "This invitation cannot be used")
		v.Data = invitationProblem{"An account with this email address already exists",
			"Sign in with your email address and password. If you have forgotten your password, choose \"Forgot your password?\" on the sign-in page, or ask your digital lead."}
		return s.render(c, http.StatusConflict, "invitation_problem", v)
	case err != nil:
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.setFlash(c, "Your account is ready. Welcome, "+u.Name+".")
	return redirect(c, "/")
}
