package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// maturityApp is a test app with one trust, its digital lead, two board
// members and a member of staff.
type maturityApp struct {
	*testApp
	org   models.Organisation
	fw    *assessments.Framework
	lead  *client
	ann   *client // board member
	bob   *client // board member
	annID uint
	bobID uint
}

func newMaturityApp(t *testing.T) *maturityApp {
	t.Helper()
	return newMaturityAppWith(t, func(*Config) {})
}

// newMaturityAppWith is newMaturityApp with its configuration changed.
func newMaturityAppWith(t *testing.T, change func(*Config)) *maturityApp {
	t.Helper()
	app := newTestAppWith(t, change)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "lead@home.test", models.RoleLead)
	ann := app.user(org, "ann@home.test", models.RoleBoard)
	bob := app.user(org, "bob@home.test", models.RoleBoard)
	app.user(org, "staff@home.test", models.RoleStaff)
	fw, ok := app.server.frameworks.Latest(assessments.KindMaturity)
	if !ok {
		t.Fatal("no maturity framework loaded")
	}
	return &maturityApp{testApp: app, org: org, fw: fw,
		lead: app.signedIn("lead@home.test"), ann: app.signedIn("ann@home.test"), bob: app.signedIn("bob@home.test"),
		annID: ann.ID, bobID: bob.ID}
}

// withBoard gives a benchmark's trust the two board members, Ann and Bob,
// whose answers let the lead agree a level (the quorum is two).
func (m *maturityApp) withBoard() {
	ann := m.user(m.org, "ann@"+strings.ToLower(m.org.ODSCode)+".test", models.RoleBoard)
	bob := m.user(m.org, "bob@"+strings.ToLower(m.org.ODSCode)+".test", models.RoleBoard)
	m.ann, m.bob = m.signedIn(ann.Email), m.signedIn(bob.Email)
	m.annID, m.bobID = ann.ID, bob.ID
}

var cycleLocation = regexp.MustCompile(`^/maturity/cycles/(\d+)$`)

// openCycle opens a cycle through the form and returns its path.
func (m *maturityApp) openCycle(t testing.TB) string {
	t.Helper()
	due := time.Now().AddDate(0, 4, 0)
	res := m.lead.post("/maturity/cycles", url.Values{
		"period": {periods(time.Now())[1].Value}, "framework": {m.fw.Code + "@" + m.fw.Version},
		"due-day": {strconv.Itoa(due.Day())}, "due-month": {strconv.Itoa(int(due.Month()))}, "due-year": {strconv.Itoa(due.Year())},
		"quorum": {"2"},
	})
	wantStatus(t, res, http.StatusSeeOther)
	if !cycleLocation.MatchString(res.location()) {
		t.Fatalf("opening a cycle redirects to %q", res.location())
	}
	return res.location()
}

// sectionForm answers every question of a section with one level.
func (m *maturityApp) sectionForm(section string, level int, evidence string) url.Values {
	form := url.Values{}
	sec, _ := m.fw.Section(section)
	for _, q := range sec.Questions {
		form.Set("level-"+q.Code, strconv.Itoa(level))
		form.Set("evidence-"+q.Code, evidence)
	}
	return form
}

// agreeForm agrees every question of a section at one level, from the
// versions shown on the review page.
func (m *maturityApp) agreeForm(t testing.TB, cyclePath, section string, level int, target string) url.Values {
	t.Helper()
	m.ensureQuorum(t, cyclePath, section, level)
	page := m.lead.get(cyclePath + "/review/" + section)
	wantStatus(t, page, http.StatusOK)
	form := url.Values{"target": {target}}
	sec, _ := m.fw.Section(section)
	for _, q := range sec.Questions {
		form.Set("agreed-"+q.Code, strconv.Itoa(level))
		form.Set("version-"+q.Code, hiddenValue(page.body, "version-"+q.Code))
	}
	return form
}

// hiddenValue reads a hidden input's value from a page.
func hiddenValue(body, name string) string {
	return firstGroup(body, `name="`+regexp.QuoteMeta(name)+`" value="([^"]*)"`)
}

// firstGroup is the first group of pattern's first match in body, or ""
// when it does not match.
func firstGroup(body, pattern string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestMaturityJourney(t *testing.T) {
	m := newMaturityApp(t)
	ctx := context.Background()

	// The lead opens a cycle; a bad due date is refused with the values kept.
	res := m.lead.post("/maturity/cycles", url.Values{"period": {periods(time.Now())[1].Value},
		"framework": {m.fw.Code + "@" + m.fw.Version}, "due-day": {"31"}, "due-month": {"2"}, "due-year": {"2030"}})
	wantRefused(t, res, "Due date must be a real date", `value="31"`, `href="#due-day"`)
	cycle := m.openCycle(t)

	// Assign: well-led to both members, smart-foundations to Ann.
	res = m.lead.post(cycle+"/assignments", url.Values{
		"assign-well-led":          {itoa(m.annID), itoa(m.bobID)},
		"assign-smart-foundations": {itoa(m.annID)},
	})
	wantStatus(t, res, http.StatusSeeOther)
	tasks := m.ann.get(cycle)
	wantStatus(t, tasks, http.StatusOK)
	wantContains(t, tasks, "Well led", "Ensure smart foundations", "Not started")
	if strings.Contains(m.bob.get(cycle).body, cycle+"/sections/smart-foundations") {
		t.Error("Bob sees a section not assigned to him")
	}
	wantStatus(t, m.bob.get(cycle+"/sections/smart-foundations"), http.StatusForbidden)

	// Ann answers well-led at level 4 without evidence: saved, but listed.
	form := m.sectionForm("well-led", 4, "")
	form.Set("next", "continue")
	res = m.ann.post(cycle+"/sections/well-led", form)
	wantRefused(t, res, "There is a problem", "Describe the evidence for level 4")
	page := m.ann.get(cycle + "/sections/well-led")
	wantContains(t, page, `value="4" aria-describedby="level-well-led-1-4-hint" checked`)
	// With evidence it is complete.
	form = m.sectionForm("well-led", 4, "Board minutes, March")
	form.Set("next", "continue")
	wantStatus(t, m.ann.post(cycle+"/sections/well-led", form), http.StatusSeeOther)

	// "Save and come back later" keeps a half-done section.
	partial := url.Values{"level-smart-foundations-1": {"2"}, "evidence-smart-foundations-2": {"Draft note"}, "next": {"later"}}
	wantStatus(t, m.ann.post(cycle+"/sections/smart-foundations", partial), http.StatusSeeOther)
	tasks = m.ann.get(cycle)
	wantContains(t, tasks, "In progress", "1 of 6 questions answered", "Completed")
	page = m.ann.get(cycle + "/sections/smart-foundations")
	wantContains(t, page, "Draft note", "Section 2 of 7", "1 of 6 questions answered")

	// Bob answers the same section differently; Ann's answers are untouched.
	wantStatus(t, m.bob.post(cycle+"/sections/well-led", url.Values{"level-well-led-1": {"1"}, "next": {"later"}}), http.StatusSeeOther)
	annAnswers, err := m.store.AnswersBy(ctx, cycleID(t, cycle), m.annID)
	if err != nil {
		t.Fatal(err)
	}
	if a := annAnswers["well-led-1"]; a.Level == nil || *a.Level != 4 || a.Evidence != "Board minutes, March" {
		t.Errorf("Bob's save changed Ann's answer: %+v", a)
	}

	// The review shows both answers and flags the spread (4 and 1: 3 levels).
	review := m.lead.get(cycle + "/review/well-led")
	wantStatus(t, review, http.StatusOK)
	wantContains(t, review, "Person ann@home.test", "Person bob@home.test", "Lowest 1, highest 4, mean 2.5",
		"Spread of 2 levels or more", "Board minutes, March")
	// Nothing is agreed by default: "Not agreed yet" is the checked choice.
	wantContains(t, review, `id="agreed-well-led-1-none" name="agreed-well-led-1" type="radio" value="" checked`)

	// Submitting now lists every question without an agreed level.
	res = m.lead.post(cycle+"/submit", signOff(""))
	wantRefused(t, res, "Agree a level for", `href="#missing-healthy-populations-6"`)

	// Agree every section. Levels by section, worked by hand below:
	// well-led 3, smart-foundations 2, safe-practice 4, support-people 3,
	// empower-citizens 5, improve-care 1, healthy-populations 2.
	levels := map[string]int{"well-led": 3, "smart-foundations": 2, "safe-practice": 4, "support-people": 3,
		"empower-citizens": 5, "improve-care": 1, "healthy-populations": 2}
	for section, level := range levels {
		target := ""
		if section == "well-led" {
			target = "4"
		}
		form := m.agreeForm(t, cycle, section, level, target)
		if section == "empower-citizens" {
			form.Set("agreed-empower-citizens-2", "0") // not applicable: left out of the mean
		}
		wantStatus(t, m.lead.post(cycle+"/review/"+section, form), http.StatusSeeOther)
	}

	res = m.lead.post(cycle+"/submit", signOff(""))
	wantStatus(t, res, http.StatusSeeOther)
	results := m.lead.get(res.location())
	wantStatus(t, results, http.StatusOK)
	// Overall = (3 + 2 + 4 + 3 + 5 + 1 + 2) / 7 = 20 / 7 = 2.857... shown 2.9,
	// amber (2.5 <= 2.9 < 3.5). Well led: target 4 - score 3.0 = gap 1.0.
	wantContains(t, results, `id="overall-score">2.9 `, `id="overall-rag">Amber`)
	for section, want := range map[string]string{
		"well-led": "3.0", "smart-foundations": "2.0", "safe-practice": "4.0", "support-people": "3.0",
		"empower-citizens": "5.0", "improve-care": "1.0", "healthy-populations": "2.0",
	} {
		if got := sectionCell(results.body, section); !strings.Contains(got, ">"+want) {
			t.Errorf("%s score: row %q lacks %s", section, got, want)
		}
	}
	wantContains(t, results, "(1 not applicable)", "Well led: score 3.0, target 4.0, gap 1.0", "No benchmark", "<svg")
	for section, rag := range map[string]string{"safe-practice": "Green", "improve-care": "Red", "support-people": "Amber"} {
		if !strings.Contains(sectionCell(results.body, section), rag) {
			t.Errorf("%s is not rated %s", section, rag)
		}
	}

	// Read-only after submission: board answers and agreed levels refused.
	res = m.ann.post(cycle+"/sections/well-led", m.sectionForm("well-led", 1, "x"))
	wantRefused(t, res, "can no longer change")
	res = m.lead.post(cycle+"/review/well-led", m.agreeForm(t, cycle, "well-led", 1, ""))
	wantRefused(t, res, "has been submitted")
	annAnswers, _ = m.store.AnswersBy(ctx, cycleID(t, cycle), m.annID)
	if a := annAnswers["well-led-2"]; a.Level == nil || *a.Level != 4 {
		t.Errorf("an answer changed after submission: %+v", a)
	}

	// Reopen, which is audited, and the cycle is editable again.
	c, _ := m.store.CycleInOrganisation(ctx, m.org.ID, cycleID(t, cycle))
	res = m.lead.post(cycle+"/reopen", url.Values{"version": {strconv.FormatInt(c.Version, 10)}, "reason": {"The board asked for a second look"}})
	wantStatus(t, res, http.StatusSeeOther)
	log, _ := m.store.AuditLog(ctx, m.org.ID, 500)
	for _, action := range []string{"maturity.cycle.open", "maturity.assign", "maturity.answers.save", "maturity.agreed.save",
		"maturity.target.save", "maturity.cycle.submit", "maturity.cycle.reopen"} {
		found := false
		for _, e := range log {
			found = found || e.Action == action
		}
		if !found {
			t.Errorf("no audit event %s", action)
		}
	}
	wantStatus(t, m.ann.post(cycle+"/sections/well-led", url.Values{"level-well-led-1": {"5"}, "evidence-well-led-1": {"New evidence"}, "next": {"later"}}), http.StatusSeeOther)
}

func cycleID(t *testing.T, path string) uint {
	t.Helper()
	id, err := strconv.ParseUint(path[strings.LastIndex(path, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("no cycle id in %q", path)
	}
	return uint(id)
}

// sectionCell returns the results table row of one section.
func sectionCell(body, section string) string {
	start := strings.Index(body, `id="section-`+section+`"`)
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "</tr>")
	return body[start : start+end]
}

// hiddenValueChecked returns the value of the checked radio of a group.
func hiddenValueChecked(body, name string) string {
	return firstGroup(body, `name="`+regexp.QuoteMeta(name)+`" type="radio" value="([^"]*)"[^>]*checked`)
}

func TestConcurrentSavesLoseNothing(t *testing.T) {
	m := newMaturityApp(t)
	ctx := context.Background()
	cycle := m.openCycle(t)
	id := cycleID(t, cycle)

	// Eight board members answer the same section at the same moment.
	const members = 8
	var ids []string
	clients := make([]*client, members)
	for i := range members {
		email := fmt.Sprintf("member%d@home.test", i)
		u := m.user(m.org, email, models.RoleBoard)
		ids = append(ids, itoa(u.ID))
		clients[i] = m.signedIn(email)
	}
	wantStatus(t, m.lead.post(cycle+"/assignments", url.Values{"assign-well-led": ids}), http.StatusSeeOther)
	var wg sync.WaitGroup
	statuses := make([]int, members)
	for i := range members {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			form := m.sectionForm("well-led", 1+i%5, fmt.Sprintf("evidence from member %d", i))
			form.Set("next", "later")
			statuses[i] = clients[i].post(cycle+"/sections/well-led", form).status
		}(i)
	}
	wg.Wait()
	answers, err := m.store.CycleAnswers(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	sec, _ := m.fw.Section("well-led")
	if len(answers) != members*len(sec.Questions) {
		t.Errorf("%d answers stored, want %d (statuses %v)", len(answers), members*len(sec.Questions), statuses)
	}
	for _, a := range answers {
		n, _ := strconv.Atoi(strings.TrimPrefix(a.Evidence, "evidence from member "))
		if a.Level == nil || *a.Level != 1+n%5 {
			t.Errorf("member %d's answer to %s is %v", n, a.QuestionCode, a.Level)
		}
	}

	// Two edits of the same agreed level from the same version: exactly one
	// is refused as a conflict, whoever comes second.
	c, _ := m.store.CycleInOrganisation(ctx, m.org.ID, id)
	for round := range 3 {
		agreed, _ := m.store.Agreed(ctx, id)
		version := agreed["well-led-1"].Version
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				// Each edit really changes something: saving the value
				// already stored is not a conflict.
				level := 1 + (2*round+i)%5
				note := fmt.Sprintf("round %d, editor %d", round, i)
				errs[i] = m.store.SaveAgreed(ctx, c, []models.AgreedChange{{QuestionCode: "well-led-1", Level: &level, Note: note, Version: version}}, 0)
			}(i)
		}
		wg.Wait()
		conflicts := 0
		for _, err := range errs {
			var ce *models.ConflictError
			switch {
			case err == nil:
			case asConflict(err, &ce):
				conflicts++
			default:
				t.Fatalf("round %d: unexpected error %v", round, err)
			}
		}
		if conflicts != 1 {
			t.Errorf("round %d: %d conflicts, want exactly 1", round, conflicts)
		}
	}
}

func asConflict(err error, target **models.ConflictError) bool {
	ce, ok := err.(*models.ConflictError)
	if ok {
		*target = ce
	}
	return ok
}

// fixedCycleScores is a scorer that gives scores chosen by the test,
// whatever the agreed levels.
func fixedCycleScores(sections map[string]float64, overall *float64) models.CycleScorer {
	return func(map[string]models.AgreedAnswer) (map[string]float64, *float64, error) {
		return sections, overall, nil
	}
}

// submittedCycle stores a submitted cycle with the given scores directly,
// as submission would have written them.
func submittedCycle(t *testing.T, app *testApp, org models.Organisation, period string, overall float64, sections map[string]float64) models.MaturityCycle {
	t.Helper()
	ctx := context.Background()
	c := app.newCycle(t, org, period, time.Now())
	if err := app.store.SubmitCycle(ctx, c, fixedCycleScores(sections, &overall), testSignOff, 0); err != nil {
		t.Fatal(err)
	}
	c, _ = app.store.CycleInOrganisation(ctx, org.ID, c.ID)
	return c
}

func TestResultsShowTrendAndBenchmark(t *testing.T) {
	m := newMaturityApp(t)
	// Last year's submitted cycle: overall 2.2, well led 2.5.
	submittedCycle(t, m.testApp, m.org, "2024/25", 2.2, map[string]float64{"well-led": 2.5})

	// Four other acute trusts: not enough for a benchmark.
	peerOverall := []float64{4.0, 2.0, 3.5, 2.5}
	for i, score := range peerOverall {
		o := m.organisation(fmt.Sprintf("Peer %d", i), fmt.Sprintf("PR%d", i), models.KindAcute)
		submittedCycle(t, m.testApp, o, "2025/26", score, map[string]float64{"well-led": score})
	}
	// A mental health trust does not count: another kind.
	mh := m.organisation("Mind Trust", "MHT", models.KindMentalHealth)
	submittedCycle(t, m.testApp, mh, "2025/26", 1.0, map[string]float64{"well-led": 1.0})

	cycle := m.openCycle(t)
	for section, level := range map[string]int{"well-led": 3, "smart-foundations": 3, "safe-practice": 3, "support-people": 3,
		"empower-citizens": 3, "improve-care": 3, "healthy-populations": 3} {
		wantStatus(t, m.lead.post(cycle+"/review/"+section, m.agreeForm(t, cycle, section, level, "")), http.StatusSeeOther)
	}
	res := m.lead.get(cycle + "/results")
	wantStatus(t, res, http.StatusOK)
	// Overall 3.0 against 2.2 last year: up 0.8. Well led 3.0 against 2.5: up 0.5.
	wantContains(t, res, "Draft results", `id="overall-score">3.0 `, "(2.2): up 0.8", "No benchmark: fewer than 5")
	if !strings.Contains(sectionCell(res.body, "well-led"), "2.5 (up 0.5)") {
		t.Errorf("well-led row lacks the change: %s", sectionCell(res.body, "well-led"))
	}

	// A fifth acute trust makes the benchmark show. Overall scores sorted:
	// 2.0 2.5 3.0 3.5 4.0, n = 5. Median at p(n-1) = 0.5*4 = 2 -> 3.0;
	// lower quartile at 0.25*4 = 1 -> 2.5; upper at 0.75*4 = 3 -> 3.5.
	// Our 3.0 lies within 2.5 to 3.5.
	o := m.organisation("Peer 5", "PR5", models.KindAcute)
	submittedCycle(t, m.testApp, o, "2025/26", 3.0, map[string]float64{"well-led": 3.0})
	res = m.lead.get(cycle + "/results")
	wantContains(t, res, "median 3.0, middle half 2.5 to 3.5 (5 organisations). Your score is within the middle half")
	for _, name := range []string{"Peer 0", "Peer 5", "Mind Trust"} {
		if strings.Contains(res.body, name) {
			t.Errorf("the results page names another organisation: %s", name)
		}
	}
	// The peer's later reopened cycle leaves the benchmark.
	c, _ := m.store.Cycles(context.Background(), o.ID)
	if err := m.store.ReopenCycle(context.Background(), c[0], "A test reopens it", 0); err != nil {
		t.Fatal(err)
	}
	wantContains(t, m.lead.get(cycle+"/results"), "No benchmark: fewer than 5")
}

// TestServerRefusesAChangedFrameworkInUse: the file's hash is stored with
// its version, and a start with different content for a used version stops.
func TestServerRefusesAChangedFrameworkInUse(t *testing.T) {
	m := newMaturityApp(t)
	m.openCycle(t)
	lib := testFrameworks(t)
	fw, _ := lib.Latest(assessments.KindMaturity)
	fw.Hash = "edited-without-a-new-version"
	_, err := New(m.store, lib, m.server.cfg, m.server.log)
	if err == nil || !strings.Contains(err.Error(), "frameworks/wgll-maturity-2026.1.yaml") ||
		!strings.Contains(err.Error(), "give the changed file a new version number") {
		t.Errorf("start with a changed framework: %v", err)
	}
}
