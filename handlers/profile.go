package handlers

import (
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
	return s.renderPage(c, "profile", page{Title: "Your profile", Form: form, Errors: errs,
		Data: profileData{StaffGroups: stringOptions(models.StaffGroups()), PayBands: stringOptions(models.PayBands()),
			Email: u.Email, Roles: u.Roles().Labels(), MinGroupSize: s.cfg.MinGroupSize}})
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
	return s.saved(c, err, func(fe formErrors) error { return s.renderProfile(c, form, fe) }, "Your profile has been saved.", "/profile")
}

func (s *Server) passwordPage(c echo.Context) error { return s.renderPassword(c, nil) }

func (s *Server) renderPassword(c echo.Context, errs formErrors) error {
	return s.renderPage(c, "password", page{Title: "Change your password", BackLink: "/profile", Errors: errs})
}

func (s *Server) changePassword(c echo.Context) error {
	// A value that broke the input rule is refused before any check.
	if errs := withInputErrors(c, nil); len(errs) > 0 {
		return s.renderPassword(c, errs)
	}
	u := mustUser(c)
	keep, _ := c.Get(ctxSessionHash).(string)
	err := s.people().ChangePassword(c.Request().Context(), &u, c.FormValue("current-password"),
		accounts.NewPassword{Password: c.FormValue("password"), Confirm: c.FormValue("confirm-password")}, keep)
	return s.saved(c, err, func(fe formErrors) error { return s.renderPassword(c, fe) },
		"Your password has been changed. Any other browser you were signed in on has been signed out.", "/profile")
}
