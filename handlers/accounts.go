package handlers

import (
	"errors"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/models"
)

// people is the accounts service with this server's settings.
func (s *Server) people() *accounts.Service {
	return &accounts.Service{Store: s.store, Log: s.log, TokenHash: s.tokenHash, NewToken: newToken,
		HashPassword: s.hashPassword, VerifyPassword: s.verifyPassword, DummyHash: s.dummyHash, SSOChoices: s.ssoAccounts().Choices,
		BaseURL: s.cfg.BaseURL, Mail: s.cfg.Mail, InvitationLifetime: s.cfg.InvitationLifetime,
		ResetLifetime: s.cfg.ResetLifetime, IssuedResetLifetime: s.cfg.IssuedResetLifetime}
}

// ruleInput is what the input rule found in a field form: the problem of
// each named field, said with its label (field, label pairs), then the rest.
func ruleInput(c echo.Context, fieldLabels ...string) accounts.Input {
	var in accounts.Input
	for i := 0; i+1 < len(fieldLabels); i += 2 {
		if p := textRule(c, fieldLabels[i], fieldLabels[i+1]); p != "" {
			in.Fields.Add(fieldLabels[i], p)
		}
	}
	in.Other = withInputErrors(c, nil)
	return in
}

// managedOrganisation is the organisation whose accounts the request is
// about (accounts.ManagedOrganisation), named by the "organisation"
// parameter.
func (s *Server) managedOrganisation(c echo.Context) (models.Organisation, error) {
	own, _ := c.Get(ctxOrganisation).(models.Organisation)
	asked := c.QueryParam("organisation")
	if asked == "" {
		asked = c.FormValue("organisation")
	}
	return s.people().ManagedOrganisation(c.Request().Context(), mustUser(c), own, asked)
}

func (s *Server) accounts(c echo.Context) error {
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	q := accounts.ListQuery{Search: strings.TrimSpace(c.QueryParam("q")), Sort: c.QueryParam("sort")}
	q.Page, _ = strconv.Atoi(c.QueryParam("page"))
	list, err := s.people().List(c.Request().Context(), mustUser(c), org, q)
	if err != nil {
		return err
	}
	return s.renderPage(c, "accounts", page{Title: "Accounts", Data: list})
}

// accountFor loads the account named in the path if the signed-in person
// may manage it (accounts.AccountFor).
func (s *Server) accountFor(c echo.Context) (models.User, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.User{}, err
	}
	return s.people().AccountFor(c.Request().Context(), mustUser(c), id)
}

func (s *Server) account(c echo.Context) error {
	u, err := s.accountFor(c)
	if err != nil {
		return err
	}
	return s.renderAccount(c, u, u.Roles(), nil)
}

func (s *Server) renderAccount(c echo.Context, u models.User, checked models.Roles, errs formErrors) error {
	me := mustUser(c)
	data, err := s.people().Account(c.Request().Context(), me, u, checked)
	if err != nil {
		return err
	}
	return s.renderPage(c, "account", page{Title: u.Name, BackLink: accounts.Link(me, data.Organisation), Errors: errs, Data: data})
}

func (s *Server) saveRoles(c echo.Context) error {
	u, err := s.accountFor(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.ErrBadRequest
	}
	roles, err := s.people().ChangeRoles(c.Request().Context(), mustUser(c), &u, models.ParseRoles(form["roles"]...))
	return s.saved(c, err, func(fe formErrors) error { return s.renderAccount(c, u, roles, fe) },
		"Roles saved for "+u.Name+".", "/accounts/"+c.Param("id"))
}

func (s *Server) setActive(c echo.Context) error {
	u, err := s.accountFor(c)
	if err != nil {
		return err
	}
	active := c.FormValue("active") == "true"
	err = s.people().SetActive(c.Request().Context(), mustUser(c), &u, active)
	flash := u.Name + "'s account is deactivated. They can no longer sign in."
	if active {
		flash = u.Name + " can sign in again."
	}
	return s.saved(c, err, func(fe formErrors) error { return s.renderAccount(c, u, u.Roles(), fe) }, flash, "/accounts/"+c.Param("id"))
}

func (s *Server) invitePage(c echo.Context) error {
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	form := accounts.InviteForm{Roles: models.Roles{models.RoleStaff}, Organisation: strconv.FormatUint(uint64(org.ID), 10)}
	return s.renderInvite(c, org, form, nil)
}

func (s *Server) renderInvite(c echo.Context, org models.Organisation, form accounts.InviteForm, errs formErrors) error {
	me := mustUser(c)
	data, err := s.people().InvitePage(c.Request().Context(), me, org, form)
	if err != nil {
		return err
	}
	return s.renderPage(c, "invite", page{Title: "Invite someone", BackLink: accounts.Link(me, org), Form: form, Errors: errs, Data: data})
}

func (s *Server) invite(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return echo.ErrBadRequest
	}
	form := accounts.InviteForm{
		Email:        strings.TrimSpace(c.FormValue("email")),
		Name:         strings.TrimSpace(c.FormValue("name")),
		Roles:        models.ParseRoles(params["roles"]...),
		Organisation: c.FormValue("organisation"),
	}
	org, err := s.managedOrganisation(c)
	if errors.Is(err, models.ErrNotFound) {
		org, _ = c.Get(ctxOrganisation).(models.Organisation)
		return s.renderInvite(c, org, form, formErrors{{Field: "organisation", Message: "Select an organisation"}})
	}
	if err != nil {
		return err
	}
	sent, err := s.people().Invite(c.Request().Context(), mustUser(c), org, form,
		ruleInput(c, "email", "email address", "name", "their name"))
	if fe := (formErrors{}); errors.As(err, &fe) {
		return s.renderInvite(c, org, form, fe)
	} else if err != nil {
		return err
	}
	// The link is shown once, on this response, and never stored.
	return s.renderPage(c, "invitation_sent", page{Title: "Invitation created", BackLink: accounts.Link(mustUser(c), org), Data: sent})
}
