package handlers

import (
	"fmt"
	"html/template"
	"slices"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/charts"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// signOffText says which board meeting approved a submitted cycle.
func signOffText(c models.MaturityCycle) string {
	if c.BoardMeetingOn == nil {
		return "Not recorded (submitted before sign-off was asked for)"
	}
	return fmt.Sprintf("Approved by the board meeting of %s; signed off by %s, %s", formatDate(c.BoardMeetingOn), c.SignedOffBy, c.SignedOffRole)
}

// fileSizeText is a document's size as people read it.
func fileSizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<10-1)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// canReadReport says whether someone may download a cycle's board report:
// leads and admins always, board members once it is submitted.
func canReadReport(u models.User, cycle models.MaturityCycle) bool {
	return u.Has(models.RoleLead) || u.Has(models.RoleAdmin) || (u.Has(models.RoleBoard) && cycle.Locked())
}

// sectionRespondents counts, per section, the board members who chose a
// level for at least one of its questions.
func (s *Server) sectionRespondents(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) (map[string]int, error) {
	answers, err := s.store.CycleAnswers(c.Request().Context(), cycle.ID)
	if err != nil {
		return nil, err
	}
	sectionOf := map[string]string{}
	for _, sec := range fw.Sections {
		for _, q := range sec.Questions {
			sectionOf[q.Code] = sec.Code
		}
	}
	seen := map[string]map[uint]bool{}
	for _, a := range answers {
		code, ok := sectionOf[a.QuestionCode]
		if !ok || a.Level == nil {
			continue
		}
		if seen[code] == nil {
			seen[code] = map[uint]bool{}
		}
		seen[code][a.RespondentID] = true
	}
	out := map[string]int{}
	for code, people := range seen {
		out[code] = len(people)
	}
	return out, nil
}

// trendPoint is one cycle of the trend: its shown scores by section code
// (complete measures only) and overall (nil unless every measure is agreed).
type trendPoint struct {
	Period   string
	Draft    bool
	Overall  *float64
	Sections map[string]float64
}

// trendCell is one section's score in one cycle, for the trend table.
type trendCell struct {
	Has   bool
	Score float64
}

// Cell returns a section's shown score in this cycle of the trend.
func (p trendPoint) Cell(code string) trendCell {
	v, ok := p.Sections[code]
	return trendCell{Has: ok, Score: v}
}

// trend is every submitted cycle of the organisation, oldest period first,
// from the scores stored at submission; a cycle in progress is added last
// with its complete measures only, marked as a draft.
func (s *Server) trend(c echo.Context, cycle models.MaturityCycle, current resultsData) ([]trendPoint, error) {
	ctx := c.Request().Context()
	cycles, err := s.store.SubmittedCycles(ctx, cycle.OrganisationID)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(cycles))
	for i, cy := range cycles {
		ids[i] = cy.ID
	}
	scores, err := s.store.SectionScoresOf(ctx, cycle.OrganisationID, ids)
	if err != nil {
		return nil, err
	}
	var points []trendPoint
	for _, cy := range cycles {
		p := trendPoint{Period: cy.Period, Sections: map[string]float64{}}
		if cy.OverallScore != nil {
			o := assessments.Round1(*cy.OverallScore)
			p.Overall = &o
		}
		for code, v := range scores[cy.ID] {
			p.Sections[code] = assessments.Round1(v)
		}
		points = append(points, p)
	}
	if !cycle.Locked() {
		p := trendPoint{Period: cycle.Period, Draft: true, Sections: map[string]float64{}}
		if current.OverallScored {
			o := current.Overall
			p.Overall = &o
		}
		for _, r := range current.Sections {
			if r.Complete && r.Score.Scored {
				p.Sections[r.Section.Code] = r.Shown
			}
		}
		// Keep the periods in order even if a later one was submitted.
		at := len(points)
		for i, q := range points {
			if q.Period > p.Period {
				at = i
				break
			}
		}
		points = slices.Insert(points, at, p)
	}
	return points, nil
}

// trendChart draws one small line chart per success measure, and one for
// the overall score, over the cycles of the trend. Each is an image with a
// title and a description that lists its values; the table beside it has
// the same numbers.
func trendChart(d resultsData) template.HTML {
	if len(d.Trend) < 2 {
		return ""
	}
	overall := charts.Line{ID: "trend-overall", Title: "Overall score", Points: make([]charts.LinePoint, len(d.Trend))}
	for i, p := range d.Trend {
		overall.Points[i] = charts.LinePoint{Period: p.Period, Draft: p.Draft, Has: p.Overall != nil, Score: derefOr(p.Overall)}
	}
	lines := []charts.Line{overall}
	for _, r := range d.Sections {
		l := charts.Line{ID: "trend-" + r.Section.Code, Title: r.Section.Label, Points: make([]charts.LinePoint, len(d.Trend))}
		for i, p := range d.Trend {
			cell := p.Cell(r.Section.Code)
			l.Points[i] = charts.LinePoint{Period: p.Period, Draft: p.Draft, Has: cell.Has, Score: cell.Score}
		}
		lines = append(lines, l)
	}
	return charts.Trend(lines)
}

// boardIntegrity adds to the board report what makes the result the
// board's: the sign-off, the quorum, the reopenings, the trend and the
// evidence documents.
func boardIntegrity(r *reports.BoardReport, res resultsData, fw *assessments.Framework) {
	r.SignOff = res.SignOff
	r.Quorum = fmt.Sprintf("Each agreed level rests on the answers of at least %d assigned board member%s", res.Cycle.Quorum, plural(res.Cycle.Quorum))
	for _, ro := range res.Reopenings {
		line := formatDate(ro.ReopenedAt)
		if ro.ReopenedBy != "" {
			line += " by " + ro.ReopenedBy
		}
		r.Reopenings = append(r.Reopenings, line+": "+ro.Reason)
	}
	if len(res.Trend) > 0 {
		t := &reports.Trend{}
		overall := reports.TrendRow{Label: "Overall"}
		for _, p := range res.Trend {
			label := p.Period
			if p.Draft {
				label += " (draft)"
			}
			t.Periods = append(t.Periods, label)
			overall.Values = append(overall.Values, valueOrNone(p.Overall != nil, derefOr(p.Overall)))
		}
		t.Rows = append(t.Rows, overall)
		for _, sec := range fw.Sections {
			row := reports.TrendRow{Label: sec.Label}
			for _, p := range res.Trend {
				cell := p.Cell(sec.Code)
				row.Values = append(row.Values, valueOrNone(cell.Has, cell.Score))
			}
			t.Rows = append(t.Rows, row)
		}
		r.Trend = t
	}
	for _, e := range res.Evidence {
		q := e.QuestionCode
		if question, _, ok := fw.Question(e.QuestionCode); ok {
			q = question.Title
		}
		r.Evidence = append(r.Evidence, reports.EvidenceLine{FileName: e.FileName, Question: q, By: e.UploadedBy, Size: fileSizeText(e.Size)})
	}
	r.Method = append(r.Method[:len(r.Method)-1],
		fmt.Sprintf("A question's level can be agreed only once at least %d of the board members assigned to its success measure have answered it. Advice from colleagues outside the board is shown beside the board's answers but counts towards neither the quorum nor the spread. The overall score appears only when every success measure is fully agreed, and a success measure is compared with the previous submitted cycle only when it is.", res.Cycle.Quorum),
		r.Method[len(r.Method)-1])
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func derefOr(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
