package assessments

import (
	"slices"
	"testing"
)

// skillsTestFramework is a small skills framework built directly: three
// domains of three, two and two statements.
func skillsTestFramework() *Framework {
	q := func(codes ...string) []Question {
		var qs []Question
		for _, c := range codes {
			qs = append(qs, Question{Code: c, Title: "I can " + c})
		}
		return qs
	}
	return &Framework{
		Code: "test-skills", Kind: KindSkills, Version: "1",
		Scale: []ScaleLevel{{1, "Beginning"}, {2, "Developing"}, {3, "Confident"}, {4, "Expert"}},
		Sections: []Section{
			{Code: "data-information", Questions: q("d1", "d2", "d3")},
			{Code: "communication", Questions: q("c1", "c2")},
			{Code: "technical-proficiency", Questions: q("t1", "t2")},
		},
	}
}

func TestScoreSkills(t *testing.T) {
	tests := []struct {
		name    string
		ratings map[string]SkillsRating
		want    []DomainScore
	}{
		{
			name: "means, one rating only, out of range, unscored",
			ratings: map[string]SkillsRating{
				// data-information: Now 1+2+4 = 7 over 3 = 2.333...;
				// Need 3+3+4 = 10 over 3 = 3.333...;
				// gaps 2, 1, 0: mean 3/3 = 1.0 = 10/3 - 7/3.
				"d1": {Now: 1, Need: 3},
				"d2": {Now: 2, Need: 3},
				"d3": {Now: 4, Need: 4},
				// communication: c1 has Now only, so only c2 counts:
				// Now 3, Need 4, Gap 1, Rated 1.
				"c1": {Now: 2},
				"c2": {Now: 3, Need: 4},
				// technical-proficiency: 5 and -1 are off the 1 to 4 scale,
				// so neither statement is rated: unscored, all zero.
				"t1": {Now: 5, Need: 3},
				"t2": {Now: 3, Need: -1},
				// Not in the framework: ignored.
				"x9": {Now: 1, Need: 4},
			},
			want: []DomainScore{
				{Code: "data-information", Now: 7.0 / 3, Need: 10.0 / 3, Gap: 1, Rated: 3, Scored: true},
				{Code: "communication", Now: 3, Need: 4, Gap: 1, Rated: 1, Scored: true},
				{Code: "technical-proficiency"},
			},
		},
		{
			name: "need below now gives a negative gap",
			ratings: map[string]SkillsRating{
				// data-information: Now 4+3 = 7 over 2 = 3.5; Need 2+2 = 4
				// over 2 = 2.0; Gap 2.0 - 3.5 = -1.5 (gaps -2, -1: mean -1.5).
				"d1": {Now: 4, Need: 2},
				"d2": {Now: 3, Need: 2},
				// Need 0 means not rated yet: d3 left out.
				"d3": {Now: 4, Need: 0},
				// technical-proficiency: the scale ends 1 and 4, both count.
				// Now 1+4 = 5 over 2 = 2.5; Need 4+4 = 8 over 2 = 4; Gap 1.5.
				"t1": {Now: 1, Need: 4},
				"t2": {Now: 4, Need: 4},
			},
			want: []DomainScore{
				{Code: "data-information", Now: 3.5, Need: 2, Gap: -1.5, Rated: 2, Scored: true},
				{Code: "communication"},
				{Code: "technical-proficiency", Now: 2.5, Need: 4, Gap: 1.5, Rated: 2, Scored: true},
			},
		},
		{
			name:    "no ratings at all",
			ratings: nil,
			want:    []DomainScore{{Code: "data-information"}, {Code: "communication"}, {Code: "technical-proficiency"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScoreSkills(skillsTestFramework(), tt.ratings)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d domains, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Code != w.Code || g.Rated != w.Rated || g.Scored != w.Scored ||
					!near(g.Now, w.Now) || !near(g.Need, w.Need) || !near(g.Gap, w.Gap) {
					t.Errorf("domain %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// TestScoreSkillsGapIsExact checks that the gap is worked out from the
// whole-number sums: 10/3 - 7/3 in floating point is 1.0000000000000004,
// but the gap is exactly 1 so it ties with other gaps of 1.
func TestScoreSkillsGapIsExact(t *testing.T) {
	got := ScoreSkills(skillsTestFramework(), map[string]SkillsRating{
		"d1": {Now: 1, Need: 3}, "d2": {Now: 2, Need: 3}, "d3": {Now: 4, Need: 4},
	})
	if got[0].Gap != 1 {
		t.Errorf("Gap = %v, want exactly 1", got[0].Gap)
	}
}

// rankingDomains is a list in framework order for Strengths and
// SkillsPriorities; values are halves so ties are exact.
func rankingDomains() []DomainScore {
	return []DomainScore{
		{Code: "a", Now: 3.5, Need: 4, Gap: 0.5, Scored: true},
		{Code: "b", Now: 3.0, Need: 3.5, Gap: 0.5, Scored: true},
		{Code: "c", Now: 2.5, Need: 2.5, Gap: 0, Scored: true},
		{Code: "d", Now: 3.5, Need: 4, Gap: 0.5, Scored: true},
		{Code: "e", Now: 4, Need: 4, Gap: 0, Scored: true},
		{Code: "f", Now: 3.5, Need: 4, Gap: 0.5, Scored: false}, // not scored: never listed
		{Code: "g", Now: 3.5, Need: 3, Gap: -0.5, Scored: true},
		{Code: "h", Now: 1.5, Need: 2.5, Gap: 1, Scored: true},
		{Code: "i", Now: 2, Need: 3.5, Gap: 1.5, Scored: true},
		{Code: "j", Now: 1, Need: 2, Gap: 1, Scored: true},
		{Code: "k", Now: 1.5, Need: 2.5, Gap: 1, Scored: true},
	}
}

func domainCodes(ds []DomainScore) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func TestStrengths(t *testing.T) {
	// Now >= 3: a (3.5, gap 0.5), b (3.0, gap 0.5), d (3.5, gap 0.5),
	// e (4, gap 0), g (3.5, gap -0.5); c, h, i, j, k are below 3 and f is
	// not scored. Gap ascending: g (-0.5), e (0), then a, d, b at 0.5:
	// Now descending puts a and d (3.5) before b (3.0), and a before d by
	// framework order.
	all := []string{"g", "e", "a", "d", "b"}
	tests := []struct {
		name       string
		strongFrom float64
		n          int
		want       []string
	}{
		{"all", 3.0, 10, all},
		{"exactly n", 3.0, 5, all},
		{"top 3", 3.0, 3, []string{"g", "e", "a"}},
		{"n 0", 3.0, 0, nil},
		{"n negative", 3.0, -1, nil},
		// From 3.5: b (3.0) drops out.
		{"higher threshold", 3.5, 10, []string{"g", "e", "a", "d"}},
		// From 4.5 nobody qualifies.
		{"none strong", 4.5, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := rankingDomains()
			got := domainCodes(Strengths(in, tt.strongFrom, tt.n))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Strengths = %v, want %v", got, tt.want)
			}
			if !slices.Equal(in, rankingDomains()) {
				t.Errorf("Strengths modified its input: %v", in)
			}
		})
	}
}

func TestSkillsPriorities(t *testing.T) {
	// Gap > 0 and scored: a, b, d (0.5), h, j, k (1), i (1.5); c, e (gap 0)
	// and g (-0.5) are out, f is not scored. Gap descending: i (1.5); then
	// gap 1 by Now ascending: j (1.0), then h and k (1.5) in framework
	// order; then gap 0.5 by Now ascending: b (3.0), then a and d (3.5) in
	// framework order.
	all := []string{"i", "j", "h", "k", "b", "a", "d"}
	tests := []struct {
		name string
		n    int
		want []string
	}{
		{"all", 10, all},
		{"top 3 as on the page", 3, []string{"i", "j", "h"}},
		{"top 1", 1, []string{"i"}},
		{"n 0", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := rankingDomains()
			got := domainCodes(SkillsPriorities(in, tt.n))
			if !slices.Equal(got, tt.want) {
				t.Errorf("SkillsPriorities = %v, want %v", got, tt.want)
			}
			if !slices.Equal(in, rankingDomains()) {
				t.Errorf("SkillsPriorities modified its input: %v", in)
			}
		})
	}
}

func TestSkillsPrioritiesNoGap(t *testing.T) {
	// Gaps of 0 and below are not priorities, and unscored domains never are.
	in := []DomainScore{
		{Code: "a", Now: 3, Need: 3, Gap: 0, Scored: true},
		{Code: "b", Now: 4, Need: 2, Gap: -2, Scored: true},
		{Code: "c"},
	}
	if got := SkillsPriorities(in, 3); len(got) != 0 {
		t.Errorf("SkillsPriorities = %v, want none", domainCodes(got))
	}
}

func TestLearningLevel(t *testing.T) {
	tests := []struct {
		now      float64
		maxLevel int
		want     int
	}{
		{2.0, 4, 2},                // exactly level 2
		{2.999, 4, 2},              // not yet level 3
		{3.0, 4, 3},                // exactly level 3
		{2.9999999999999996, 4, 3}, // 3 stored a hair low: the nudge makes it 3
		{7.0 / 3, 4, 2},            // 2.333...
		{10.0 / 3, 4, 3},           // 3.333...
		{0.5, 4, 1},                // floor 0, clamped up to 1
		{0, 4, 1},                  // floor 0, clamped up to 1
		{1.0, 4, 1},
		{4.0, 4, 4},  // the top level
		{4.5, 4, 4},  // beyond the scale, clamped down to 4
		{3.5, 3, 3},  // clamped to a smaller maxLevel
		{2.0, 0, 1},  // no scale: 1
		{-1.0, 4, 1}, // nonsense mean, clamped up to 1
	}
	for _, tt := range tests {
		if got := LearningLevel(tt.now, tt.maxLevel); got != tt.want {
			t.Errorf("LearningLevel(%v, %d) = %d, want %d", tt.now, tt.maxLevel, got, tt.want)
		}
	}
}

func TestSkillsChange(t *testing.T) {
	current := []DomainScore{
		{Code: "a", Now: 3, Need: 3.5, Gap: 0.5, Scored: true},
		{Code: "b", Now: 2, Need: 3, Gap: 1, Scored: true},
		{Code: "c", Now: 2.5, Need: 3, Gap: 0.5, Scored: true}, // not in previous
		{Code: "d"}, // scored before, not now
		{Code: "e", Now: 1, Need: 2, Gap: 1, Scored: true}, // in previous, not scored there
	}
	// In another order, with a domain "x" current does not have.
	previous := []DomainScore{
		{Code: "x", Now: 1, Need: 1, Gap: 0, Scored: true},
		{Code: "b", Now: 1.5, Need: 3, Gap: 1.5, Scored: true},
		{Code: "e"},
		{Code: "a", Now: 2, Need: 4, Gap: 2, Scored: true},
		{Code: "d", Now: 2, Need: 3, Gap: 1, Scored: true},
	}
	want := []DomainChange{
		// a: Now 3-2 = +1, Need 3.5-4 = -0.5, Gap 0.5-2 = -1.5.
		{Code: "a", Now: 1, Need: -0.5, Gap: -1.5, Compared: true},
		// b: Now 2-1.5 = +0.5, Need 3-3 = 0, Gap 1-1.5 = -0.5.
		{Code: "b", Now: 0.5, Need: 0, Gap: -0.5, Compared: true},
		{Code: "c"},
		{Code: "d"},
		{Code: "e"},
	}
	got := SkillsChange(current, previous)
	if len(got) != len(want) {
		t.Fatalf("got %d changes, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Code != w.Code || g.Compared != w.Compared || !near(g.Now, w.Now) || !near(g.Need, w.Need) || !near(g.Gap, w.Gap) {
			t.Errorf("change %d = %+v, want %+v", i, g, w)
		}
	}
	if got := SkillsChange(current, nil); len(got) != len(current) || got[0].Compared {
		t.Errorf("SkillsChange with no previous = %+v, want %d entries, none compared", got, len(current))
	}
}
