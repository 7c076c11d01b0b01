package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/staffimport"
)

// importFile uploads a staff file as lead and returns the preview's
// address and page.
func importFile(t *testing.T, lead *client, file string) (string, response) {
	t.Helper()
	res := lead.upload("/organisation/staff/import", "staff.csv", file)
	wantStatus(t, res, http.StatusSeeOther)
	preview := lead.get(res.location())
	wantStatus(t, preview, http.StatusOK)
	return res.location(), preview
}

var planInPage = regexp.MustCompile(`name="plan" value="([^"]*)"`)

// confirmImport confirms the preview at path as the page's button does.
func confirmImport(t *testing.T, lead *client, path string) response {
	t.Helper()
	form := url.Values{}
	if m := planInPage.FindStringSubmatch(lead.get(path).body); m != nil {
		form.Set("plan", m[1])
	}
	return lead.post(path, form)
}

// profile sets an account's staff profile directly in the database.
func (a *testApp) profile(u models.User, staffGroup, band, department, jobRole string) models.User {
	a.t.Helper()
	u.StaffGroup, u.PayBand, u.Department, u.JobRole = staffGroup, band, department, jobRole
	if err := a.store.UpdateProfile(context.Background(), &u); err != nil {
		a.t.Fatal(err)
	}
	return u
}

func mustUserByEmail(t *testing.T, app *testApp, email string) models.User {
	t.Helper()
	u, err := app.store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestStaffImportLeavesHigherRolesAlone: a digital lead's import cannot
// change an administrator's account, neither its profile nor its roles.
func TestStaffImportLeavesHigherRolesAlone(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead, models.RoleStaff)
	admin := app.profile(app.user(org, "ada@home.test", models.RoleAdmin), "Administrative and Clerical", "Band 8a", "IT", "Head of IT")
	lead := app.signedIn("lead@home.test")

	path, preview := importFile(t, lead, "email,name,staff group,band,department,job role\n"+
		"ada@home.test,Someone Else,Students,Band 2,Nowhere,Intern\n")
	wantContains(t, preview, "Left alone", "a role above yours")
	wantStatus(t, confirmImport(t, lead, path), http.StatusSeeOther)

	after := mustUserByEmail(t, app, "ada@home.test")
	if after.Name != admin.Name || after.StaffGroup != admin.StaffGroup || after.PayBand != admin.PayBand ||
		after.Department != admin.Department || after.JobRole != admin.JobRole || after.RoleCodes != admin.RoleCodes {
		t.Errorf("the lead's import changed the administrator's account:\nbefore %+v\nafter  %+v", admin, after)
	}
}

// TestStaffImportLeavesAbsentColumnsAlone: a file without a pay band,
// department or job role column leaves those as stored.
func TestStaffImportLeavesAbsentColumnsAlone(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	app.profile(app.user(org, "amy@home.test", models.RoleStaff), "Nursing and Midwifery Registered", "Band 6", "Ward 9", "Sister")
	lead := app.signedIn("lead@home.test")

	path, _ := importFile(t, lead, "email,name,staff group\namy@home.test,Amy Jones-Li,Nursing and Midwifery Registered\n")
	wantStatus(t, confirmImport(t, lead, path), http.StatusSeeOther)
	amy := mustUserByEmail(t, app, "amy@home.test")
	if amy.Name != "Amy Jones-Li" {
		t.Errorf("name %q, want the file's", amy.Name)
	}
	if amy.PayBand != "Band 6" || amy.Department != "Ward 9" || amy.JobRole != "Sister" {
		t.Errorf("columns absent from the file changed the account: band %q, department %q, job role %q", amy.PayBand, amy.Department, amy.JobRole)
	}
}

// TestStaffImportNeverRemovesRoles: importing a board member and a lead
// keeps their roles (and adds the staff role).
func TestStaffImportNeverRemovesRoles(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	app.user(org, "bea@home.test", models.RoleBoard, models.RoleLead)
	lead := app.signedIn("lead@home.test")
	path, _ := importFile(t, lead, "email,name,staff group\nbea@home.test,Bea Board,Medical and Dental\n")
	wantStatus(t, confirmImport(t, lead, path), http.StatusSeeOther)
	bea := mustUserByEmail(t, app, "bea@home.test")
	if !bea.Has(models.RoleBoard) || !bea.Has(models.RoleLead) || !bea.Has(models.RoleStaff) {
		t.Errorf("roles after the import: %q, want board, lead and staff", bea.RoleCodes)
	}
}

// TestStaffImportPreviewShowsEveryChangeAndTheAuditRecordsIt: each field
// that will change is in the preview, before and after, and in the audit.
func TestStaffImportPreviewShowsEveryChangeAndTheAuditRecordsIt(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	app.profile(app.user(org, "amy@home.test", models.RoleBoard), "Nursing and Midwifery Registered", "Band 5", "Ward 1", "Staff nurse")
	lead := app.signedIn("lead@home.test")

	path, preview := importFile(t, lead, "email,name,staff group,band,department,job role\n"+
		"amy@home.test,Person amy@home.test,Nursing and Midwifery Registered,Band 6,Ward 2,Staff nurse\n")
	changes := preview.body[strings.Index(preview.body, `id="changes"`):]
	for _, want := range []string{"Pay band", "Band 5", "Band 6", "Department", "Ward 1", "Ward 2", "Roles", "Board member", "Staff member"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the preview's changes lack %q", want)
		}
	}
	if strings.Contains(changes, "Job role") || strings.Contains(changes, "Staff group") {
		t.Error("the preview lists a field that does not change")
	}
	wantStatus(t, confirmImport(t, lead, path), http.StatusSeeOther)

	log, err := app.store.AuditLog(context.Background(), org.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range log {
		if e.Action == "staff.import.update" && e.Subject == "amy@home.test" {
			found = true
			for _, want := range []string{"pay band: Band 5 → Band 6", "department: Ward 1 → Ward 2", "roles: Board member → Staff member, Board member"} {
				if !strings.Contains(e.Details, want) {
					t.Errorf("audit details %q lack %q", e.Details, want)
				}
			}
		}
	}
	if !found {
		t.Error("no audit event records what the import changed in amy@home.test's account")
	}
}

// TestStaffImportConfirmsOnlyWhatWasPreviewed: when an account changes
// between preview and confirmation, the import is shown again, not applied.
func TestStaffImportConfirmsOnlyWhatWasPreviewed(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	amy := app.profile(app.user(org, "amy@home.test", models.RoleStaff), "Students", "Band 5", "Ward 1", "Student nurse")
	lead := app.signedIn("lead@home.test")
	path, preview := importFile(t, lead, "email,name,staff group,band,department,job role\n"+
		"amy@home.test,Person amy@home.test,Students,Band 5,Ward 2,Student nurse\n")
	m := planInPage.FindStringSubmatch(preview.body)
	if m == nil {
		t.Fatal("the preview has no plan to confirm")
	}
	app.profile(amy, "Students", "Band 5", "Ward 3", "Student nurse") // a colleague changes Amy meanwhile
	res := lead.post(path, url.Values{"plan": {m[1]}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res, "There is a problem", "changed since", "Ward 3")
	if got := mustUserByEmail(t, app, "amy@home.test"); got.Department != "Ward 3" {
		t.Errorf("department %q: the import was applied without a fresh preview", got.Department)
	}
}

// TestStaffImportAndInviteDoNotTellOfOtherOrganisations: a lead learns
// nothing about accounts outside their own organisation.
func TestStaffImportAndInviteDoNotTellOfOtherOrganisations(t *testing.T) {
	app := newTestApp(t)
	home := app.organisation("Home Trust", "HOM", models.KindAcute)
	other := app.organisation("Other Trust", "OTH", models.KindAcute)
	app.user(home, "lead@home.test", models.RoleLead)
	app.user(home, "colleague@home.test", models.RoleStaff)
	elsewhere := app.profile(app.user(other, "taken@other.test", models.RoleStaff), "Students", "Band 3", "Ward X", "Student")
	lead := app.signedIn("lead@home.test")

	// The invite form treats an address of another organisation like a new one.
	taken := lead.post("/accounts/invite", url.Values{"email": {"taken@other.test"}, "roles": {"staff"}})
	fresh := lead.post("/accounts/invite", url.Values{"email": {"fresh@other.test"}, "roles": {"staff"}})
	wantStatus(t, fresh, http.StatusOK)
	wantStatus(t, taken, http.StatusOK)
	for _, leak := range []string{"already exists", "another organisation", "Other Trust"} {
		if strings.Contains(taken.body, leak) {
			t.Errorf("the invite page says %q about an account in another organisation", leak)
		}
	}
	// The person who owns the address learns, on accepting, that they
	// already have an account; nothing changes.
	link := regexp.MustCompile(`/invitations/[A-Za-z0-9_-]+`).FindString(taken.body)
	if link == "" {
		t.Fatal("no invitation link on the page")
	}
	accept := app.client().post(link, url.Values{"name": {"Taken Person"}, "password": {testPassword}, "confirm-password": {testPassword}})
	wantStatus(t, accept, http.StatusConflict)
	wantContains(t, accept, "An account with this email address already exists")

	// What concerns the lead's own organisation is said.
	own := lead.post("/accounts/invite", url.Values{"email": {"colleague@home.test"}, "roles": {"staff"}})
	wantStatus(t, own, http.StatusUnprocessableEntity)
	wantContains(t, own, "already has an account in Home Trust")

	// The import preview counts it among the people to add, like a new address.
	path, preview := importFile(t, lead, "email,name,staff group\ntaken@other.test,Taken Person,Medical and Dental\n"+
		"new@home.test,New Person,Medical and Dental\n")
	for _, leak := range []string{"another organisation", "Other Trust"} {
		if strings.Contains(preview.body, leak) {
			t.Errorf("the import preview says %q", leak)
		}
	}
	wantContains(t, preview, "Will be added</dt><dd class=\"nhsuk-summary-list__value\">2")
	wantStatus(t, confirmImport(t, lead, path), http.StatusSeeOther)
	// The other organisation's account is untouched.
	after := mustUserByEmail(t, app, "taken@other.test")
	if after.OrganisationID != other.ID || after.Name != elsewhere.Name || after.StaffGroup != "Students" || after.RoleCodes != elsewhere.RoleCodes {
		t.Errorf("the import changed another organisation's account: %+v", after)
	}
}

// TestStaffImportPreviewPagesThroughEveryChange: a long list of changes is
// split into pages, and every change is on one of them.
func TestStaffImportPreviewPagesThroughEveryChange(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	lead := app.signedIn("lead@home.test")
	var file strings.Builder
	file.WriteString("email,name,staff group\n")
	for i := range staffimport.PreviewRows + 50 {
		fmt.Fprintf(&file, "person%03d@home.test,Person %d,Students\n", i, i)
	}
	path, first := importFile(t, lead, file.String())
	wantContains(t, first, "person000@home.test", "person199@home.test", "Changes 1 to 200", "Page 2 of 2")
	if strings.Contains(first.body, "person200@home.test") {
		t.Error("page 1 lists more than a page of changes")
	}
	second := lead.get(path + "?page=2")
	wantContains(t, second, "person200@home.test", "person249@home.test", "Changes 201 to 250", "Page 1 of 2")
	if strings.Contains(second.body, "person199@home.test") {
		t.Error("page 2 repeats page 1")
	}
}
