package assessments

import (
	"cmp"
	"math"
	"slices"
)

// A skills self-assessment rates each "I can ..." statement twice on the
// framework's four-level scale: Now (where I am) and Need (where my role
// needs me to be). A domain is a Section of a skills framework.

// SkillsRating is one statement's two ratings; 0 means not rated yet.
type SkillsRating struct{ Now, Need int }

// validSkillsRating reports whether both ratings are on the 1 to 4 scale.
// A statement with only one rating says nothing about its gap, so it is
// left out of all three means rather than half counted.
func validSkillsRating(r SkillsRating) bool {
	return r.Now >= 1 && r.Now <= 4 && r.Need >= 1 && r.Need <= 4
}

// DomainScore is the means over the domain's statements that have both
// ratings (1 to 4 each). Gap = Need - Now, which equals the mean of the
// per-statement gaps. Rated is the number of such statements. Scored is
// false when Rated is 0, and then Now, Need and Gap are 0.
type DomainScore struct {
	Code           string
	Now, Need, Gap float64
	Rated          int
	Scored         bool
}

// ScoreSkills returns one DomainScore per section of fw, in framework
// order (statement code -> ratings; codes not in fw are ignored). Ratings
// outside 1 to 4 count as not rated.
func ScoreSkills(fw *Framework, ratings map[string]SkillsRating) []DomainScore {
	out := make([]DomainScore, 0, len(fw.Sections))
	for _, sec := range fw.Sections {
		d := DomainScore{Code: sec.Code}
		sumNow, sumNeed := 0, 0
		for _, q := range sec.Questions {
			r, ok := ratings[q.Code]
			if !ok || !validSkillsRating(r) {
				continue
			}
			sumNow += r.Now
			sumNeed += r.Need
			d.Rated++
		}
		if d.Rated > 0 {
			n := float64(d.Rated)
			d.Now = float64(sumNow) / n
			d.Need = float64(sumNeed) / n
			// From the whole-number sums, not Need-Now, so equal gaps are
			// equal floats (10/3-7/3 is not exactly 1) and ties sort as ties.
			d.Gap = float64(sumNeed-sumNow) / n
			d.Scored = true
		}
		out = append(out, d)
	}
	return out
}

// Strengths returns the domains where the person is already at a high
// level and has little left to learn: Scored and Now >= strongFrom (3.0 on
// the four-level scale), smallest Gap first, then highest Now, then the
// order of domains (framework order); at most n. domains is not modified.
func Strengths(domains []DomainScore, strongFrom float64, n int) []DomainScore {
	var list []DomainScore
	for _, d := range domains {
		if d.Scored && d.Now >= strongFrom {
			list = append(list, d)
		}
	}
	// Stable, so full ties keep framework order from one page view to the next.
	slices.SortStableFunc(list, func(a, b DomainScore) int {
		return cmp.Or(cmp.Compare(a.Gap, b.Gap), cmp.Compare(b.Now, a.Now))
	})
	return firstN(list, n)
}

// SkillsPriorities returns the domains with the largest gaps: Scored and
// Gap > 0, largest Gap first, then lowest Now (the less confident first),
// then the order of domains (framework order); at most n (the results page
// shows 3). domains is not modified.
func SkillsPriorities(domains []DomainScore, n int) []DomainScore {
	var list []DomainScore
	for _, d := range domains {
		if d.Scored && d.Gap > 0 {
			list = append(list, d)
		}
	}
	slices.SortStableFunc(list, func(a, b DomainScore) int {
		return cmp.Or(cmp.Compare(b.Gap, a.Gap), cmp.Compare(a.Now, b.Now))
	})
	return firstN(list, n)
}

// firstN returns at most the first n of list; none when n <= 0.
func firstN(list []DomainScore, n int) []DomainScore {
	if n <= 0 {
		return nil
	}
	if len(list) > n {
		return list[:n]
	}
	return list
}

// LearningLevel says which level's learning suggestions fit someone whose
// domain Now mean is now: the whole level they have reached, clamped to 1 to
// maxLevel (1 when maxLevel < 1). The 1e-9 nudge counts a mean a hair below
// a whole number, as binary floating point may store 3 (for example after a
// round trip through the database), as that whole number.
func LearningLevel(now float64, maxLevel int) int {
	level := int(math.Floor(now + 1e-9))
	if level > maxLevel {
		level = maxLevel
	}
	if level < 1 {
		level = 1
	}
	return level
}

// DomainChange is this attempt minus the previous one for a domain.
// Compared is false, and the differences 0, unless the domain is scored
// in both attempts.
type DomainChange struct {
	Code           string
	Now, Need, Gap float64
	Compared       bool
}

// SkillsChange compares two attempts' domain scores, matched by Code: one
// DomainChange per entry of current, in current's order. Matching by code
// rather than position lets the previous attempt use another framework
// version whose domains are in another order or differ.
func SkillsChange(current, previous []DomainScore) []DomainChange {
	prev := make(map[string]DomainScore, len(previous))
	for _, p := range previous {
		if _, ok := prev[p.Code]; !ok {
			prev[p.Code] = p
		}
	}
	out := make([]DomainChange, 0, len(current))
	for _, c := range current {
		ch := DomainChange{Code: c.Code}
		if p, ok := prev[c.Code]; ok && c.Scored && p.Scored {
			ch.Now = c.Now - p.Now
			ch.Need = c.Need - p.Need
			ch.Gap = c.Gap - p.Gap
			ch.Compared = true
		}
		out = append(out, ch)
	}
	return out
}
