package models_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// completionWorld is a few people completing attempts in two
// organisations, with the test's own record of each person's latest
// attempt and latest in each period: what a workforce release must be
// built from.
type completionWorld struct {
	t       *testing.T
	store   *models.Store
	orgs    []models.Organisation
	people  []models.User
	fwID    uint
	domains []string
	// latest and inPeriod are the oracle: each person's latest completed
	// attempt, and their latest in each period.
	latest   map[uint]oracleAttempt
	inPeriod map[string]map[uint]oracleAttempt
	// mu guards the oracle; the store is called outside it.
	mu sync.Mutex
}

type oracleAttempt struct {
	org                 uint
	staffGroup, payBand string
	period              string
	scores              []models.SkillsDomainScore
}

func newCompletionWorld(t *testing.T, people int) *completionWorld {
	t.Helper()
	store := testdb.Open(t)
	ctx := context.Background()
	fv := testdb.SkillsFramework(t, store, "skills-source")
	w := &completionWorld{t: t, store: store, fwID: fv.ID, domains: []string{"data", "teaching", "identity"},
		latest: map[uint]oracleAttempt{}, inPeriod: map[string]map[uint]oracleAttempt{}}
	for i, ods := range []string{"RA1", "RB2"} {
		w.orgs = append(w.orgs, testdb.Organisation(t, store, fmt.Sprintf("Trust %d", i), ods))
	}
	signedIn := time.Now().UTC().Add(-time.Hour)
	for i := range people {
		u := models.User{OrganisationID: w.orgs[i%2].ID, Email: fmt.Sprintf("p%d@source.test", i), Name: "P", RoleCodes: "staff", Active: true,
			OwnSignInAt: &signedIn}
		if err := store.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		w.people = append(w.people, u)
	}
	return w
}

// complete starts and completes an attempt for person i with the given
// profile, period and random ratings, and records it in the oracle.
func (w *completionWorld) complete(i int, group, band, period string, rnd *rand.Rand) error {
	ctx := context.Background()
	u := w.people[i]
	u.StaffGroup, u.PayBand = group, band
	a, err := w.store.StartSkillsAssessment(ctx, u, w.fwID)
	if err != nil {
		return err
	}
	var scores []models.SkillsDomainScore
	for _, d := range w.domains {
		now, need := float64(1+rnd.IntN(16))/5, float64(1+rnd.IntN(16))/5
		scores = append(scores, models.SkillsDomainScore{DomainCode: d, Now: now, Need: need, Gap: need - now})
	}
	kept := append([]models.SkillsDomainScore(nil), scores...)
	if err := w.store.CompleteSkillsAssessment(ctx, a, u, period, fixedScores(scores)); err != nil {
		return err
	}
	o := oracleAttempt{org: u.OrganisationID, staffGroup: group, payBand: band, period: period, scores: kept}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.latest[u.ID] = o
	if w.inPeriod[period] == nil {
		w.inPeriod[period] = map[uint]oracleAttempt{}
	}
	w.inPeriod[period][u.ID] = o
	return nil
}

// fixedScores is a scorer that gives scores worked out by the test,
// whatever the answers.
func fixedScores(scores []models.SkillsDomainScore) models.SkillsScorer {
	return func(map[string]models.SkillsAnswer) ([]models.SkillsDomainScore, error) { return scores, nil }
}

// groupKey is a finest group of the release source, and a domain ("" for
// the people row).
type groupKey struct {
	org                         uint
	staffGroup, payBand, period string
	latest                      bool
	domain                      string
}

type groupSums struct {
	people         int64
	now, need, gap float64
}

// check compares what WorkforceSource streams, with no release before,
// against the oracle worked out the slow way: each person's latest
// attempt in each period, marked latest when it is their latest of all.
func (w *completionWorld) check(label string) {
	t := w.t
	t.Helper()
	want := map[groupKey]groupSums{}
	w.mu.Lock()
	for period, people := range w.inPeriod {
		for id, a := range people {
			k := groupKey{org: a.org, staffGroup: a.staffGroup, payBand: a.payBand, period: period, latest: w.latest[id].period == period}
			s := want[k]
			s.people++
			want[k] = s
			for _, sc := range a.scores {
				k.domain = sc.DomainCode
				s := want[k]
				s.people++
				s.now, s.need, s.gap = s.now+sc.Now, s.need+sc.Need, s.gap+sc.Gap
				want[k] = s
			}
		}
	}
	w.mu.Unlock()
	got := map[groupKey]groupSums{}
	_, _, err := w.store.WorkforceSource(context.Background(), time.Time{}, func(g models.WorkforceGroup) {
		if !g.InRelease || g.Department != "" || g.PreviousStanding != 0 {
			t.Errorf("%s: group %+v, want every group in the release, with no department and no release before", label, g)
		}
		k := groupKey{org: g.OrganisationID, staffGroup: g.StaffGroup, payBand: g.PayBand, period: g.Period, latest: g.Latest, domain: g.DomainCode}
		if _, dup := got[k]; dup {
			t.Errorf("%s: group %+v streamed twice", label, k)
		}
		got[k] = groupSums{people: g.People, now: g.NowSum, need: g.NeedSum, gap: g.GapSum}
	})
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for k, ws := range want {
		gs, ok := got[k]
		if !ok {
			t.Errorf("%s: group %+v missing, want %+v", label, k, ws)
			continue
		}
		if gs.people != ws.people || !near(gs.now, ws.now) || !near(gs.need, ws.need) || !near(gs.gap, ws.gap) {
			t.Errorf("%s: group %+v: %+v, want %+v", label, k, gs, ws)
		}
	}
	for k, gs := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected group %+v: %+v", label, k, gs)
		}
	}
}

// TestReleaseSourceMatchesTheAttempts: the groups a release is built from
// count each person's latest attempt in each period, and mark their latest
// of all, through repeat attempts, changes of staff group and band, and
// two periods.
func TestReleaseSourceMatchesTheAttempts(t *testing.T) {
	w := newCompletionWorld(t, 24)
	rnd := rand.New(rand.NewPCG(7, 11))
	groups, bands := []string{"Nursing", "Medical", "Admin"}, []string{"Band 5", "Band 6", "Band 8a"}
	for step := range 150 {
		period := "2025/26"
		if step >= 60 {
			period = "2026/27"
		}
		if err := w.complete(rnd.IntN(len(w.people)), groups[rnd.IntN(3)], bands[rnd.IntN(3)], period, rnd); err != nil {
			t.Fatal(err)
		}
		if step == 59 || step == 149 {
			w.check(fmt.Sprintf("after %d completions", step+1))
		}
	}
}

// TestReleaseSourceUnderConcurrentCompletions: people completing at the
// same time, in the same staff groups and bands, neither deadlock nor lose
// a completion from what a release is built from.
func TestReleaseSourceUnderConcurrentCompletions(t *testing.T) {
	w := newCompletionWorld(t, 16)
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(g), 3))
			for round := range 6 {
				// Each goroutine owns two people, and alternates their group.
				person := 2*g + round%2
				group := []string{"Nursing", "Medical"}[(g+round)%2]
				if err := w.complete(person, group, "Band 5", "2026/27", rnd); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	w.check("after concurrent completions")
}
