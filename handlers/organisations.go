package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

func (s *Server) organisations(c echo.Context) error {
	list, err := s.people().Organisations(c.Request().Context())
	if err != nil {
		return err
	}
	v := s.view(c, "Organisations")
	v.Data = list
	return s.render(c, http.StatusOK, "organisations", v)
}

func (s *Server) newOrganisationPage(c echo.Context) error {
	return s.renderOrganisationForm(c, accounts.OrganisationForm{}, nil)
}

func (s *Server) editOrganisationPage(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	return s.renderOrganisationForm(c, accounts.OrganisationFormOf(o), nil)
}

func (s *Server) organisationParam(c echo.Context) (models.Organisation, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.Organisation{}, err
	}
	return s.store.OrganisationByID(c.Request().Context(), id)
}

func (s *Server) renderOrganisationForm(c echo.Context, form accounts.OrganisationForm, errs formErrors) error {
	data, err := s.people().OrganisationChoices(c.Request().Context(), form)
	if err != nil {
		return err
	}
	title := "Add an organisation"
	if !data.New {
		title = "Change " + form.Name
	}
	return s.renderPage(c, "organisation_form", page{Title: title, BackLink: "/admin/organisations", Form: form, Errors: errs, Data: data})
}

// saveOrganisation creates (id 0) or saves an organisation from the form;
// ok is false when the form was shown again with its problems.
func (s *Server) saveOrganisation(c echo.Context, id uint) (o models.Organisation, ok bool, err error) {
	form := accounts.OrganisationForm{
		ID:       id,
		Name:     strings.TrimSpace(c.FormValue("name")),
		ODSCode:  validation.NormaliseODSCode(c.FormValue("ods-code")),
		Kind:     c.FormValue("kind"),
		ParentID: c.FormValue("parent"),
	}
	o, err = s.people().SaveOrganisation(c.Request().Context(), form,
		ruleInput(c, "name", "the organisation's name", "ods-code", "the ODS code"), mustUser(c).ID)
	if fe := (formErrors{}); errors.As(err, &fe) {
		return o, false, s.renderOrganisationForm(c, form, fe)
	}
	return o, err == nil, err
}

func (s *Server) createOrganisation(c echo.Context) error {
	o, ok, err := s.saveOrganisation(c, 0)
	if !ok || err != nil {
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
	o, ok, err := s.saveOrganisation(c, o.ID)
	if !ok || err != nil {
		return err
	}
	s.setFlash(c, o.Name+" has been saved.")
	return redirect(c, "/admin/organisations")
}
