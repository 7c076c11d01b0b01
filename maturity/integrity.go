package maturity

import (
	"fmt"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// DateFormat shows a date as pages and reports do (in UK time).
type DateFormat func(time.Time) string

// SignOffText says which board meeting approved a submitted cycle.
func SignOffText(c models.MaturityCycle, date DateFormat) string {
	if c.BoardMeetingOn == nil {
		return "Not recorded (submitted before sign-off was asked for)"
	}
	return fmt.Sprintf("Approved by the board meeting of %s; signed off by %s, %s", date(*c.BoardMeetingOn), c.SignedOffBy, c.SignedOffRole)
}

// FileSize is a document's size as people read it.
func FileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<10-1)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// CanReadReport says whether u may download a cycle's board report: leads
// and admins always, board members once it is submitted.
func CanReadReport(u models.User, cycle models.MaturityCycle) bool {
	return u.Has(models.RoleLead) || u.Has(models.RoleAdmin) || (u.Has(models.RoleBoard) && cycle.Locked())
}

// BoardIntegrity adds to the board report what makes the result the
// board's: the sign-off, the quorum, the reopenings, the trend and the
// evidence documents; and, in the method, how the quorum and advice count.
func BoardIntegrity(r *reports.BoardReport, res Results, fw *assessments.Framework, date DateFormat) {
	r.SignOff = res.SignOff
	r.Quorum = fmt.Sprintf("Each agreed level rests on the answers of at least %d assigned board member%s", res.Cycle.Quorum, plural(res.Cycle.Quorum))
	for _, ro := range res.Reopenings {
		line := date(ro.ReopenedAt)
		if ro.ReopenedBy != "" {
			line += " by " + ro.ReopenedBy
		}
		r.Reopenings = append(r.Reopenings, line+": "+ro.Reason)
	}
	if len(res.Trend) > 0 {
		t := &reports.Trend{Charts: res.TrendLines()}
		overall := reports.TrendRow{Label: "Overall"}
		for _, p := range res.Trend {
			label := p.Period
			if p.Draft {
				label += " (draft)"
			}
			t.Periods = append(t.Periods, label)
			cell := TrendCell{Has: p.Overall != nil}
			if cell.Has {
				cell.Score = *p.Overall
			}
			overall.Values = append(overall.Values, cell.value())
		}
		t.Rows = append(t.Rows, overall)
		for _, sec := range fw.Sections {
			row := reports.TrendRow{Label: sec.Label}
			for _, p := range res.Trend {
				row.Values = append(row.Values, p.Cell(sec.Code).value())
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
		r.Evidence = append(r.Evidence, reports.EvidenceLine{FileName: e.FileName, Question: q, By: e.UploadedBy, Size: FileSize(e.Size)})
	}
	r.Method = append(r.Method[:len(r.Method)-1],
		fmt.Sprintf("A question's level can be agreed only once at least %d of the board members assigned to its success measure have answered it. Advice from colleagues outside the board is shown beside the board's answers but counts towards neither the quorum nor the spread. The overall score appears only when every success measure is fully agreed, and a success measure is compared with the previous submitted cycle only when it is.", res.Cycle.Quorum),
		r.Method[len(r.Method)-1])
}

// value is the cell as the report's trend takes it: -1 for no score.
func (c TrendCell) value() float64 {
	if !c.Has {
		return -1
	}
	return c.Score
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
