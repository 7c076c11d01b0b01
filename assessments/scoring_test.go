package assessments

import (
	"math"
	"slices"
	"testing"
)

// near compares scores worked out by hand with computed ones, which may
// differ in the last binary digit.
func near(a, b float64) bool {
	return math.Abs(a-b) < 1e-9
}

func TestRate(t *testing.T) {
	rag := RAGThresholds{AmberFrom: 2.5, GreenFrom: 3.5}
	tests := []struct {
		score float64
		want  RAG
	}{
		{1, RAGRed},
		{2.4999, RAGRed}, // just below amber_from
		{2.5, RAGAmber},  // exactly amber_from
		{3.0, RAGAmber},
		{3.4999, RAGAmber}, // just below green_from
		{3.5, RAGGreen},    // exactly green_from
		{5, RAGGreen},
		{0, RAGRed},
	}
	for _, tt := range tests {
		if got := rag.Rate(tt.score); got != tt.want {
			t.Errorf("Rate(%v) = %q, want %q", tt.score, got, tt.want)
		}
	}
}

func TestRAGLabel(t *testing.T) {
	tests := []struct {
		rag  RAG
		want string
	}{
		{RAGRed, "Red"},
		{RAGAmber, "Amber"},
		{RAGGreen, "Green"},
		{RAG("purple"), ""},
		{RAG(""), ""},
	}
	for _, tt := range tests {
		if got := tt.rag.Label(); got != tt.want {
			t.Errorf("RAG(%q).Label() = %q, want %q", tt.rag, got, tt.want)
		}
	}
}

func TestSpreadOf(t *testing.T) {
	const na = NotApplicable
	tests := []struct {
		name   string
		levels []int
		want   Spread
	}{
		{"no answers", nil, Spread{}},
		{"single answer", []int{3}, Spread{Answers: 1, Min: 3, Max: 3, Mean: 3}},
		{
			// 3 - 2 = 1: not flagged; (2+3)/2 = 2.5.
			"one level apart", []int{2, 3},
			Spread{Answers: 2, Min: 2, Max: 3, Mean: 2.5},
		},
		{
			// 4 - 2 = 2: flagged; (2+4)/2 = 3.
			"exactly two levels apart", []int{4, 2},
			Spread{Answers: 2, Min: 2, Max: 4, Mean: 3, Flagged: true},
		},
		{
			// Not applicable left out: (1+5+3)/3 = 3; 5 - 1 = 4: flagged.
			"not applicable left out", []int{1, 5, na, 3},
			Spread{Answers: 3, NotApplicable: 1, Min: 1, Max: 5, Mean: 3, Flagged: true},
		},
		{
			// Were not applicable a 0, 4 - 0 = 4 would be flagged.
			"not applicable is not level 0", []int{na, 4, na},
			Spread{Answers: 1, NotApplicable: 2, Min: 4, Max: 4, Mean: 4},
		},
		{"all not applicable", []int{na, na}, Spread{NotApplicable: 2}},
		{
			// (2+2+3+3+3)/5 = 13/5 = 2.6; 3 - 2 = 1: not flagged.
			"five respondents", []int{2, 3, 2, 3, 3},
			Spread{Answers: 5, Min: 2, Max: 3, Mean: 2.6},
		},
		{
			// 6 and -1 are not levels: only the 3 counts.
			"out of range ignored", []int{6, -1, 3},
			Spread{Answers: 1, Min: 3, Max: 3, Mean: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Means compared to a tolerance, the rest exactly.
			got := SpreadOf(tt.levels)
			mean, wantMean := got.Mean, tt.want.Mean
			got.Mean, tt.want.Mean = 0, 0
			if got != tt.want || !near(mean, wantMean) {
				t.Errorf("SpreadOf(%v) = %+v, mean %v; want %+v, mean %v", tt.levels, got, mean, tt.want, wantMean)
			}
		})
	}
}

func TestSpreadOfMean(t *testing.T) {
	tests := []struct {
		levels []int
		want   float64
	}{
		{[]int{2, 3, 2, 3, 3}, 2.6},         // 13/5
		{[]int{1, 2, 2}, 5.0 / 3},           // 5/3 = 1.666...
		{[]int{5, NotApplicable}, 5},        // 5/1
		{[]int{1, 2, 3, 4, 5}, 3},           // 15/5
		{[]int{4, 4, 5, 5, 5, 5}, 28.0 / 6}, // 28/6 = 4.666...
	}
	for _, tt := range tests {
		if got := SpreadOf(tt.levels).Mean; !near(got, tt.want) {
			t.Errorf("SpreadOf(%v).Mean = %v, want %v", tt.levels, got, tt.want)
		}
	}
}

func TestScoreSection(t *testing.T) {
	const na = NotApplicable
	tests := []struct {
		name   string
		agreed []int
		want   SectionScore
	}{
		{
			// (3+4+2)/3 = 3; were not applicable a 0 it would be 9/4 = 2.25.
			"not applicable left out", []int{3, 4, na, 2},
			SectionScore{Code: "well-led", Score: 3, Scored: true, Answered: 3, NotApplicable: 1},
		},
		{
			// (5+4+4+3)/4 = 16/4 = 4.
			"two not applicable", []int{5, 4, 4, na, na, 3},
			SectionScore{Code: "well-led", Score: 4, Scored: true, Answered: 4, NotApplicable: 2},
		},
		{
			// (1+2)/2 = 1.5.
			"half", []int{1, 2},
			SectionScore{Code: "well-led", Score: 1.5, Scored: true, Answered: 2},
		},
		{
			// (1+2+2)/3 = 5/3.
			"thirds", []int{1, 2, 2},
			SectionScore{Code: "well-led", Score: 5.0 / 3, Scored: true, Answered: 3},
		},
		{
			"all not applicable", []int{na, na, na},
			SectionScore{Code: "well-led", NotApplicable: 3},
		},
		{
			"empty section", nil,
			SectionScore{Code: "well-led"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScoreSection("well-led", tt.agreed)
			score, wantScore := got.Score, tt.want.Score
			got.Score, tt.want.Score = 0, 0
			if got != tt.want || !near(score, wantScore) {
				t.Errorf("ScoreSection(%v) = %+v, score %v; want %+v, score %v", tt.agreed, got, score, tt.want, wantScore)
			}
		})
	}
}

func TestOverallScore(t *testing.T) {
	tests := []struct {
		name     string
		sections []SectionScore
		want     float64
		ok       bool
	}{
		{
			// (3+4)/2 = 3.5; counting the unscored section as 0 would give 7/3.
			"unscored section left out",
			[]SectionScore{
				{Code: "well-led", Score: 3, Scored: true},
				{Code: "smart-foundations", Score: 4, Scored: true},
				{Code: "safe-practice", NotApplicable: 6},
			},
			3.5, true,
		},
		{
			// (2.5+3+4)/3 = 9.5/3 = 3.1666...
			"mean of section means",
			[]SectionScore{
				{Code: "well-led", Score: 2.5, Scored: true},
				{Code: "smart-foundations", Score: 3, Scored: true},
				{Code: "safe-practice", Score: 4, Scored: true},
			},
			9.5 / 3, true,
		},
		{
			"no section scored",
			[]SectionScore{{Code: "well-led", NotApplicable: 5}, {Code: "smart-foundations"}},
			0, false,
		},
		{"no sections", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := OverallScore(tt.sections)
			if ok != tt.ok || !near(got, tt.want) {
				t.Errorf("OverallScore = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPriorities(t *testing.T) {
	order := MaturitySectionCodes()
	sections := []SectionScore{
		// Given out of framework order, to show ties follow order, not input.
		{Code: "healthy-populations", Score: 1, Scored: true},
		{Code: "safe-practice", Score: 2, Scored: true},
		{Code: "support-people", Score: 4.5, Scored: true},
		{Code: "smart-foundations", Score: 3, Scored: true},
		{Code: "well-led", Score: 2, Scored: true},
		{Code: "empower-citizens", Score: 3, Scored: true},
		{Code: "improve-care", NotApplicable: 6},
	}
	targets := map[string]int{
		"well-led":            4,
		"smart-foundations":   4,
		"safe-practice":       4,
		"support-people":      3,
		"empower-citizens":    6, // not a level: no priority
		"improve-care":        4, // no score: no priority
		"healthy-populations": 2,
	}
	// Gaps: well-led 4-2 = 2, safe-practice 4-2 = 2, smart-foundations
	// 4-3 = 1, healthy-populations 2-1 = 1, support-people 3-4.5 = -1.5.
	want := []Priority{
		{Code: "well-led", Score: 2, Target: 4, Gap: 2},
		{Code: "safe-practice", Score: 2, Target: 4, Gap: 2},
		{Code: "smart-foundations", Score: 3, Target: 4, Gap: 1},
		{Code: "healthy-populations", Score: 1, Target: 2, Gap: 1},
		{Code: "support-people", Score: 4.5, Target: 3, Gap: -1.5},
	}
	if got := Priorities(sections, targets, order); !slices.Equal(got, want) {
		t.Errorf("Priorities =\n%+v\nwant\n%+v", got, want)
	}
}

func TestPrioritiesEdges(t *testing.T) {
	scored := func(code string, score float64) SectionScore {
		return SectionScore{Code: code, Score: score, Scored: true}
	}
	tests := []struct {
		name     string
		sections []SectionScore
		targets  map[string]int
		order    []string
		want     []Priority
	}{
		{"no sections", nil, map[string]int{"a": 3}, []string{"a"}, nil},
		{"no targets", []SectionScore{scored("a", 2)}, nil, []string{"a"}, nil},
		{
			"target 0 is no target",
			[]SectionScore{scored("a", 2)}, map[string]int{"a": 0}, []string{"a"}, nil,
		},
		{
			// Gaps all 3-2 = 1; x is not in order so comes after a and b.
			"section missing from order",
			[]SectionScore{scored("x", 2), scored("b", 2), scored("a", 2)},
			map[string]int{"a": 3, "b": 3, "x": 3},
			[]string{"a", "b"},
			[]Priority{
				{Code: "a", Score: 2, Target: 3, Gap: 1},
				{Code: "b", Score: 2, Target: 3, Gap: 1},
				{Code: "x", Score: 2, Target: 3, Gap: 1},
			},
		},
		{
			// Target met exactly: 3-3 = 0, still listed, after 5-4.5 = 0.5.
			"target met",
			[]SectionScore{scored("a", 3), scored("b", 4.5)},
			map[string]int{"a": 3, "b": 5},
			[]string{"a", "b"},
			[]Priority{
				{Code: "b", Score: 4.5, Target: 5, Gap: 0.5},
				{Code: "a", Score: 3, Target: 3, Gap: 0},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Priorities(tt.sections, tt.targets, tt.order); !slices.Equal(got, tt.want) {
				t.Errorf("Priorities = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestBenchmarkOf(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		min    int
		want   Benchmark
	}{
		{
			// n = 5, positions p*(n-1) = p*4: Q1 at 1 -> 2, median at 2 -> 3,
			// Q3 at 3 -> 4.
			"odd count",
			[]float64{1, 2, 3, 4, 5}, 5,
			Benchmark{Organisations: 5, LowerQuartile: 2, Median: 3, UpperQuartile: 4, Shown: true},
		},
		{
			"odd count unsorted",
			[]float64{5, 3, 1, 4, 2}, 5,
			Benchmark{Organisations: 5, LowerQuartile: 2, Median: 3, UpperQuartile: 4, Shown: true},
		},
		{
			// n = 6, sorted 2.0 2.4 2.8 3.0 3.6 4.0, positions p*5:
			// Q1 at 1.25: 2.4 + 0.25×(2.8-2.4) = 2.4 + 0.1 = 2.5;
			// median at 2.5: 2.8 + 0.5×(3.0-2.8) = 2.8 + 0.1 = 2.9;
			// Q3 at 3.75: 3.0 + 0.75×(3.6-3.0) = 3.0 + 0.45 = 3.45.
			"even count unsorted",
			[]float64{3.6, 2.0, 4.0, 2.8, 3.0, 2.4}, 5,
			Benchmark{Organisations: 6, LowerQuartile: 2.5, Median: 2.9, UpperQuartile: 3.45, Shown: true},
		},
		{
			// n = 4, positions p*3: Q1 at 0.75: 1 + 0.75×1 = 1.75; median at
			// 1.5: 2 + 0.5×1 = 2.5; Q3 at 2.25: 3 + 0.25×1 = 3.25.
			"four organisations, four needed",
			[]float64{4, 1, 3, 2}, 4,
			Benchmark{Organisations: 4, LowerQuartile: 1.75, Median: 2.5, UpperQuartile: 3.25, Shown: true},
		},
		{
			"four organisations, five needed",
			[]float64{4, 1, 3, 2}, 5,
			Benchmark{Organisations: 4},
		},
		{
			"all the same",
			[]float64{3, 3, 3, 3, 3}, 5,
			Benchmark{Organisations: 5, LowerQuartile: 3, Median: 3, UpperQuartile: 3, Shown: true},
		},
		{
			"one organisation, one needed",
			[]float64{3.2}, 1,
			Benchmark{Organisations: 1, LowerQuartile: 3.2, Median: 3.2, UpperQuartile: 3.2, Shown: true},
		},
		{"none, none needed", nil, 0, Benchmark{}},
		{"none, five needed", nil, 5, Benchmark{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := slices.Clone(tt.scores)
			got := BenchmarkOf(tt.scores, tt.min)
			if got.Organisations != tt.want.Organisations || got.Shown != tt.want.Shown ||
				!near(got.LowerQuartile, tt.want.LowerQuartile) || !near(got.Median, tt.want.Median) ||
				!near(got.UpperQuartile, tt.want.UpperQuartile) {
				t.Errorf("BenchmarkOf(%v, %d) = %+v, want %+v", tt.scores, tt.min, got, tt.want)
			}
			if !slices.Equal(tt.scores, input) {
				t.Errorf("BenchmarkOf changed its input to %v", tt.scores)
			}
		})
	}
}

func TestPosition(t *testing.T) {
	// The even-count benchmark above: Q1 2.5, Q3 3.45, which rounds to 3.5.
	b := Benchmark{Organisations: 6, LowerQuartile: 2.5, Median: 2.9, UpperQuartile: 3.45, Shown: true}
	tests := []struct {
		score float64
		want  string
	}{
		{2.9, "within"},
		{2.5, "within"},  // on the lower quartile
		{2.45, "within"}, // rounds to 2.5
		{2.44, "below"},  // rounds to 2.4
		{1, "below"},
		{3.5, "within"},  // above 3.45, but both show as 3.5
		{3.54, "within"}, // rounds to 3.5
		{3.55, "above"},  // rounds to 3.6
		{5, "above"},
	}
	for _, tt := range tests {
		if got := b.Position(tt.score); got != tt.want {
			t.Errorf("Position(%v) = %q, want %q", tt.score, got, tt.want)
		}
	}
	if got := (Benchmark{Organisations: 3}).Position(3); got != "" {
		t.Errorf("Position on a benchmark not shown = %q, want \"\"", got)
	}
}

// minus subtracts at run time: Go works out 2.4 - 2.25 in constants exactly.
func minus(a, b float64) float64 { return a - b }

func TestRound1(t *testing.T) {
	tests := []struct {
		x, want float64
	}{
		{2.25, 2.3}, // a half, exactly representable
		{2.24, 2.2},
		{2.35, 2.4},
		{2.05, 2.1},             // stored as 2.04999...
		{1.15, 1.2},             // stored as 1.14999...
		{0.15, 0.2},             // stored as 0.14999...
		{minus(2.4, 2.25), 0.2}, // computes to 0.1499999999999999
		{17.0 / 6, 2.8},         // 2.8333...
		{2.95, 3.0},             // carries into the units
		{3.449999, 3.4},         // close to a half is not a half
		{-2.25, -2.3},           // half away from zero
		{-0.15, -0.2},
		{3, 3},
		{0, 0},
	}
	for _, tt := range tests {
		if got := Round1(tt.x); got != tt.want {
			t.Errorf("Round1(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
	// -0.04 rounds to zero, which must not print as "-0.0".
	if got := Round1(-0.04); got != 0 || math.Signbit(got) {
		t.Errorf("Round1(-0.04) = %v (sign bit %v), want 0", got, math.Signbit(got))
	}
}
