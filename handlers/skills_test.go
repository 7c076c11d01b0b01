package handlers

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/workforce"
)

// domainForm rates every statement of a domain with one now and one need.
func domainForm(fw *assessments.Framework, domain string, now, need int, next string) url.Values {
	form := url.Values{"next": {next}}
	sec, _ := fw.Section(domain)
	for _, q := range sec.Questions {
		form.Set("now-"+q.Code, strconv.Itoa(now))
		form.Set("need-"+q.Code, strconv.Itoa(need))
	}
	return form
}

func TestSkillsJourney(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "staff@home.test", models.RoleStaff)
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	c := app.signedIn("staff@home.test")

	start := c.get("/skills")
	wantStatus(t, start, http.StatusOK)
	wantContains(t, start, "only you", "at least 10 people", "Start now")

	res := c.post("/skills/start", nil)
	wantStatus(t, res, http.StatusSeeOther)
	first := fw.Sections[0].Code
	if res.location() != "/skills/domains/"+first {
		t.Fatalf("start goes to %q", res.location())
	}
	page := c.get(res.location())
	wantContains(t, page, "Domain 1 of 6", fw.Sections[0].Label)

	// Half a domain with "continue": saved, and the rest asked for.
	sec := fw.Sections[0]
	half := url.Values{"next": {"continue"}, "now-" + sec.Questions[0].Code: {"2"}, "need-" + sec.Questions[0].Code: {"4"},
		"now-" + sec.Questions[1].Code: {"3"}}
	res = c.post("/skills/domains/"+first, half)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "There is a problem", "Choose where your role needs you to be for: "+sec.Questions[1].Title,
		`id="now-`+sec.Questions[0].Code+`-2" name="now-`+sec.Questions[0].Code+`" type="radio" value="2" checked`)

	// Ratings, by domain (now, need), and the expected results by hand:
	// data-information 2/4 gap 2; teaching-learning 3/3 gap 0;
	// communication 1/2 gap 1; technical-proficiency 4/4 gap 0;
	// creation-innovation 2/3 gap 1; identity-wellbeing-safety 3/4 gap 1.
	ratings := [][2]int{{2, 4}, {3, 3}, {1, 2}, {4, 4}, {2, 3}, {3, 4}}
	wantStatus(t, c.post("/skills/domains/"+first, domainForm(fw, first, 2, 4, "continue")), http.StatusSeeOther)
	wantStatus(t, c.post("/skills/domains/"+fw.Sections[1].Code, domainForm(fw, fw.Sections[1].Code, 3, 3, "later")), http.StatusSeeOther)

	// Leaving and coming back in another browser resumes at domain 3.
	again := app.signedIn("staff@home.test")
	start = again.get("/skills")
	wantContains(t, start, "Continue where you left off", `href="/skills/domains/`+fw.Sections[2].Code+`"`)
	for i := 2; i < len(fw.Sections); i++ {
		code := fw.Sections[i].Code
		wantStatus(t, again.post("/skills/domains/"+code, domainForm(fw, code, ratings[i][0], ratings[i][1], "continue")), http.StatusSeeOther)
	}
	check := again.get("/skills/check")
	wantStatus(t, check, http.StatusOK)
	wantContains(t, check, "Check your answers", "Change")
	res = again.post("/skills/submit", nil)
	wantStatus(t, res, http.StatusSeeOther)
	results := again.get("/skills/results")
	wantStatus(t, results, http.StatusOK)

	for i, sec := range fw.Sections {
		row := tableRow(results.body, "domain-"+sec.Code)
		want := fmt.Sprintf("%d.0</td>", ratings[i][0])
		if !strings.Contains(row, want) {
			t.Errorf("%s: row lacks now %s: %s", sec.Code, want, row)
		}
	}
	// Priorities: gap 2 first, then the gap-1 domains by lowest "now":
	// communication (1), creation-innovation (2); identity (3) is fourth.
	order := regexp.MustCompile(`id="priority-([a-z-]+)"`).FindAllStringSubmatch(results.body, -1)
	var got []string
	for _, m := range order {
		got = append(got, m[1])
	}
	if strings.Join(got, ",") != "data-information,communication,creation-innovation" {
		t.Errorf("priorities %v", got)
	}
	// Strengths: now >= 3, smallest gap first, then highest now:
	// technical-proficiency (0, 4), teaching-learning (0, 3), identity (1, 3).
	strengths := results.body[strings.Index(results.body, `id="strengths"`):]
	tp, tl, iw := strings.Index(strengths, "Technical"), strings.Index(strengths, "Teaching"), strings.Index(strengths, "Digital identity")
	if tp < 0 || tl < 0 || iw < 0 || !(tp < tl && tl < iw) {
		t.Errorf("strengths out of order: %d %d %d", tp, tl, iw)
	}
	// Learning for data-information at the level reached, 2.
	di, _ := fw.Section("data-information")
	for _, l := range di.Learning {
		if l.Level == 2 {
			wantContains(t, results, l.Suggestions[0].Title)
		}
	}

	// With nothing in progress, a domain page leads back to the start page.
	if res := again.get("/skills/domains/" + first); res.status != http.StatusSeeOther || res.location() != "/skills" {
		t.Errorf("domain page after finishing: %d %s", res.status, res.location())
	}

	// A second attempt, one level higher "now" everywhere.
	wantStatus(t, again.post("/skills/start", nil), http.StatusSeeOther)
	for i, sec := range fw.Sections {
		wantStatus(t, again.post("/skills/domains/"+sec.Code, domainForm(fw, sec.Code, min(4, ratings[i][0]+1), ratings[i][1], "continue")), http.StatusSeeOther)
	}
	wantStatus(t, again.post("/skills/submit", nil), http.StatusSeeOther)
	results = again.get("/skills/results")
	if !strings.Contains(tableRow(results.body, "domain-data-information"), "up 1.0") {
		t.Errorf("no change shown: %s", tableRow(results.body, "domain-data-information"))
	}
	history := again.get("/skills/history")
	if n := strings.Count(history.body, `href="/skills/results/`); n != 2 {
		t.Errorf("history lists %d completed attempts, want 2", n)
	}
	// The earlier attempt is still there.
	attempts, _ := app.store.SkillsAssessments(context.Background(), mustUserID(t, app, "staff@home.test"))
	earlier := again.get("/skills/results/" + strconv.FormatUint(uint64(attempts[1].ID), 10))
	wantContains(t, earlier, "results of an earlier attempt")
	// Two attempts on one day are told apart by the time.
	for _, a := range attempts {
		if a.CompletedAt != nil {
			wantContains(t, history, formatDateTime(*a.CompletedAt))
		}
	}
}

func mustUserID(t *testing.T, app *testApp, email string) uint {
	t.Helper()
	u, err := app.store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// tableRow returns the <tr> with the given id.
func tableRow(body, id string) string {
	start := strings.Index(body, `id="`+id+`"`)
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "</tr>")
	return body[start : start+end]
}

// fixedScores is a scorer that gives scores worked out by the test,
// whatever the answers.
func fixedScores(scores []models.SkillsDomainScore) models.SkillsScorer {
	return func(map[string]models.SkillsAnswer) ([]models.SkillsDomainScore, error) { return scores, nil }
}

// completedPerson adds a member of staff with a completed attempt whose
// domain scores are all now/need.
func completedPerson(t *testing.T, app *testApp, org models.Organisation, email, group, band, department string, now, need float64) {
	t.Helper()
	ctx := context.Background()
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	fv, err := app.store.FrameworkVersionByCode(ctx, fw.Code, fw.Version)
	if err != nil {
		t.Fatal(err)
	}
	u := app.user(org, email, models.RoleStaff)
	u.StaffGroup, u.PayBand, u.Department = group, band, department
	a, err := app.store.StartSkillsAssessment(ctx, u, fv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var scores []models.SkillsDomainScore
	for _, sec := range fw.Sections {
		scores = append(scores, models.SkillsDomainScore{DomainCode: sec.Code, Now: now, Need: need, Gap: need - now})
	}
	if err := app.store.CompleteSkillsAssessment(ctx, a, u, "2026/27", fixedScores(scores)); err != nil {
		t.Fatal(err)
	}
}

func TestOrganisationSkillsHidesSmallGroups(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	// Nursing 15 people (now 2, need 3), Medical 7 (now 3, need 4),
	// Admin 12 (now 1, need 3). Minimum group size 10.
	groups := []struct {
		name      string
		people    int
		now, need float64
	}{
		{"Medical and Dental", 7, 3, 4},
		{"Nursing and Midwifery Registered", 15, 2, 3},
		{"Administrative and Clerical", 12, 1, 3},
	}
	n := 0
	for _, g := range groups {
		for i := 0; i < g.people; i++ {
			n++
			completedPerson(t, app, org, fmt.Sprintf("p%d@home.test", n), g.name, "Band 5", "Ward 1", g.now, g.need)
		}
	}
	lead := app.signedIn("lead@home.test")
	// Before the first release the page has no figures at all.
	wantContains(t, lead.get("/organisation/skills"), `id="no-release"`)
	app.publish()
	res := lead.get("/organisation/skills")
	wantStatus(t, res, http.StatusOK)
	// Medical (7) is not named: it is "Other staff groups", hidden. A
	// single hidden row could be worked out from the total, so the
	// smallest other row, Admin (12), is hidden too. Nursing (15) shows
	// its mean gap, 1.0 give or take the perturbation.
	if strings.Contains(res.body, "Medical and Dental") {
		t.Error("the page names the 7 medical staff's group")
	}
	for _, g := range []string{"Other staff groups", "Administrative and Clerical"} {
		row := heatmapRow(res.body, g)
		if !strings.Contains(row, "Hidden") || regexp.MustCompile(`>\d+<`).MatchString(row) {
			t.Errorf("%s row is not hidden: %s", g, row)
		}
	}
	nursing := heatmapRow(res.body, "Nursing and Midwifery Registered")
	people := regexp.MustCompile(`<td class="nhsuk-table__cell">(\d+)</td>`).FindStringSubmatch(nursing)
	gap := regexp.MustCompile(`app-heat[^"]*">([0-9.-]+)<`).FindStringSubmatch(nursing)
	if people == nil || gap == nil {
		t.Fatalf("Nursing row: %s", nursing)
	}
	nearCount(t, "Nursing", people[1], 15)
	if v, _ := strconv.ParseFloat(gap[1], 64); math.Abs(v-1.0) > 2*workforce.SumNoise/15+0.1 {
		t.Errorf("Nursing's gap %s, want 1.0 give or take the perturbation", gap[1])
	}
	// Overall: 34 people, mean now (7*3 + 15*2 + 12*1) / 34 = 63/34 = 1.85.
	all := regexp.MustCompile(`<p>(\d+) people\.</p>`).FindStringSubmatch(res.body)
	if all == nil {
		t.Fatal("no count of people")
	}
	nearCount(t, "all staff", all[1], 34)
	means := res.body[strings.Index(res.body, `id="domain-means"`):]
	now := regexp.MustCompile(`<td class="nhsuk-table__cell">([0-9.]+)</td>`).FindStringSubmatch(means[:strings.Index(means, "</table>")])
	if now == nil {
		t.Fatal("no mean now")
	}
	nearMean(t, "overall mean now", now[1], 63.0/34, 34)

	// The 7 medical staff cannot be asked for by name.
	res = lead.get("/organisation/skills?staff-group=" + url.QueryEscape("Medical and Dental"))
	wantContains(t, res, `id="not-published"`)
	if strings.Contains(res.body, `id="domain-means"`) {
		t.Error("figures shown for a filter of 7 people")
	}
	// Nor as "Other staff groups", which is hidden.
	res = lead.get("/organisation/skills?staff-group=" + url.QueryEscape("Other staff groups"))
	wantContains(t, res, `id="filter-hidden"`)
	// Band 5 is everyone: the same people, so the same figures.
	res = lead.get("/organisation/skills?band=" + url.QueryEscape("Band 5"))
	wantContains(t, res, "<p>"+all[1]+" people.</p>")
	// Finer than the published tables: not offered at all.
	res = lead.get("/organisation/skills?staff-group=" + url.QueryEscape("Nursing and Midwifery Registered") + "&department=" + url.QueryEscape("Ward 1"))
	wantContains(t, res, `id="not-published"`)
}

func TestStaffImport(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	lead := app.signedIn("lead@home.test")

	file := "email,name,staff group,band,department,job role\r\n" +
		"amy.jones@home.test,Amy Jones,Nursing and Midwifery Registered,Band 5,Ward 7,Staff nurse\r\n" +
		"not-an-email,Bad Row,Students,,,\r\n" +
		"bo.li@home.test,Bo Li,Astronauts,,,\r\n" +
		"cy.ode@home.test,Cy Ode,Administrative and Clerical,Band 3,Finance,Clerk\r\n" +
		"AMY.JONES@home.test,Amy Again,Students,,,\r\n"
	res := lead.upload("/organisation/staff/import", "staff.csv", file)
	wantStatus(t, res, http.StatusSeeOther)
	firstImport := res.location()
	preview := lead.get(res.location())
	wantStatus(t, preview, http.StatusOK)
	wantContains(t, preview, "Nothing has changed yet", "Will be added", `<td class="nhsuk-table__cell">3</td>`,
		`<td class="nhsuk-table__cell">4</td>`, `<td class="nhsuk-table__cell">6</td>`, "amy.jones@home.test", "cy.ode@home.test")
	if _, err := app.store.UserByEmail(context.Background(), "amy.jones@home.test"); err == nil {
		t.Fatal("the preview created an account")
	}
	wantStatus(t, confirmImport(t, lead, res.location()), http.StatusSeeOther)
	done := lead.get(res.location())
	wantContains(t, done, "Import complete", "Download invitation links")
	amy, err := app.store.UserByEmail(context.Background(), "amy.jones@home.test")
	if err != nil || amy.StaffGroup != "Nursing and Midwifery Registered" || !amy.Has(models.RoleStaff) {
		t.Fatalf("imported account: %+v %v", amy, err)
	}

	// The same file again changes nothing.
	res = lead.upload("/organisation/staff/import", "staff.csv", file)
	again := lead.get(res.location())
	summary := again.body[strings.Index(again.body, `id="summary"`):]
	summary = summary[:strings.Index(summary, "</dl>")]
	if !strings.Contains(summary, "Will be added</dt><dd class=\"nhsuk-summary-list__value\">0") ||
		!strings.Contains(summary, "Unchanged</dt><dd class=\"nhsuk-summary-list__value\">2") {
		t.Errorf("re-import summary: %s", summary)
	}

	// The invitation links let an imported person set a password.
	links := lead.post(firstImport+"/links", nil)
	wantStatus(t, links, http.StatusOK)
	m := regexp.MustCompile(`amy\.jones@home\.test,Amy Jones,http://example\.test/invitations/([A-Za-z0-9_-]+)`).FindStringSubmatch(links.body)
	if m == nil {
		t.Fatalf("no link for Amy in:\n%s", links.body)
	}
	amyBrowser := app.client()
	wantStatus(t, amyBrowser.post("/invitations/"+m[1], url.Values{"name": {"Amy Jones"}, "password": {testPassword}, "confirm-password": {testPassword}}), http.StatusSeeOther)
	wantStatus(t, app.client().signIn("amy.jones@home.test", testPassword), http.StatusSeeOther)
}

func TestStaffImportRefusesABadFile(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	lead := app.signedIn("lead@home.test")
	res := lead.upload("/organisation/staff/import", "staff.csv", "name,department\nAmy,Ward 7\n")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "There is a problem", "email")
	res = lead.post("/organisation/staff/import", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "Choose a CSV file to upload")
}

// TestDepartmentsOfOneAreNeverNamed: twelve people in twelve departments:
// every department is a group of one, so none is named; together they are
// "Other departments", a group of 12, shown.
func TestDepartmentsOfOneAreNeverNamed(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	for i := 0; i < 12; i++ {
		completedPerson(t, app, org, fmt.Sprintf("p%d@home.test", i), "Students", "Band 5", fmt.Sprintf("Ward %d", i), 2, 3)
	}
	app.publish()
	lead := app.signedIn("lead@home.test")
	res := lead.get("/organisation/skills?by=department")
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, "Ward ") {
		t.Error("a department of one person is named")
	}
	if row := heatmapRow(res.body, "Other departments"); row == "" || strings.Contains(row, "Hidden") {
		t.Errorf("the twelve together are not shown as Other departments: %q", row)
	}
	// Asked for by name, a department of one is not published.
	res = lead.get("/organisation/skills?department=" + url.QueryEscape("Ward 3"))
	wantContains(t, res, `id="not-published"`)
	if strings.Contains(res.body, `id="domain-means"`) {
		t.Error("figures shown for a department of one")
	}
}

// TestChangeFromCheckYourAnswersComesBack: "Change" on check your answers
// opens the domain, and saving it returns to check your answers, not to
// the next domain.
func TestChangeFromCheckYourAnswersComesBack(t *testing.T) {
	app := newTestApp(t)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "staff@home.test", models.RoleStaff)
	c := app.signedIn("staff@home.test")
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	wantStatus(t, c.post("/skills/start", nil), http.StatusSeeOther)
	for _, sec := range fw.Sections {
		wantStatus(t, c.post("/skills/domains/"+sec.Code, domainForm(fw, sec.Code, 2, 3, "continue")), http.StatusSeeOther)
	}
	check := c.get("/skills/check")
	first := fw.Sections[0].Code
	link := `href="/skills/domains/` + first + `?from=check#statement-`
	wantContains(t, check, link)
	page := c.get("/skills/domains/" + first + "?from=check")
	wantContains(t, page, `name="from" value="check"`, "Save and return to check your answers")
	form := domainForm(fw, first, 3, 3, "continue")
	form.Set("from", "check")
	res := c.post("/skills/domains/"+first, form)
	wantStatus(t, res, http.StatusSeeOther)
	if res.location() != "/skills/check" {
		t.Errorf("saving a changed domain goes to %q, want /skills/check", res.location())
	}
}
