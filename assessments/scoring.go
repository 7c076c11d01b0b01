package assessments

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// The scoring works on levels: 1 to 5 for an answer, NotApplicable (0) for
// "not applicable". Any other value is ignored, as if it were not given.

// RAG is a red, amber or green rating of a mean score.
type RAG string

const (
	RAGRed   RAG = "red"
	RAGAmber RAG = "amber"
	RAGGreen RAG = "green"
)

// Rate rates a score: below AmberFrom red, from AmberFrom to below
// GreenFrom amber, GreenFrom and above green. The score is not rounded here:
// a caller that shows a rounded score should rate the rounded score.
func (t RAGThresholds) Rate(score float64) RAG {
	switch {
	case score < t.AmberFrom:
		return RAGRed
	case score < t.GreenFrom:
		return RAGAmber
	default:
		return RAGGreen
	}
}

// Label is the rating as shown to people, or "" for an unknown rating.
func (r RAG) Label() string {
	switch r {
	case RAGRed:
		return "Red"
	case RAGAmber:
		return "Amber"
	case RAGGreen:
		return "Green"
	}
	return ""
}

// Spread shows how far respondents disagree on a question before the
// agreed level is set.
type Spread struct {
	Answers       int // levels 1 to 5
	NotApplicable int
	Min, Max      int     // of levels 1 to 5; 0 when Answers is 0
	Mean          float64 // of levels 1 to 5; 0 when Answers is 0
	Flagged       bool    // Max-Min >= 2: worth discussing before agreeing
}

// SpreadOf summarises the respondents' levels of one question.
func SpreadOf(levels []int) Spread {
	var s Spread
	sum := 0
	for _, l := range levels {
		switch {
		case l == NotApplicable:
			s.NotApplicable++
		case l >= 1 && l <= 5:
			if s.Answers == 0 || l < s.Min {
				s.Min = l
			}
			if s.Answers == 0 || l > s.Max {
				s.Max = l
			}
			s.Answers++
			sum += l
		}
	}
	if s.Answers > 0 {
		s.Mean = float64(sum) / float64(s.Answers)
		s.Flagged = s.Max-s.Min >= 2
	}
	return s
}

// SectionScore is the mean of a section's agreed levels.
type SectionScore struct {
	Code          string
	Score         float64 // 0 when not Scored
	Scored        bool    // false when no question has a level 1 to 5
	Answered      int     // questions with a level 1 to 5
	NotApplicable int
}

// ScoreSection scores a section from its agreed levels. Not applicable is
// left out of the mean rather than counted as zero, so a trust is not marked
// down for what does not apply to it.
func ScoreSection(code string, agreed []int) SectionScore {
	s := SectionScore{Code: code}
	sum := 0
	for _, l := range agreed {
		switch {
		case l == NotApplicable:
			s.NotApplicable++
		case l >= 1 && l <= 5:
			s.Answered++
			sum += l
		}
	}
	if s.Answered > 0 {
		s.Score = float64(sum) / float64(s.Answered)
		s.Scored = true
	}
	return s
}

// OverallScore is the mean of the scored sections' scores, so each section
// weighs the same whatever its number of questions. ok is false when no
// section is scored.
func OverallScore(sections []SectionScore) (score float64, ok bool) {
	sum, n := 0.0, 0
	for _, s := range sections {
		if s.Scored {
			sum += s.Score
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// Priority is a section's gap between its target and its agreed score.
type Priority struct {
	Code   string
	Score  float64
	Target float64
	Gap    float64 // Target - Score; negative when the target is exceeded
}

// Priorities returns one entry per section that has both a score and a
// target (targets: section code -> level 1 to 5), largest gap first. Ties
// keep the order of order, the framework's section order, so the list is
// stable from one page view to the next; sections missing from order come
// after those in it, in their given order.
func Priorities(sections []SectionScore, targets map[string]int, order []string) []Priority {
	rank := make(map[string]int, len(order)+len(sections))
	for i, code := range order {
		if _, ok := rank[code]; !ok {
			rank[code] = i
		}
	}
	var list []Priority
	for _, s := range sections {
		t, ok := targets[s.Code]
		if !s.Scored || !ok || t < 1 || t > 5 {
			continue
		}
		if _, ok := rank[s.Code]; !ok {
			rank[s.Code] = len(order) + len(list)
		}
		list = append(list, Priority{Code: s.Code, Score: s.Score, Target: float64(t), Gap: float64(t) - s.Score})
	}
	slices.SortStableFunc(list, func(a, b Priority) int {
		return cmp.Or(cmp.Compare(b.Gap, a.Gap), cmp.Compare(rank[a.Code], rank[b.Code]))
	})
	return list
}

// Benchmark summarises other organisations' scores.
type Benchmark struct {
	Organisations int // how many scores were given, shown or not
	Median        float64
	LowerQuartile float64
	UpperQuartile float64
	Shown         bool // false with too few organisations to keep each one's score private
}

// BenchmarkOf summarises other organisations' scores. Quartiles interpolate
// linearly between closest ranks (the "inclusive" method of Excel's
// QUARTILE.INC and R's type 7): the quartile p is at position p*(n-1) of the
// sorted scores, counting from 0. Shown is true only when there are at least
// minOrganisations scores (and at least one); otherwise Median and the
// quartiles stay zero. scores is not modified.
func BenchmarkOf(scores []float64, minOrganisations int) Benchmark {
	b := Benchmark{Organisations: len(scores)}
	if len(scores) == 0 || len(scores) < minOrganisations {
		return b
	}
	sorted := slices.Clone(scores)
	slices.Sort(sorted)
	b.LowerQuartile = quantile(sorted, 0.25)
	b.Median = quantile(sorted, 0.5)
	b.UpperQuartile = quantile(sorted, 0.75)
	b.Shown = true
	return b
}

// quantile interpolates the quantile p of sorted, which is not empty.
func quantile(sorted []float64, p float64) float64 {
	pos := p * float64(len(sorted)-1)
	i := int(math.Floor(pos))
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
}

// Position says where a score sits against the benchmark: "above" the upper
// quartile, "below" the lower quartile, or "within" the middle half,
// quartiles included; "" when the benchmark is not shown. All are rounded to
// one decimal place first, so the words agree with the numbers on the page.
func (b Benchmark) Position(score float64) string {
	if !b.Shown {
		return ""
	}
	s := Round1(score)
	switch {
	case s > Round1(b.UpperQuartile):
		return "above"
	case s < Round1(b.LowerQuartile):
		return "below"
	default:
		return "within"
	}
}

// Round1 rounds to one decimal place, half away from zero: 2.25 -> 2.3,
// 2.24 -> 2.2, -2.25 -> -2.3. Scores are means of small whole numbers, so a
// value a hair below a half is a half that binary floating point could not
// hold exactly (2.4-2.25 gives 0.1499999999999999): the nudge of 1e-9 tenths
// rounds it up as a person would. Never returns negative zero, which would
// print as "-0.0".
func Round1(x float64) float64 {
	nudge := 1e-9
	if x < 0 {
		nudge = -nudge
	}
	r := math.Round(x*10+nudge) / 10
	if r == 0 {
		return 0
	}
	return r
}

// FormatScore shows a score or mean to one decimal place, as every page,
// export and report does.
func FormatScore(x float64) string {
	return strconv.FormatFloat(Round1(x), 'f', 1, 64)
}

// FormatChange shows a change of score with its sign in words, or "no
// change" when it rounds to nothing.
func FormatChange(x float64) string {
	x = Round1(x)
	switch {
	case x > 0:
		return "up " + FormatScore(x)
	case x < 0:
		return "down " + FormatScore(-x)
	}
	return "no change"
}
