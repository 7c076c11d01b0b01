package handlers

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// recomputedScores scores an attempt's stored answers again.
func recomputedScores(t *testing.T, app *testApp, fw *assessments.Framework, attemptID uint) map[string]assessments.DomainScore {
	t.Helper()
	answers, err := app.store.SkillsAnswers(context.Background(), attemptID)
	if err != nil {
		t.Fatal(err)
	}
	ratings := map[string]assessments.SkillsRating{}
	for code, a := range answers {
		if a.Now != nil && a.Need != nil {
			ratings[code] = assessments.SkillsRating{Now: *a.Now, Need: *a.Need}
		}
	}
	out := map[string]assessments.DomainScore{}
	for _, d := range assessments.ScoreSkills(fw, ratings) {
		if d.Scored {
			out[d.Code] = d
		}
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestSkillsSubmitRacingASave: a person submits in one tab while their
// other tab saves a domain, 60 times. Every completed attempt's stored
// scores, and what a workforce release is built from, must equal a
// recomputation from the stored answers; the losing save gets a 409 page, never a 500.
func TestSkillsSubmitRacingASave(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	const people, attempts = 12, 5
	var users []models.User
	savesWon, savesLost := 0, 0
	for p := range people {
		email := fmt.Sprintf("racer%d@home.test", p)
		users = append(users, app.user(org, email, models.RoleStaff))
		submitter, saver := app.signedIn(email), app.signedIn(email)
		for k := range attempts {
			wantStatus(t, submitter.post("/skills/start", nil), http.StatusSeeOther)
			for _, sec := range fw.Sections {
				wantStatus(t, submitter.post("/skills/domains/"+sec.Code, domainForm(fw, sec.Code, 1+k%4, 4, "continue")), http.StatusSeeOther)
			}
			// The other tab rates one domain differently at the moment of submission.
			domain := fw.Sections[(p+k)%len(fw.Sections)].Code
			form := domainForm(fw, domain, 4, 1+(p+k)%4, "continue")
			var wg sync.WaitGroup
			start := make(chan struct{})
			var submitted, saved response
			wg.Add(2)
			go func() { defer wg.Done(); <-start; submitted = submitter.post("/skills/submit", nil) }()
			go func() { defer wg.Done(); <-start; saved = saver.post("/skills/domains/"+domain, form) }()
			close(start)
			wg.Wait()
			wantStatus(t, submitted, http.StatusSeeOther)
			switch saved.status {
			case http.StatusSeeOther:
				savesWon++
			case http.StatusConflict:
				savesLost++
				wantContains(t, saved, "already submitted")
			default:
				t.Errorf("person %d attempt %d: the racing save got %d, want 303 or 409\n%.1500s", p, k, saved.status, saved.body)
			}
		}
	}
	t.Logf("saves before submission: %d, refused after it: %d", savesWon, savesLost)

	// Every completed attempt's stored scores against its answers, and the
	// expected totals of each person's latest attempt.
	type sums struct {
		people          int
		now, need, gaps float64
	}
	latest := map[string]*sums{}
	for _, u := range users {
		list, err := app.store.SkillsAssessments(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != attempts {
			t.Errorf("%s has %d attempts, want %d", u.Email, len(list), attempts)
		}
		// Each attempt was started after the one before was submitted, so
		// the person's latest is the one with the highest id.
		var newest uint
		for _, a := range list {
			newest = max(newest, a.ID)
		}
		for _, a := range list {
			if !a.Completed() {
				t.Errorf("%s: attempt %d not completed", u.Email, a.ID)
				continue
			}
			want := recomputedScores(t, app, fw, a.ID)
			stored, err := app.store.SkillsDomainScores(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(stored) != len(want) {
				t.Errorf("attempt %d: %d stored domain scores, want %d", a.ID, len(stored), len(want))
			}
			for _, sc := range stored {
				w := want[sc.DomainCode]
				if !near(sc.Now, w.Now) || !near(sc.Need, w.Need) || !near(sc.Gap, w.Gap) {
					t.Errorf("attempt %d %s: stored now %.3f need %.3f gap %.3f, answers give %.3f %.3f %.3f",
						a.ID, sc.DomainCode, sc.Now, sc.Need, sc.Gap, w.Now, w.Need, w.Gap)
				}
			}
			if a.Latest != (a.ID == newest) {
				t.Errorf("%s: attempt %d marked latest %v, want %v", u.Email, a.ID, a.Latest, a.ID == newest)
			}
			if a.ID != newest {
				continue
			}
			for code, w := range want {
				if latest[code] == nil {
					latest[code] = &sums{}
				}
				s := latest[code]
				s.people++
				s.now, s.need, s.gaps = s.now+w.Now, s.need+w.Need, s.gaps+w.Gap
			}
		}
	}
	// What a workforce release is built from (with no release before)
	// against the same recomputation: each person's latest attempt, in
	// the current picture and in its period.
	type streamed struct {
		people          int64
		now, need, gaps float64
	}
	current, inPeriod := map[string]*streamed{}, map[string]*streamed{}
	add := func(into map[string]*streamed, g models.WorkforceGroup) {
		if into[g.DomainCode] == nil {
			into[g.DomainCode] = &streamed{}
		}
		s := into[g.DomainCode]
		s.people += g.People
		s.now, s.need, s.gaps = s.now+g.NowSum, s.need+g.NeedSum, s.gaps+g.GapSum
	}
	periods := map[string]bool{}
	if _, _, err := app.store.WorkforceSource(ctx, time.Time{}, func(g models.WorkforceGroup) {
		if g.OrganisationID != org.ID || g.DomainCode == "" {
			return
		}
		if g.Latest {
			add(current, g)
		}
		if g.InRelease {
			add(inPeriod, g)
			periods[g.Period] = true
		}
	}); err != nil {
		t.Fatal(err)
	}
	// Every attempt was completed in the same period, so the latest in it
	// is each person's latest.
	if len(current) != len(latest) || len(inPeriod) != len(latest) || len(periods) != 1 {
		t.Fatalf("%d domains in the current picture and %d in the period (%d periods), want %d in one",
			len(current), len(inPeriod), len(periods), len(latest))
	}
	check := func(what string, got map[string]*streamed) {
		for code, g := range got {
			w := latest[code]
			if w == nil {
				t.Errorf("%s: unexpected domain %s", what, code)
				continue
			}
			if g.people != int64(w.people) || !near(g.now, w.now) || !near(g.need, w.need) || !near(g.gaps, w.gaps) {
				t.Errorf("%s %s: %d people, sums now %.6f need %.6f gap %.6f; answers give %d, %.6f %.6f %.6f",
					what, code, g.people, g.now, g.need, g.gaps, w.people, w.now, w.need, w.gaps)
			}
		}
	}
	check("current picture", current)
	check("period", inPeriod)
}

// TestParallelStartsOpenOneAttempt: "Start" pressed in several tabs at once
// opens one attempt, and every tab carries on with it.
func TestParallelStartsOpenOneAttempt(t *testing.T) {
	app, org := newHomeApp(t)
	u := app.user(org, "staff@home.test", models.RoleStaff)
	const tabs = 8
	clients := make([]*client, tabs)
	for i := range clients {
		clients[i] = app.signedIn("staff@home.test")
	}
	for round := range 3 {
		statuses := make([]int, tabs)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range tabs {
			wg.Add(1)
			go func() { defer wg.Done(); <-start; statuses[i] = clients[i].post("/skills/start", nil).status }()
		}
		close(start)
		wg.Wait()
		for i, st := range statuses {
			if st != http.StatusSeeOther {
				t.Errorf("round %d tab %d: start got %d, want 303", round, i, st)
			}
		}
		list, err := app.store.SkillsAssessments(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		open := 0
		for _, a := range list {
			if !a.Completed() {
				open++
			}
		}
		if open != 1 || len(list) != round+1 {
			t.Fatalf("round %d: %d attempts, %d open; want %d and 1", round, len(list), open, round+1)
		}
		// Finish it directly, so the next round starts afresh.
		a, err := app.store.OpenSkillsAssessment(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := app.store.CompleteSkillsAssessment(context.Background(), a, u, "2026/27", fixedScores(nil)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestServerRefusesAChangedSkillsFrameworkInUse: a skills framework file
// whose content changed under a version that an attempt uses stops the
// start, as a maturity framework does.
func TestServerRefusesAChangedSkillsFrameworkInUse(t *testing.T) {
	app, org := newHomeApp(t)
	app.user(org, "staff@home.test", models.RoleStaff)
	wantStatus(t, app.signedIn("staff@home.test").post("/skills/start", nil), http.StatusSeeOther)
	lib := testFrameworks(t)
	fw, _ := lib.Latest(assessments.KindSkills)
	fw.Hash = "edited-without-a-new-version"
	_, err := New(app.store, lib, app.server.cfg, app.server.log)
	if err == nil || !strings.Contains(err.Error(), fw.File) || !strings.Contains(err.Error(), "give the changed file a new version number") {
		t.Errorf("start with a changed skills framework in use: %v", err)
	}
}
