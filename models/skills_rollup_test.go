package models_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// rollupWorld is a few people completing attempts in two organisations,
// with the test's own record of what each view should show.
type rollupWorld struct {
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
	scores              []models.SkillsDomainScore
}

func newRollupWorld(t *testing.T, people int) *rollupWorld {
	t.Helper()
	store := testdb.Open(t)
	ctx := context.Background()
	fv, err := store.RegisterFramework(ctx, models.FrameworkVersion{Code: "skills-rollup", Kind: "skills", Version: "1", Title: "Skills", ContentHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	w := &rollupWorld{t: t, store: store, fwID: fv.ID, domains: []string{"data", "teaching", "identity"},
		latest: map[uint]oracleAttempt{}, inPeriod: map[string]map[uint]oracleAttempt{}}
	for i, ods := range []string{"RA1", "RB2"} {
		o := models.Organisation{Name: fmt.Sprintf("Trust %d", i), ODSCode: ods, Kind: models.KindAcute}
		if err := store.CreateOrganisation(ctx, &o, 0); err != nil {
			t.Fatal(err)
		}
		w.orgs = append(w.orgs, o)
	}
	for i := range people {
		u := models.User{OrganisationID: w.orgs[i%2].ID, Email: fmt.Sprintf("p%d@rollup.test", i), Name: "P", RoleCodes: "staff", Active: true}
		if err := store.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		w.people = append(w.people, u)
	}
	return w
}

// complete starts and completes an attempt for person i with the given
// profile, period and random ratings, and records it in the oracle.
func (w *rollupWorld) complete(i int, group, band, period string, rnd *rand.Rand) error {
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
	o := oracleAttempt{org: u.OrganisationID, staffGroup: group, payBand: band, scores: kept}
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

// expectedMeans works out the domain means of attempts the slow way.
func expectedMeans(attempts map[uint]oracleAttempt, org uint, f models.SkillsFilter, dimension string) map[string]models.DomainMean {
	sums := map[string]*models.DomainMean{}
	for _, a := range attempts {
		if (org != 0 && a.org != org) || (f.StaffGroup != "" && a.staffGroup != f.StaffGroup) || (f.PayBand != "" && a.payBand != f.PayBand) {
			continue
		}
		group := ""
		switch dimension {
		case models.DimensionStaffGroup:
			group = a.staffGroup
		case models.DimensionPayBand:
			group = a.payBand
		}
		for _, sc := range a.scores {
			k := group + "/" + sc.DomainCode
			if sums[k] == nil {
				sums[k] = &models.DomainMean{Group: group, DomainCode: sc.DomainCode}
			}
			m := sums[k]
			m.People++
			m.Now, m.Need, m.Gap = m.Now+sc.Now, m.Need+sc.Need, m.Gap+sc.Gap
		}
	}
	out := map[string]models.DomainMean{}
	for k, m := range sums {
		n := float64(m.People)
		out[k] = models.DomainMean{Group: m.Group, DomainCode: m.DomainCode, People: m.People, Now: m.Now / n, Need: m.Need / n, Gap: m.Gap / n}
	}
	return out
}

func (w *rollupWorld) check(label string) {
	t := w.t
	t.Helper()
	ctx := context.Background()
	scopes := map[string]struct {
		scope models.SkillsScope
		org   uint
	}{
		"national": {models.NationalScope(), 0},
		"trust 0":  {models.OrganisationScope(w.orgs[0].ID), w.orgs[0].ID},
		"trust 1":  {models.OrganisationScope(w.orgs[1].ID), w.orgs[1].ID},
	}
	filters := []models.SkillsFilter{{}, {StaffGroup: "Nursing"}, {PayBand: "Band 5"}, {StaffGroup: "Medical", PayBand: "Band 8a"}}
	for name, sc := range scopes {
		for _, f := range filters {
			for _, dim := range []string{"", models.DimensionStaffGroup, models.DimensionPayBand} {
				got, err := w.store.SkillsDomainMeans(ctx, sc.scope, f, dim)
				if err != nil {
					t.Fatal(err)
				}
				want := expectedMeans(w.latest, sc.org, f, dim)
				where := fmt.Sprintf("%s: %s, filter %+v, by %q", label, name, f, dim)
				compareMeans(t, where, got, want)
			}
			n, err := w.store.CountSkillsPeople(ctx, sc.scope, f)
			if err != nil {
				t.Fatal(err)
			}
			people := 0
			for _, a := range w.latest {
				if (sc.org == 0 || a.org == sc.org) && (f.StaffGroup == "" || a.staffGroup == f.StaffGroup) && (f.PayBand == "" || a.payBand == f.PayBand) {
					people++
				}
			}
			if n != people {
				t.Errorf("%s: %s, filter %+v: %d people, want %d", label, name, f, n, people)
			}
			trend, err := w.store.SkillsTrend(ctx, sc.scope, f)
			if err != nil {
				t.Fatal(err)
			}
			byPeriod := map[string][]models.DomainMean{}
			for _, p := range trend {
				byPeriod[p.Period] = append(byPeriod[p.Period], models.DomainMean{DomainCode: p.DomainCode, People: p.People, Now: p.Now, Need: p.Need, Gap: p.Gap})
			}
			for period, attempts := range w.inPeriod {
				compareMeans(t, fmt.Sprintf("%s: trend %s %s, filter %+v", label, period, name, f), byPeriod[period], expectedMeans(attempts, sc.org, f, ""))
			}
		}
	}
}

func compareMeans(t *testing.T, where string, got []models.DomainMean, want map[string]models.DomainMean) {
	t.Helper()
	if len(got) != len(want) {
		keys := []string{}
		for k := range want {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Errorf("%s: %d groups, want %d (%v)", where, len(got), len(want), keys)
		return
	}
	for _, g := range got {
		w, ok := want[g.Group+"/"+g.DomainCode]
		if !ok {
			t.Errorf("%s: unexpected group %q domain %q", where, g.Group, g.DomainCode)
			continue
		}
		if g.People != w.People || math.Abs(g.Now-w.Now) > 1e-9 || math.Abs(g.Need-w.Need) > 1e-9 || math.Abs(g.Gap-w.Gap) > 1e-9 {
			t.Errorf("%s: %q %q = %+v, want %+v", where, g.Group, g.DomainCode, g, w)
		}
	}
}

// TestSkillsRollupMatchesTheAttempts: the totals kept at each completion
// give the same figures as working them out from every person's attempts,
// through repeat attempts, changes of staff group and band, and two
// periods; and rebuilding the totals from scratch changes nothing.
func TestSkillsRollupMatchesTheAttempts(t *testing.T) {
	w := newRollupWorld(t, 24)
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
	if err := w.store.RebuildSkillsRollup(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.check("after rebuilding")
}

// TestSkillsRollupUnderConcurrentCompletions: people completing at the
// same time, in the same staff groups and bands, neither deadlock nor lose
// a completion from the totals.
func TestSkillsRollupUnderConcurrentCompletions(t *testing.T) {
	w := newRollupWorld(t, 16)
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
				// Each goroutine owns two people, and alternates their group
				// so that rows are taken in varying order.
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
