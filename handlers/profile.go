package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

type profileForm struct {
	Name       string
	StaffGroup string
	PayBand    string
	Department string
	JobRole    string
}

type profileData struct {
	StaffGroups  []option
	PayBands     []option
	Email        string
	Roles        string
	MinGroupSize int
}

func (s *Server) profilePage(c echo.Context) error {
	u := mustUser(c)
	form := profileForm{Name: u.Name, StaffGroup: u.StaffGroup, PayBand: u.PayBand, Department: u.Department, JobRole: u.JobRole}
	return s.renderProfile(c, form, nil)
}

func (s *Server) renderProfile(c echo.Context, form profileForm, errs formErrors) error {
	u := mustUser(c)
	v := s.view(c, "Your profile")
	v.Form = form
	v.Errors = errs
	v.Data = profileData{StaffGroups: stringOptions(models.StaffGroups()), PayBands: stringOptions(models.PayBands()),
		Email: u.Email, Roles: u.Roles().Labels(), MinGroupSize: s.cfg.MinGroupSize}
	return s.renderForm(c, "profile", v)
}

func (s *Server) saveProfile(c echo.Context) error {
	form := profileForm{
		Name:       strings.TrimSpace(c.FormValue("name")),
		StaffGroup: c.FormValue("staff-group"),
		PayBand:    c.FormValue("pay-band"),
		Department: strings.TrimSpace(c.FormValue("department")),
		JobRole:    strings.TrimSpace(c.FormValue("job-role")),
	}
	var errs formErrors
	if p := textFieldProblem(c, "name", form.Name, "your full name", true, validation.MaxNameLength); p != "" {
		errs.Add("name", p)
	}
	if form.StaffGroup != "" && !slices.Contains(models.StaffGroups(), form.StaffGroup) {
		errs.Add("staff-group", "Select your staff group from the list")
	}
	if form.PayBand != "" && !slices.Contains(models.PayBands(), form.PayBand) {
		errs.Add("pay-band", "Select your pay band from the list")
	}
	if p := textFieldProblem(c, "department", form.Department, "your department", false, validation.MaxTextLength); p != "" {
		errs.Add("department", p)
	}
	if p := textFieldProblem(c, "job-role", form.JobRole, "your job role", false, validation.MaxTextLength); p != "" {
		errs.Add("job-role", p)
	}
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		return s.renderProfile(c, form, errs)
	}
	u := mustUser(c)
	u.Name, u.StaffGroup, u.PayBand, u.Department, u.JobRole = form.Name, form.StaffGroup, form.PayBand, form.Department, form.JobRole
	if err := s.store.UpdateProfile(c.Request().Context(), &u); err != nil {
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
	u := mustUser(c)
	current, password, confirm := c.FormValue("current-password"), c.FormValue("password"), c.FormValue("confirm-password")
	errs := withInputErrors(c, nil)
	if len(errs) > 0 {
		v := s.view(c, "Change your password")
		v.BackLink = "/profile"
		v.Errors = errs
		return s.renderForm(c, "password", v)
	}
	ok, err := s.verifyPassword(c.Request().Context(), current, u.PasswordHash)
	if err != nil && (u.PasswordHash != "" || !errors.Is(err, models.ErrBadHash)) {
		return err
	}
	if current == "" {
		errs.Add("current-password", "Enter your current password")
	} else if !ok {
		errs.Add("current-password", "Your current password is not correct")
	}
	if p := validation.PasswordProblem(password, u.Email); p != "" {
		errs.Add("password", p)
	} else if confirm != password {
		errs.Add("confirm-password", "The passwords do not match. Enter the same password twice")
	}
	if len(errs) > 0 {
		v := s.view(c, "Change your password")
		v.BackLink = "/profile"
		v.Errors = errs
		return s.renderForm(c, "password", v)
	}
	hash, err := s.hashPassword(c.Request().Context(), password)
	if err != nil {
		return err
	}
	keep, _ := c.Get(ctxSessionHash).(string)
	if err := s.store.SetPasswordHash(c.Request().Context(), &u, hash, keep); err != nil {
		return err
	}
	s.setFlash(c, "Your password has been changed. Any other browser you were signed in on has been signed out.")
	return redirect(c, "/profile")
}
