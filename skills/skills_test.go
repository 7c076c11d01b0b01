package skills

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/validation"
)

// fixture is a service on a fresh store with the loaded frameworks
// registered, and one organisation.
type fixture struct {
	svc *Service
	fw  *assessments.Framework
	org models.Organisation
	ctx context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	store := testdb.Open(t)
	byID := map[uint]*assessments.Framework{}
	for _, fw := range lib.All() {
		fv, err := store.RegisterFramework(ctx, models.FrameworkVersion{Code: fw.Code, Kind: fw.Kind, Version: fw.Version, Title: fw.Title, ContentHash: fw.Hash})
		if err != nil {
			t.Fatal(err)
		}
		byID[fv.ID] = fw
	}
	org := testdb.Organisation(t, store, "Home Trust", "HOM")
	svc := &Service{Store: store, Frameworks: lib, MinGroupSize: 10, Location: time.UTC,
		Framework: func(id uint) (*assessments.Framework, error) {
			if fw, ok := byID[id]; ok {
				return fw, nil
			}
			return nil, fmt.Errorf("framework %d not loaded", id)
		}}
	fw, err := svc.Current()
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, fw: fw, org: org, ctx: ctx}
}

func (f *fixture) person(t *testing.T, email string) models.User {
	t.Helper()
	u := models.User{OrganisationID: f.org.ID, Email: email, Name: "Person " + email, RoleCodes: "staff", Active: true,
		StaffGroup: "Nursing and Midwifery", PayBand: "Band 5", Department: "Ward 7", JobRole: "Staff nurse"}
	if err := f.svc.Store.CreateUser(f.ctx, &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// begun is a new person who has begun a self-assessment from scratch.
func (f *fixture) begun(t *testing.T, email string) models.User {
	t.Helper()
	u := f.person(t, email)
	if _, err := f.svc.Begin(f.ctx, u, false); err != nil {
		t.Fatal(err)
	}
	return u
}

// form answers every statement of a domain with now and need; a rating of
// 0 is left out.
func form(sec assessments.Section, now, need int) func(string) string {
	values := map[string]string{}
	for _, q := range sec.Questions {
		if now > 0 {
			values["now-"+q.Code] = strconv.Itoa(now)
		}
		if need > 0 {
			values["need-"+q.Code] = strconv.Itoa(need)
		}
	}
	return func(name string) string { return values[name] }
}

// complete takes u through every domain with the same ratings and submits.
func (f *fixture) complete(t *testing.T, u models.User, fromLast bool, now, need int) models.SkillsAssessment {
	t.Helper()
	if _, err := f.svc.Begin(f.ctx, u, fromLast); err != nil {
		t.Fatal(err)
	}
	for _, sec := range f.fw.Sections {
		if _, err := f.svc.SaveDomain(f.ctx, u.ID, sec.Code, form(sec, now, need), false); err != nil {
			t.Fatalf("%s: %v", sec.Code, err)
		}
	}
	a, _, err := f.svc.Submit(f.ctx, u, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	done, err := f.svc.Attempt(f.ctx, u.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

func TestBeginResumesAtTheFirstDomainThenWhereLeft(t *testing.T) {
	f := newFixture(t)
	u := f.person(t, "a@home.test")
	if _, err := f.svc.Domain(f.ctx, u.ID, f.fw.Sections[0].Code); !errors.Is(err, ErrNoAttempt) {
		t.Fatalf("a domain before starting: %v, want ErrNoAttempt", err)
	}
	b, err := f.svc.Begin(f.ctx, u, false)
	if err != nil || b.Domain != f.fw.Sections[0].Code || b.Afresh {
		t.Fatalf("begin: %+v, %v", b, err)
	}
	first := f.fw.Sections[0]
	if _, err := f.svc.SaveDomain(f.ctx, u.ID, first.Code, form(first, 2, 3), false); err != nil {
		t.Fatal(err)
	}
	b, err = f.svc.Begin(f.ctx, u, false)
	if err != nil || b.Domain != f.fw.Sections[1].Code {
		t.Fatalf("carrying on: %+v, %v; want domain %s", b, err, f.fw.Sections[1].Code)
	}
	start, err := f.svc.Start(f.ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if start.Open == nil || start.ResumeDomain.Code != f.fw.Sections[1].Code || !start.ProfileComplete || start.Completed != 0 || start.CanStartFromLast {
		t.Errorf("start page: %+v", start)
	}
	if _, err := f.svc.Domain(f.ctx, u.ID, "no-such-domain"); !errors.Is(err, ErrUnknownDomain) {
		t.Errorf("unknown domain: %v", err)
	}
}

func TestSaveDomainAsksForWhatIsMissingAndKeepsTheRest(t *testing.T) {
	f := newFixture(t)
	u := f.begun(t, "a@home.test")
	sec := f.fw.Sections[0]
	q0, q1 := sec.Questions[0], sec.Questions[1]
	values := map[string]string{"now-" + q0.Code: "2", "need-" + q0.Code: "3", "need-" + q1.Code: "9"}
	page, err := f.svc.SaveDomain(f.ctx, u.ID, sec.Code, func(n string) string { return values[n] }, false)
	var fe validation.Errors
	if !errors.As(err, &fe) {
		t.Fatalf("a page with gaps: %v, want the form's problems", err)
	}
	want := "Choose where you are now and where your role needs you to be for: " + q1.Title
	if got := fe.For("now-" + q1.Code + "-1"); got != want {
		t.Errorf("problem of the second statement: %q, want %q", got, want)
	}
	if fe.Has("now-"+q0.Code+"-1") || fe.Has("need-"+q0.Code+"-1") {
		t.Error("a fully rated statement has a problem")
	}
	if len(fe) != len(sec.Questions)-1 {
		t.Errorf("%d problems, want one per statement not fully rated (%d)", len(fe), len(sec.Questions)-1)
	}
	if page.Statements[1].Need != "" {
		t.Errorf("a rating off the scale is shown back as %q", page.Statements[1].Need)
	}

	// What was rated is stored all the same.
	shown, err := f.svc.Domain(f.ctx, u.ID, sec.Code)
	if err != nil {
		t.Fatal(err)
	}
	if s := shown.Statements[0]; s.Now != "2" || s.Need != "3" {
		t.Errorf("stored ratings shown as now %q need %q", s.Now, s.Need)
	}
	if shown.Previous != nil || shown.Next == nil || shown.Next.Code != f.fw.Sections[1].Code || shown.Index != 1 {
		t.Errorf("page position: index %d, previous %v, next %v", shown.Index, shown.Previous, shown.Next)
	}

	// Coming back later is no problem.
	if _, err := f.svc.SaveDomain(f.ctx, u.ID, sec.Code, func(n string) string { return values[n] }, true); err != nil {
		t.Errorf("save for later: %v", err)
	}
	// Only now missing names "now".
	values = map[string]string{}
	for _, q := range sec.Questions {
		values["need-"+q.Code] = "3"
	}
	_, err = f.svc.SaveDomain(f.ctx, u.ID, sec.Code, func(n string) string { return values[n] }, false)
	if !errors.As(err, &fe) || fe.For("now-"+q0.Code+"-1") != "Choose where you are now for: "+q0.Title {
		t.Errorf("only now missing: %v", err)
	}
}

func TestSubmitRefusesGapsThenCompletes(t *testing.T) {
	f := newFixture(t)
	u := f.begun(t, "a@home.test")
	for _, sec := range f.fw.Sections[1:] {
		if _, err := f.svc.SaveDomain(f.ctx, u.ID, sec.Code, form(sec, 2, 4), false); err != nil {
			t.Fatal(err)
		}
	}
	first := f.fw.Sections[0]
	_, check, err := f.svc.Submit(f.ctx, u, time.Now())
	var fe validation.Errors
	if !errors.As(err, &fe) {
		t.Fatalf("submit with a domain unrated: %v", err)
	}
	want := fmt.Sprintf("Rate all the statements in %s: %d still need an answer", first.Label, len(first.Questions))
	if got := fe.For("domain-" + first.Code); got != want || len(fe) != 1 {
		t.Errorf("problems %v, want only %q", fe, want)
	}
	if check.Missing != len(first.Questions) {
		t.Errorf("missing %d, want %d", check.Missing, len(first.Questions))
	}

	if _, err := f.svc.SaveDomain(f.ctx, u.ID, first.Code, form(first, 2, 4), false); err != nil {
		t.Fatal(err)
	}
	a, _, err := f.svc.Submit(f.ctx, u, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Submit(f.ctx, u, time.Now()); !errors.Is(err, ErrNoAttempt) {
		t.Errorf("a second submission: %v, want ErrNoAttempt", err)
	}
	if _, err := f.svc.SaveDomain(f.ctx, u.ID, first.Code, form(first, 1, 1), false); !errors.Is(err, ErrSubmitted) {
		t.Errorf("saving after submitting: %v, want ErrSubmitted", err)
	}
	latest, err := f.svc.Latest(f.ctx, u.ID)
	if err != nil || latest.ID != a.ID || !latest.Completed() {
		t.Errorf("latest %+v, %v; want attempt %d completed", latest, err, a.ID)
	}
}

func TestResults(t *testing.T) {
	f := newFixture(t)
	u := f.person(t, "a@home.test")
	a := f.complete(t, u, false, 2, 4)
	r, err := f.svc.Results(f.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Domains) != len(f.fw.Sections) || !r.Latest || r.Previous != nil {
		t.Fatalf("results: %d domains, latest %v, previous %v", len(r.Domains), r.Latest, r.Previous)
	}
	for _, d := range r.Domains {
		if !d.Score.Scored || d.Score.Now != 2 || d.Score.Need != 4 || d.Score.Gap != 2 || d.Level != 2 {
			t.Errorf("%s: %+v level %d, want now 2, need 4, gap 2, level 2", d.Domain.Code, d.Score, d.Level)
		}
		for _, l := range d.Learning {
			if l.Link != "" {
				t.Errorf("%s: a link %q without a catalogue", d.Domain.Code, l.Link)
			}
		}
	}
	// Every gap is 2: the priorities are the first three in framework
	// order, and nothing is at level 3 yet.
	if len(r.Priorities) != 3 || r.Priorities[0].Domain.Code != f.fw.Sections[0].Code {
		t.Errorf("priorities %v", r.Priorities)
	}
	if len(r.Strengths) != 0 {
		t.Errorf("strengths %v at level 2", r.Strengths)
	}
	if len(r.Scores) != len(f.fw.Sections) {
		t.Errorf("%d scores for the chart", len(r.Scores))
	}
}

func TestRetakeFromLastAnswersComparesWithTheAttemptBefore(t *testing.T) {
	f := newFixture(t)
	u := f.person(t, "a@home.test")
	first := f.complete(t, u, false, 2, 4)
	start, err := f.svc.Start(f.ctx, u)
	if err != nil || !start.CanStartFromLast || start.Completed != 1 {
		t.Fatalf("start after one attempt: %+v, %v", start, err)
	}
	if _, err := f.svc.Begin(f.ctx, u, true); err != nil {
		t.Fatal(err)
	}
	// The last answers are carried over: the check has nothing missing.
	check, err := f.svc.Check(f.ctx, u.ID)
	if err != nil || check.Missing != 0 || check.Domains[0].Statements[0].Now != "2" {
		t.Fatalf("check of a retake: missing %d, first %+v, %v", check.Missing, check.Domains[0].Statements[0], err)
	}
	sec := f.fw.Sections[0]
	if _, err := f.svc.SaveDomain(f.ctx, u.ID, sec.Code, form(sec, 3, 4), false); err != nil {
		t.Fatal(err)
	}
	second, _, err := f.svc.Submit(f.ctx, u, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if second, err = f.svc.Attempt(f.ctx, u.ID, second.ID); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.Results(f.ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Previous == nil || r.Previous.ID != first.ID {
		t.Fatalf("previous %v, want attempt %d", r.Previous, first.ID)
	}
	if ch := r.Domains[0].Change; !ch.Compared || ch.Now != 1 {
		t.Errorf("change in the first domain %+v, want now up 1", ch)
	}
	if ch := r.Domains[1].Change; !ch.Compared || ch.Now != 0 {
		t.Errorf("change in the second domain %+v, want none", ch)
	}
	if len(r.Strengths) != 1 || r.Strengths[0].Domain.Code != sec.Code {
		t.Errorf("strengths %v, want only %s at level 3", r.Strengths, sec.Code)
	}
	old, err := f.svc.Results(f.ctx, first)
	if err != nil || old.Latest {
		t.Errorf("the first attempt's results say latest %v (%v)", old.Latest, err)
	}
}

func TestAttemptsArePrivate(t *testing.T) {
	f := newFixture(t)
	u := f.person(t, "a@home.test")
	other := f.person(t, "b@home.test")
	if _, err := f.svc.Latest(f.ctx, u.ID); !errors.Is(err, ErrNoneCompleted) {
		t.Errorf("latest before any: %v", err)
	}
	a := f.complete(t, u, false, 2, 3)
	if _, err := f.svc.Attempt(f.ctx, other.ID, a.ID); !errors.Is(err, ErrAttemptNotFound) {
		t.Errorf("someone else's attempt: %v, want ErrAttemptNotFound", err)
	}
	if _, err := f.svc.Begin(f.ctx, u, false); err != nil {
		t.Fatal(err)
	}
	open, err := f.svc.Store.OpenSkillsAssessment(f.ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Attempt(f.ctx, u.ID, open.ID); !errors.Is(err, ErrAttemptNotFound) {
		t.Errorf("an attempt in progress: %v, want ErrAttemptNotFound", err)
	}
}

func TestPersonalReport(t *testing.T) {
	f := newFixture(t)
	u := f.person(t, "a@home.test")
	f.complete(t, u, false, 2, 4)
	second := f.complete(t, u, true, 2, 4)
	r, err := f.svc.PersonalReport(f.ctx, u, "Home Trust", second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != u.Name || r.Organisation != "Home Trust" || r.ScaleMax != len(f.fw.Scale) || len(r.ScaleLabels) != len(f.fw.Scale) {
		t.Errorf("report header: %+v", r)
	}
	d := r.Domains[0]
	if d.NowText != "2.0" || d.NeedText != "4.0" || d.GapText != "2.0" || d.Change != "no change" {
		t.Errorf("first domain %+v", d)
	}
	if len(r.Priorities) != 3 || r.Priorities[0].Text != "Now 2.0, role needs 4.0: a gap of 2.0." {
		t.Errorf("priorities %+v", r.Priorities)
	}
	if !strings.HasPrefix(r.Previous, "Compared with your attempt of ") {
		t.Errorf("previous %q", r.Previous)
	}
	if len(r.Method) != 1 || !strings.Contains(r.Method[0], "This report is private to you.") {
		t.Errorf("method %q", r.Method)
	}
}

func TestLearningLinksOnlyWithACatalogue(t *testing.T) {
	sec := &assessments.Section{Learning: []assessments.LevelLearning{{Level: 2, Suggestions: []assessments.Suggestion{
		{Title: "Spreadsheets", CataloguePath: "/courses/sheets"}, {Title: "No path"}}}}}
	s := &Service{LearningCatalogueURL: "https://learn.example/"}
	items := s.learningFor(sec, 2)
	if len(items) != 2 || items[0].Link != "https://learn.example/courses/sheets" || items[1].Link != "" {
		t.Errorf("with a catalogue: %+v", items)
	}
	if items := s.learningFor(sec, 3); len(items) != 0 {
		t.Errorf("another level: %+v", items)
	}
	if items := (&Service{}).learningFor(sec, 2); len(items) != 2 || items[0].Link != "" {
		t.Errorf("without a catalogue: %+v", items)
	}
}
