package maturity_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/validation"
)

// fixture is one organisation with a lead and two board members, and the
// service on a fresh store with the real maturity framework registered.
type fixture struct {
	t             *testing.T
	ctx           context.Context
	store         *models.Store
	lib           *assessments.Library
	fw            *assessments.Framework
	svc           *maturity.Service
	cfg           maturity.Config
	org           models.Organisation
	lead, amy, bo models.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), store: testdb.Open(t)}
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	f.lib = lib
	f.fw, _ = lib.Latest(assessments.KindMaturity)
	fv, err := f.store.RegisterFramework(f.ctx, models.FrameworkVersion{Code: f.fw.Code, Kind: f.fw.Kind,
		Version: f.fw.Version, Title: f.fw.Title, ContentHash: f.fw.Hash})
	if err != nil {
		t.Fatal(err)
	}
	f.cfg = maturity.Config{Framework: func(id uint) (*assessments.Framework, error) {
		if id != fv.ID {
			return nil, fmt.Errorf("framework %d not loaded", id)
		}
		return f.fw, nil
	}}
	f.svc = maturity.New(f.store, f.cfg)
	f.org = models.Organisation{Name: "Home Trust", ODSCode: "RHM", Kind: models.KindAcute}
	if err := f.store.CreateOrganisation(f.ctx, &f.org, 0); err != nil {
		t.Fatal(err)
	}
	f.lead = f.user("lead@home.test", "Lee Lead", models.RoleLead)
	f.amy = f.user("amy@home.test", "Amy Board", models.RoleBoard)
	f.bo = f.user("bo@home.test", "Bo Board", models.RoleBoard)
	return f
}

func (f *fixture) user(email, name string, roles ...models.Role) models.User {
	f.t.Helper()
	u := models.User{OrganisationID: f.org.ID, Email: email, Name: name, RoleCodes: models.Roles(roles).String(), Active: true}
	if err := f.store.CreateUser(f.ctx, &u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// open opens this year's cycle with the quorum given.
func (f *fixture) open(quorum int) models.MaturityCycle {
	f.t.Helper()
	due := time.Now().AddDate(0, 1, 0)
	cycle, err := f.svc.OpenCycle(f.ctx, f.lib, maturity.CycleForm{Period: maturity.Periods(time.Now())[1],
		Framework: f.fw.Code + "@" + f.fw.Version, Quorum: strconv.Itoa(quorum),
		DueDay: strconv.Itoa(due.Day()), DueMonth: strconv.Itoa(int(due.Month())), DueYear: strconv.Itoa(due.Year())},
		f.org.ID, f.lead.ID, time.Now(), nil)
	if err != nil {
		f.t.Fatalf("open cycle: %v", err)
	}
	return cycle
}

// assign gives each member listed every section in codes.
func (f *fixture) assign(cycle models.MaturityCycle, codes []string, members ...models.User) {
	f.t.Helper()
	chosen := map[string][]string{}
	for _, code := range codes {
		for _, m := range members {
			chosen[code] = append(chosen[code], strconv.FormatUint(uint64(m.ID), 10))
		}
	}
	if err := f.svc.SaveAssignments(f.ctx, cycle, f.fw, chosen, f.lead.ID); err != nil {
		f.t.Fatalf("assign: %v", err)
	}
}

// answer saves a member's section with the levels given, in question order,
// and evidence for every question; it returns what SaveSection returned.
func (f *fixture) answer(cycle models.MaturityCycle, u models.User, code string, later bool, levels ...string) (maturity.SectionPage, error) {
	f.t.Helper()
	page, err := f.svc.AssignedSection(f.ctx, cycle, f.fw, code, u)
	if err != nil {
		f.t.Fatalf("section %s: %v", code, err)
	}
	form := maturity.SectionForm{Levels: map[string]string{}, Evidence: map[string]string{}, Later: later}
	for i, q := range page.Section.Questions {
		if i < len(levels) {
			form.Levels[q.Code] = levels[i]
			form.Evidence[q.Code] = "Minutes of the board"
		}
	}
	answers := page.ReadAnswers(form, nil)
	return page, f.svc.SaveSection(f.ctx, &page, answers, later)
}

// agree saves a section's agreed levels (in question order) and target.
func (f *fixture) agree(cycle models.MaturityCycle, code, target string, levels ...string) (maturity.Review, error) {
	f.t.Helper()
	r, err := f.svc.ReviewOf(f.ctx, cycle, f.fw, code)
	if err != nil {
		f.t.Fatal(err)
	}
	return r, f.save(&r, target, levels...)
}

// amysWellLed opens a cycle with Amy assigned to well-led, and her page
// of it.
func (f *fixture) amysWellLed(t *testing.T) (models.MaturityCycle, maturity.SectionPage) {
	t.Helper()
	cycle := f.open(1)
	f.assign(cycle, []string{"well-led"}, f.amy)
	page, err := f.svc.AssignedSection(f.ctx, cycle, f.fw, "well-led", f.amy)
	if err != nil {
		t.Fatal(err)
	}
	return cycle, page
}

// notApplicableWhereAllowed is a section's agreed levels: "0" on the
// questions that allow not applicable, the answered levels in turn on the
// rest.
func (f *fixture) notApplicableWhereAllowed(code string, answered ...string) []string {
	sec, _ := f.fw.Section(code)
	var levels []string
	for _, q := range sec.Questions {
		if q.AllowNotApplicable {
			levels = append(levels, "0")
		} else {
			levels = append(levels, answered[0])
			answered = answered[1:]
		}
	}
	return levels
}

// agreeAll agrees every section of the cycle at the levels and targets
// given.
func (f *fixture) agreeAll(t *testing.T, cycle models.MaturityCycle, targets map[string]string, agreed map[string][]string) {
	t.Helper()
	for _, code := range f.fw.SectionCodes() {
		if _, err := f.agree(cycle, code, targets[code], agreed[code]...); err != nil {
			t.Fatalf("agree %s: %v", code, err)
		}
	}
}

func (f *fixture) save(r *maturity.Review, target string, levels ...string) error {
	form := maturity.ReviewForm{Levels: map[string]string{}, Notes: map[string]string{}, Versions: map[string]string{},
		Target: target, TargetVersion: strconv.FormatInt(r.TargetVersion, 10)}
	for i, q := range r.Questions {
		form.Levels[q.Question.Code] = levels[i]
		form.Versions[q.Question.Code] = strconv.FormatInt(q.Version, 10)
	}
	return f.svc.SaveReview(f.ctx, r, form, nil, nil, f.lead.ID)
}

func (f *fixture) reload(cycle models.MaturityCycle) models.MaturityCycle {
	f.t.Helper()
	c, err := f.store.CycleInOrganisation(f.ctx, f.org.ID, cycle.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func six(level string) []string { return []string{level, level, level, level, level, level} }

func TestSectionStatus(t *testing.T) {
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	fw, _ := lib.Latest(assessments.KindMaturity)
	sec := &fw.Sections[0]
	l := func(n int) *int { return &n }
	answers := map[string]models.MaturityAnswer{}
	if status, n := maturity.SectionStatus(sec, answers); status != maturity.SectionNotStarted || n != 0 {
		t.Errorf("no answers: %q %d, want Not started 0", status, n)
	}
	answers[sec.Questions[0].Code] = models.MaturityAnswer{Evidence: "A draft"}
	if status, n := maturity.SectionStatus(sec, answers); status != maturity.SectionInProgress || n != 0 {
		t.Errorf("evidence only: %q %d, want In progress 0", status, n)
	}
	for _, q := range sec.Questions {
		answers[q.Code] = models.MaturityAnswer{Level: l(3)}
	}
	// Level 4 without evidence is not an answer yet.
	answers[sec.Questions[5].Code] = models.MaturityAnswer{Level: l(4), Evidence: "  "}
	if status, n := maturity.SectionStatus(sec, answers); status != maturity.SectionInProgress || n != 5 {
		t.Errorf("level 4 without evidence: %q %d, want In progress 5", status, n)
	}
	answers[sec.Questions[5].Code] = models.MaturityAnswer{Level: l(4), Evidence: "Audit report"}
	if status, n := maturity.SectionStatus(sec, answers); status != maturity.SectionCompleted || n != 6 {
		t.Errorf("all answered: %q %d, want Completed 6", status, n)
	}
}

func TestOpenCycleRefusesWhatIsWrong(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	_, err := f.svc.OpenCycle(f.ctx, f.lib, maturity.CycleForm{Period: "1999/00", Framework: "nope@1", Quorum: "21",
		DueDay: "31", DueMonth: "5", DueYear: "2026"}, f.org.ID, f.lead.ID, now, validation.Errors{{Field: "x", Message: "From the caller"}})
	var fe validation.Errors
	if !errors.As(err, &fe) {
		t.Fatalf("err %v, want validation.Errors", err)
	}
	want := validation.Errors{
		{Field: "period", Message: "Select the period the assessment covers"},
		{Field: "framework", Message: "Select a framework version"},
		{Field: "due-day", Message: "Due date must be today or in the future"},
		{Field: "quorum", Message: "The quorum must be a whole number from 1 to 20"},
		{Field: "x", Message: "From the caller"},
	}
	if fmt.Sprint(fe) != fmt.Sprint(want) {
		t.Errorf("errors\n%v\nwant\n%v", fe, want)
	}
	form := maturity.CycleForm{Period: "2026/27", Framework: f.fw.Code + "@" + f.fw.Version, Quorum: "",
		DueDay: "31", DueMonth: "2", DueYear: "2027"}
	_, err = f.svc.OpenCycle(f.ctx, f.lib, form, f.org.ID, f.lead.ID, now, nil)
	if !errors.As(err, &fe) || fe.For("quorum") != "Enter how many board members must answer a question before its level can be agreed" ||
		fe.For("due-day") != "Due date must be a real date, like 31 3 2027" {
		t.Errorf("empty quorum and 31 February: %v", err)
	}
	form.Quorum, form.DueDay = "2", "28"
	cycle, err := f.svc.OpenCycle(f.ctx, f.lib, form, f.org.ID, f.lead.ID, now, nil)
	if err != nil || cycle.Quorum != 2 || cycle.Period != "2026/27" {
		t.Fatalf("open: %+v %v", cycle, err)
	}
	_, err = f.svc.OpenCycle(f.ctx, f.lib, form, f.org.ID, f.lead.ID, now, nil)
	if !errors.As(err, &fe) || fe.For("period") != "Your organisation already has a cycle for 2026/27. Open it from the list" {
		t.Errorf("second cycle for the period: %v", err)
	}
}

func TestTaskListAndSectionSaving(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	f.assign(cycle, []string{"well-led", "smart-foundations"}, f.amy)

	// Half a section, "come back later": stored, nothing asked for.
	if _, err := f.answer(cycle, f.amy, "well-led", true, "3", "2"); err != nil {
		t.Fatalf("later: %v", err)
	}
	// Finishing it without evidence for level 4, and without a level for
	// the last question, stores what there is and asks for the rest.
	page, err := f.svc.AssignedSection(f.ctx, cycle, f.fw, "well-led", f.amy)
	if err != nil {
		t.Fatal(err)
	}
	form := maturity.SectionForm{Levels: map[string]string{}, Evidence: map[string]string{}}
	qs := page.Section.Questions
	for i, q := range qs[:5] {
		form.Levels[q.Code] = []string{"3", "3", "3", "3", "4"}[i]
	}
	form.Levels[qs[1].Code] = "7"
	answers := page.ReadAnswers(form, nil)
	err = f.svc.SaveSection(f.ctx, &page, answers, false)
	var fe validation.Errors
	if !errors.As(err, &fe) {
		t.Fatalf("incomplete section: %v", err)
	}
	want := validation.Errors{
		{Field: "level-" + qs[1].Code + "-1", Message: "Select a level from 1 to 5 for " + maturity.LowerFirst(qs[1].Title)},
		{Field: "level-" + qs[4].Code + "-1", Message: "Describe the evidence for level 4 for " + maturity.LowerFirst(qs[4].Title)},
		{Field: "level-" + qs[5].Code + "-1", Message: "Select a level for " + maturity.LowerFirst(qs[5].Title)},
	}
	if fmt.Sprint(fe) != fmt.Sprint(want) {
		t.Errorf("errors\n%v\nwant\n%v", fe, want)
	}
	if page.Answered != 3 {
		t.Errorf("answered %d, want 3 (questions 1, 3 and 4)", page.Answered)
	}
	stored, err := f.store.AnswersBy(f.ctx, cycle.ID, f.amy.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a := stored[qs[4].Code]; a.Level == nil || *a.Level != 4 {
		t.Errorf("level 4 without evidence not stored: %+v", a)
	}
	if a := stored[qs[1].Code]; a.Level != nil {
		t.Errorf("level 7 stored: %+v", a)
	}

	ov, err := f.svc.Overview(f.ctx, cycle, f.fw, f.amy)
	if err != nil {
		t.Fatal(err)
	}
	if r := ov.Sections[0]; !r.Mine || r.MyStatus != maturity.SectionInProgress || r.Answered != 3 {
		t.Errorf("well-led row %+v, want mine, In progress, 3", r)
	}
	if r := ov.Sections[1]; !r.Mine || r.MyStatus != maturity.SectionNotStarted {
		t.Errorf("smart-foundations row %+v, want mine, Not started", r)
	}
	if r := ov.Sections[2]; r.Mine || len(r.Members) != 0 {
		t.Errorf("safe-practice row %+v, want nobody", r)
	}
	if len(ov.Missing) != 42 || ov.AgreedTotal != 0 {
		t.Errorf("missing %d agreed %d, want 42 and 0", len(ov.Missing), ov.AgreedTotal)
	}

	if _, err := f.answer(cycle, f.amy, "well-led", false, six("3")...); err != nil {
		t.Fatalf("complete section: %v", err)
	}
	tasks, err := f.svc.BoardTasks(f.ctx, f.amy)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].Sections != 2 || tasks[0].Complete != 1 {
		t.Errorf("tasks %+v, want one cycle, 1 of 2 sections complete", tasks)
	}
	if _, err := f.svc.AssignedSection(f.ctx, cycle, f.fw, "safe-practice", f.amy); !errors.Is(err, maturity.ErrNotAssigned) {
		t.Errorf("unassigned section: %v, want ErrNotAssigned", err)
	}
	if _, err := f.svc.AssignedSection(f.ctx, cycle, f.fw, "no-such", f.amy); !errors.Is(err, maturity.ErrNoSection) {
		t.Errorf("unknown section: %v, want ErrNoSection", err)
	}
	done, err := f.svc.AllAnswered(f.ctx, cycle, f.fw)
	if err != nil || done {
		t.Errorf("all answered with five sections unassigned: %v %v", done, err)
	}
}

// answerAll has Amy answer every section at level 3.
func (f *fixture) answerAll(cycle models.MaturityCycle) {
	f.t.Helper()
	f.assign(cycle, f.fw.SectionCodes(), f.amy)
	for _, code := range f.fw.SectionCodes() {
		if _, err := f.answer(cycle, f.amy, code, false, six("3")...); err != nil {
			f.t.Fatalf("answer %s: %v", code, err)
		}
	}
}

func TestResultsOnHandWorkedNumbers(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	f.answerAll(cycle)
	done, err := f.svc.AllAnswered(f.ctx, cycle, f.fw)
	if err != nil || !done {
		t.Fatalf("all answered: %v %v", done, err)
	}
	agreed := map[string][]string{
		"well-led":            six("3"),                       // 3.0 amber
		"smart-foundations":   {"4", "4", "4", "4", "5", "5"}, // 26/6 = 4.33, shown 4.3 green, target 4: gap -0.3
		"safe-practice":       {"1", "1", "2", "2", "2", "2"}, // 10/6 = 1.67, shown 1.7 red, target 3: gap 1.3
		"support-people":      six("3"),                       // 3.0
		"empower-citizens":    nil,                            // two not applicable, left out: (2+3+4+3)/4 = 3.0
		"improve-care":        six("3"),                       // 3.0
		"healthy-populations": six("3"),                       // 3.0
	}
	targets := map[string]string{"smart-foundations": "4", "safe-practice": "3"}
	// Not applicable goes on the two questions that allow it.
	agreed["empower-citizens"] = f.notApplicableWhereAllowed("empower-citizens", "2", "3", "4", "3")
	f.agreeAll(t, cycle, targets, agreed)
	cycle = f.reload(cycle)
	res, err := f.svc.Results(f.ctx, cycle, f.fw, f.org)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]maturity.SectionResult{}
	for _, r := range res.Sections {
		byCode[r.Section.Code] = r
	}
	type want struct {
		shown float64
		rag   assessments.RAG
		gap   float64
	}
	for code, w := range map[string]want{
		"well-led":          {3.0, assessments.RAGAmber, 0},
		"smart-foundations": {4.3, assessments.RAGGreen, -0.3},
		"safe-practice":     {1.7, assessments.RAGRed, 1.3},
	} {
		r := byCode[code]
		if !r.Complete || r.Agreed != 6 || r.Shown != w.shown || r.RAG != w.rag || r.Gap != w.gap || r.Respondents != 1 {
			t.Errorf("%s: %+v, want shown %.1f %v gap %.1f, complete, 6 agreed, 1 respondent", code, r, w.shown, w.rag, w.gap)
		}
	}
	if r := byCode["empower-citizens"]; r.Score.NotApplicable != 2 || r.Score.Answered != 4 {
		t.Errorf("empower-citizens: %+v, want 2 not applicable and 4 answered", r.Score)
	}
	if math.Abs(byCode["smart-foundations"].Score.Score-26.0/6) > 1e-9 {
		t.Errorf("unrounded score %v, want 26/6", byCode["smart-foundations"].Score.Score)
	}
	// Overall: the mean of the unrounded section scores, (3 + 26/6 + 10/6 + 3 + 3 + 3 + 3) / 7 = 3.
	if !res.OverallScored || res.Overall != 3.0 || res.OverallRAG != assessments.RAGAmber || res.CompleteSections != 7 {
		t.Errorf("overall %v %v %v complete %d, want 3.0 amber, 7 complete", res.OverallScored, res.Overall, res.OverallRAG, res.CompleteSections)
	}
	if len(res.Priorities) != 2 || res.Priorities[0].Code != "safe-practice" || res.Priorities[1].Code != "smart-foundations" {
		t.Errorf("priorities %+v, want safe-practice then smart-foundations", res.Priorities)
	}
	// No peers: no benchmark; no earlier cycle: the trend is this draft only.
	if res.Benchmark.Shown || res.Previous != nil || res.BenchmarkPeriod != "" {
		t.Errorf("benchmark %+v previous %v period %q", res.Benchmark, res.Previous, res.BenchmarkPeriod)
	}
	if len(res.Trend) != 1 || !res.Trend[0].Draft || *res.Trend[0].Overall != 3.0 || res.Trend[0].Cell("safe-practice") != (maturity.TrendCell{Has: true, Score: 1.7}) {
		t.Errorf("trend %+v", res.Trend)
	}
}

func TestSubmissionInOneTransaction(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	f.answerAll(cycle)
	for _, code := range f.fw.SectionCodes() {
		if _, err := f.agree(cycle, code, "4", six("3")...); err != nil {
			t.Fatalf("agree %s: %v", code, err)
		}
	}
	signOff, errs := maturity.ReadSignOff(maturity.SignOffForm{Day: "1", Month: "4", Year: "2026", Name: "Ann Chair", Role: "Chair", Reviewed: true}, time.Now(), nil)
	if len(errs) > 0 {
		t.Fatalf("sign-off: %v", errs)
	}
	seen := f.reload(cycle)

	// A level cleared after the lead looked: the cycle moves on, so the
	// version the lead saw is stale and nothing is submitted.
	if _, err := f.agree(cycle, "well-led", "4", "", "3", "3", "3", "3", "3"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(f.ctx, seen, f.fw, signOff, f.lead.ID); !errors.Is(err, maturity.ErrChanged) {
		t.Fatalf("stale submission: %v, want ErrChanged", err)
	}
	// At the current version, the missing level is found inside the
	// transaction: still nothing submitted.
	if err := f.svc.Submit(f.ctx, f.reload(cycle), f.fw, signOff, f.lead.ID); !errors.Is(err, maturity.ErrChanged) {
		t.Fatalf("incomplete submission: %v, want ErrChanged", err)
	}
	if c := f.reload(cycle); c.Locked() || c.OverallScore != nil {
		t.Fatalf("refused submission left the cycle %s with score %v", c.Status, c.OverallScore)
	}
	if scores, _ := f.store.SectionScores(f.ctx, cycle.ID); len(scores) != 0 {
		t.Fatalf("refused submission stored scores %v", scores)
	}

	if _, err := f.agree(cycle, "well-led", "4", "5", "5", "5", "5", "5", "4"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(f.ctx, f.reload(cycle), f.fw, signOff, f.lead.ID); err != nil {
		t.Fatalf("submit: %v", err)
	}
	c := f.reload(cycle)
	// Well led 29/6; the other six 3: overall (29/6 + 18) / 7.
	if !c.Locked() || c.OverallScore == nil || math.Abs(*c.OverallScore-(29.0/6+18)/7) > 1e-9 || c.SignedOffBy != "Ann Chair" {
		t.Fatalf("submitted cycle %+v", c)
	}
	scores, err := f.store.SectionScores(f.ctx, cycle.ID)
	if err != nil || len(scores) != 7 || math.Abs(scores["well-led"]-29.0/6) > 1e-9 || scores["safe-practice"] != 3 {
		t.Fatalf("stored section scores %v %v", scores, err)
	}

	// Submitted: answers, reviews and assignments are refused.
	_, err = f.answer(c, f.amy, "well-led", false, six("2")...)
	var fe validation.Errors
	if !errors.As(err, &fe) || fe.For("status") != "This assessment has been submitted, so answers can no longer change" {
		t.Errorf("answering a submitted cycle: %v", err)
	}
	if _, err := f.agree(c, "well-led", "", six("1")...); !errors.As(err, &fe) || !strings.HasPrefix(fe.For("status"), "This assessment has been submitted") {
		t.Errorf("reviewing a submitted cycle: %v", err)
	}
	if err := f.svc.SaveAssignments(f.ctx, c, f.fw, nil, f.lead.ID); !errors.Is(err, maturity.ErrLocked) {
		t.Errorf("assigning in a submitted cycle: %v, want ErrLocked", err)
	}

	// Reopening needs a reason and the version the lead saw.
	if err := f.svc.Reopen(f.ctx, c, "", nil, f.lead.ID); !errors.As(err, &fe) || fe.For("reason") != "Enter why the assessment is being reopened" {
		t.Errorf("reopen without a reason: %v", err)
	}
	stale := c
	stale.Version--
	if err := f.svc.Reopen(f.ctx, stale, "A level was wrong", nil, f.lead.ID); !errors.Is(err, maturity.ErrChanged) {
		t.Errorf("stale reopen: %v, want ErrChanged", err)
	}
	if err := f.svc.Reopen(f.ctx, c, "A level was wrong", nil, f.lead.ID); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if c := f.reload(cycle); c.Locked() {
		t.Errorf("reopened cycle is %s", c.Status)
	}
}

func TestReviewConflictsAndQuorum(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(2)
	f.assign(cycle, []string{"well-led"}, f.amy, f.bo)
	if _, err := f.answer(cycle, f.amy, "well-led", false, six("3")...); err != nil {
		t.Fatal(err)
	}
	q := f.fw.Sections[0].Questions[0]

	// One of the two needed has answered: nothing can be agreed yet.
	r, err := f.agree(cycle, "well-led", "", "3", "", "", "", "", "")
	var fe validation.Errors
	if !errors.As(err, &fe) || r.Conflicted() {
		t.Fatalf("below quorum: %v", err)
	}
	if got, want := fe.For("agreed-"+q.Code+"-none"), "You cannot agree a level for "+maturity.LowerFirst(q.Title)+
		" yet: 1 of the 2 board members needed has answered it. Still to answer: Bo Board"; got != want {
		t.Errorf("quorum message\n%s\nwant\n%s", got, want)
	}
	if r.Questions[0].Level != "3" {
		t.Errorf("typed level not kept: %q", r.Questions[0].Level)
	}

	if _, err := f.answer(cycle, f.bo, "well-led", false, six("4")...); err != nil {
		t.Fatal(err)
	}
	// Two leads open the review; the first saves, the second's save is
	// refused with both shown and the stored level selected.
	first, err := f.svc.ReviewOf(f.ctx, cycle, f.fw, "well-led")
	if err != nil {
		t.Fatal(err)
	}
	second := first
	second.Questions = append([]maturity.ReviewQuestion(nil), first.Questions...)
	if err := f.save(&first, "4", "3", "", "", "", "", ""); err != nil {
		t.Fatalf("first save: %v", err)
	}
	err = f.save(&second, "5", "4", "", "", "", "", "")
	if !errors.As(err, &fe) || !second.Conflicted() {
		t.Fatalf("second save: %v, want a conflict", err)
	}
	rq := second.Questions[0]
	if !strings.Contains(rq.Conflict, "It is now: level 3. You chose: level 4.") || rq.Level != "3" || rq.Version == 0 {
		t.Errorf("conflict %q level %q version %d", rq.Conflict, rq.Level, rq.Version)
	}
	if !strings.Contains(second.TargetConflict, "It is now: level 4. You chose: level 5.") || second.Target != "4" {
		t.Errorf("target conflict %q target %q", second.TargetConflict, second.Target)
	}
	stored, err := f.store.Agreed(f.ctx, cycle.ID)
	if err != nil || *stored[q.Code].Level != 3 {
		t.Errorf("stored level %v %v, want 3", stored[q.Code], err)
	}
	// The spread and the quorum of the reloaded review.
	now, _ := f.svc.ReviewOf(f.ctx, cycle, f.fw, "well-led")
	if got := now.Questions[0]; got.Answered != 2 || got.Spread.Min != 3 || got.Spread.Max != 4 || len(got.Waiting) != 0 {
		t.Errorf("review question %+v", got)
	}
	// A level that is not one, and a target out of range, are the lead's
	// to correct.
	err = f.save(&now, "6", "9", "", "", "", "", "")
	if !errors.As(err, &fe) || fe.For("target") != "Select a target level from 1 to 5, or no target" ||
		fe.For("agreed-"+q.Code+"-none") != "Select an agreed level for "+maturity.LowerFirst(q.Title) {
		t.Errorf("bad levels: %v", err)
	}
}

func TestActionConflict(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	form := maturity.ActionForm{Section: "well-led", Title: "Agree the strategy", Owner: "Lee", Status: models.ActionNotStarted}
	var a models.Action
	if _, err := f.svc.SaveAction(f.ctx, cycle, f.fw, &a, form, nil, nil, f.lead.ID); err != nil {
		t.Fatalf("new action: %v", err)
	}
	stored, err := f.svc.Action(f.ctx, cycle, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	mine, theirs := maturity.StoredActionForm(stored), maturity.StoredActionForm(stored)
	theirs.Title = "Agree the strategy by June"
	if _, err := f.svc.SaveAction(f.ctx, cycle, f.fw, &stored, theirs, nil, nil, f.lead.ID); err != nil {
		t.Fatalf("their change: %v", err)
	}
	mine.Owner = "Amy"
	again, _ := f.svc.Action(f.ctx, cycle, a.ID)
	got, err := f.svc.SaveAction(f.ctx, cycle, f.fw, &again, mine, nil, nil, f.lead.ID)
	if !errors.Is(err, maturity.ErrChanged) {
		t.Fatalf("stale change: %v, want ErrChanged", err)
	}
	if got.Title != "Agree the strategy by June" || got.Owner != "Lee" || !strings.Contains(got.Conflict, `You entered: "Agree the strategy" (Well led), owner Amy`) {
		t.Errorf("form after the conflict %+v", got)
	}
	_, err = f.svc.SaveAction(f.ctx, cycle, f.fw, &again, maturity.ActionForm{Status: "nope", DueDay: "40", DueMonth: "1", DueYear: "2027"}, nil, nil, f.lead.ID)
	var fe validation.Errors
	if !errors.As(err, &fe) || len(fe) != 5 || fe.For("due-day") != "Due date must be a real date, like 31 3 2027" {
		t.Errorf("bad action: %v", err)
	}
}

// submitted stores a submitted cycle of org with the scores given, as if
// scored at submission, in the framework of cycle.
func (f *fixture) submitted(cycle models.MaturityCycle, org models.Organisation, period string, overall float64, sections map[string]float64) models.MaturityCycle {
	f.t.Helper()
	c := models.MaturityCycle{OrganisationID: org.ID, FrameworkID: cycle.FrameworkID, Period: period, DueDate: time.Now(), Quorum: 1}
	if err := f.store.CreateCycle(f.ctx, &c, 0); err != nil {
		f.t.Fatal(err)
	}
	scores := func(map[string]models.AgreedAnswer) (map[string]float64, *float64, error) {
		return sections, &overall, nil
	}
	signOff := models.SignOff{MeetingOn: time.Now(), Name: "Ann Chair", Role: "Chair"}
	if err := f.store.SubmitCycle(f.ctx, c, scores, signOff, 0); err != nil {
		f.t.Fatal(err)
	}
	return c
}

// The change from last year and the benchmark, as the results page's test
// works them out by hand.
func TestResultsChangeAndBenchmark(t *testing.T) {
	f := newFixture(t)
	cycle := f.open(1)
	// Last year's submitted cycle: overall 2.2, well led 2.5.
	f.submitted(cycle, f.org, "2024/25", 2.2, map[string]float64{"well-led": 2.5})
	// Four other acute trusts: not enough for a benchmark; a mental health
	// trust is another kind and never counts.
	for i, score := range []float64{4.0, 2.0, 3.5, 2.5} {
		o := models.Organisation{Name: fmt.Sprintf("Peer %d", i), ODSCode: fmt.Sprintf("PR%d", i), Kind: models.KindAcute}
		if err := f.store.CreateOrganisation(f.ctx, &o, 0); err != nil {
			t.Fatal(err)
		}
		f.submitted(cycle, o, "2025/26", score, map[string]float64{"well-led": score})
	}
	mh := models.Organisation{Name: "Mind Trust", ODSCode: "MHT", Kind: models.KindMentalHealth}
	if err := f.store.CreateOrganisation(f.ctx, &mh, 0); err != nil {
		t.Fatal(err)
	}
	f.submitted(cycle, mh, "2025/26", 1.0, map[string]float64{"well-led": 1.0})

	f.answerAll(cycle)
	for _, code := range f.fw.SectionCodes() {
		if _, err := f.agree(cycle, code, "", six("3")...); err != nil {
			t.Fatal(err)
		}
	}
	res, err := f.svc.Results(f.ctx, f.reload(cycle), f.fw, f.org)
	if err != nil {
		t.Fatal(err)
	}
	// Overall 3.0 against 2.2 last year: up 0.8. Well led 3.0 against 2.5: up 0.5.
	if res.Overall != 3.0 || !res.HasPreviousScore || res.PreviousOverall != 2.2 || res.Change != 0.8 {
		t.Errorf("overall %v previous %v change %v, want 3.0, 2.2, 0.8", res.Overall, res.PreviousOverall, res.Change)
	}
	if wl := res.Sections[0]; !wl.HasPrevious || wl.Previous != 2.5 || wl.Change != 0.5 {
		t.Errorf("well led %+v, want previous 2.5, change 0.5", wl)
	}
	if res.Sections[1].HasPrevious {
		t.Errorf("smart foundations had no score last year: %+v", res.Sections[1])
	}
	if res.Benchmark.Shown || res.Benchmark.Organisations != 4 {
		t.Errorf("benchmark of four %+v", res.Benchmark)
	}
	// Last year's cycle, then this draft.
	if len(res.Trend) != 2 || res.Trend[0].Period != "2024/25" || *res.Trend[0].Overall != 2.2 || !res.Trend[1].Draft {
		t.Errorf("trend %+v", res.Trend)
	}

	// A fifth acute trust makes the benchmark show. Overall scores sorted:
	// 2.0 2.5 3.0 3.5 4.0, n = 5. Median at p(n-1) = 0.5*4 = 2 -> 3.0;
	// lower quartile at 0.25*4 = 1 -> 2.5; upper at 0.75*4 = 3 -> 3.5.
	// Our 3.0 lies within 2.5 to 3.5.
	o := models.Organisation{Name: "Peer 5", ODSCode: "PR5", Kind: models.KindAcute}
	if err := f.store.CreateOrganisation(f.ctx, &o, 0); err != nil {
		t.Fatal(err)
	}
	f.submitted(cycle, o, "2025/26", 3.0, map[string]float64{"well-led": 3.0})
	res, err = f.svc.Results(f.ctx, f.reload(cycle), f.fw, f.org)
	if err != nil {
		t.Fatal(err)
	}
	b := res.Benchmark
	if !b.Shown || b.Organisations != 5 || b.Median != 3.0 || b.LowerQuartile != 2.5 || b.UpperQuartile != 3.5 || res.Position != "within" {
		t.Errorf("benchmark %+v position %q", b, res.Position)
	}
	// Too few peers submitted for this cycle's period: their latest are used.
	if res.BenchmarkPeriod != "" || !res.Sections[0].Peers.Shown || res.Sections[0].Position != "within" {
		t.Errorf("benchmark period %q, well led peers %+v", res.BenchmarkPeriod, res.Sections[0].Peers)
	}
}

// TestLevelText: pages and sentences name a stored level the same way.
func TestLevelText(t *testing.T) {
	na, three := assessments.NotApplicable, 3
	for _, tc := range []struct {
		level *int
		want  string
	}{{nil, "No answer"}, {&na, "Not applicable"}, {&three, "Level 3"}} {
		if got := maturity.LevelText(tc.level); got != tc.want {
			t.Errorf("LevelText(%v) = %q, want %q", tc.level, got, tc.want)
		}
	}
}
