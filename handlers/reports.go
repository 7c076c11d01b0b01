package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
	"nhs-digital-maturity/workforce"
)

// evidenceExtract is how much of the evidence the board report quotes.
const evidenceExtract = 300

// reportFileName is like "RXA-digital-maturity-2026-27.pdf".
func reportFileName(ods, period, what, ext string) string {
	return fmt.Sprintf("%s-%s-%s.%s", ods, what, strings.ReplaceAll(period, "/", "-"), ext)
}

func sendFile(c echo.Context, contentType, name string, body []byte) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, contentType, body)
}

// boardReportPDF is the board report of one cycle, built from the same
// results as the results page.
func (s *Server) boardReportPDF(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	if !canReadReport(mustUser(c), cycle) {
		return echo.ErrForbidden
	}
	r, err := s.boardReport(c, cycle, fw)
	if err != nil {
		return err
	}
	r.Demo = s.cfg.Demo
	var buf bytes.Buffer
	if err := reports.BoardPDF(&buf, r); err != nil {
		return err
	}
	return sendFile(c, "application/pdf", reportFileName(r.ODSCode, cycle.Period, "digital-maturity", "pdf"), buf.Bytes())
}

func (s *Server) boardReport(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) (reports.BoardReport, error) {
	ctx := c.Request().Context()
	res, err := s.computeResults(c, cycle, fw)
	if err != nil {
		return reports.BoardReport{}, err
	}
	src, err := s.reviewSources(c, cycle)
	if err != nil {
		return reports.BoardReport{}, err
	}
	r := reports.BoardReport{
		Organisation: res.Organisation.Name, ODSCode: res.Organisation.ODSCode, Period: cycle.Period,
		Status: cycle.StatusLabel(), Draft: !cycle.Locked(), Generated: time.Now(),
		FrameworkTitle: fw.Title, FrameworkVersion: fw.Version, ScaleMax: "5",
	}
	if res.OverallScored {
		r.OverallScore, r.OverallRAG = assessments.FormatScore(res.Overall), res.OverallRAG.Label()
	}
	r.Change = overallChangeText(res)
	r.Benchmark = benchmarkText(res)

	// Strongest and weakest by shown score; ties keep framework order.
	var scored []sectionResult
	for _, sr := range res.Sections {
		if sr.Score.Scored {
			scored = append(scored, sr)
		}
	}
	byScore := func(desc bool) []reports.SectionLine {
		list := append([]sectionResult(nil), scored...)
		sort.SliceStable(list, func(i, j int) bool {
			if desc {
				return list[i].Shown > list[j].Shown
			}
			return list[i].Shown < list[j].Shown
		})
		var out []reports.SectionLine
		for _, sr := range list {
			out = append(out, reports.SectionLine{Label: sr.Section.Label, Score: assessments.FormatScore(sr.Shown), RAG: sr.RAG.Label()})
		}
		return out
	}
	strongest, weakest := byScore(true), byScore(false)
	r.Strongest, r.Weakest = strongest[:min(2, len(strongest))], weakest[:min(3, len(weakest))]

	r.Radar = reports.Radar{Max: 5, CurrentLabel: "This cycle (" + cycle.Period + ")", PreviousLabel: "Previous cycle",
		TargetLabel: "Target", PeerLabel: "Median of similar organisations"}
	var prev, target, peer []float64
	hasPrev, hasTarget, hasPeer := false, false, false
	for i := range res.Sections {
		sr := &res.Sections[i]
		r.Radar.Axes = append(r.Radar.Axes, sr.Section.Label)
		r.Radar.Current = append(r.Radar.Current, valueOrNone(sr.Score.Scored, sr.Shown))
		prev = append(prev, valueOrNone(sr.HasPrevious, sr.Previous))
		target = append(target, valueOrNone(sr.Target > 0, float64(sr.Target)))
		peer = append(peer, valueOrNone(sr.Peers.Shown, sr.Peers.Median))
		hasPrev, hasTarget, hasPeer = hasPrev || sr.HasPrevious, hasTarget || sr.Target > 0, hasPeer || sr.Peers.Shown

		block := sectionBlock(*sr, buildReview(cycle, fw, sr.Section, i+1, src))
		block.Respondents = fmt.Sprint(sr.Respondents)
		r.Sections = append(r.Sections, block)
	}
	if hasPrev {
		r.Radar.Previous = prev
	}
	if hasTarget {
		r.Radar.Target = target
	}
	if hasPeer {
		r.Radar.Peer = peer
	}

	actions, err := s.store.CycleActions(ctx, cycle.OrganisationID, cycle.ID)
	if err != nil {
		return r, err
	}
	overdue := 0
	for _, a := range actions {
		line := reports.ActionLine{Title: a.Title, Owner: a.Owner, Status: a.StatusLabel(), Overdue: a.Overdue(time.Now()), Due: "No date"}
		if sec, ok := fw.Section(a.SectionCode); ok {
			line.Section = sec.Label
		}
		if a.DueDate != nil {
			line.Due = formatDate(a.DueDate)
		}
		if line.Overdue {
			overdue++
		}
		r.Actions = append(r.Actions, line)
	}

	if r.Workforce, err = s.workforcePage(c); err != nil {
		return r, err
	}
	r.AskedToNote = askedToNote(res, len(actions), overdue)
	r.Method = []string{
		"Board members answer each question with the highest level from 1 to 5 whose description is wholly true of the organisation. The digital lead records the level the organisation agrees on; members' own answers are shown for their spread but are not used in the scores.",
		"A success measure's score is the mean of its agreed levels, leaving out questions agreed as not applicable, shown to one decimal place. The overall score is the mean of the success measures' scores before rounding, so each counts equally.",
		fmt.Sprintf("Ratings use the shown score: below %s is red, from %s to below %s amber, and %s or more green. The gap to target is the target level minus the shown score; the change is this cycle's shown score minus the previous submitted cycle's.",
			assessments.FormatScore(fw.RAG.AmberFrom), assessments.FormatScore(fw.RAG.AmberFrom), assessments.FormatScore(fw.RAG.GreenFrom), assessments.FormatScore(fw.RAG.GreenFrom)),
		fmt.Sprintf("Similar organisations are other %ss using this service, each counted once with its latest submitted assessment. The median and quartiles (linear interpolation, as Excel's QUARTILE.INC) are shown only when at least %d organisations contribute, and never name them.",
			strings.ToLower(res.KindLabel), minBenchmarkOrganisations),
		fmt.Sprintf("Workforce figures come from staff's own private self-assessments. Any figure about fewer than %d people is hidden, together with a second figure wherever a total would let a hidden one be worked out.", s.cfg.MinGroupSize),
		"These are self-assessments: a guide for the board's planning, not a league table.",
		fmt.Sprintf("Framework: %s, version %s.", fw.Title, fw.Version),
	}
	boardIntegrity(&r, res, fw)
	return r, nil
}

func valueOrNone(ok bool, v float64) float64 {
	if !ok {
		return -1
	}
	return v
}

// overallChangeText is the trend sentence of the results page.
func overallChangeText(res resultsData) string {
	if !res.OverallScored {
		return fmt.Sprintf("%d of %d agreed: no overall score yet, so no comparison.", res.CompleteSections, len(res.Sections))
	}
	if !res.HasPreviousScore {
		return "There is no earlier submitted cycle to compare with."
	}
	return fmt.Sprintf("Compared with %s (%s): %s.", res.Previous.Period, assessments.FormatScore(res.PreviousOverall), assessments.FormatChange(res.Change))
}

// benchmarkText is the benchmark sentence of the results page.
func benchmarkText(res resultsData) string {
	kind := strings.ToLower(res.KindLabel)
	if !res.Benchmark.Shown {
		return fmt.Sprintf("No benchmark: fewer than %d other %ss have submitted an assessment.", res.MinPeers, kind)
	}
	b := res.Benchmark
	if res.BenchmarkPeriod == "" {
		kind = fmt.Sprintf("%ss (fewer than %d have submitted for %s, so each one's latest submitted assessment is used)", kind, res.MinPeers, res.Cycle.Period)
	} else {
		kind += "s in " + res.BenchmarkPeriod
	}
	text := fmt.Sprintf("Other %s: median %s, middle half %s to %s (%d organisations).",
		kind, assessments.FormatScore(b.Median), assessments.FormatScore(b.LowerQuartile), assessments.FormatScore(b.UpperQuartile), b.Organisations)
	if res.OverallScored {
		text += " Your score is " + benchmarkPosition(res.Position) + "."
	}
	return text
}

func benchmarkPosition(position string) string {
	pos := map[string]string{"above": "above the middle half", "below": "below the middle half"}[position]
	if pos == "" {
		pos = "within the middle half"
	}
	return pos
}

func askedToNote(res resultsData, actions, overdue int) []string {
	var notes []string
	if res.OverallScored {
		s := fmt.Sprintf("The organisation's overall digital maturity is %s out of 5 (%s).", assessments.FormatScore(res.Overall), res.OverallRAG.Label())
		if res.HasPreviousScore {
			s = fmt.Sprintf("The organisation's overall digital maturity is %s out of 5 (%s), %s since %s.",
				assessments.FormatScore(res.Overall), res.OverallRAG.Label(), assessments.FormatChange(res.Change), res.Previous.Period)
		}
		notes = append(notes, s)
	}
	if len(res.Priorities) > 0 && res.Priorities[0].Gap > 0 {
		p := res.Priorities[0]
		notes = append(notes, fmt.Sprintf("The largest gap to target is in %s: %s against a target of %s.",
			p.Section.Label, assessments.FormatScore(p.Score), assessments.FormatScore(p.Target)))
	}
	notes = append(notes, fmt.Sprintf("%d actions are planned, %d of them overdue.", actions, overdue))
	notes = append(notes, "The scores are the board's own self-assessment, agreed by the digital lead from board members' answers.")
	return notes
}

// sectionBlock turns one section's results and review into report text.
func sectionBlock(sr sectionResult, review reviewData) reports.SectionBlock {
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
		b.Target = fmt.Sprint(sr.Target)
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
		line.Evidence = shorten(text, evidenceExtract)
		b.Questions = append(b.Questions, line)
	}
	return b
}

// shorten cuts text to about n characters at a word, marking the cut.
func shorten(text string, n int) string {
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

// workforcePage is the skills part of the board report: the same figures,
// hidden the same way, as the workforce view.
func (s *Server) workforcePage(c echo.Context) (*reports.Workforce, error) {
	p, err := s.workforcePageData(c, ownOrganisation(c), workforce.Filter{}, workforce.StaffGroup)
	if err != nil {
		return nil, err
	}
	return p.Report(london), nil
}

// ---- The personal report ----

func (s *Server) personalReportPDF(c echo.Context) error {
	a, ok, err := s.requestedAttempt(c, "You have not completed the self-assessment yet, so there is no report to download.")
	if !ok || err != nil {
		return err
	}
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	r, err := s.skillsService().PersonalReport(c.Request().Context(), mustUser(c), org.Name, a)
	if err != nil {
		return err
	}
	r.Demo = s.cfg.Demo
	var buf bytes.Buffer
	if err := reports.PersonalPDF(&buf, r); err != nil {
		return err
	}
	return sendFile(c, "application/pdf", "digital-skills-results-"+a.CompletedAt.Format("2006-01-02")+".pdf", buf.Bytes())
}
