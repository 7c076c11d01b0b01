package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

type organisationsData struct {
	Organisations []models.Organisation
	Parents       map[uint]string
}

func (s *Server) organisations(c echo.Context) error {
	list, err := s.store.Organisations(c.Request().Context())
	if err != nil {
		return err
	}
	parents := map[uint]string{}
	for _, o := range list {
		parents[o.ID] = o.Name
	}
	v := s.view(c, "Organisations")
	v.Data = organisationsData{Organisations: list, Parents: parents}
	return s.render(c, http.StatusOK, "organisations", v)
}

type organisationForm struct {
	ID       uint
	Name     string
	ODSCode  string
	Kind     string
	ParentID string
}

type organisationFormData struct {
	Kinds   []option
	Parents []option
	New     bool
}

func (s *Server) newOrganisationPage(c echo.Context) error {
	return s.renderOrganisationForm(c, organisationForm{}, nil)
}

func (s *Server) editOrganisationPage(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	form := organisationForm{ID: o.ID, Name: o.Name, ODSCode: o.ODSCode, Kind: o.Kind}
	if o.ParentID != nil {
		form.ParentID = strconv.FormatUint(uint64(*o.ParentID), 10)
	}
	return s.renderOrganisationForm(c, form, nil)
}

func (s *Server) organisationParam(c echo.Context) (models.Organisation, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.Organisation{}, err
	}
	return s.store.OrganisationByID(c.Request().Context(), id)
}

func (s *Server) renderOrganisationForm(c echo.Context, form organisationForm, errs formErrors) error {
	icbs, err := s.store.IntegratedCareBoards(c.Request().Context())
	if err != nil {
		return err
	}
	data := organisationFormData{New: form.ID == 0}
	for _, k := range models.OrganisationKinds() {
		data.Kinds = append(data.Kinds, option{k.Code, k.Label})
	}
	for _, o := range icbs {
		if o.ID != form.ID {
			data.Parents = append(data.Parents, option{strconv.FormatUint(uint64(o.ID), 10), o.Name})
		}
	}
	title := "Add an organisation"
	if !data.New {
		title = "Change " + form.Name
	}
	v := s.view(c, title)
	v.BackLink = "/admin/organisations"
	v.Form = form
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "organisation_form", v)
}

// readOrganisationForm binds and validates the form; parent is the chosen
// integrated care board, if any.
func (s *Server) readOrganisationForm(c echo.Context, id uint) (organisationForm, *uint, formErrors, error) {
	form := organisationForm{
		ID:       id,
		Name:     strings.TrimSpace(c.FormValue("name")),
		ODSCode:  validation.NormaliseODSCode(c.FormValue("ods-code")),
		Kind:     c.FormValue("kind"),
		ParentID: c.FormValue("parent"),
	}
	var errs formErrors
	if p := textFieldProblem(c, "name", form.Name, "the organisation's name", true, 200); p != "" {
		errs.Add("name", p)
	}
	if p := textRule(c, "ods-code", "the ODS code"); p != "" {
		errs.Add("ods-code", p)
	} else if p := validation.ODSCodeProblem(form.ODSCode); p != "" {
		errs.Add("ods-code", p)
	} else if other, err := s.store.OrganisationByODSCode(c.Request().Context(), form.ODSCode); err == nil && other.ID != id {
		errs.Add("ods-code", "Another organisation already has this ODS code: "+other.Name)
	} else if err != nil && !errors.Is(err, models.ErrNotFound) {
		return form, nil, nil, err
	}
	if models.OrganisationKindLabel(form.Kind) == form.Kind {
		errs.Add("kind", "Select the kind of organisation")
	}
	var parent *uint
	if form.ParentID != "" {
		pid, err := strconv.ParseUint(form.ParentID, 10, 64)
		p, lookupErr := s.store.OrganisationByID(c.Request().Context(), uint(pid))
		switch {
		case err != nil || errors.Is(lookupErr, models.ErrNotFound) || !p.IsICB() || p.ID == id:
			errs.Add("parent", "Select an integrated care board from the list")
		case lookupErr != nil:
			return form, nil, nil, lookupErr
		default:
			parent = &p.ID
		}
		if form.Kind == models.KindICB && parent != nil {
			errs.Add("parent", "An integrated care board cannot have a parent integrated care board")
		}
	}
	return form, parent, withInputErrors(c, errs), nil
}

func (s *Server) createOrganisation(c echo.Context) error {
	form, parent, errs, err := s.readOrganisationForm(c, 0)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.renderOrganisationForm(c, form, errs)
	}
	o := models.Organisation{Name: form.Name, ODSCode: form.ODSCode, Kind: form.Kind, ParentID: parent}
	err = s.store.CreateOrganisation(c.Request().Context(), &o, mustUser(c).ID)
	if errors.Is(err, models.ErrDuplicate) {
		return s.renderOrganisationForm(c, form, formErrors{{Field: "ods-code", Message: "Another organisation already has this ODS code"}})
	}
	if err != nil {
		return err
	}
	s.setFlash(c, o.Name+" has been added. Invite its digital lead next.")
	return redirect(c, "/accounts?organisation="+strconv.FormatUint(uint64(o.ID), 10))
}

func (s *Server) updateOrganisation(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	form, parent, errs, err := s.readOrganisationForm(c, o.ID)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.renderOrganisationForm(c, form, errs)
	}
	o.Name, o.ODSCode, o.Kind, o.ParentID = form.Name, form.ODSCode, form.Kind, parent
	err = s.store.UpdateOrganisation(c.Request().Context(), &o, mustUser(c).ID)
	if errors.Is(err, models.ErrDuplicate) {
		return s.renderOrganisationForm(c, form, formErrors{{Field: "ods-code", Message: "Another organisation already has this ODS code"}})
	}
	if err != nil {
		return err
	}
	s.setFlash(c, o.Name+" has been saved.")
	return redirect(c, "/admin/organisations")
}
