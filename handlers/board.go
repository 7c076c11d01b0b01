package handlers

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// signOffText says which board meeting approved a submitted cycle.
func signOffText(c models.MaturityCycle) string { return maturity.SignOffText(c, ukDate) }

// ukDate is a date as pages show it.
func ukDate(t time.Time) string { return formatDate(t) }

func fileSizeText(n int64) string { return maturity.FileSize(n) }

func canReadReport(u models.User, cycle models.MaturityCycle) bool {
	return maturity.CanReadReport(u, cycle)
}

// boardIntegrity adds to the board report what makes the result the board's.
func boardIntegrity(r *reports.BoardReport, res resultsData, fw *assessments.Framework) {
	maturity.BoardIntegrity(r, res, fw, ukDate)
}

// trendChart draws one small line chart per success measure, and one for
// the overall score, over the cycles of the trend. Each is an image with a
// title and a description that lists its values; the table beside it has
// the same numbers.
func trendChart(d resultsData) template.HTML {
	if len(d.Trend) < 2 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<ul class="app-trend-charts">`)
	overall := make([]trendValue, len(d.Trend))
	for i, p := range d.Trend {
		overall[i] = trendValue{Period: p.Period, Draft: p.Draft}
		if p.Overall != nil {
			overall[i].Has, overall[i].Score = true, *p.Overall
		}
	}
	b.WriteString(`<li>`)
	b.WriteString(string(lineChart("trend-overall", "Overall score", overall)))
	b.WriteString(`</li>`)
	for _, r := range d.Sections {
		values := make([]trendValue, len(d.Trend))
		for i, p := range d.Trend {
			cell := p.Cell(r.Section.Code)
			values[i] = trendValue{Period: p.Period, Draft: p.Draft, Has: cell.Has, Score: cell.Score}
		}
		b.WriteString(`<li>`)
		b.WriteString(string(lineChart("trend-"+r.Section.Code, r.Section.Label, values)))
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// trendValue is one point of a line chart.
type trendValue struct {
	Period string
	Draft  bool
	Has    bool
	Score  float64
}

// lineChart is a small SVG line chart of scores from 0 to 5 over periods.
// A gap in the line marks a cycle without a score; a draft's point is an
// open circle. Colours come from attributes, so the page's CSP holds.
func lineChart(id, title string, values []trendValue) template.HTML {
	const (
		w, h                 = 320.0, 170.0
		left, right, top, bh = 30.0, 14.0, 22.0, 100.0
	)
	esc := template.HTMLEscapeString
	var desc []string
	for _, v := range values {
		text := v.Period + ": no score"
		if v.Has {
			text = v.Period + ": " + formatScore(v.Score)
		}
		if v.Draft {
			text += " (draft)"
		}
		desc = append(desc, text)
	}
	x := func(i int) float64 {
		if len(values) == 1 {
			return left + (w-left-right)/2
		}
		return left + float64(i)*(w-left-right)/float64(len(values)-1)
	}
	y := func(v float64) float64 { return top + bh - v/5*bh }
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="app-trend-figure"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s-title %s-desc" class="app-chart" font-family="Frutiger W01, Arial, sans-serif" font-size="11">`, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-title">%s: score by cycle</title><desc id="%s-desc">%s. Scores from 0 to 5.</desc>`, id, esc(title), id, esc(strings.Join(desc, "; ")))
	fmt.Fprintf(&b, `<text x="0" y="13" font-weight="bold" fill="#212b32">%s</text>`, esc(title))
	for t := 0; t <= 5; t++ {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d8dde0" stroke-width="1"/>`, left, y(float64(t)), w-right, y(float64(t)))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#4c6272">%d</text>`, left-6, y(float64(t))+4, t)
	}
	var path []string
	for i, v := range values {
		if !v.Has {
			path = append(path, "")
			continue
		}
		path = append(path, fmt.Sprintf("%.1f,%.1f", x(i), y(v.Score)))
	}
	// Lines join neighbouring cycles that both have a score.
	for i := 1; i < len(path); i++ {
		if path[i-1] != "" && path[i] != "" {
			dash := ""
			if values[i].Draft {
				dash = ` stroke-dasharray="4 3"`
			}
			fmt.Fprintf(&b, `<polyline points="%s %s" fill="none" stroke="#005eb8" stroke-width="2"%s/>`, path[i-1], path[i], dash)
		}
	}
	for i, v := range values {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#212b32">%s</text>`, x(i), top+bh+18, esc(v.Period))
		if v.Draft {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#4c6272">draft</text>`, x(i), top+bh+32)
		}
		if !v.Has {
			continue
		}
		fill := "#005eb8"
		if v.Draft {
			fill = "#ffffff"
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s" stroke="#005eb8" stroke-width="2"/>`, x(i), y(v.Score), fill)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#212b32">%s</text>`, x(i), y(v.Score)-8, formatScore(v.Score))
	}
	b.WriteString(`</svg></figure>`)
	return template.HTML(b.String())
}
