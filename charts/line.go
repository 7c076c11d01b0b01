package charts

import (
	"fmt"
	"html/template"
	"strings"

	"nhs-digital-maturity/assessments"
)

// Line is a small line chart of scores from 0 to 5 over periods: a trend.
// A gap in the line marks a period without a score; a draft's point is an
// open circle and the line into it is dashed.
type Line struct {
	ID     string // prefix of the ids of its title and description, e.g. "trend-overall"
	Title  string // what is scored, e.g. "Overall score"
	Points []LinePoint
}

// LinePoint is one period of a line chart.
type LinePoint struct {
	Period string
	Draft  bool
	Has    bool // false: no score for the period
	Score  float64
}

// The line chart's viewBox and plot.
const (
	lineW, lineH       = 320.0, 170.0
	lineLeft, lineRght = 30.0, 14.0
	lineTop, linePlotH = 22.0, 100.0
	lineFont           = 11.0
	lineMuted          = "#4c6272"
)

// lineLayout is the geometry of a line chart, computed once for both
// renderers.
type lineLayout struct {
	title string
	grid  []float64 // y of the grid line of each score 0 to 5
	dots  []lineDot
	segs  [][2]int // indexes of the dots each segment joins
}

// lineDot is one period: where its label and point are.
type lineDot struct {
	x, y float64 // y only when the period has a score
	p    LinePoint
}

func (c Line) layout() lineLayout {
	l := lineLayout{title: c.Title}
	x := func(i int) float64 {
		if len(c.Points) == 1 {
			return lineLeft + (lineW-lineLeft-lineRght)/2
		}
		return lineLeft + float64(i)*(lineW-lineLeft-lineRght)/float64(len(c.Points)-1)
	}
	for t := 0; t <= 5; t++ {
		l.grid = append(l.grid, lineY(float64(t)))
	}
	for i, p := range c.Points {
		d := lineDot{x: x(i), p: p}
		if p.Has {
			d.y = lineY(p.Score)
		}
		l.dots = append(l.dots, d)
	}
	// Lines join neighbouring periods that both have a score.
	for i := 1; i < len(c.Points); i++ {
		if c.Points[i-1].Has && c.Points[i].Has {
			l.segs = append(l.segs, [2]int{i - 1, i})
		}
	}
	return l
}

func lineY(v float64) float64 { return lineTop + linePlotH - v/5*linePlotH }

// SVG is the chart as an inline <svg> element in a <figure>, with a title
// and a description that lists its values.
func (c Line) SVG() template.HTML {
	l := c.layout()
	esc := template.HTMLEscapeString
	var desc []string
	for _, v := range c.Points {
		text := v.Period + ": no score"
		if v.Has {
			text = v.Period + ": " + assessments.FormatScore(v.Score)
		}
		if v.Draft {
			text += " (draft)"
		}
		desc = append(desc, text)
	}
	id := c.ID
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="app-trend-figure"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s-title %s-desc" class="app-chart" font-family="Frutiger W01, Arial, sans-serif" font-size="11">`, lineW, lineH, id, id)
	fmt.Fprintf(&b, `<title id="%s-title">%s: score by cycle</title><desc id="%s-desc">%s. Scores from 0 to 5.</desc>`, id, esc(c.Title), id, esc(strings.Join(desc, "; ")))
	fmt.Fprintf(&b, `<text x="0" y="13" font-weight="bold" fill="#212b32">%s</text>`, esc(c.Title))
	for t, y := range l.grid {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d8dde0" stroke-width="1"/>`, lineLeft, y, lineW-lineRght, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#4c6272">%d</text>`, lineLeft-6, y+4, t)
	}
	for _, s := range l.segs {
		a, z := l.dots[s[0]], l.dots[s[1]]
		dash := ""
		if z.p.Draft {
			dash = ` stroke-dasharray="4 3"`
		}
		fmt.Fprintf(&b, `<polyline points="%.1f,%.1f %.1f,%.1f" fill="none" stroke="#005eb8" stroke-width="2"%s/>`, a.x, a.y, z.x, z.y, dash)
	}
	for _, d := range l.dots {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#212b32">%s</text>`, d.x, lineTop+linePlotH+18, esc(d.p.Period))
		if d.p.Draft {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#4c6272">draft</text>`, d.x, lineTop+linePlotH+32)
		}
		if !d.p.Has {
			continue
		}
		fill := "#005eb8"
		if d.p.Draft {
			fill = "#ffffff"
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s" stroke="#005eb8" stroke-width="2"/>`, d.x, d.y, fill)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#212b32">%s</text>`, d.x, d.y-8, assessments.FormatScore(d.p.Score))
	}
	b.WriteString(`</svg></figure>`)
	return template.HTML(b.String())
}

// Trend is small line charts side by side, one per line, as a list; none
// with fewer than two periods.
func Trend(lines []Line) template.HTML {
	if len(lines) == 0 || len(lines[0].Points) < 2 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<ul class="app-trend-charts">`)
	for _, l := range lines {
		b.WriteString(`<li>`)
		b.WriteString(string(l.SVG()))
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}
