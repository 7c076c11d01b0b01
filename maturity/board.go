package maturity

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/charts"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// EvidenceExtract is how much of the evidence the board report quotes.
const EvidenceExtract = 300

// BoardOptions is what the board report needs beyond the cycle: how dates
// are shown, the workforce page (nil when there is none), the small-group
// size it was hidden by, and the time it is generated.
type BoardOptions struct {
	Date         DateFormat
	Workforce    *reports.Workforce
	MinGroupSize int
	Now          time.Time
}

// BoardReport composes the board report of a cycle from the same results
// as the results page. org is the cycle's organisation.
func (s *Service) BoardReport(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, org models.Organisation, opt BoardOptions) (reports.BoardReport, error) {
	res, err := s.Results(ctx, cycle, fw, org)
	if err != nil {
		return reports.BoardReport{}, err
	}
	if cycle.Locked() {
		res.SignOff = SignOffText(cycle, opt.Date)
	}
	src, err := s.Sources(ctx, cycle)
	if err != nil {
		return reports.BoardReport{}, err
	}
	actions, err := s.store.CycleActions(ctx, cycle.OrganisationID, cycle.ID)
	if err != nil {
		return reports.BoardReport{}, err
	}
	return composeBoard(res, src, actions, opt), nil
}

// composeBoard is the board report of worked-out results.
func composeBoard(res Results, src Sources, actions []models.Action, opt BoardOptions) reports.BoardReport {
	cycle, fw := res.Cycle, res.Framework
	r := reports.BoardReport{
		Organisation: res.Organisation.Name, ODSCode: res.Organisation.ODSCode, Period: cycle.Period,
		Status: cycle.StatusLabel(), Draft: !cycle.Locked(), Generated: opt.Now,
		FrameworkTitle: fw.Title, FrameworkVersion: fw.Version, ScaleMax: "5",
		Radar: res.RadarChart(), Workforce: opt.Workforce,
	}
	if res.OverallScored {
		r.OverallScore, r.OverallRAG = assessments.FormatScore(res.Overall), res.OverallRAG.Label()
	}
	r.Change = res.ChangeSentence()
	r.Benchmark = res.BenchmarkSentence()
	r.Strongest, r.Weakest = strongestWeakest(res.Sections)

	for i := range res.Sections {
		sr := res.Sections[i]
		block := SectionBlock(sr, BuildReview(cycle, fw, sr.Section, i+1, src))
		block.Respondents = strconv.Itoa(sr.Respondents)
		r.Sections = append(r.Sections, block)
	}

	overdue := 0
	for _, a := range actions {
		line := reports.ActionLine{Title: a.Title, Owner: a.Owner, Status: a.StatusLabel(), Overdue: a.Overdue(opt.Now), Due: "No date"}
		if sec, ok := fw.Section(a.SectionCode); ok {
			line.Section = sec.Label
		}
		if a.DueDate != nil {
			line.Due = opt.Date(*a.DueDate)
		}
		if line.Overdue {
			overdue++
		}
		r.Actions = append(r.Actions, line)
	}
	r.AskedToNote = res.askedToNote(len(actions), overdue)
	r.Method = []string{
		"Board members answer each question with the highest level from 1 to 5 whose description is wholly true of the organisation. The digital lead records the level the organisation agrees on; members' own answers are shown for their spread but are not used in the scores.",
		"A success measure's score is the mean of its agreed levels, leaving out questions agreed as not applicable, shown to one decimal place. The overall score is the mean of the success measures' scores before rounding, so each counts equally.",
		fmt.Sprintf("Ratings use the shown score: below %s is red, from %s to below %s amber, and %s or more green. The gap to target is the target level minus the shown score; the change is this cycle's shown score minus the previous submitted cycle's.",
			assessments.FormatScore(fw.RAG.AmberFrom), assessments.FormatScore(fw.RAG.AmberFrom), assessments.FormatScore(fw.RAG.GreenFrom), assessments.FormatScore(fw.RAG.GreenFrom)),
		fmt.Sprintf("Similar organisations are other %ss using this service, each counted once with its latest submitted assessment. The median and quartiles (linear interpolation, as Excel's QUARTILE.INC) are shown only when at least %d organisations contribute, and never name them.",
			strings.ToLower(res.KindLabel), MinBenchmarkOrganisations),
		fmt.Sprintf("Workforce figures come from staff's own private self-assessments. Any figure about fewer than %d people is hidden, together with a second figure wherever a total would let a hidden one be worked out.", opt.MinGroupSize),
		"These are self-assessments: a guide for the board's planning, not a league table.",
		fmt.Sprintf("Framework: %s, version %s.", fw.Title, fw.Version),
	}
	BoardIntegrity(&r, res, fw, opt.Date)
	return r
}

// strongestWeakest are the two highest and three lowest scored success
// measures by shown score; ties keep framework order.
func strongestWeakest(sections []SectionResult) (strongest, weakest []reports.SectionLine) {
	var scored []SectionResult
	for _, sr := range sections {
		if sr.Score.Scored {
			scored = append(scored, sr)
		}
	}
	byScore := func(desc bool, n int) []reports.SectionLine {
		list := append([]SectionResult(nil), scored...)
		sort.SliceStable(list, func(i, j int) bool {
			if desc {
				return list[i].Shown > list[j].Shown
			}
			return list[i].Shown < list[j].Shown
		})
		var out []reports.SectionLine
		for _, sr := range list[:min(n, len(list))] {
			out = append(out, reports.SectionLine{Label: sr.Section.Label, Score: assessments.FormatScore(sr.Shown), RAG: sr.RAG.Label()})
		}
		return out
	}
	return byScore(true, 2), byScore(false, 3)
}

// RadarChart is the radar chart of the results, for the page and the
// board report alike: this cycle, the last one, the targets and the peer
// median, each series only when some measure has a value for it.
func (r Results) RadarChart() charts.Radar {
	axes := make([]string, len(r.Sections))
	current := charts.Series{Name: "This cycle (" + r.Cycle.Period + ")", Kind: "current"}
	previous := charts.Series{Name: "Previous cycle", Kind: "previous"}
	target := charts.Series{Name: "Target", Kind: "target"}
	peer := charts.Series{Name: "Median of similar organisations", Kind: "peer"}
	hasPrev, hasTarget, hasPeer := false, false, false
	for i, sr := range r.Sections {
		axes[i] = sr.Section.Label
		current.Values = append(current.Values, charts.ValueIf(sr.Score.Scored, sr.Shown))
		previous.Values = append(previous.Values, charts.ValueIf(sr.HasPrevious, sr.Previous))
		target.Values = append(target.Values, charts.ValueIf(sr.Target > 0, float64(sr.Target)))
		peer.Values = append(peer.Values, charts.ValueIf(sr.Peers.Shown, sr.Peers.Median))
		hasPrev, hasTarget, hasPeer = hasPrev || sr.HasPrevious, hasTarget || sr.Target > 0, hasPeer || sr.Peers.Shown
	}
	series := []charts.Series{current}
	if hasPrev {
		series = append(series, previous)
	}
	if hasTarget {
		series = append(series, target)
	}
	if hasPeer {
		series = append(series, peer)
	}
	return charts.Radar{Title: "Digital maturity by success measure, " + r.Cycle.Period,
		Desc: "Radar chart of the score of each success measure from 0 to 5. The table below gives the same numbers.",
		Axes: axes, Max: 5, Series: series}
}

// TrendLines are the trend's line charts, for the page and the board
// report alike: one for the overall score, then one per success measure,
// over the cycles of the trend.
func (r Results) TrendLines() []charts.Line {
	overall := charts.Line{ID: "trend-overall", Title: "Overall score", Points: make([]charts.LinePoint, len(r.Trend))}
	for i, p := range r.Trend {
		overall.Points[i] = charts.LinePoint{Period: p.Period, Draft: p.Draft, Has: p.Overall != nil}
		if p.Overall != nil {
			overall.Points[i].Score = *p.Overall
		}
	}
	lines := []charts.Line{overall}
	for _, sr := range r.Sections {
		l := charts.Line{ID: "trend-" + sr.Section.Code, Title: sr.Section.Label, Points: make([]charts.LinePoint, len(r.Trend))}
		for i, p := range r.Trend {
			cell := p.Cell(sr.Section.Code)
			l.Points[i] = charts.LinePoint{Period: p.Period, Draft: p.Draft, Has: cell.Has, Score: cell.Score}
		}
		lines = append(lines, l)
	}
	return lines
}

// ChangeSentence is the trend sentence of the results page.
func (r Results) ChangeSentence() string {
	if !r.OverallScored {
		return fmt.Sprintf("%d of %d agreed: no overall score yet, so no comparison.", r.CompleteSections, len(r.Sections))
	}
	if !r.HasPreviousScore {
		return "There is no earlier submitted cycle to compare with."
	}
	return fmt.Sprintf("Compared with %s (%s): %s.", r.Previous.Period, assessments.FormatScore(r.PreviousOverall), assessments.FormatChange(r.Change))
}

// BenchmarkSentence is the benchmark sentence of the results page.
func (r Results) BenchmarkSentence() string {
	kind := strings.ToLower(r.KindLabel)
	if !r.Benchmark.Shown {
		return fmt.Sprintf("No benchmark: fewer than %d other %ss have submitted an assessment.", r.MinPeers, kind)
	}
	b := r.Benchmark
	if r.BenchmarkPeriod == "" {
		kind = fmt.Sprintf("%ss (fewer than %d have submitted for %s, so each one's latest submitted assessment is used)", kind, r.MinPeers, r.Cycle.Period)
	} else {
		kind += "s in " + r.BenchmarkPeriod
	}
	text := fmt.Sprintf("Other %s: median %s, middle half %s to %s (%d organisations).",
		kind, assessments.FormatScore(b.Median), assessments.FormatScore(b.LowerQuartile), assessments.FormatScore(b.UpperQuartile), b.Organisations)
	if r.OverallScored {
		text += " Your score is " + benchmarkPosition(r.Position) + "."
	}
	return text
}

func benchmarkPosition(position string) string {
	switch position {
	case "above":
		return "above the middle half"
	case "below":
		return "below the middle half"
	}
	return "within the middle half"
}

// askedToNote is what the board is asked to note, one sentence each.
func (r Results) askedToNote(actions, overdue int) []string {
	var notes []string
	if r.OverallScored {
		s := fmt.Sprintf("The organisation's overall digital maturity is %s out of 5 (%s).", assessments.FormatScore(r.Overall), r.OverallRAG.Label())
		if r.HasPreviousScore {
			s = fmt.Sprintf("The organisation's overall digital maturity is %s out of 5 (%s), %s since %s.",
				assessments.FormatScore(r.Overall), r.OverallRAG.Label(), assessments.FormatChange(r.Change), r.Previous.Period)
		}
		notes = append(notes, s)
	}
	if len(r.Priorities) > 0 && r.Priorities[0].Gap > 0 {
		p := r.Priorities[0]
		notes = append(notes, fmt.Sprintf("The largest gap to target is in %s: %s against a target of %s.",
			p.Section.Label, assessments.FormatScore(p.Score), assessments.FormatScore(p.Target)))
	}
	notes = append(notes, fmt.Sprintf("%d actions are planned, %d of them overdue.", actions, overdue))
	notes = append(notes, "The scores are the board's own self-assessment, agreed by the digital lead from board members' answers.")
	return notes
}

// SectionBlock turns one section's results and review into report text.
func SectionBlock(sr SectionResult, review Review) reports.SectionBlock {
	b := reports.SectionBlock{Label: sr.Section.Label, Score: "No score", Target: "None", Gap: "None", Change: "None", Peer: "Not enough to compare"}
	if sr.Score.Scored {
		b.Score, b.RAG = assessments.FormatScore(sr.Shown), sr.RAG.Label()
		if sr.Target > 0 {
			b.Gap = assessments.FormatScore(sr.Gap)
		}
		if sr.HasPrevious {
			b.Change = assessments.FormatChange(sr.Change)
		}
	}
	if sr.Target > 0 {
		b.Target = strconv.Itoa(sr.Target)
	}
	if sr.Peers.Shown {
		b.Peer = fmt.Sprintf("median %s (%s to %s)", assessments.FormatScore(sr.Peers.Median), assessments.FormatScore(sr.Peers.LowerQuartile), assessments.FormatScore(sr.Peers.UpperQuartile))
	}
	for _, q := range review.Questions {
		line := reports.QuestionLine{Title: q.Question.Title, Agreed: "Not agreed", Spread: "No answers", Flagged: q.Spread.Flagged}
		switch q.Level {
		case "":
		case "0":
			line.Agreed = "Not applicable"
		default:
			line.Agreed = "Level " + q.Level
		}
		if q.Spread.Answers > 0 {
			line.Spread = fmt.Sprintf("%d to %d, mean %s (%d)", q.Spread.Min, q.Spread.Max, assessments.FormatScore(q.Spread.Mean), q.Spread.Answers)
		}
		var evidence []string
		for _, m := range q.Members {
			if m.Evidence != "" {
				evidence = append(evidence, m.Evidence)
			}
		}
		text := strings.Join(evidence, " / ")
		if q.Note != "" {
			text = strings.TrimSpace("Agreed: " + q.Note + " " + text)
		}
		line.Evidence = Shorten(text, EvidenceExtract)
		b.Questions = append(b.Questions, line)
	}
	return b
}

// Shorten cuts text to about n characters at a word, marking the cut.
func Shorten(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}
