package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/validation"
)

// fixture is a store with one trust, its digital lead and a member of
// staff, and the service over it with cheap stand-ins for the hashes.
type fixture struct {
	ctx    context.Context
	store  *models.Store
	people *accounts.Service
	org    models.Organisation
	lead   models.User
	staff  models.User
	tokens []string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), store: testdb.Open(t)}
	f.org = f.organisation(t, "Riverside Trust", "RVT", models.KindAcute)
	f.lead = f.user(t, f.org, "lead@riverside.nhs.uk", "pass-word-lead-1", models.RoleLead, models.RoleStaff)
	f.staff = f.user(t, f.org, "sam@riverside.nhs.uk", "", models.RoleStaff)
	n := 0
	f.people = &accounts.Service{Store: f.store, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		TokenHash: func(token string) string { return "hash:" + token },
		NewToken: func() string {
			n++
			token := fmt.Sprintf("token-%d", n)
			f.tokens = append(f.tokens, token)
			return token
		},
		HashPassword: func(_ context.Context, pw string) (string, error) { return "pw:" + pw, nil },
		VerifyPassword: func(_ context.Context, pw, encoded string) (bool, error) {
			return encoded != "" && encoded == "pw:"+pw, nil
		},
		DummyHash:  "pw:dummy",
		SSOChoices: func(context.Context, string) ([]models.SSOChoice, error) { return nil, nil },
		BaseURL:    "https://service.test", Mail: true,
		InvitationLifetime: time.Hour, ResetLifetime: time.Hour, IssuedResetLifetime: 24 * time.Hour}
	return f
}

func (f *fixture) organisation(t *testing.T, name, ods, kind string) models.Organisation {
	t.Helper()
	return testdb.OrganisationOfKind(t, f.store, name, ods, kind)
}

func (f *fixture) user(t *testing.T, org models.Organisation, email, password string, roles ...models.Role) models.User {
	t.Helper()
	u := models.User{OrganisationID: org.ID, Email: email, Name: strings.Split(email, "@")[0], RoleCodes: models.Roles(roles).String(), Active: true}
	if password != "" {
		u.PasswordHash = "pw:" + password
	}
	if err := f.store.CreateUser(f.ctx, &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// formErrors is err as a form's problems, failing the test when it is not.
func formErrors(t *testing.T, err error) validation.Errors {
	t.Helper()
	var fe validation.Errors
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want the form's problems", err)
	}
	return fe
}

func TestInviteChecksWhatALeadMayDo(t *testing.T) {
	f := newFixture(t)
	form := accounts.InviteForm{Email: "sam@riverside.nhs.uk", Roles: models.Roles{models.RoleAdmin}}
	_, err := f.people.Invite(f.ctx, f.lead, f.org, form, accounts.Input{})
	fe := formErrors(t, err)
	if got := fe.For("email"); got != "This person already has an account in Riverside Trust" {
		t.Errorf("email: %q", got)
	}
	if got := fe.For("roles-staff"); got != "You cannot give the administrator role" {
		t.Errorf("roles: %q", got)
	}

	form = accounts.InviteForm{Email: "New.Person@riverside.nhs.uk", Name: "New Person", Roles: models.Roles{models.RoleStaff, models.RoleBoard}}
	sent, err := f.people.Invite(f.ctx, f.lead, f.org, form, accounts.Input{})
	if err != nil {
		t.Fatal(err)
	}
	token := f.tokens[len(f.tokens)-1]
	if sent.Link != "https://service.test/invitations/"+token {
		t.Errorf("link %q", sent.Link)
	}
	inv, org, err := f.people.Invitation(f.ctx, token)
	if err != nil || org.ID != f.org.ID || inv.Email != "new.person@riverside.nhs.uk" {
		t.Fatalf("invitation %+v in %d: %v", inv, org.ID, err)
	}
	if _, _, err := f.people.Invitation(f.ctx, "no-such-token"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("unknown link: %v", err)
	}
}

func TestInputRuleProblemsComeFirstAndLast(t *testing.T) {
	f := newFixture(t)
	in := accounts.Input{
		Fields: validation.Errors{{Field: "email", Message: "Email address must not contain the null character"}},
		Other:  validation.Errors{{Field: "extra", Message: "This answer must not contain the null character"}},
	}
	_, err := f.people.Invite(f.ctx, f.lead, f.org, accounts.InviteForm{Email: "not-an-address", Roles: models.Roles{models.RoleStaff}}, in)
	fe := formErrors(t, err)
	want := validation.Errors{in.Fields[0], in.Other[0]}
	if fmt.Sprint(fe) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", fe, want)
	}
}

func TestAcceptThenSignIn(t *testing.T) {
	f := newFixture(t)
	if _, err := f.people.Invite(f.ctx, f.lead, f.org, accounts.InviteForm{Email: "amy@riverside.nhs.uk", Roles: models.Roles{models.RoleStaff}}, accounts.Input{}); err != nil {
		t.Fatal(err)
	}
	inv, _, err := f.people.Invitation(f.ctx, f.tokens[len(f.tokens)-1])
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.people.Accept(f.ctx, inv, "Amy Jones", accounts.NewPassword{Password: "correct horse battery", Confirm: "correct horse batery"}, accounts.Input{})
	if got := formErrors(t, err).For("confirm-password"); got != "The passwords do not match. Enter the same password twice" {
		t.Errorf("confirm: %q", got)
	}
	u, err := f.people.Accept(f.ctx, inv, "Amy Jones", accounts.NewPassword{Password: "correct horse battery", Confirm: "correct horse battery"}, accounts.Input{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.people.Accept(f.ctx, inv, "Amy Jones", accounts.NewPassword{Password: "correct horse battery", Confirm: "correct horse battery"}, accounts.Input{}); !errors.Is(err, models.ErrInvitationUsed) {
		t.Errorf("second acceptance: %v", err)
	}

	signIn := func(password, client string) (models.User, error) {
		return f.people.SignIn(f.ctx, accounts.SignInForm{Email: "AMY@riverside.nhs.uk", Password: password, Client: client}, accounts.Input{})
	}
	if got, err := signIn("correct horse battery", "10.0.0.1"); err != nil || got.ID != u.ID {
		t.Fatalf("sign-in: %v, %v", got.ID, err)
	}
	_, err = f.people.SignIn(f.ctx, accounts.SignInForm{Client: "10.0.0.1"}, accounts.Input{})
	if fe := formErrors(t, err); fe.For("email") != "Enter your email address" || fe.For("password") != "Enter your password" {
		t.Errorf("empty form: %v", fe)
	}
	for range accounts.MaxFailuresPerEmail {
		if _, err := signIn("wrong password", "10.0.0.2"); !errors.Is(err, accounts.ErrWrongPassword) {
			t.Fatalf("wrong password: %v", err)
		}
	}
	if _, err := signIn("correct horse battery", "10.0.0.3"); !errors.Is(err, accounts.ErrLocked) {
		t.Errorf("after %d failures: %v, want ErrLocked", accounts.MaxFailuresPerEmail, err)
	}
}

func TestSignInOffersSingleSignOnWithoutAPassword(t *testing.T) {
	f := newFixture(t)
	choice := models.SSOChoice{OrganisationName: "Riverside Trust", Settings: models.SSOSettings{OrganisationID: f.org.ID, Enabled: true, SSOOnly: true}}
	f.people.SSOChoices = func(context.Context, string) ([]models.SSOChoice, error) { return []models.SSOChoice{choice}, nil }
	var offer *accounts.SSOOffer
	if _, err := f.people.SignIn(f.ctx, accounts.SignInForm{Email: "nobody@riverside.nhs.uk"}, accounts.Input{}); !errors.As(err, &offer) || len(offer.Choices) != 1 {
		t.Fatalf("no password: %v, want the offer", err)
	}
	// An address with no account is refused by its domain's settings.
	var only *accounts.SSOOnlyError
	if _, err := f.people.SignIn(f.ctx, accounts.SignInForm{Email: "nobody@riverside.nhs.uk", Password: "anything at all"}, accounts.Input{}); !errors.As(err, &only) {
		t.Fatalf("password for a single-sign-on-only domain: %v", err)
	}
	if got := only.Message(); got != "Riverside Trust uses single sign-on only: sign in with your organisation's account below, not a password" {
		t.Errorf("message %q", got)
	}
}

func TestRolesAndActivation(t *testing.T) {
	f := newFixture(t)
	admin := f.user(t, f.org, "admin@riverside.nhs.uk", "", models.RoleAdmin)

	me := f.lead
	if _, err := f.people.ChangeRoles(f.ctx, f.lead, &me, models.Roles{models.RoleStaff}); !formErrors(t, err).Has(accounts.SelfRolesField) {
		t.Errorf("own roles: %v", err)
	}
	if _, err := f.people.ChangeRoles(f.ctx, f.lead, &admin, models.Roles{models.RoleStaff}); formErrors(t, err).For("roles-staff") != "Only an administrator can change an administrator's roles" {
		t.Errorf("an admin's roles: %v", err)
	}
	staff := f.staff
	if _, err := f.people.ChangeRoles(f.ctx, f.lead, &staff, nil); formErrors(t, err).For("roles-staff") != "Select at least one role" {
		t.Errorf("no roles: %v", err)
	}
	// The admin role cannot be granted by a lead, so it is not given.
	if _, err := f.people.ChangeRoles(f.ctx, f.lead, &staff, models.Roles{models.RoleBoard, models.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	saved, err := f.store.UserByID(f.ctx, staff.ID)
	if want := (models.Roles{models.RoleBoard}).String(); err != nil || saved.RoleCodes != want {
		t.Errorf("saved roles %q: %v", saved.RoleCodes, err)
	}

	if err := f.people.SetActive(f.ctx, f.lead, &me, false); formErrors(t, err).For("deactivate") != "You cannot deactivate your own account" {
		t.Errorf("deactivate self: %v", err)
	}
	if err := f.people.SetActive(f.ctx, f.lead, &admin, false); formErrors(t, err).For("deactivate") != "Only an administrator can deactivate an administrator's account" {
		t.Errorf("deactivate an admin: %v", err)
	}
	if _, err := f.people.IssueResetLink(f.ctx, f.lead, admin); !errors.Is(err, accounts.ErrOutranked) {
		t.Errorf("reset link for an admin: %v", err)
	}
	if err := f.people.SetActive(f.ctx, f.lead, &staff, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.people.IssueResetLink(f.ctx, f.lead, staff); !formErrors(t, err).Has("reset-link") {
		t.Errorf("reset link for a deactivated account: %v", err)
	}
	if _, err := f.people.AccountFor(f.ctx, f.lead, admin.ID); err != nil {
		t.Errorf("own organisation's account: %v", err)
	}
	other := f.user(t, f.organisation(t, "Hilltop Trust", "HLT", models.KindAcute), "x@hilltop.nhs.uk", "", models.RoleStaff)
	if _, err := f.people.AccountFor(f.ctx, f.lead, other.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another organisation's account: %v", err)
	}
}

func TestListPagesAndSorts(t *testing.T) {
	f := newFixture(t)
	for i := range accounts.PageSize {
		f.user(t, f.org, fmt.Sprintf("person%02d@riverside.nhs.uk", i), "", models.RoleStaff)
	}
	total := int64(accounts.PageSize + 2)
	l, err := f.people.List(f.ctx, f.lead, f.org, accounts.ListQuery{Search: "", Sort: "unknown", Page: 9})
	if err != nil {
		t.Fatal(err)
	}
	if l.Sort != "name" || l.Total != total || l.Page != 2 || l.Pages != 2 || len(l.Users) != 2 || l.First != accounts.PageSize+1 || l.Last != int(total) {
		t.Errorf("page past the end: sort %q, total %d, page %d of %d, %d users, %d to %d", l.Sort, l.Total, l.Page, l.Pages, len(l.Users), l.First, l.Last)
	}
	if l.PrevPage != "/accounts" || l.NextPage != "" {
		t.Errorf("links %q %q", l.PrevPage, l.NextPage)
	}
	if c := l.Columns[0]; c.Label != "Name" || c.Sort != "ascending" || c.Href != "/accounts?sort=name-desc" {
		t.Errorf("name column %+v", c)
	}
	if c := l.Columns[2]; c.Href != "" {
		t.Errorf("roles column sorts: %+v", c)
	}
	l, err = f.people.List(f.ctx, f.lead, f.org, accounts.ListQuery{Search: "person0", Sort: "email-desc"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Total != 10 || l.Users[0].Email != "person09@riverside.nhs.uk" || l.Columns[1].Sort != "descending" || l.Columns[1].Href != "/accounts?q=person0&sort=email" {
		t.Errorf("search: total %d, first %s, email column %+v", l.Total, l.Users[0].Email, l.Columns[1])
	}
}

func TestResetLinks(t *testing.T) {
	f := newFixture(t)
	if err := f.people.RequestReset(f.ctx, "nobody", "10.0.0.1"); formErrors(t, err).For("email") != "Enter an email address in the correct format, like name@example.nhs.uk" {
		t.Errorf("no @: %v", err)
	}
	if err := f.people.RequestReset(f.ctx, "sam@riverside.nhs.uk", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	token := f.tokens[len(f.tokens)-1]
	r, u, err := f.people.Reset(f.ctx, token)
	if err != nil || u.ID != f.staff.ID {
		t.Fatalf("reset %d: %v", u.ID, err)
	}
	if err := f.people.UseReset(f.ctx, r, u, accounts.NewPassword{Password: "short", Confirm: "short"}); !formErrors(t, err).Has("password") {
		t.Errorf("short password: %v", err)
	}
	if err := f.people.UseReset(f.ctx, r, u, accounts.NewPassword{Password: "a long enough password", Confirm: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.people.Reset(f.ctx, token); !errors.Is(err, models.ErrResetUsed) {
		t.Errorf("used link: %v", err)
	}
	if p, ok := accounts.ResetProblem(models.ErrResetUsed); !ok || p.Heading != "This link has already been used" || p.Unknown {
		t.Errorf("problem %+v", p)
	}
	// Past the limit no link is made, and the answer is the same.
	before := len(f.tokens)
	for range accounts.MaxResetsPerEmail {
		if err := f.people.RequestReset(f.ctx, "sam@riverside.nhs.uk", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	if made := len(f.tokens) - before; made != accounts.MaxResetsPerEmail-1 {
		t.Errorf("%d links made, want %d", made, accounts.MaxResetsPerEmail-1)
	}
	if _, err := f.people.IssueResetLinkByEmail(f.ctx, "nobody@riverside.nhs.uk"); !errors.Is(err, accounts.ErrNoSuchAccount) {
		t.Errorf("unknown address: %v", err)
	}
	link, err := f.people.IssueResetLink(f.ctx, f.lead, f.staff)
	if err != nil || link.Organisation.ID != f.org.ID || !strings.HasPrefix(link.Link, "https://service.test/password/reset/") {
		t.Errorf("lead's link %+v: %v", link, err)
	}
}

func TestProfileAndPassword(t *testing.T) {
	f := newFixture(t)
	u := f.staff
	err := f.people.SaveProfile(f.ctx, &u, accounts.Profile{Name: "Sam", StaffGroup: "Not a group", PayBand: "Band 99"}, accounts.Input{})
	fe := formErrors(t, err)
	if fe.For("staff-group") != "Select your staff group from the list" || fe.For("pay-band") != "Select your pay band from the list" {
		t.Errorf("lists: %v", fe)
	}
	pr := accounts.Profile{Name: "Sam Smith", StaffGroup: models.StaffGroups()[0], PayBand: models.PayBands()[0], Department: "Wards", JobRole: "Nurse"}
	if err := f.people.SaveProfile(f.ctx, &u, pr, accounts.Input{}); err != nil {
		t.Fatal(err)
	}
	saved, err := f.store.UserByID(f.ctx, u.ID)
	if err != nil || accounts.ProfileOf(saved) != pr || !saved.ProfileComplete() {
		t.Errorf("saved %+v (complete %v): %v", accounts.ProfileOf(saved), saved.ProfileComplete(), err)
	}
	saved.JobRole = ""
	if saved.ProfileComplete() {
		t.Error("a profile with no job role is complete")
	}

	lead := f.lead
	err = f.people.ChangePassword(f.ctx, &lead, "not it", accounts.NewPassword{Password: "a new long password", Confirm: "a new long password"}, "")
	if formErrors(t, err).For("current-password") != "Your current password is not correct" {
		t.Errorf("wrong current password: %v", err)
	}
	if err := f.people.ChangePassword(f.ctx, &lead, "pass-word-lead-1", accounts.NewPassword{Password: "a new long password", Confirm: "a new long password"}, ""); err != nil {
		t.Fatal(err)
	}
	if saved, _ := f.store.UserByID(f.ctx, lead.ID); saved.PasswordHash != "pw:a new long password" {
		t.Errorf("hash %q", saved.PasswordHash)
	}
}

func TestSaveOrganisation(t *testing.T) {
	f := newFixture(t)
	icb := f.organisation(t, "North ICB", "QNX", models.KindICB)
	_, err := f.people.SaveOrganisation(f.ctx, accounts.OrganisationForm{Name: "Copy", ODSCode: "RVT", Kind: "nonsense", ParentID: fmt.Sprint(f.org.ID)}, accounts.Input{}, f.lead.ID)
	fe := formErrors(t, err)
	if fe.For("ods-code") != "Another organisation already has this ODS code: Riverside Trust" || fe.For("kind") != "Select the kind of organisation" ||
		fe.For("parent") != "Select an integrated care board from the list" {
		t.Errorf("problems %v", fe)
	}
	o, err := f.people.SaveOrganisation(f.ctx, accounts.OrganisationForm{Name: "Lakeside Trust", ODSCode: "LKS", Kind: models.KindAcute, ParentID: fmt.Sprint(icb.ID)}, accounts.Input{}, f.lead.ID)
	if err != nil || o.ParentID == nil || *o.ParentID != icb.ID {
		t.Fatalf("created %+v: %v", o, err)
	}
	form := accounts.OrganisationFormOf(o)
	form.Name = "Lakeside Hospitals Trust"
	if o, err = f.people.SaveOrganisation(f.ctx, form, accounts.Input{}, f.lead.ID); err != nil || o.Name != form.Name {
		t.Fatalf("saved %+v: %v", o, err)
	}
	list, err := f.people.Organisations(f.ctx)
	if err != nil || list.Parents[icb.ID] != "North ICB" || len(list.Organisations) != 3 {
		t.Errorf("list %+v: %v", list, err)
	}
	ch, err := f.people.OrganisationChoices(f.ctx, accounts.OrganisationFormOf(icb))
	if err != nil || ch.New || len(ch.Parents) != 0 {
		t.Errorf("an ICB's own choices %+v: %v", ch, err)
	}
}

func TestHomeShowsEachRole(t *testing.T) {
	f := newFixture(t)
	h, err := f.people.Home(f.ctx, f.lead, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !h.IsLead || !h.IsStaff || h.IsAdmin || h.Accounts != 2 || h.MinGroupSize != 7 || h.ProfileComplete || h.LatestCycle != nil {
		t.Errorf("lead's home %+v", h)
	}
}
