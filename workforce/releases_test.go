package workforce

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// timeline is a person whose attempts complete at given releases, and who
// first signs in themselves at one.
type timeline struct {
	org                             uint
	staffGroup, payBand, department string
	signIn                          int
	attempts                        []timedAttempt
}

type timedAttempt struct {
	release int
	period  string
	key     uint64
	scores  map[string]Sums
}

// standing is how the i'th attempt of p stands at release k.
func (p timeline) standing(i, k int) Standing {
	if k < 1 || k < p.signIn || p.attempts[i].release > k {
		return StandingNone
	}
	a := p.attempts[i]
	latest, inPeriod := true, true
	for j, b := range p.attempts {
		if j == i || b.release > k || (b.release == a.release && j < i) {
			continue
		}
		if b.release >= a.release {
			latest = false
			if b.period == a.period {
				inPeriod = false
			}
		}
	}
	switch {
	case latest:
		return StandingLatest
	case inPeriod:
		return StandingPeriod
	}
	return StandingNone
}

// inputAt is the release input at release k, each record knowing its
// standing at k-1 as well.
func inputAt(people []timeline, k, min int) Input {
	in := Input{Domains: testDomains, ScaleMax: 4, MinGroupSize: min, Invited: map[uint]int{}}
	index := map[string]int{}
	for _, p := range people {
		in.Invited[p.org]++
		for i, a := range p.attempts {
			now, before := p.standing(i, k), p.standing(i, k-1)
			if now == StandingNone && before == StandingNone {
				continue
			}
			addAttempt(&in, index, Record{OrganisationID: p.org, StaffGroup: p.staffGroup, PayBand: p.payBand, Department: p.department,
				Period: a.period, Latest: now == StandingLatest, Gone: now == StandingNone, Before: before}, a.key, a.scores)
		}
	}
	return in
}

// evolving makes organisations whose staff complete over four releases:
// most in the first, a few more each time, some retaking (in the same
// period or the next), some signing in themselves only later.
func evolving(rng *rand.Rand, orgs int) []timeline {
	var people []timeline
	for o := 1; o <= orgs; o++ {
		size := []int{5 + rng.IntN(20), 15 + rng.IntN(60), 40 + rng.IntN(150)}[rng.IntN(3)]
		for _, base := range randomPeople(rng, uint(o), size) {
			p := timeline{org: base.org, staffGroup: base.staffGroup, payBand: base.payBand, department: base.department,
				signIn: 1 + min(rng.IntN(6), 3)}
			first := 1 + min(rng.IntN(5), 3)
			p.attempts = append(p.attempts, timedAttempt{release: first, period: "2025/26", key: rng.Uint64() >> 32, scores: randomScores(rng)})
			if rng.IntN(4) == 0 && first < 4 {
				period := []string{"2025/26", "2026/27"}[rng.IntN(2)]
				p.attempts = append(p.attempts, timedAttempt{release: first + 1 + rng.IntN(4-first), period: period, key: rng.Uint64() >> 32, scores: randomScores(rng)})
			}
			people = append(people, p)
		}
	}
	return people
}

// TestAuditAcrossReleases: organisations evolve over four releases, each
// built around the one before; the auditor finds nothing hidden in a
// release or the one before it that follows from the two together. As a
// positive control, the same releases built each on its own, blind to the
// one before, give the auditor derivable figures to find.
func TestAuditAcrossReleases(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2026))
	const worlds, orgsPerWorld = 60, 4
	blindFailures, pairs := 0, 0
	for w := 0; w < worlds; w++ {
		people := evolving(rng, orgsPerWorld)
		var prev, prevBlind *Release
		for k := 1; k <= 4; k++ {
			in := inputAt(people, k, 10)
			blind := in
			if prev != nil {
				in.Previous = prev.Cells
				blind.Previous = prevBlind.Cells
			}
			rel, err := Build(in)
			if err != nil {
				t.Fatal(err)
			}
			if err := Audit(in, rel); err != nil {
				t.Fatalf("world %d, release %d: %v", w, k, err)
			}
			// The blind release is built without knowing its predecessor,
			// then audited with it.
			blindIn := blind
			blindIn.Previous = nil
			relBlind, err := Build(blindIn)
			if err != nil {
				t.Fatal(err)
			}
			if prev != nil {
				pairs++
				if Audit(blind, relBlind) != nil {
					blindFailures++
				}
			}
			prev, prevBlind = rel, relBlind
		}
	}
	t.Logf("%d pairs of releases; built blind to the one before, %d pairs give a hidden figure away", pairs, blindFailures)
	if blindFailures == 0 {
		t.Error("positive control: releases built blind to their predecessors never gave anything away, so the test shows nothing")
	}
}

// TestUnprotectableReleaseIsRefused: when the release before published a
// group that it also claims to have hidden (here the same twelve people
// as all staff, and hidden by staff group), nothing this release hides
// can protect it: the release is refused, not published.
func TestUnprotectableReleaseIsRefused(t *testing.T) {
	var people []timeline
	for i := 0; i < 12; i++ {
		people = append(people, timeline{org: 1, staffGroup: "Nursing", payBand: "Band 5", department: "Ward 1", signIn: 1,
			attempts: []timedAttempt{{release: 1, period: "2026/27", key: uint64(i), scores: knownAnswers()}}})
	}
	in := inputAt(people, 2, 10)
	in.Previous = []Cell{
		{OrganisationID: 1, Dims: "", People: 12},
		{OrganisationID: 1, Dims: StaffGroup, StaffGroup: "Nursing", Suppressed: true},
	}
	if _, err := Build(in); !errors.Is(err, ErrUnprotected) {
		t.Fatalf("Build gave %v, want ErrUnprotected", err)
	}
	// The same input with a consistent previous release builds.
	in.Previous = in.Previous[:1]
	if _, err := Build(in); err != nil {
		t.Fatalf("consistent previous release: %v", err)
	}
}
