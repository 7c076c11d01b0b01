package assessments

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSuppressGroups(t *testing.T) {
	tests := []struct {
		name       string
		counts     []int
		min        int
		totalShown bool
		want       []bool
		hideTotal  bool
	}{
		{
			// Bands [1 6 1 0 1 0 1 1], min 5: the five groups of one are
			// hidden, 5 people in 5 groups, so each would be known to hold
			// one person: the smallest other group, index 1 (6), covers
			// them: 11 people in 6 groups.
			name: "groups of one each get cover", counts: []int{1, 6, 1, 0, 1, 0, 1, 1}, min: 5, totalShown: true,
			want: []bool{true, true, true, false, true, false, true, true},
		},
		{
			// All at least 10 (10 itself is enough): nothing hidden.
			name: "none hidden", counts: []int{10, 20, 15}, min: 10, totalShown: true,
			want: []bool{false, false, false},
		},
		{
			// 3 < 10: hide index 0. Hidden: 1 group of 3 people, so with the
			// total shown it could be worked out: hide the smallest visible,
			// index 2 (12). Hidden: 2 groups, 3+12 = 15 >= 10: done.
			name: "complementary group", counts: []int{3, 40, 12, 25}, min: 10, totalShown: true,
			want: []bool{true, false, true, false},
		},
		{
			// As above but no total on the page: no subtraction, only index 0.
			name: "no total no cover", counts: []int{3, 40, 12, 25}, min: 10, totalShown: false,
			want: []bool{true, false, false, false},
		},
		{
			// The doc comment's heatmap: Medical (3) hidden, Admin (12) covers.
			name: "doc comment heatmap", counts: []int{40, 3, 12, 25}, min: 10, totalShown: true,
			want: []bool{false, true, true, false},
		},
		{
			// 2 and 3 hidden: 2 groups but 2+3 = 5 < 10, so hide the smallest
			// visible, index 2 (50): 3 groups, 55 people: done.
			name: "two small groups below min together", counts: []int{2, 3, 50, 60}, min: 10, totalShown: true,
			want: []bool{true, true, true, false},
		},
		{
			// 4 hidden; the smallest visible are 20 at indexes 2 and 3: the
			// lower index, 2, covers. 4+20 = 24 >= 10, 2 groups: done.
			name: "tie for cover", counts: []int{4, 30, 20, 20}, min: 10, totalShown: true,
			want: []bool{true, false, true, false},
		},
		{
			// 6 and 6 hidden (tied small groups both hidden by rule 1):
			// 2 groups, 12 >= 10: no cover needed.
			name: "two small groups enough together", counts: []int{6, 30, 6}, min: 10, totalShown: true,
			want: []bool{true, false, true},
		},
		{
			// Index 1 (6) hidden. Indexes 0 and 2 are empty: not hidden and
			// not cover, though 0 is smaller than any count. The smallest
			// visible non-empty is index 4 (14): 6+14 = 20, 2 groups: done.
			name: "empty groups", counts: []int{0, 6, 0, 30, 14}, min: 10, totalShown: true,
			want: []bool{false, true, false, false, true},
		},
		{
			// All below 10 and the total 3+4+2 = 9 < 10: all hidden by rule
			// 1, still only 9 together, no group left: hide the total.
			name: "everything small", counts: []int{3, 4, 2}, min: 10, totalShown: true,
			want: []bool{true, true, true}, hideTotal: true,
		},
		{
			// All below 10 but together 4+4+4 = 12 >= 10 in 3 groups: the
			// total of 12 may stay, every row hidden.
			name: "every group small, total not", counts: []int{4, 4, 4}, min: 10, totalShown: true,
			want: []bool{true, true, true},
		},
		{
			// One group of 8, the total 8 < 10: hidden, and the total too.
			name: "total below min", counts: []int{8, 0}, min: 10, totalShown: true,
			want: []bool{true, false}, hideTotal: true,
		},
		{
			// Total 3+2 = 5 < 10 also without a total shown: say so.
			name: "total below min not shown", counts: []int{3, 2}, min: 10, totalShown: false,
			want: []bool{true, true}, hideTotal: true,
		},
		{
			// Nobody: nothing to hide, the total 0 is "no data".
			name: "all empty", counts: []int{0, 0}, min: 10, totalShown: true,
			want: []bool{false, false},
		},
		{
			name: "no groups", counts: nil, min: 10, totalShown: true,
			want: []bool{},
		},
		{
			// min 5, the floor: 4 < 5 hidden; cover the smallest visible,
			// index 1 (5): 4+5 = 9 >= 5, 2 groups: done.
			name: "min at the floor", counts: []int{4, 5, 9}, min: 5, totalShown: true,
			want: []bool{true, true, false},
		},
		{
			// min 2 is below the floor, so taken as 5: same as above, where
			// min 2 would have hidden nothing.
			name: "min below the floor", counts: []int{4, 5, 9}, min: 2, totalShown: true,
			want: []bool{true, true, false},
		},
		{
			// A negative count is treated as empty.
			name: "negative count", counts: []int{-3, 20, 7, 30}, min: 10, totalShown: true,
			want: []bool{false, true, true, false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.counts)
			hidden, hideTotal := SuppressGroups(in, tt.min, tt.totalShown)
			if !slices.Equal(hidden, tt.want) || hideTotal != tt.hideTotal {
				t.Errorf("SuppressGroups(%v, %d, %v) = %v, %v; want %v, %v",
					tt.counts, tt.min, tt.totalShown, hidden, hideTotal, tt.want, tt.hideTotal)
			}
			if !slices.Equal(in, tt.counts) {
				t.Errorf("SuppressGroups modified counts: %v", in)
			}
		})
	}
}

func TestFilterVisible(t *testing.T) {
	tests := []struct {
		name    string
		count   int
		parents []int
		min     int
		want    bool
	}{
		{"below min", 7, []int{100}, 10, false},
		{"exactly min, no filter", 10, nil, 10, true},
		{"no filter, below min", 9, nil, 10, false},
		{"parent difference 3", 20, []int{23}, 10, false},  // 23-20 = 3 < 10
		{"parent difference 0", 20, []int{20}, 10, true},   // the filter selects everyone in the parent
		{"parent difference min", 20, []int{30}, 10, true}, // 30-20 = 10
		{"parent difference 9", 20, []int{29}, 10, false},  // 29-20 = 9
		// 40-15 = 25 and 15-15 = 0 are fine, 19-15 = 4 is not.
		{"several parents one fails", 15, []int{40, 19, 15}, 10, false},
		{"several parents all pass", 15, []int{40, 15, 60}, 10, true},
		{"parent below count", 20, []int{15}, 10, false}, // inconsistent counts: hide
		{"floor, difference 5", 5, []int{10}, 5, true},   // 10-5 = 5
		{"floor, difference 4", 5, []int{9}, 5, false},   // 9-5 = 4
		{"below floor taken as 5", 4, nil, 3, false},     // 4 < 5
		{"below floor, count 5", 5, []int{8}, 3, false},  // 8-5 = 3 < 5
		{"nobody", 0, []int{0}, 10, false},
	}
	for _, tt := range tests {
		if got := FilterVisible(tt.count, tt.parents, tt.min); got != tt.want {
			t.Errorf("%s: FilterVisible(%d, %v, %d) = %v, want %v", tt.name, tt.count, tt.parents, tt.min, got, tt.want)
		}
	}
}

// The property test's organisations: people with three attributes, each a
// value index. A filter value may be attrSizes[a], which nobody has.
var (
	attrNames = [3]string{"staff group", "department", "band"}
	attrSizes = [3]int{6, 5, 8}
)

type testPerson [3]int

// testQuery is one page: filter[a] is the value of attribute a when bit a
// of mask is set; dim is the attribute grouped by, or -1 for none.
type testQuery struct {
	mask   int
	filter [3]int
	dim    int
}

func (q testQuery) String() string {
	var parts []string
	for a := range 3 {
		if q.mask&(1<<a) != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", attrNames[a], q.filter[a]))
		}
	}
	s := "filter {" + strings.Join(parts, ", ") + "}"
	if q.dim >= 0 {
		s += ", grouped by " + attrNames[q.dim]
	}
	return s
}

// randomOrganisation is 0 to 300 people, mostly few, with each attribute's
// values drawn with skewed weights (some near zero), so small groups and
// values nobody has are common.
func randomOrganisation(rng *rand.Rand) []testPerson {
	r := rng.Float64()
	n := int(301 * r * r * r) // about 4 in 10 organisations under 20 people
	var cum [3][]float64
	for a := range 3 {
		sum := 0.0
		for range attrSizes[a] {
			w := rng.Float64()
			sum += w * w * w
			cum[a] = append(cum[a], sum)
		}
	}
	people := make([]testPerson, n)
	for i := range people {
		for a := range 3 {
			x := rng.Float64() * cum[a][len(cum[a])-1]
			v := 0
			for v < len(cum[a])-1 && x >= cum[a][v] {
				v++
			}
			people[i][a] = v
		}
	}
	return people
}

func randomQuery(rng *rand.Rand) testQuery {
	q := testQuery{mask: rng.IntN(8), dim: -1}
	var free []int
	for a := range 3 {
		if q.mask&(1<<a) != 0 {
			q.filter[a] = rng.IntN(attrSizes[a] + 1)
		} else {
			free = append(free, a)
		}
	}
	if len(free) > 0 {
		q.dim = free[rng.IntN(len(free))]
	}
	return q
}

// pageInputs works out what the page would pass to FilterVisible and
// SuppressGroups, in one pass as a database GROUP BY would: the filtered
// count, one parent per set filter (the people failing only that filter
// are added back), and the counts per value of dim within the filter.
func pageInputs(people []testPerson, q testQuery) (count int, parents []int, groups []int) {
	var failOnly [3]int
	if q.dim >= 0 {
		groups = make([]int, attrSizes[q.dim])
	}
	for _, p := range people {
		fails, failed := 0, -1
		for a := range 3 {
			if q.mask&(1<<a) != 0 && p[a] != q.filter[a] {
				fails++
				failed = a
			}
		}
		switch fails {
		case 0:
			count++
			if q.dim >= 0 {
				groups[p[q.dim]]++
			}
		case 1:
			failOnly[failed]++
		}
	}
	for a := range 3 {
		if q.mask&(1<<a) != 0 {
			parents = append(parents, count+failOnly[a])
		}
	}
	return count, parents, groups
}

// countWhere is the brute-force count the property is checked against:
// people matching every filter of mask, and value v of dim when dim >= 0.
func countWhere(people []testPerson, mask int, filter [3]int, dim, v int) int {
	n := 0
	for _, p := range people {
		ok := dim < 0 || p[dim] == v
		for a := range 3 {
			if mask&(1<<a) != 0 && p[a] != filter[a] {
				ok = false
			}
		}
		if ok {
			n++
		}
	}
	return n
}

// TestSuppressionPropertyNoVisibleFigureOnASmallGroup generates random
// organisations and pages (a filter and a grouping) and checks by brute
// force that no figure on a page rests on fewer than min people, directly
// or by subtraction within the page: (a) every visible group has at least
// min people; (b) a visible total has at least min; (c) the hidden
// non-empty groups are none, or at least 2 holding at least min together,
// so subtracting the visible groups from the total gives no single hidden
// group; (d) a shown filtered result has at least min people and differs
// from each one-filter-removed parent by 0 or at least min.
func TestSuppressionPropertyNoVisibleFigureOnASmallGroup(t *testing.T) {
	const organisations, queriesEach = 4000, 20
	start := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	var stats struct{ queries, shown, hiddenSmall, hiddenByParent, withHidden, withCover, people int }
	failures := 0
	for org := range organisations {
		people := randomOrganisation(rng)
		min := MinGroupSizeFloor + rng.IntN(8) // 5 to 12
		stats.people += len(people)
		for range queriesEach {
			q := randomQuery(rng)
			stats.queries++
			count, parents, groups := pageInputs(people, q)
			fail := func(format string, args ...any) {
				t.Helper()
				failures++
				t.Errorf("counterexample: organisation %d (%d people), min %d, %v:\n  filtered count %d, parents %v, group counts %v\n  %s",
					org, len(people), min, q, count, parents, groups, fmt.Sprintf(format, args...))
				if failures >= 5 {
					t.FailNow()
				}
			}

			if !FilterVisible(count, parents, min) {
				if count < min {
					stats.hiddenSmall++
				} else {
					stats.hiddenByParent++
				}
				continue // nothing of this page is shown
			}
			stats.shown++

			// (d) The shown result and its parents, counted afresh.
			c := countWhere(people, q.mask, q.filter, -1, 0)
			if c < min {
				fail("(d) shown filtered result has %d people, fewer than %d", c, min)
			}
			for a := range 3 {
				if q.mask&(1<<a) == 0 {
					continue
				}
				p := countWhere(people, q.mask&^(1<<a), q.filter, -1, 0)
				if d := p - c; d != 0 && d < min {
					fail("(d) removing the %s filter adds %d people: differencing reveals a group under %d", attrNames[a], d, min)
				}
			}
			if q.dim < 0 {
				continue // every attribute is filtered: no grouping
			}

			hidden, hideTotal := SuppressGroups(groups, min, true)
			if len(hidden) != len(groups) {
				fail("SuppressGroups returned %d flags for %d groups", len(hidden), len(groups))
				continue
			}
			// (a) Visible groups, counted afresh; and which are hidden.
			visibleSum, hiddenSum, small := 0, 0, 0
			var hiddenIdx []int
			for v := range attrSizes[q.dim] {
				g := countWhere(people, q.mask, q.filter, q.dim, v)
				switch {
				case hidden[v] && g == 0:
					fail("group %d is empty but hidden", v)
				case hidden[v]:
					hiddenIdx = append(hiddenIdx, v)
					hiddenSum += g
					if g < min {
						small++
					}
				case g > 0 && g < min:
					fail("(a) visible group %d has %d people, fewer than %d", v, g, min)
				default:
					visibleSum += g
				}
			}
			if len(hiddenIdx) > 0 {
				stats.withHidden++
				if len(hiddenIdx) > small {
					stats.withCover++
				}
			}
			if hideTotal {
				continue // no total on the page, so nothing to subtract from
			}
			// (b) The visible total.
			if c < min {
				fail("(b) visible total has %d people, fewer than %d", c, min)
			}
			// (c) What subtraction gives: the total less the visible groups
			// is the hidden groups' combined count; it must neither be one
			// group's own count nor a combined figure on fewer than min.
			residual := c - visibleSum
			switch {
			case residual != hiddenSum:
				fail("(c) groups do not add up to the total: %d - %d != %d", c, visibleSum, hiddenSum)
			case len(hiddenIdx) == 1:
				fail("(c) group %d is the only hidden group: total %d - visible %d = its %d people",
					hiddenIdx[0], c, visibleSum, residual)
			case len(hiddenIdx) >= 2 && residual < min:
				fail("(c) hidden groups %v hold %d people together, fewer than %d", hiddenIdx, residual, min)
			case len(hiddenIdx) >= 2 && residual == len(hiddenIdx):
				// Hidden groups are never empty, so k groups of k people
				// would each be known to hold exactly one.
				fail("(c) hidden groups %v hold %d people: one each", hiddenIdx, residual)
			}
		}
	}
	t.Logf("%d organisations (%d people), %d pages: %d shown, %d hidden as too small, %d hidden by a parent difference; %d with hidden groups, %d of them with cover; %v",
		organisations, stats.people, stats.queries, stats.shown, stats.hiddenSmall, stats.hiddenByParent,
		stats.withHidden, stats.withCover, time.Since(start))
	// The property says little unless every rule was exercised.
	if stats.shown == 0 || stats.hiddenSmall == 0 || stats.hiddenByParent == 0 || stats.withHidden == 0 || stats.withCover == 0 {
		t.Errorf("generator too tame: %+v", stats)
	}
}
