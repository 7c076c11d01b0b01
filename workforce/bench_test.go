package workforce

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkBuild builds a release of 20 random organisations of 20 to 2,000
// staff, many groups small. bench/release.sh measures the S, L and N tiers
// through the database.
func BenchmarkBuild(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var people []person
	for o := 1; o <= 20; o++ {
		people = append(people, randomPeople(rng, uint(o), 20+rng.IntN(2000))...)
	}
	in := inputOf(people, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(in); err != nil {
			b.Fatal(err)
		}
	}
}
