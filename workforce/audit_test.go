package workforce

import (
	"math/rand/v2"
	"testing"
)

// TestAuditRandomOrganisations is the linear auditor's property test: for
// releases of random organisations, many with tiny groups and singletons,
// no hidden figure lies in the span of the published ones, within each
// organisation and across the national and organisation figures.
func TestAuditRandomOrganisations(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2026))
	const releases, perRelease = 200, 10
	orgs := 0
	for r := 0; r < releases; r++ {
		var people []person
		for o := 1; o <= perRelease; o++ {
			size := []int{1 + rng.IntN(15), 5 + rng.IntN(60), 20 + rng.IntN(300)}[rng.IntN(3)]
			people = append(people, randomPeople(rng, uint(o), size)...)
			orgs++
		}
		in := inputOf(people, 10)
		rel, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		if err := Audit(in, rel); err != nil {
			t.Fatalf("release %d: %v", r, err)
		}
	}
	if orgs < 2000 {
		t.Fatalf("audited %d organisations, want at least 2,000", orgs)
	}
}
