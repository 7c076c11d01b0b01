package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// managedOrganisation is the organisation whose accounts the request is
// about: a digital lead's own; for an admin, the one named by the
// "organisation" parameter, or their own.
func (s *Server) managedOrganisation(c echo.Context) (models.Organisation, error) {
	u := mustUser(c)
	own, _ := c.Get(ctxOrganisation).(models.Organisation)
	if !u.Has(models.RoleAdmin) {
		return own, nil
	}
	raw := c.QueryParam("organisation")
	if raw == "" {
		raw = c.FormValue("organisation")
	}
	if raw == "" {
		return own, nil
	}
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return models.Organisation{}, echo.ErrNotFound
	}
	return s.store.OrganisationByID(c.Request().Context(), uint(id))
}

// grantableRoles are the roles the signed-in person may give: only an admin
// may make an admin.
func grantableRoles(u models.User) []models.Role {
	if u.Has(models.RoleAdmin) {
		return models.AllRoles()
	}
	return []models.Role{models.RoleStaff, models.RoleBoard, models.RoleLead}
}

type accountsData struct {
	Organisation  models.Organisation
	Organisations []models.Organisation
	Users         []models.User
	Invitations   []models.Invitation
	IsAdmin       bool
	OtherOrg      bool
	// Search and Sort as asked for; Total matching accounts, and the page.
	Search, Sort       string
	Total              int64
	Page, Pages        int
	First, Last        int
	PrevPage, NextPage string
	// Columns are the table's headings, each a link that sorts by it.
	Columns []accountColumn
}

// accountColumn is a heading of the accounts table.
type accountColumn struct {
	Label string
	Href  string // sorts by this column; "" when it does not sort
	Sort  string // "ascending" or "descending" when the table is sorted by it
}

// accountsPageSize is the number of accounts on one page: a national
// trust has 30,000, far too many for one page.
const accountsPageSize = 50

func (s *Server) accounts(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	me := mustUser(c)
	data := accountsData{Organisation: org, IsAdmin: me.Has(models.RoleAdmin), OtherOrg: org.ID != me.OrganisationID,
		Search: strings.TrimSpace(c.QueryParam("q")), Sort: c.QueryParam("sort"), Page: 1}
	if _, ok := models.AccountSorts[data.Sort]; !ok {
		data.Sort = "name"
	}
	if p, err := strconv.Atoi(c.QueryParam("page")); err == nil && p > 1 {
		data.Page = p
	}
	page := func() error {
		data.Users, data.Total, err = s.store.AccountsPage(ctx, org.ID, models.AccountQuery{Search: data.Search, Sort: data.Sort,
			Offset: (data.Page - 1) * accountsPageSize, Limit: accountsPageSize})
		return err
	}
	if err := page(); err != nil {
		return err
	}
	data.Pages = max(1, int((data.Total+accountsPageSize-1)/accountsPageSize))
	if data.Page > data.Pages {
		data.Page = data.Pages
		if err := page(); err != nil {
			return err
		}
	}
	data.First = (data.Page-1)*accountsPageSize + 1
	data.Last = data.First + len(data.Users) - 1
	link := func(sort string, page int) string {
		q := url.Values{}
		if data.OtherOrg {
			q.Set("organisation", strconv.FormatUint(uint64(org.ID), 10))
		}
		if data.Search != "" {
			q.Set("q", data.Search)
		}
		if sort != "name" {
			q.Set("sort", sort)
		}
		if page > 1 {
			q.Set("page", strconv.Itoa(page))
		}
		if len(q) == 0 {
			return "/accounts"
		}
		return "/accounts?" + q.Encode()
	}
	if data.Page > 1 {
		data.PrevPage = link(data.Sort, data.Page-1)
	}
	if data.Page < data.Pages {
		data.NextPage = link(data.Sort, data.Page+1)
	}
	for _, col := range []struct{ label, asc, desc string }{
		{"Name", "name", "name-desc"}, {"Email address", "email", "email-desc"}, {"Roles", "", ""},
		{"Status", "status", ""}, {"Last signed in", "signed-in", ""},
	} {
		h := accountColumn{Label: col.label}
		switch {
		case col.asc == "":
		case data.Sort == col.asc && col.desc != "":
			h.Sort, h.Href = "ascending", link(col.desc, 1)
		case data.Sort == col.asc:
			h.Sort, h.Href = "ascending", link(col.asc, 1)
		case data.Sort == col.desc:
			h.Sort, h.Href = "descending", link(col.asc, 1)
		default:
			h.Href = link(col.asc, 1)
		}
		data.Columns = append(data.Columns, h)
	}
	if data.Invitations, err = s.store.PendingInvitations(ctx, org.ID); err != nil {
		return err
	}
	if data.IsAdmin {
		if data.Organisations, err = s.store.Organisations(ctx); err != nil {
			return err
		}
	}
	v := s.view(c, "Accounts")
	v.Data = data
	return s.render(c, http.StatusOK, "accounts", v)
}

// accountFor loads the account named in the path if the signed-in person
// may manage it: the same organisation, or any for an admin. Anything else
// is "not found", so other organisations' accounts cannot be discovered.
func (s *Server) accountFor(c echo.Context) (models.User, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.User{}, err
	}
	me := mustUser(c)
	ctx := c.Request().Context()
	if me.Has(models.RoleAdmin) {
		return s.store.UserByID(ctx, id)
	}
	return s.store.UserInOrganisation(ctx, me.OrganisationID, id)
}

type accountData struct {
	Account      models.User
	Organisation models.Organisation
	Roles        []roleChoice
	IsSelf       bool
	// Protected: the signed-in person may not deactivate this account
	// (an administrator's, for a digital lead).
	Protected bool
}

type roleChoice struct {
	Role     models.Role
	Checked  bool
	Disabled bool
}

func (s *Server) roleChoices(me models.User, checked models.Roles) []roleChoice {
	grantable := grantableRoles(me)
	var out []roleChoice
	for _, r := range models.AllRoles() {
		ok := slices.Contains(grantable, r)
		if !ok && !checked.Has(r) {
			continue
		}
		out = append(out, roleChoice{Role: r, Checked: checked.Has(r), Disabled: !ok})
	}
	return out
}

func (s *Server) account(c echo.Context) error {
	u, err := s.accountFor(c)
	if err != nil {
		return err
	}
	return s.renderAccount(c, u, u.Roles(), nil)
}

func (s *Server) renderAccount(c echo.Context, u models.User, checked models.Roles, errs formErrors) error {
	org, err := s.store.OrganisationByID(c.Request().Context(), u.OrganisationID)
	if err != nil {
		return err
	}
	me := mustUser(c)
	v := s.view(c, u.Name)
	v.BackLink = accountsLink(me, org)
	v.Errors = errs
	v.Data = accountData{Account: u, Organisation: org, Roles: s.roleChoices(me, checked), IsSelf: me.ID == u.ID,
		Protected: u.Has(models.RoleAdmin) && !me.Has(models.RoleAdmin)}
	return s.renderForm(c, "account", v)
}

func accountsLink(me models.User, org models.Organisation) string {
	if me.OrganisationID != org.ID {
		return "/accounts?organisation=" + strconv.FormatUint(uint64(org.ID), 10)
	}
	return "/accounts"
}

// selfRolesField is the id of the account page's note, in place of the
// role choices, when the account is the signed-in person's own.
const selfRolesField = "roles-self"

func (s *Server) saveRoles(c echo.Context) error {
	u, err := s.accountFor(c)
	if err != nil {
		return err
	}
	me := mustUser(c)
	form, err := c.FormParams()
	if err != nil {
		return echo.ErrBadRequest
	}
	chosen := models.ParseRoles(form["roles"]...)
	// Roles the person may not grant keep their current value.
	var roles models.Roles
	for _, r := range models.AllRoles() {
		grantable := slices.Contains(grantableRoles(me), r)
		if (grantable && chosen.Has(r)) || (!grantable && u.Has(r)) {
			roles = append(roles, r)
		}
	}
	var errs formErrors
	switch {
	case me.ID == u.ID && roles.String() != u.Roles().String():
		// Someone else decides what a person may do, so no one can give
		// themselves more power or lock their organisation out.
		errs.Add(selfRolesField, "You cannot change your own roles. Ask another digital lead or an administrator")
		roles = u.Roles()
	case u.Roles().Outranks(me.Roles()):
		errs.Add("roles-"+string(models.RoleStaff), "Only an administrator can change an administrator's roles")
		roles = u.Roles()
	case len(roles) == 0:
		errs.Add("roles-"+string(models.RoleStaff), "Select at least one role")
	}
	if len(errs) > 0 {
		return s.renderAccount(c, u, roles, errs)
	}
	if err := s.store.SetRoles(c.Request().Context(), &u, roles, me.ID); err != nil {
		return err
	}
	s.setFlash(c, "Roles saved for "+u.Name+".")
	return redirect(c, "/accounts/"+c.Param("id"))
}

func (s *Server) setActive(c echo.Context) error {
	u, err := s.accountFor(c)
	if err != nil {
		return err
	}
	me := mustUser(c)
	active := c.FormValue("active") == "true"
	if me.ID == u.ID && !active {
		return s.renderAccount(c, u, u.Roles(), formErrors{{Field: "deactivate", Message: "You cannot deactivate your own account"}})
	}
	if u.Has(models.RoleAdmin) && !me.Has(models.RoleAdmin) {
		return s.renderAccount(c, u, u.Roles(), formErrors{{Field: "deactivate", Message: "Only an administrator can deactivate an administrator's account"}})
	}
	if err := s.store.SetActive(c.Request().Context(), &u, active, me.ID); err != nil {
		return err
	}
	if active {
		s.setFlash(c, u.Name+" can sign in again.")
	} else {
		s.setFlash(c, u.Name+"'s account is deactivated. They can no longer sign in.")
	}
	return redirect(c, "/accounts/"+c.Param("id"))
}

type inviteForm struct {
	Email        string
	Name         string
	Roles        models.Roles
	Organisation string
}

type inviteData struct {
	Organisation  models.Organisation
	Organisations []option
	Roles         []roleChoice
	IsAdmin       bool
}

func (s *Server) invitePage(c echo.Context) error {
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	form := inviteForm{Roles: models.Roles{models.RoleStaff}, Organisation: strconv.FormatUint(uint64(org.ID), 10)}
	return s.renderInvite(c, org, form, nil)
}

func (s *Server) renderInvite(c echo.Context, org models.Organisation, form inviteForm, errs formErrors) error {
	me := mustUser(c)
	data := inviteData{Organisation: org, Roles: s.roleChoices(me, form.Roles), IsAdmin: me.Has(models.RoleAdmin)}
	if data.IsAdmin {
		orgs, err := s.store.Organisations(c.Request().Context())
		if err != nil {
			return err
		}
		for _, o := range orgs {
			data.Organisations = append(data.Organisations, option{strconv.FormatUint(uint64(o.ID), 10), o.Name + " (" + o.ODSCode + ")"})
		}
	}
	v := s.view(c, "Invite someone")
	v.BackLink = accountsLink(me, org)
	v.Form = form
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "invite", v)
}

type invitationSentData struct {
	Invitation   models.Invitation
	Organisation models.Organisation
	Link         string
}

func (s *Server) invite(c echo.Context) error {
	ctx := c.Request().Context()
	me := mustUser(c)
	params, err := c.FormParams()
	if err != nil {
		return echo.ErrBadRequest
	}
	form := inviteForm{
		Email:        strings.TrimSpace(c.FormValue("email")),
		Name:         strings.TrimSpace(c.FormValue("name")),
		Roles:        models.ParseRoles(params["roles"]...),
		Organisation: c.FormValue("organisation"),
	}
	org, err := s.managedOrganisation(c)
	if errors.Is(err, models.ErrNotFound) || errors.Is(err, echo.ErrNotFound) {
		org, _ = c.Get(ctxOrganisation).(models.Organisation)
		return s.renderInvite(c, org, form, formErrors{{Field: "organisation", Message: "Select an organisation"}})
	}
	if err != nil {
		return err
	}
	var errs formErrors
	if p := textRule(c, "email", "email address"); p != "" {
		errs.Add("email", p)
	} else if p := validation.EmailProblem(form.Email); p != "" {
		errs.Add("email", p)
	} else if taken, err := s.store.UserByEmail(ctx, form.Email); err == nil {
		// Only what concerns an organisation the inviter manages is said:
		// an account elsewhere is invited like a new address, and the
		// person who owns it learns, on accepting, that they have one.
		switch {
		case taken.OrganisationID == org.ID:
			errs.Add("email", "This person already has an account in "+org.Name)
		case me.Has(models.RoleAdmin):
			errs.Add("email", "An account with this email address already exists in another organisation")
		}
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if p := textFieldProblem(c, "name", form.Name, "their name", false, validation.MaxNameLength); p != "" {
		errs.Add("name", p)
	}
	allowed := true
	for _, r := range form.Roles {
		allowed = allowed && slices.Contains(grantableRoles(me), r)
	}
	if len(form.Roles) == 0 {
		errs.Add("roles-"+string(models.RoleStaff), "Select at least one role")
	} else if !allowed {
		errs.Add("roles-"+string(models.RoleStaff), "You cannot give the administrator role")
	}
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		return s.renderInvite(c, org, form, errs)
	}

	token := newToken()
	inv := models.Invitation{
		OrganisationID: org.ID, Email: form.Email, Name: form.Name, RoleCodes: form.Roles.String(),
		TokenHash: s.tokenHash(token), InvitedByID: &me.ID, ExpiresAt: time.Now().Add(s.cfg.InvitationLifetime).UTC(),
	}
	if err := s.store.CreateInvitation(ctx, &inv, me.ID); err != nil {
		return err
	}
	// The link is shown once, on this response, and never stored.
	v := s.view(c, "Invitation created")
	v.BackLink = accountsLink(me, org)
	v.Data = invitationSentData{Invitation: inv, Organisation: org, Link: s.cfg.BaseURL + "/invitations/" + token}
	return s.render(c, http.StatusOK, "invitation_sent", v)
}
