package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

// TestStaffImportDeactivatesLeavers: a "leaver" column marks people who
// have left. The preview shows each deactivation before it happens; the
// import then deactivates them (left_at set, for retention), audited. An
// account above the importer's role is left alone, and a leaver without an
// account is not invited.
func TestStaffImportDeactivatesLeavers(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead, models.RoleStaff)
	app.user(org, "leo@home.test", models.RoleStaff)
	app.user(org, "stay@home.test", models.RoleStaff)
	app.user(org, "ada@home.test", models.RoleAdmin, models.RoleStaff)
	lead := app.signedIn("lead@home.test")
	leo := app.signedIn("leo@home.test")

	path, preview := importFile(t, lead, "email,name,staff group,leaver\n"+
		"leo@home.test,Person leo@home.test,Students,Yes\n"+
		"stay@home.test,Person stay@home.test,Students,no\n"+
		"ada@home.test,Person ada@home.test,Students,yes\n"+
		"neo@home.test,Neo New,Students,Y\n")
	wantContains(t, preview, "Will be deactivated", "Deactivated: marked as a leaver", "Left alone")
	summary := preview.body[strings.Index(preview.body, `id="summary"`):strings.Index(preview.body, "</dl>")]
	if !strings.Contains(summary, "Will be deactivated: leavers</dt><dd class=\"nhsuk-summary-list__value\">1<") ||
		!strings.Contains(summary, "Will be added</dt><dd class=\"nhsuk-summary-list__value\">0<") {
		t.Errorf("preview summary: %s", summary)
	}
	if !mustUserByEmail(t, app, "leo@home.test").Active {
		t.Fatal("the preview deactivated an account")
	}

	res := confirmImport(t, lead, path)
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, lead.get(path), "Deactivated")

	gone := mustUserByEmail(t, app, "leo@home.test")
	if gone.Active || gone.LeftAt == nil {
		t.Errorf("the leaver's account: active %v, left at %v; want deactivated with a leaving time", gone.Active, gone.LeftAt)
	}
	if r := leo.get("/"); r.status != http.StatusSeeOther {
		t.Errorf("the leaver's session still works: status %d", r.status)
	}
	for _, email := range []string{"stay@home.test", "ada@home.test"} {
		if !mustUserByEmail(t, app, email).Active {
			t.Errorf("%s was deactivated", email)
		}
	}
	if _, err := app.store.UserByEmail(context.Background(), "neo@home.test"); err == nil {
		t.Error("a leaver without an account was given one")
	}
	log, err := app.store.AuditLog(context.Background(), org.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range log {
		if e.Action == "account.deactivate" && e.Subject == "leo@home.test" && strings.Contains(e.Details, "leaver") {
			found = true
		}
		if e.Action == "account.deactivate" && e.Subject != "leo@home.test" {
			t.Errorf("the import deactivated %s", e.Subject)
		}
	}
	if !found {
		t.Error("no audit event records the leaver's deactivation by the import")
	}
}

// TestStaffImportLeavingDates: ESR's "leaving date" column; a date that has
// passed makes a leaver, a future one does not yet, and a value that is
// neither a date nor yes or no is a row problem with a clear reason.
func TestStaffImportLeavingDates(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead, models.RoleStaff)
	app.user(org, "past@home.test", models.RoleStaff)
	app.user(org, "future@home.test", models.RoleStaff)
	app.user(org, "odd@home.test", models.RoleStaff)
	lead := app.signedIn("lead@home.test")

	past := time.Now().AddDate(0, 0, -3).Format("02-Jan-2006")
	future := time.Now().AddDate(0, 2, 0).Format("02/01/2006")
	path, preview := importFile(t, lead, "email,name,staff group,leaving date\n"+
		"past@home.test,Person past@home.test,Students,"+strings.ToUpper(past)+"\n"+
		"future@home.test,Person future@home.test,Students,"+future+"\n"+
		"odd@home.test,Person odd@home.test,Students,soon\n")
	wantContains(t, preview, `Leaving date &#34;soon&#34; is not a date`)
	wantStatus(t, confirmImport(t, lead, path), http.StatusSeeOther)

	if mustUserByEmail(t, app, "past@home.test").Active {
		t.Error("a leaving date that has passed did not deactivate the account")
	}
	for _, email := range []string{"future@home.test", "odd@home.test"} {
		if !mustUserByEmail(t, app, email).Active {
			t.Errorf("%s was deactivated", email)
		}
	}
}
