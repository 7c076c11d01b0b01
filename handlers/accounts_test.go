package handlers

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

var invitationLink = regexp.MustCompile(`http://example\.test/invitations/([A-Za-z0-9_-]+)`)

// invite creates an invitation as c and returns the token from its link.
func invite(t *testing.T, c *client, email string, roles ...models.Role) string {
	t.Helper()
	form := url.Values{"email": {email}, "name": {"New Person"}}
	for _, r := range roles {
		form.Add("roles", string(r))
	}
	res := c.post("/accounts/invite", form)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "This service does not send email")
	m := invitationLink.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no invitation link on the page:\n%s", res.body)
	}
	return m[1]
}

func TestInvitationCreatesAnAccountOnce(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	lead := app.signedIn("lead@home.test")
	token := invite(t, lead, "New.Person@Home.test", models.RoleBoard, models.RoleStaff)

	// The token itself is never stored.
	if _, err := app.store.InvitationByTokenHash(context.Background(), token); err == nil {
		t.Error("the raw token finds the invitation: it is stored unhashed")
	}

	invitee := app.client()
	res := invitee.get("/invitations/" + token)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "new.person@home.test", "Board member", "Home Trust")

	// A weak password is refused; the name typed is kept.
	res = invitee.post("/invitations/"+token, url.Values{"name": {"Nia Jones"}, "password": {"short"}, "confirm-password": {"short"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "Password must be 12 characters or more", `value="Nia Jones"`)
	res = invitee.post("/invitations/"+token, url.Values{"name": {"Nia Jones"}, "password": {"Password1234"}, "confirm-password": {"Password1234"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "This password is too common")
	res = invitee.post("/invitations/"+token, url.Values{"name": {"Nia Jones"}, "password": {testPassword}, "confirm-password": {"something else entirely"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "The passwords do not match")

	res = invitee.post("/invitations/"+token, url.Values{"name": {"Nia Jones"}, "password": {testPassword}, "confirm-password": {testPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	home := invitee.get("/")
	wantStatus(t, home, http.StatusOK)
	wantContains(t, home, "Hello, Nia Jones", "Board member")

	u, err := app.store.UserByEmail(context.Background(), "new.person@home.test")
	if err != nil {
		t.Fatal(err)
	}
	if u.OrganisationID != org.ID || !u.Has(models.RoleBoard) || !u.Has(models.RoleStaff) || u.Has(models.RoleLead) {
		t.Errorf("account has organisation %d and roles %q", u.OrganisationID, u.RoleCodes)
	}

	// The link works once.
	again := app.client()
	res = again.get("/invitations/" + token)
	wantStatus(t, res, http.StatusGone)
	wantContains(t, res, "already been used")
	res = again.post("/invitations/"+token, url.Values{"name": {"Someone Else"}, "password": {testPassword}, "confirm-password": {testPassword}})
	wantStatus(t, res, http.StatusGone)

	log, _ := app.store.AuditLog(context.Background(), org.ID, 50)
	if !hasAudit(log, "invitation.create", "new.person@home.test") || !hasAudit(log, "invitation.accept", "new.person@home.test") {
		t.Error("invitation not audited")
	}
}

func TestExpiredInvitationIsRefused(t *testing.T) {
	app := newTestAppWith(t, func(c *Config) { c.InvitationLifetime = -time.Minute })
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	token := invite(t, app.signedIn("lead@home.test"), "late@home.test", models.RoleStaff)

	c := app.client()
	res := c.get("/invitations/" + token)
	wantStatus(t, res, http.StatusGone)
	wantContains(t, res, "This invitation has expired")
	res = c.post("/invitations/"+token, url.Values{"name": {"Late"}, "password": {testPassword}, "confirm-password": {testPassword}})
	wantStatus(t, res, http.StatusGone)
	if _, err := app.store.UserByEmail(context.Background(), "late@home.test"); err == nil {
		t.Error("an expired invitation created an account")
	}
}

func TestInviteValidation(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	app.user(org, "taken@home.test", models.RoleStaff)
	lead := app.signedIn("lead@home.test")

	tests := []struct {
		name  string
		form  url.Values
		wants []string
	}{
		{"no email", url.Values{"roles": {"staff"}}, []string{"Enter an email address"}},
		{"bad email", url.Values{"email": {"not an email"}, "roles": {"staff"}}, []string{"correct format", `value="not an email"`}},
		{"taken", url.Values{"email": {"Taken@home.test"}, "roles": {"staff"}}, []string{"This person already has an account in Home Trust"}},
		{"no role", url.Values{"email": {"someone@home.test"}}, []string{"Select at least one role", `value="someone@home.test"`}},
		{"admin by a lead", url.Values{"email": {"someone@home.test"}, "roles": {"admin"}}, []string{"You cannot give the administrator role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := lead.post("/accounts/invite", tt.form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, append(tt.wants, "There is a problem")...)
		})
	}
}

func TestLeadManagesRolesInOwnOrganisation(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	lead := app.user(org, "lead@home.test", models.RoleLead)
	staff := app.user(org, "staff@home.test", models.RoleStaff)
	c := app.signedIn("lead@home.test")

	res := c.post("/accounts/"+itoa(staff.ID)+"/roles", url.Values{"roles": {"staff", "board"}})
	wantStatus(t, res, http.StatusSeeOther)
	u, _ := app.store.UserByID(context.Background(), staff.ID)
	if u.RoleCodes != "staff board" {
		t.Errorf("roles = %q, want staff board", u.RoleCodes)
	}
	// A lead cannot make an admin: the admin choice is ignored.
	wantStatus(t, c.post("/accounts/"+itoa(staff.ID)+"/roles", url.Values{"roles": {"staff", "admin"}}), http.StatusSeeOther)
	u, _ = app.store.UserByID(context.Background(), staff.ID)
	if u.Has(models.RoleAdmin) {
		t.Error("a digital lead granted the administrator role")
	}
	// Nor change their own roles (TestNobodyChangesTheirOwnRoles).
	res = c.post("/accounts/"+itoa(lead.ID)+"/roles", url.Values{"roles": {"staff"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "You cannot change your own roles")

	log, _ := app.store.AuditLog(context.Background(), org.ID, 50)
	if !hasAudit(log, "account.roles", "staff@home.test") {
		t.Error("role change not audited")
	}
}

func TestProfileValidationKeepsWhatWasTyped(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "staff@home.test", models.RoleStaff)
	c := app.signedIn("staff@home.test")

	res := c.post("/profile", url.Values{"name": {""}, "staff-group": {"Astronauts"}, "pay-band": {"Band 5"},
		"department": {"Ward 7"}, "job-role": {strings.Repeat("x", 101)}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "There is a problem", "Enter your full name", "Select your staff group from the list",
		"Your job role must be 100 characters or fewer", `value="Ward 7"`, `<option value="Band 5" selected>`,
		`href="#name"`, `id="name-error"`)

	res = c.post("/profile", url.Values{"name": {"Jo Bloggs"}, "staff-group": {"Nursing and Midwifery Registered"},
		"pay-band": {"Band 5"}, "department": {"Ward 7"}, "job-role": {"Staff nurse"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := c.get("/profile")
	wantContains(t, page, "Your profile has been saved", `value="Jo Bloggs"`, `<option value="Nursing and Midwifery Registered" selected>`)
}

func TestChangePassword(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "staff@home.test", models.RoleStaff)
	c := app.signedIn("staff@home.test")
	other := app.signedIn("staff@home.test")

	res := c.post("/password", url.Values{"current-password": {"wrong"}, "password": {"a new long passphrase"}, "confirm-password": {"a new long passphrase"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "Your current password is not correct")

	res = c.post("/password", url.Values{"current-password": {testPassword}, "password": {"a new long passphrase"}, "confirm-password": {"a new long passphrase"}})
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, c.get("/"), http.StatusOK)           // this browser stays signed in
	wantStatus(t, other.get("/"), http.StatusSeeOther) // the other is signed out
	wantStatus(t, app.client().signIn("staff@home.test", "a new long passphrase"), http.StatusSeeOther)
}

func TestAdminManagesOrganisations(t *testing.T) {
	app := newTestApp(t)
	home := app.organisation("Home Trust", "HOM", models.KindAcute)
	icb := app.organisation("Example ICB", "QXX", models.KindICB)
	app.user(home, "admin@home.test", models.RoleAdmin)
	c := app.signedIn("admin@home.test")

	res := c.post("/admin/organisations", url.Values{"name": {"New Trust"}, "ods-code": {"r!"}, "kind": {"acute"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "ODS code must be 3 to 5 letters and numbers", `value="New Trust"`)

	res = c.post("/admin/organisations", url.Values{"name": {"New Trust"}, "ods-code": {"hom"}, "kind": {"acute"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "Another organisation already has this ODS code")

	res = c.post("/admin/organisations", url.Values{"name": {"New Trust"}, "ods-code": {"rxz12"}, "kind": {"unknown"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "Select the kind of organisation")

	res = c.post("/admin/organisations", url.Values{"name": {"New Trust"}, "ods-code": {"rxz12"}, "kind": {"acute"}, "parent": {itoa(home.ID)}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "Select an integrated care board from the list")

	res = c.post("/admin/organisations", url.Values{"name": {"New Trust"}, "ods-code": {"rxz12"}, "kind": {"acute"}, "parent": {itoa(icb.ID)}})
	wantStatus(t, res, http.StatusSeeOther)
	o, err := app.store.OrganisationByODSCode(context.Background(), "RXZ12")
	if err != nil {
		t.Fatalf("organisation not stored with its code upper-cased: %v", err)
	}
	if o.ParentID == nil || *o.ParentID != icb.ID {
		t.Error("parent ICB not stored")
	}

	// An admin invites the new organisation's digital lead.
	form := url.Values{"email": {"lead@new.test"}, "roles": {"lead"}, "organisation": {itoa(o.ID)}}
	res = c.post("/accounts/invite", form)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "New Trust")
}

func TestHomePageSaysWhatToDoNextForEachRole(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	tests := []struct {
		role  models.Role
		wants []string
	}{
		{models.RoleStaff, []string{"Your digital skills", "Take the digital skills self-assessment", "Complete your staff profile"}},
		{models.RoleBoard, []string{"Board member", "No sections are assigned to you yet"}},
		{models.RoleLead, []string{"Digital lead", "Invite your board members"}},
		{models.RoleAdmin, []string{"Service administrator", "Manage organisations"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			email := string(tt.role) + "@home.test"
			app.user(org, email, tt.role)
			res := app.signedIn(email).get("/")
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res, tt.wants...)
		})
	}
}

func TestNotFoundPageAndDemoBanner(t *testing.T) {
	app := newTestAppWith(t, func(c *Config) { c.Demo = true })
	res := app.client().get("/no-such-page")
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, res, "Page not found", "Demo data")
}

func TestHealthAndReadiness(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	wantStatus(t, c.get("/healthz"), http.StatusOK)
	wantStatus(t, c.get("/readyz"), http.StatusOK)
	app.store.Close()
	wantStatus(t, c.get("/readyz"), http.StatusServiceUnavailable)
	wantStatus(t, c.get("/healthz"), http.StatusOK)
}

func TestStaticAssetsAreFingerprintedAndCached(t *testing.T) {
	app := newTestApp(t)
	page := app.client().get("/sign-in")
	m := regexp.MustCompile(`href="(/static/nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no fingerprinted stylesheet link on the page")
	}
	res := app.client().get(m[1])
	wantStatus(t, res, http.StatusOK)
	if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("fingerprinted asset Cache-Control = %q", cc)
	}
	if !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
		t.Errorf("Content-Type = %q", res.header.Get("Content-Type"))
	}
}

// TestDemoAccountsLandOnTheirHomePages signs in with each demo account, as
// the README tells a new user to.
func TestDemoAccountsLandOnTheirHomePages(t *testing.T) {
	app := newTestAppWith(t, func(c *Config) { c.Demo = true })
	if err := app.store.SeedDemo(context.Background(), cheapHasher); err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{
		"admin@example.nhs.uk": `id="admin"`,
		"lead@example.nhs.uk":  `id="lead"`,
		"board@example.nhs.uk": `id="board"`,
		"staff@example.nhs.uk": `id="staff"`,
	}
	for _, a := range models.DemoAccounts() {
		c := app.client()
		res := c.signIn(a.Email, models.DemoPassword)
		wantStatus(t, res, http.StatusSeeOther)
		if res.location() != "/" {
			t.Errorf("%s lands on %q, want /", a.Email, res.location())
		}
		home := c.get("/")
		wantStatus(t, home, http.StatusOK)
		wantContains(t, home, sections[a.Email], "Demo data", "Example Hospitals NHS Foundation Trust")
	}
}
