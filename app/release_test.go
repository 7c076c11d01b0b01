package main

import (
	"context"
	"math"
	"testing"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/workforce"
)

// TestReleaseOfSyntheticTiers builds a workforce release of the S and L
// tiers (one trust of 1,000 and one of 28,000 staff, as bench/seed.sh makes
// them) and checks it two ways: the linear auditor finds no hidden figure
// derivable from the published ones, and for groups of at least 50 people
// the published mean is within 0.1 of the exact mean in at least 95% of
// cells.
func TestReleaseOfSyntheticTiers(t *testing.T) {
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	skills, _ := lib.Latest(assessments.KindSkills)
	for _, tier := range []struct {
		name  string
		staff int
	}{{"S", 1000}, {"L", 28000}} {
		t.Run(tier.name, func(t *testing.T) {
			ctx := context.Background()
			store := testdb.Open(t)
			if _, err := seedSynthetic(ctx, store, lib, syntheticOptions{Organisations: 1, Staff: tier.staff, Seed: 1, Password: syntheticPassword}); err != nil {
				t.Fatal(err)
			}
			p := workforce.NewPublisher(store, skills, 10, 0)
			in, err := p.Input(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rel, err := workforce.Build(in)
			if err != nil {
				t.Fatal(err)
			}
			if err := workforce.Audit(in, rel); err != nil {
				t.Fatalf("tier %s: %v", tier.name, err)
			}
			cells, within, suppressed := 0, 0, 0
			for _, c := range rel.Cells {
				if c.Suppressed {
					suppressed++
				}
				n, sums := c.Exact()
				if c.Suppressed || n < 50 || c.Means == nil {
					continue
				}
				for d, m := range c.Means {
					for _, pair := range [][2]float64{{m.Now, sums[d].Now}, {m.Need, sums[d].Need}} {
						cells++
						if math.Abs(pair[0]-pair[1]/float64(n)) <= 0.1+1e-9 {
							within++
						}
					}
				}
			}
			share := float64(within) / float64(cells)
			t.Logf("tier %s: %d cells published, %d suppressed; %d means of groups of 50 or more, %.1f%% within 0.1 of the exact mean",
				tier.name, len(rel.Cells)-suppressed, suppressed, cells, 100*share)
			if cells == 0 || share < 0.95 {
				t.Errorf("tier %s: %.1f%% of %d means within 0.1, want at least 95%%", tier.name, 100*share, cells)
			}
		})
	}
}
