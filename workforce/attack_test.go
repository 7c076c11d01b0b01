package workforce

import (
	"math"
	"math/rand/v2"
	"testing"
)

// findCell returns the release's cell of an organisation, table and group.
func findCell(r *Release, org uint, basis, dims, group string) (Cell, bool) {
	for _, c := range r.Cells {
		if c.OrganisationID != org || c.Basis != basis || c.Dims != dims {
			continue
		}
		if map[string]string{"": "", StaffGroup: c.StaffGroup, PayBand: c.PayBand, Department: c.Department}[dims] == group {
			return c, true
		}
	}
	return Cell{}, false
}

// knownAnswers are the ratings the attacker gives their own fake accounts.
func knownAnswers() map[string]Sums {
	s := map[string]Sums{}
	for _, d := range testDomains {
		s[d] = Sums{Now: 2, Need: 3, Gap: 1}
	}
	return s
}

// ward is an organisation of 300 other staff plus a department of exactly
// size people, the first of them the real respondent.
func ward(rng *rand.Rand, size int, target map[string]Sums) []person {
	var people []person
	for i := 0; i < 300; i++ {
		people = append(people, person{org: 1, staffGroup: []string{"Nursing and Midwifery Registered", "Medical and Dental"}[i%2],
			payBand: []string{"Band 5", "Band 6", "Band 7"}[i%3], department: []string{"Ward 1", "Ward 2", "Theatres"}[i%3],
			attempts: []attempt{{period: "2026/27", key: rng.Uint64() >> 32, scores: randomScores(rng)}}})
	}
	for i := 0; i < size; i++ {
		scores := knownAnswers()
		if i == 0 {
			scores = target
		}
		people = append(people, person{org: 1, staffGroup: "Estates and Ancillary", payBand: "Band 3", department: "Ward 99",
			attempts: []attempt{{period: "2026/27", key: rng.Uint64() >> 32, scores: scores}}})
	}
	return people
}

func randomScores(rng *rand.Rand) map[string]Sums {
	s := map[string]Sums{}
	for _, d := range testDomains {
		now, need := float64(1+rng.IntN(4)), float64(1+rng.IntN(4))
		s[d] = Sums{Now: now, Need: need, Gap: need - now}
	}
	return s
}

// tally counts one Monte Carlo attack's estimates of the real person's
// domain means: how many fell within 1.0 of the truth, and how many the
// same attack on the exact figures got exactly (the positive control).
type tally struct{ within, exactWithin, estimates int }

func (y *tally) add(estimate, exact, truth float64) {
	y.estimates++
	if math.Abs(estimate-truth) <= 1.0 {
		y.within++
	}
	if math.Abs(exact-truth) < 1e-9 {
		y.exactWithin++
	}
}

// check fails the test unless under 95% of the estimates came within 1.0
// while the attack on exact figures always succeeded.
func (y tally) check(t *testing.T, attack string) {
	t.Helper()
	share := float64(y.within) / float64(y.estimates)
	t.Logf("%s: %d of %d estimates (%.1f%%) within 1.0 of the real person's domain mean", attack, y.within, y.estimates, 100*share)
	if share >= 0.95 {
		t.Errorf("%s: the real person's means were recovered within 1.0 in %.1f%% of trials, want under 95%%", attack, 100*share)
	}
	if y.exactWithin != y.estimates {
		t.Errorf("positive control: the attack on exact figures recovered %d of %d", y.exactWithin, y.estimates)
	}
}

// wardCell is the published department of the ward's release.
func wardCell(t *testing.T, people []person, trial int) Cell {
	t.Helper()
	rel, err := Build(inputOf(people, 10))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := findCell(rel, 1, "", Department, "Ward 99")
	if !ok || c.Suppressed {
		t.Fatalf("trial %d: the department is not published: %+v", trial, c)
	}
	return c
}

// TestFakeAccountsMonteCarlo is acceptance 3's first attack: nine accounts
// whose answers the attacker chose and one real respondent make a
// department of ten, which is published. Solving the published mean for
// the real person must miss their domain mean by more than 1.0 in over 5%
// of trials; the same attack on the exact figures always succeeds.
func TestFakeAccountsMonteCarlo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	var y tally
	known := knownAnswers()
	for trial := 0; trial < 400; trial++ {
		target := randomScores(rng)
		c := wardCell(t, ward(rng, 10, target), trial)
		for _, d := range testDomains {
			y.add(10*c.Means[d].Now-9*known[d].Now, c.exactSums[d].Now-9*known[d].Now, target[d].Now)
		}
	}
	y.check(t, "fake accounts")
}

// TestBeforeAndAfterMonteCarlo is acceptance 3's second attack: the
// department's figures before and after one known completion.
func TestBeforeAndAfterMonteCarlo(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 11))
	var y tally
	for trial := 0; trial < 400; trial++ {
		target := randomScores(rng)
		after := ward(rng, 12, target)
		// Before: the same staff without the real person's completion
		// (ward puts the real person first in the department, after 300
		// others).
		before := append(append([]person{}, after[:300]...), after[301:]...)
		b, a := wardCell(t, before, trial), wardCell(t, after, trial)
		for _, d := range testDomains {
			y.add(12*a.Means[d].Now-11*b.Means[d].Now, a.exactSums[d].Now-b.exactSums[d].Now, target[d].Now)
		}
	}
	y.check(t, "before and after")
}

// TestSameGroupSameFigures shows the cell-key property: the same set of
// attempts always gets the same published figures, and another set
// different noise.
func TestSameGroupSameFigures(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	people := ward(rng, 10, randomScores(rng))
	in := inputOf(people, 10)
	r1, _ := Build(in)
	r2, _ := Build(in)
	a, _ := findCell(r1, 1, "", Department, "Ward 99")
	b, _ := findCell(r2, 1, "", Department, "Ward 99")
	if a.People != b.People || a.Means["communication"] != b.Means["communication"] {
		t.Fatalf("same set, different figures: %+v and %+v", a, b)
	}
}
