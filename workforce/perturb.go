package workforce

import (
	"hash/fnv"
	"math"
)

// Perturbation, in the manner of the ONS cell-key method. Every completed
// attempt carries a secret random record key below 2^32; a cell's key is
// the sum of its records' keys modulo 2^32, so the same set of attempts
// always has the same key, in every table and every release, and its
// figures always get the same noise: asking again, or for the same group
// another way, averages nothing away. A different set (one more person,
// one person fewer, one retake) gets unrelated noise.
//
// The parameters, chosen so that the acceptance tests hold (see
// docs/privacy.md for what they mean):
const (
	// CountNoise is the largest change to a published count: counts move
	// by -2..+2, with probabilities countWeights.
	CountNoise = 2
	// SumNoise is the half-width, in rating points, of the uniform noise
	// added to each sum of ratings before it is divided into a mean: for a
	// group of 10 a mean moves by up to 0.25, for 50 by up to 0.05.
	SumNoise = 2.5
)

// countWeights are the chances, in 100ths, of moving a count by -2..+2.
var countWeights = [2*CountNoise + 1]uint64{10, 20, 40, 20, 10}

// noise is the cell key's uniform number in [0, 1) for one measure.
func noise(key uint64, measure string) float64 {
	h := fnv.New64a()
	h.Write([]byte(measure))
	x := splitmix(key ^ h.Sum64())
	return float64(x>>11) / (1 << 53)
}

// splitmix is a 64-bit mixer (SplitMix64's finaliser).
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// perturbCount moves n by the cell key's count noise, never below min.
func perturbCount(key uint64, n, min int) int {
	u := uint64(noise(key, "count") * 100)
	shift := -CountNoise
	for _, w := range countWeights {
		if u < w {
			break
		}
		u -= w
		shift++
	}
	return max(n+shift, min)
}

// perturbMean is (sum + noise) / n, kept within the scale and rounded to
// one decimal place.
func perturbMean(key uint64, measure string, sum float64, n int, lo, hi float64) float64 {
	z := SumNoise * (2*noise(key, measure) - 1)
	m := (sum + z) / float64(n)
	return round1(math.Max(lo, math.Min(hi, m)))
}

// round1 rounds half away from zero to one decimal place, as the pages
// show it; no published figure carries more.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// finish works out the cell's exact figures and its published ones.
func (c *cellWork) finish(s *scope, min int, domains []string, scaleMax int) Cell {
	out := c.cell
	out.exactPeople = c.n
	var key uint64
	sums := map[string]Sums{}
	for _, i := range c.records {
		r := s.records[i]
		key += r.KeySum
		for d, v := range r.Sums {
			t := sums[d]
			t.Now, t.Need, t.Gap = t.Now+v.Now, t.Need+v.Need, t.Gap+v.Gap
			sums[d] = t
		}
	}
	for _, i := range c.stops {
		key += s.stops[i].KeySum
	}
	key %= 1 << 32
	out.keySum, out.exactSums = key, sums
	switch {
	case c.n == 0:
		return out
	case c.suppressed:
		out.Suppressed = true
		return out
	case c.cell.Item == ItemInvited:
		// Accounts and invitations, not attempts: rounded up to ten.
		out.People = max(int(math.Ceil(float64(c.n)/10))*10, min)
		return out
	}
	out.People = perturbCount(key, c.n, min)
	if c.cell.Dims == "participation" {
		return out
	}
	out.Means = map[string]Sums{}
	hi := float64(max(scaleMax, 1))
	for _, d := range domains {
		t, ok := sums[d]
		if !ok {
			continue
		}
		now := perturbMean(key, d+":now", t.Now, c.n, 1, hi)
		need := perturbMean(key, d+":need", t.Need, c.n, 1, hi)
		out.Means[d] = Sums{Now: now, Need: need, Gap: round1(need - now)}
	}
	return out
}
