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

// linkProblem renders the page that says why an invitation or reset link
// cannot be used: gone, or never made.
func (s *Server) linkProblem(c echo.Context, problem accounts.LinkProblem) error {
	status := http.StatusGone
	if problem.Unknown {
		status = http.StatusNotFound
	}
	v := s.view(c, problem.Heading)
	v.Data = problem
	return s.render(c, status, "invitation_problem", v)
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
	if errors.As(err, &fe) {
		return s.renderAccept(c, form, acceptData{Invitation: inv, Organisation: org, Token: c.Param("token")}, fe)
	}
	if problem, ok := accounts.InvitationProblem(err); ok {
		return s.linkProblem(c, problem)
	}
	if errors.Is(err, models.ErrDuplicate) {
		v := s.view(c, "This invitation cannot be used")
		v.Data = accounts.AccountExists
		return s.render(c, http.StatusConflict, "invitation_problem", v)
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
