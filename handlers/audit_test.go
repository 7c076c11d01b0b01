package handlers

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

// TestAuditLogShowsBeforeAndAfter changes an agreed level, a target, an
// action, a person's roles and the organisation's details, and wants the
// log to say in plain English what each was before and after.
func TestAuditLogShowsBeforeAndAfter(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	lead := app.user(org, "lead@home.test", models.RoleLead)
	admin := app.user(org, "admin@home.test", models.RoleAdmin)
	ann := app.user(org, "ann@home.test", models.RoleBoard)
	bob := app.user(org, "bob@home.test", models.RoleBoard)
	staff := app.user(org, "staff@home.test", models.RoleStaff)

	cycle := app.newCycle(t, org, "2026/27", time.Now().AddDate(0, 3, 0))
	if err := app.store.SetAssignments(ctx, cycle, map[string][]uint{"well-led": {ann.ID, bob.ID}}, lead.ID); err != nil {
		t.Fatal(err)
	}
	two, three := 2, 3
	for _, who := range []models.User{ann, bob} {
		if err := app.store.SaveAnswers(ctx, cycle, who, "well-led", []models.MaturityAnswer{{QuestionCode: "well-led-1", Level: &two}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.store.SaveReview(ctx, cycle, []models.AgreedChange{{QuestionCode: "well-led-1", Level: &two, Note: "First look"}},
		&models.TargetChange{SectionCode: "well-led", Target: 3}, lead.ID); err != nil {
		t.Fatal(err)
	}
	agreed, _ := app.store.Agreed(ctx, cycle.ID)
	targets, _ := app.store.TargetRows(ctx, cycle.ID)
	if err := app.store.SaveReview(ctx, cycle, []models.AgreedChange{{QuestionCode: "well-led-1", Level: &three, Note: "First look", Version: agreed["well-led-1"].Version}},
		&models.TargetChange{SectionCode: "well-led", Target: 4, Version: targets["well-led"].Version}, lead.ID); err != nil {
		t.Fatal(err)
	}
	action := models.Action{OrganisationID: org.ID, CycleID: &cycle.ID, SectionCode: "well-led", Title: "Digital board seminar",
		Owner: "Chief executive", Status: models.ActionNotStarted}
	if err := app.store.SaveAction(ctx, &action, lead.ID); err != nil {
		t.Fatal(err)
	}
	action.Status, action.Owner = models.ActionInProgress, "Chief nursing information officer"
	if err := app.store.SaveAction(ctx, &action, lead.ID); err != nil {
		t.Fatal(err)
	}
	if err := app.store.SetRoles(ctx, &staff, models.Roles{models.RoleStaff, models.RoleBoard}, lead.ID); err != nil {
		t.Fatal(err)
	}
	org.Name = "Home Hospitals NHS Trust"
	if err := app.store.UpdateOrganisation(ctx, &org, admin.ID); err != nil {
		t.Fatal(err)
	}

	res := app.signedIn("lead@home.test").get("/audit")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res,
		"Agreed level: was 2, now 3",
		"Agreed level: set to 2",
		"Target: was 3, now 4",
		"Status: was Not started, now In progress",
		"Owner: was Chief executive, now Chief nursing information officer",
		"Roles: was Staff member, now Staff member, Board member",
		"Name: was Home Trust, now Home Hospitals NHS Trust",
		// Plain English, not the event codes.
		"Changed the agreed level of question well-led-1 in 2026/27",
		"Changed the roles of staff@home.test",
	)
	if strings.Contains(res.body, "maturity.agreed.save") {
		t.Error("the log shows the event code maturity.agreed.save rather than saying what happened")
	}
}

// TestAuditLogPagesThroughEveryEvent writes more than 500 events and wants
// each of them on exactly one page, and the filters and export to work.
func TestAuditLogPagesThroughEveryEvent(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	lead := app.user(org, "lead@home.test", models.RoleLead)
	other := app.organisation("Other Trust", "OTH", models.KindAcute)
	const n = 520
	for i := range n {
		if err := app.store.Audit(ctx, models.AuditEvent{OrganisationID: &org.ID, ActorID: &lead.ID,
			Action: "account.deactivate", Subject: fmt.Sprintf("person%03d@home.test", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.store.Audit(ctx, models.AuditEvent{OrganisationID: &other.ID, Action: "account.deactivate", Subject: "secret@other.test"}); err != nil {
		t.Fatal(err)
	}
	if err := app.store.Audit(ctx, models.AuditEvent{OrganisationID: &org.ID, Action: "account.deactivate", Subject: "=HYPERLINK(\"x\")"}); err != nil {
		t.Fatal(err)
	}
	c := app.signedIn("lead@home.test") // adds a sign-in event

	subject := regexp.MustCompile(`person(\d{3})@home\.test`)
	seen := map[string]int{}
	path := "/audit"
	pages := 0
	for path != "" && pages < 100 {
		res := c.get(path)
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(res.body, "secret@other.test") {
			t.Fatal("the log shows another organisation's event")
		}
		for _, m := range subject.FindAllStringSubmatch(res.body, -1) {
			seen[m[1]]++
		}
		pages++
		path = nextPage(res.body)
	}
	if pages < 2 {
		t.Fatalf("%d page(s) for %d events", pages, n+3)
	}
	for i := range n {
		if k := seen[fmt.Sprintf("%03d", i)]; k != 1 {
			t.Errorf("person%03d@home.test shown %d times over %d pages, want once", i, k, pages)
		}
	}

	// Filters: person, kind and date.
	res := c.get("/audit?person=PERSON007")
	wantStatus(t, res, http.StatusOK)
	if got := subject.FindAllString(res.body, -1); len(got) != 1 {
		t.Errorf("person filter shows %v, want only person007", got)
	}
	res = c.get("/audit?kind=sign-in")
	wantContains(t, res, "Signed in")
	if subject.MatchString(res.body) {
		t.Error("kind filter sign-in still shows account events")
	}
	day := func(name string, d time.Time) string {
		return fmt.Sprintf("%s-day=%d&%s-month=%d&%s-year=%d", name, d.Day(), name, int(d.Month()), name, d.Year())
	}
	today := time.Now().In(london)
	tomorrow := today.AddDate(0, 0, 1)
	res = c.get("/audit?" + day("from", tomorrow))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "No events match")
	res = c.get("/audit?" + day("from", today) + "&" + day("to", today) + "&person=person0")
	if got := subject.FindAllString(res.body, -1); len(got) != 50 {
		t.Errorf("today's events for person0: %d on the first page, want 50", len(got))
	}
	res = c.get("/audit?from-day=31&from-month=2&from-year=2026&person=person007")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "nhsuk-error-summary", "Start date must be a real date", `href="#from-day"`, `value="31"`, `value="person007"`)
	res = c.get("/audit?" + day("from", tomorrow) + "&" + day("to", today))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "End date must be the same as or after the start date")

	// The export has every matching event, newest first, neutralised.
	res = c.get("/audit.csv")
	wantStatus(t, res, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The events written above, the lead's sign-in and the organisation's creation.
	if len(rows) != 1+n+3 {
		t.Errorf("export has %d rows, want a header and %d events", len(rows), n+3)
	}
	if !strings.Contains(res.body, `'=HYPERLINK`) {
		t.Error("export does not neutralise a subject that starts with =")
	}
	res = c.get("/audit.csv?" + url.Values{"person": {"person007"}}.Encode())
	if rows, _ := csv.NewReader(strings.NewReader(res.body)).ReadAll(); len(rows) != 2 {
		t.Errorf("filtered export has %d rows, want a header and 1 event", len(rows))
	}
}

var nextLink = regexp.MustCompile(`<a class="nhsuk-pagination__link nhsuk-pagination__link--next" href="([^"]+)"`)

// nextPage is the address of the "Next" link on an audit log page, or "".
func nextPage(body string) string {
	m := nextLink.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// TestEveryAuditEventIsDescribed: each kind of event the service writes
// reads as plain English in the log, not as its code.
func TestEveryAuditEventIsDescribed(t *testing.T) {
	app := newTestApp(t)
	for _, action := range []string{"sign-in", "sign-in.sso", "sign-out", "profile.update", "account.password", "account.password.reset",
		"account.roles", "account.deactivate", "account.reactivate", "account.create-admin", "account.sso.create", "invitation.create",
		"invitation.accept", "staff.import", "staff.import.update", "staff.import.email", "organisation.create", "organisation.update",
		"sso.settings", "maturity.cycle.open", "maturity.assign", "maturity.answers.save", "maturity.agreed.save", "maturity.target.save",
		"maturity.cycle.submit", "maturity.cycle.reopen", "maturity.advice.request", "maturity.advice.give", "maturity.evidence.add",
		"action.create", "action.update", "skills.skills-invitation", "skills.skills-reminder", "demo.seed", "synthetic.seed"} {
		got := app.server.auditLog().Describe(models.AuditEntry{AuditEvent: models.AuditEvent{Action: action, Subject: "2026/27 well-led"}}, nil)
		if strings.Contains(got, action) {
			t.Errorf("%s is described by its code: %q", action, got)
		}
	}
}
