// Package accounts holds the rules about people and their access: who may
// invite whom with which roles, accepting an invitation, password resets
// and changes, roles and activation, the accounts list, the profile, the
// organisations an administrator keeps, and the limits of signing in.
// It knows nothing of HTTP: package handlers reads the forms and renders
// what these operations return. A person's mistakes come back as
// validation.Errors, with the messages the pages show.
package accounts

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Service is what the operations on people and access need.
type Service struct {
	Store *models.Store
	Log   *slog.Logger
	// TokenHash is the keyed hash a token is stored under; NewToken makes
	// a token for a link.
	TokenHash func(token string) string
	NewToken  func() string
	// HashPassword and VerifyPassword hash and check passwords, each in
	// its turn: the hashes are costly.
	HashPassword   func(ctx context.Context, password string) (string, error)
	VerifyPassword func(ctx context.Context, password, encoded string) (bool, error)
	// DummyHash is checked when no account matches, so that a sign-in
	// takes as long whether or not the account exists.
	DummyHash string
	// SSOChoices are the organisations offering single sign-on to an
	// email address's domain.
	SSOChoices func(ctx context.Context, email string) ([]models.SSOChoice, error)
	// BaseURL starts the links people are given.
	BaseURL string
	// Mail says whether the service sends email.
	Mail bool
	// How long the links work: an invitation, a reset link sent by email,
	// and one a lead or the command line made.
	InvitationLifetime  time.Duration
	ResetLifetime       time.Duration
	IssuedResetLifetime time.Duration
}

// Option is one choice of a select or radios on a page.
type Option struct{ Value, Label string }

// Input is what the input rule of package handlers (no NUL byte, only
// UTF-8) found wrong with a form before it reached an operation.
type Input struct {
	// Fields are the problems of the form's own text fields, said with the
	// label the page gives each: reported in place of the field's checks.
	Fields validation.Errors
	// Other are the problems of any other value, reported after the form's
	// own so that such a form is never stored.
	Other validation.Errors
}

// problems collects a form's problems in the order of its fields.
type problems struct {
	in   Input
	errs validation.Errors
}

// check reports field's input-rule problem if it has one, or else what
// rule finds.
func (p *problems) check(field string, rule func() string) {
	if m := p.in.Fields.For(field); m != "" {
		p.errs.Add(field, m)
		return
	}
	if m := rule(); m != "" {
		p.errs.Add(field, m)
	}
}

func (p *problems) err() error { return append(p.errs, p.in.Other...).OrNil() }

// Named refusals that are not a form's problems.
var (
	// ErrOutranked: the account holds a role the person acting does not.
	ErrOutranked = errors.New("accounts: the account outranks the person acting")
	// ErrDeactivated: the account can no longer sign in.
	ErrDeactivated = errors.New("accounts: the account is deactivated")
	// ErrNoSuchAccount: the command line named an address with no account.
	ErrNoSuchAccount = errors.New("no account has this email address")
)

// ManagedOrganisation is the organisation whose accounts me asks about:
// a digital lead's own, whatever they ask; for an admin, the one whose id
// asked names, or their own when it names none. An id that is not a
// number is ErrNotFound, as one that names no organisation.
func (s *Service) ManagedOrganisation(ctx context.Context, me models.User, own models.Organisation, asked string) (models.Organisation, error) {
	if !me.Has(models.RoleAdmin) || asked == "" {
		return own, nil
	}
	id, err := strconv.ParseUint(asked, 10, 64)
	if err != nil {
		return models.Organisation{}, models.ErrNotFound
	}
	return s.Store.OrganisationByID(ctx, uint(id))
}

// AccountFor is the account id if me may manage it: one of their own
// organisation's, or any for an admin. Anything else is ErrNotFound, so
// that other organisations' accounts cannot be discovered.
func (s *Service) AccountFor(ctx context.Context, me models.User, id uint) (models.User, error) {
	if me.Has(models.RoleAdmin) {
		return s.Store.UserByID(ctx, id)
	}
	return s.Store.UserInOrganisation(ctx, me.OrganisationID, id)
}

// The field that carries an error about the roles as a whole.
const (
	rolesField = "roles-" + string(models.RoleStaff)
	// SelfRolesField is the id of the account page's note, in place of the
	// role choices, when the account is the signed-in person's own.
	SelfRolesField = "roles-self"
)

// GrantableRoles are the roles u may give: only an admin may make an admin.
func GrantableRoles(u models.User) []models.Role {
	if u.Has(models.RoleAdmin) {
		return models.AllRoles()
	}
	return []models.Role{models.RoleStaff, models.RoleBoard, models.RoleLead}
}

// RoleChoice is one role's checkbox.
type RoleChoice struct {
	Role     models.Role
	Checked  bool
	Disabled bool
}

// RoleChoices are the checkboxes me sees: the roles they may grant, and
// any other the account holds, shown but not to be changed.
func RoleChoices(me models.User, checked models.Roles) []RoleChoice {
	grantable := GrantableRoles(me)
	var out []RoleChoice
	for _, r := range models.AllRoles() {
		ok := slices.Contains(grantable, r)
		if !ok && !checked.Has(r) {
			continue
		}
		out = append(out, RoleChoice{Role: r, Checked: checked.Has(r), Disabled: !ok})
	}
	return out
}

// Account is one account's page.
type Account struct {
	Account      models.User
	Organisation models.Organisation
	Roles        []RoleChoice
	IsSelf       bool
	// Protected: me may not deactivate this account (an administrator's,
	// for a digital lead).
	Protected bool
}

// Account composes u's page as me sees it, with checked as the roles ticked.
func (s *Service) Account(ctx context.Context, me, u models.User, checked models.Roles) (Account, error) {
	org, err := s.Store.OrganisationByID(ctx, u.OrganisationID)
	if err != nil {
		return Account{}, err
	}
	return Account{Account: u, Organisation: org, Roles: RoleChoices(me, checked), IsSelf: me.ID == u.ID,
		Protected: u.Has(models.RoleAdmin) && !me.Has(models.RoleAdmin)}, nil
}

// ChangeRoles gives u the chosen roles, as far as me may grant them: a role
// me may not grant keeps its current value. Nobody changes their own roles:
// someone else decides what a person may do, so no one can give themselves
// more power or lock their organisation out. On a refusal it returns the
// roles to show ticked.
func (s *Service) ChangeRoles(ctx context.Context, me models.User, u *models.User, chosen models.Roles) (models.Roles, error) {
	var roles models.Roles
	for _, r := range models.AllRoles() {
		grantable := slices.Contains(GrantableRoles(me), r)
		if (grantable && chosen.Has(r)) || (!grantable && u.Has(r)) {
			roles = append(roles, r)
		}
	}
	var errs validation.Errors
	switch {
	case me.ID == u.ID && roles.String() != u.Roles().String():
		errs.Add(SelfRolesField, "You cannot change your own roles. Ask another digital lead or an administrator")
		roles = u.Roles()
	case u.Roles().Outranks(me.Roles()):
		errs.Add(rolesField, "Only an administrator can change an administrator's roles")
		roles = u.Roles()
	case len(roles) == 0:
		errs.Add(rolesField, "Select at least one role")
	}
	if len(errs) > 0 {
		return roles, errs
	}
	return roles, s.Store.SetRoles(ctx, u, roles, me.ID)
}

// SetActive deactivates or reactivates u. Nobody deactivates themselves,
// and only an administrator an administrator.
func (s *Service) SetActive(ctx context.Context, me models.User, u *models.User, active bool) error {
	if me.ID == u.ID && !active {
		return validation.Errors{{Field: "deactivate", Message: "You cannot deactivate your own account"}}
	}
	if u.Has(models.RoleAdmin) && !me.Has(models.RoleAdmin) {
		return validation.Errors{{Field: "deactivate", Message: "Only an administrator can deactivate an administrator's account"}}
	}
	return s.Store.SetActive(ctx, u, active, me.ID)
}

// PageSize is the number of accounts on one page: a national trust has
// 30,000, far too many for one page.
const PageSize = 50

// List is one page of an organisation's accounts.
type List struct {
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
	Columns []Column
}

// Column is a heading of the accounts table.
type Column struct {
	Label string
	Href  string // sorts by this column; "" when it does not sort
	Sort  string // "ascending" or "descending" when the table is sorted by it
}

// ListQuery is what the accounts page was asked for.
type ListQuery struct {
	Search, Sort string
	Page         int
}

// List composes the page of org's accounts me asked for; a page past the
// end is the last one.
func (s *Service) List(ctx context.Context, me models.User, org models.Organisation, q ListQuery) (List, error) {
	l := List{Organisation: org, IsAdmin: me.Has(models.RoleAdmin), OtherOrg: org.ID != me.OrganisationID,
		Search: q.Search, Sort: q.Sort, Page: max(1, q.Page)}
	if _, ok := models.AccountSorts[l.Sort]; !ok {
		l.Sort = "name"
	}
	var err error
	page := func() error {
		l.Users, l.Total, err = s.Store.AccountsPage(ctx, org.ID, models.AccountQuery{Search: l.Search, Sort: l.Sort,
			Offset: (l.Page - 1) * PageSize, Limit: PageSize})
		return err
	}
	if err := page(); err != nil {
		return List{}, err
	}
	l.Pages = max(1, int((l.Total+PageSize-1)/PageSize))
	if l.Page > l.Pages {
		l.Page = l.Pages
		if err := page(); err != nil {
			return List{}, err
		}
	}
	l.First = (l.Page-1)*PageSize + 1
	l.Last = l.First + len(l.Users) - 1
	if l.Page > 1 {
		l.PrevPage = l.link(l.Sort, l.Page-1)
	}
	if l.Page < l.Pages {
		l.NextPage = l.link(l.Sort, l.Page+1)
	}
	for _, col := range []struct{ label, asc, desc string }{
		{"Name", "name", "name-desc"}, {"Email address", "email", "email-desc"}, {"Roles", "", ""},
		{"Status", "status", ""}, {"Last signed in", "signed-in", ""},
	} {
		h := Column{Label: col.label}
		switch {
		case col.asc == "":
		case l.Sort == col.asc && col.desc != "":
			h.Sort, h.Href = "ascending", l.link(col.desc, 1)
		case l.Sort == col.asc:
			h.Sort, h.Href = "ascending", l.link(col.asc, 1)
		case l.Sort == col.desc:
			h.Sort, h.Href = "descending", l.link(col.asc, 1)
		default:
			h.Href = l.link(col.asc, 1)
		}
		l.Columns = append(l.Columns, h)
	}
	if l.Invitations, err = s.Store.PendingInvitations(ctx, org.ID); err != nil {
		return List{}, err
	}
	if l.IsAdmin {
		if l.Organisations, err = s.Store.Organisations(ctx); err != nil {
			return List{}, err
		}
	}
	return l, nil
}

// link is the accounts page sorted by sort at page, keeping the search.
func (l List) link(sort string, page int) string {
	q := url.Values{}
	if l.OtherOrg {
		q.Set("organisation", strconv.FormatUint(uint64(l.Organisation.ID), 10))
	}
	if l.Search != "" {
		q.Set("q", l.Search)
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

// Link is the accounts page of org as me reaches it.
func Link(me models.User, org models.Organisation) string {
	if me.OrganisationID != org.ID {
		return "/accounts?organisation=" + strconv.FormatUint(uint64(org.ID), 10)
	}
	return "/accounts"
}
