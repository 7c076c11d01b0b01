package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/models"
)

type profileData struct {
	StaffGroups  []option
	PayBands     []option
	Email        string
	Roles        string
	MinGroupSize int
}

func (s *Server) profilePage(c echo.Context) error {
	return s.renderProfile(c, accounts.ProfileOf(mustUser(c)), nil)
}

func (s *Server) renderProfile(c echo.Context, form accounts.Profile, errs formErrors) error {
	u := mustUser(c)
	v := s.view(c, "Your profile")
	v.Form = form
	v.Errors = errs
	v.Data = profileData{StaffGroups: stringOptions(models.StaffGroups()), PayBands: stringOptions(models.PayBands()),
		Email: u.Email, Roles: u.Roles().Labels(), MinGroupSize: s.cfg.MinGroupSize}
	return s.renderForm(c, "profile", v)
}

func (s *Server) saveProfile(c echo.Context) error {
	form := accounts.Profile{
		Name:       strings.TrimSpace(c.FormValue("name")),
		StaffGroup: c.FormValue("staff-group"),
		PayBand:    c.FormValue("pay-band"),
		Department: strings.TrimSpace(c.FormValue("department")),
		JobRole:    strings.TrimSpace(c.FormValue("job-role")),
	}
	u := mustUser(c)
	err := s.people().SaveProfile(c.Request().Context(), &u, form,
		ruleInput(c, "name", "your full name", "department", "your department", "job-role", "your job role"))
	if fe := (formErrors{}); errors.As(err, &fe) {
		return s.renderProfile(c, form, fe)
	} else if err != nil {
		return err
	}
	s.setFlash(c, "Your profile has been saved.")
	return redirect(c, "/profile")
}

func (s *Server) passwordPage(c echo.Context) error {
	v := s.view(c, "Change your password")
	v.BackLink = "/profile"
	return s.render(c, http.StatusOK, "password", v)
}

func (s *Server) changePassword(c echo.Context) error {
	v := s.view(c, "Change your password")
	v.BackLink = "/profile"
	// A value that broke the input rule is refused before any check.
	if v.Errors = withInputErrors(c, nil); len(v.Errors) > 0 {
		return s.renderForm(c, "password", v)
	}
	u := mustUser(c)
	keep, _ := c.Get(ctxSessionHash).(string)
	err := s.people().ChangePassword(c.Request().Context(), &u, c.FormValue("current-password"),
		accounts.NewPassword{Password: c.FormValue("password"), Confirm: c.FormValue("confirm-password")}, keep)
	if errors.As(err, &v.Errors) {
		return s.renderForm(c, "password", v)
	} else if err != nil {
		return err
	}
	s.setFlash(c, "Your password has been changed. Any other browser you were signed in on has been signed out.")
	return redirect(c, "/profile")
}
