package workforce

import (
	"fmt"
	"math/rand/v2"
)

// testDomains are the six skills domains, as in the framework.
var testDomains = []string{"data-information", "teaching-learning", "communication", "technical-proficiency", "creation-innovation", "identity-wellbeing-safety"}

// person is one member of staff in a generated organisation, with an
// attempt per period they took part in.
type person struct {
	org                             uint
	staffGroup, payBand, department string
	attempts                        []attempt
	stoppedAt                       string // newest unfinished attempt, for people with none completed
	key                             uint64
}

type attempt struct {
	period string
	key    uint64
	scores map[string]Sums
}

var testPeriods = []string{"2024/25", "2025/26", "2026/27"}

// randomPeople makes an organisation's staff: a mix of large and tiny
// staff groups, bands and departments, so that singletons and small
// groups are common.
func randomPeople(rng *rand.Rand, org uint, size int) []person {
	groups := []string{"Nursing and Midwifery Registered", "Medical and Dental", "Administrative and Clerical", "Allied Health Professionals", "Estates and Ancillary", "Students", "Healthcare Scientists", ""}
	bands := []string{"Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a", "Band 9", "Non-AfC", ""}
	nd := 1 + rng.IntN(12)
	var people []person
	for i := 0; i < size; i++ {
		p := person{org: org,
			staffGroup: groups[min(rng.IntN(len(groups)), rng.IntN(len(groups)))],
			payBand:    bands[min(rng.IntN(len(bands)), rng.IntN(len(bands)))],
			department: fmt.Sprintf("Department %d", min(rng.IntN(nd), rng.IntN(nd))),
			key:        rng.Uint64() >> 32}
		for _, period := range testPeriods {
			if rng.IntN(3) == 0 {
				continue
			}
			a := attempt{period: period, key: rng.Uint64() >> 32, scores: map[string]Sums{}}
			for _, d := range testDomains {
				now, need := 1+3*rng.Float64(), 1+3*rng.Float64()
				a.scores[d] = Sums{Now: now, Need: need, Gap: need - now}
			}
			p.attempts = append(p.attempts, a)
		}
		if len(p.attempts) == 0 && rng.IntN(2) == 0 {
			p.stoppedAt = testDomains[rng.IntN(len(testDomains))]
		}
		people = append(people, p)
	}
	return people
}

// addAttempt counts one attempt into its record of the input, as the
// database query groups them.
func addAttempt(in *Input, index map[string]int, r Record, key uint64, scores map[string]Sums) {
	k := recordAtom(r)
	j, ok := index[k]
	if !ok {
		j = len(in.Records)
		index[k] = j
		r.Sums = map[string]Sums{}
		in.Records = append(in.Records, r)
	}
	rec := &in.Records[j]
	rec.People++
	rec.KeySum += key
	for d, s := range scores {
		t := rec.Sums[d]
		t.Now, t.Need, t.Gap = t.Now+s.Now, t.Need+s.Need, t.Gap+s.Gap
		rec.Sums[d] = t
	}
}

// inputOf gathers people into a release's input, as the database query
// does: one record per organisation, profile, period and latest flag.
func inputOf(people []person, min int) Input {
	in := Input{Domains: testDomains, ScaleMax: 4, MinGroupSize: min, Invited: map[uint]int{}}
	index := map[string]int{}
	stops := map[string]int{}
	for _, p := range people {
		in.Invited[p.org]++
		for i, a := range p.attempts {
			addAttempt(&in, index, Record{OrganisationID: p.org, StaffGroup: p.staffGroup, PayBand: p.payBand, Department: p.department,
				Period: a.period, Latest: i == len(p.attempts)-1}, a.key, a.scores)
		}
		if p.stoppedAt != "" {
			k := fmt.Sprintf("%d\x00%s", p.org, p.stoppedAt)
			j, ok := stops[k]
			if !ok {
				j = len(in.Stops)
				stops[k] = j
				in.Stops = append(in.Stops, Stop{OrganisationID: p.org, Domain: p.stoppedAt})
			}
			in.Stops[j].People++
			in.Stops[j].KeySum += p.key
		}
	}
	return in
}
