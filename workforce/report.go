package workforce

import (
	"fmt"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/charts"
	"nhs-digital-maturity/reports"
)

// Table is the page's figures by group and domain, in long form, for the
// exports: a suppressed figure is the word "Hidden", never a number; the
// people are counts and the means numbers, each the published, rounded
// one; the release's date is a date, read in loc.
func (p Page) Table(loc *time.Location) reports.Table {
	t := reports.Table{Name: "Workforce skills by " + strings.ToLower(p.DimensionLabel),
		Columns: []string{p.DimensionLabel, "Domain", "People", "Mean now", "Mean need", "Mean gap", "Figures as of"}}
	if p.NoRelease || p.NotPublished || p.FilterHidden {
		return t
	}
	asOf := reports.Date(p.Release.BuiltAt.In(loc))
	hidden := reports.Text("Hidden")
	for _, row := range p.Rows {
		for _, sec := range p.Framework.Sections {
			m, ok := row.Means[sec.Code]
			line := []reports.Cell{reports.Text(row.Group), reports.Text(sec.Label)}
			switch {
			case row.Hidden:
				line = append(line, hidden, hidden, hidden, hidden)
			case !ok:
				line = append(line, reports.Count(row.People), reports.Empty(), reports.Empty(), reports.Empty())
			default:
				line = append(line, reports.Count(row.People), reports.Number(m.Now), reports.Number(m.Need), reports.Number(m.Gap))
			}
			t.Rows = append(t.Rows, append(line, asOf))
		}
	}
	return t
}

// Report is the skills page of the board report: the page's figures,
// hidden the same way, with dates read in loc.
func (p Page) Report(loc *time.Location) *reports.Workforce {
	w := &reports.Workforce{ScaleMax: fmt.Sprint(len(p.Framework.Scale)), Note: p.note(loc)}
	w.Participation = []reports.LabelValue{
		{Label: "Staff invited or imported", Value: countText(p.Invited, p.MinGroupSize)},
		{Label: "Started", Value: countText(p.Started, p.MinGroupSize)},
		{Label: "Completed", Value: countText(p.Completed, p.MinGroupSize)},
	}
	if !p.NoRelease && !p.NotPublished && !p.FilterHidden {
		for _, df := range p.Domains {
			if df.Now.Empty {
				continue
			}
			w.Domains = append(w.Domains, reports.DomainLine{Label: df.Domain.Label, Now: assessments.FormatScore(df.Now.Value),
				Need: assessments.FormatScore(df.Need.Value), Gap: assessments.FormatScore(df.Gap.Value)})
		}
		w.Heatmap = p.Heatmap()
	}
	if p.Panel.HasBoard {
		w.BoardView = fmt.Sprintf("The board's view: \"Support people\" scored %s out of 5 (%s) in the %s maturity assessment.",
			assessments.FormatScore(p.Panel.BoardScore), p.Panel.BoardRAG.Label(), p.Panel.Cycle.Period)
	} else {
		w.BoardView = "The board's view: no agreed level for \"Support people\" yet."
	}
	if p.Panel.HasWorkforce {
		w.WorkforceView = fmt.Sprintf("The workforce's view: %d staff rate themselves %s out of %d now against %s their roles need, a gap of %s.",
			p.Panel.People, assessments.FormatScore(p.Panel.Now), p.Panel.ScaleMax, assessments.FormatScore(p.Panel.Need), assessments.FormatScore(p.Panel.Gap))
	} else {
		w.WorkforceView = fmt.Sprintf("The workforce's view: fewer than %d staff have completed the self-assessment, so nothing is shown.", p.MinGroupSize)
	}
	return w
}

// Heatmap is the mean gap by group and domain, as the page shows it and
// the board report draws it.
func (p Page) Heatmap() charts.Heatmap {
	m := charts.Heatmap{ID: "heatmap", Caption: "Mean gap by " + strings.ToLower(p.DimensionLabel) + " and domain",
		Header: []string{p.DimensionLabel, "People"}}
	for _, sec := range p.Framework.Sections {
		m.Header = append(m.Header, sec.Label)
	}
	for _, row := range p.Rows {
		r := charts.HeatRow{Label: row.Group, Count: charts.HeatCell{Value: float64(row.People), Label: fmt.Sprint(row.People), Shown: !row.Hidden}}
		if row.Hidden {
			r.Count.Label = "Hidden"
		}
		for _, c := range row.Cells {
			r.Cells = append(r.Cells, charts.HeatCell{Value: c.Value, Label: cellText(c), Shown: !c.Hidden && !c.Empty})
		}
		m.Rows = append(m.Rows, r)
	}
	return m
}

// note says where the report's workforce figures come from and how they
// are protected.
func (p Page) note(loc *time.Location) string {
	if p.NoRelease {
		return "No workforce figures have been published yet: they are published once a week."
	}
	day := func(t time.Time) string { return t.In(loc).Format("2 January 2006") }
	return fmt.Sprintf("Figures as of %s (next update %s). Groups of fewer than %d people are hidden, with further figures wherever they could be worked out; "+
		"counts and means carry a small, consistent adjustment so that nobody's answers can be worked out from them.",
		day(p.Release.BuiltAt), day(p.Release.NextAt), p.MinGroupSize)
}

func countText(c Figure, min int) string {
	if c.Hidden {
		return fmt.Sprintf("Hidden (fewer than %d)", min)
	}
	return fmt.Sprintf("%.0f", c.Value)
}

func cellText(c Figure) string {
	switch {
	case c.Hidden:
		return "Hidden"
	case c.Empty:
		return "No data"
	}
	return assessments.FormatScore(c.Value)
}
