package handlers

// Server-side SVG charts: pure functions that return an inline <svg>
// element, ready to put in a page with {{.Radar}} and the like.
//
// The site's Content-Security-Policy has style-src 'self', so the charts
// use presentation attributes only: no style attributes and no <style>
// elements. Every text is escaped, every number is written with strconv
// (no locale, never NaN or Inf), and the output depends only on the
// arguments, so the same input always gives the same bytes.
//
// The charts are a picture of numbers that the page also shows in a
// table, so they stay simple: role="img" with a <title> and a <desc>, and
// a <title> on each shape so that hovering over it shows its value.
//
// IDs: the <title> and <desc> of a chart have the IDs app-chart-HASH-title
// and app-chart-HASH-desc, where HASH is an FNV-1a hash of everything the
// chart shows (its kind, title, description, labels, series names, kinds
// and values). Two different charts on one page therefore have different
// IDs; only two identical charts would share them.

import (
	"hash/fnv"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Geometry of the charts, in viewBox units. At the chart's natural size
// (640 units wide shown 640 CSS pixels wide) one unit is one pixel.
const (
	chartWidth  = 640.0 // width of every chart's viewBox
	chartMargin = 8.0   // space kept clear inside the edges of the viewBox
	chartFont   = 14.0  // font size of every text
	chartLineH  = 17.0  // distance between the baselines of wrapped lines
	chartAscent = 11.0  // from the top of a line of text to its baseline

	// The radar chart's centre and outer radius: a value of max lies
	// radarR from (radarCX, radarCY). Axis 0 points straight up and the
	// others follow clockwise at equal angles.
	radarCX       = 320.0
	radarCY       = 240.0
	radarR        = 160.0
	radarLabelGap = 14.0 // from the outer ring to the axis labels
	// Axis labels wider than these wrap: those beside the chart, and those
	// centred above or below it.
	radarLabelWidth    = 150.0
	radarTopLabelWidth = 200.0

	// The bar chart's plot: a bar of value v is v/max*barPlotW wide and
	// starts at x = barPlotX. Category labels sit to the left of barPlotX.
	barPlotX    = 210.0
	barPlotW    = 360.0
	barHeight   = 22.0 // height of one bar
	barSpacing  = 4.0  // between the bars of one category
	barGroupGap = 20.0 // between categories

	chartSwatch = 36.0 // width of a legend's line or bar sample
)

// Colours of the NHS.UK palette.
const (
	chartText     = "#212b32" // text
	chartGrid     = "#d8dde0" // grid lines
	chartBlue     = "#005eb8" // this cycle, skills now
	chartDarkGrey = "#425563" // previous cycle
	chartOrange   = "#ed8b00" // target, skills needed
	chartGreen    = "#007f3b" // peer median
	chartFontFace = "Frutiger W01, Arial, Sans-serif"
)

// radarSeries is one polygon on a radar chart.
type radarSeries struct {
	Name   string    // legend text, e.g. "This cycle", "Previous cycle", "Target", "Peer median"
	Values []float64 // one per axis, same order as axes; a value < 0 or NaN means "no value" for that axis
	Kind   string    // "current", "previous", "target", "peer": chooses colour and dash pattern
}

// barSeries is one set of bars on a bar chart, one bar per category.
type barSeries struct {
	Name   string
	Values []float64 // one per category; < 0 or NaN = no value (no bar, and "no data" text)
	Kind   string    // "now", "need", "current", "previous": chooses colour
}

// chartLook is how a series is drawn.
type chartLook struct {
	colour string
	dash   string // stroke-dasharray, "" for solid lines
	width  float64
	fill   string // fill-opacity of a radar area, "" for no fill
}

func radarLook(kind string) chartLook {
	switch kind {
	case "current":
		return chartLook{colour: chartBlue, width: 3, fill: "0.15"}
	case "previous":
		return chartLook{colour: chartDarkGrey, dash: "6 3", width: 2.5}
	case "target":
		return chartLook{colour: chartOrange, dash: "2 3", width: 3}
	case "peer":
		return chartLook{colour: chartGreen, dash: "8 3 4 3", width: 2.5}
	}
	return chartLook{colour: chartText, width: 2}
}

func barLook(kind string) chartLook {
	switch kind {
	case "now", "current":
		return chartLook{colour: chartBlue}
	case "need":
		return chartLook{colour: chartOrange}
	case "previous":
		return chartLook{colour: chartDarkGrey}
	}
	return chartLook{colour: chartText}
}

// radarChart draws a radar (spider) chart of scores from 0 to max with one
// axis per label, axis 0 at the top and the rest clockwise. It has grid
// rings at each whole number from 1 to max, labelled with the number, the
// axis labels around the outside (wrapped onto up to three lines), one
// closed polygon per series with a point at each value, and a legend
// below. A series is drawn through the axes it has a value for; with fewer
// than three values it is drawn as points only. Values above max are drawn
// at max (their <title> still gives the real value). The first series is
// drawn on top; the legend lists the series in the order given.
func radarChart(title, desc string, axes []string, max float64, series []radarSeries) template.HTML {
	parts := []string{"radar", title, desc, chartNum(max)}
	parts = append(parts, axes...)
	var all []float64
	for _, s := range series {
		parts = append(parts, s.Name, s.Kind, chartValues(s.Values))
		all = append(all, s.Values...)
	}
	id := chartID(parts)
	if len(axes) == 0 {
		return chartEmpty(id, title, desc)
	}
	max = chartScale(max, all)
	n := len(axes)

	// point is where value v lies on axis i.
	point := func(i int, v float64) (float64, float64) {
		a := 2 * math.Pi * float64(i) / float64(n)
		r := radarR * v / max
		return radarCX + r*math.Sin(a), radarCY - r*math.Cos(a)
	}

	var b strings.Builder

	// Grid: rings, spokes, and the value of each ring beside axis 0.
	b.WriteString(`<g class="app-chart__grid" fill="none" stroke="` + chartGrid + `" stroke-width="1">`)
	rings := chartTicks(max, 1)
	if last := rings[len(rings)-1]; last < max-1e-9 {
		rings = append(rings, max)
	}
	for _, v := range rings {
		if n >= 3 {
			pts := make([]string, n)
			for i := range n {
				x, y := point(i, v)
				pts[i] = chartNum(x) + "," + chartNum(y)
			}
			b.WriteString(`<polygon points="` + strings.Join(pts, " ") + `"/>`)
		} else {
			b.WriteString(`<circle cx="` + chartNum(radarCX) + `" cy="` + chartNum(radarCY) + `" r="` + chartNum(radarR*v/max) + `"/>`)
		}
	}
	for i := range n {
		x, y := point(i, max)
		b.WriteString(chartLine(radarCX, radarCY, x, y))
	}
	b.WriteString(`</g>`)

	// Axis labels: left of the chart anchored at their end, right of it at
	// their start, top and bottom in the middle; above the chart they sit
	// above their point, below it below, and at the sides level with it.
	bottom := radarCY + radarR
	b.WriteString(`<g class="app-chart__labels" fill="` + chartText + `">`)
	for i, label := range axes {
		a := 2 * math.Pi * float64(i) / float64(n)
		sin, cos := math.Sin(a), math.Cos(a)
		x := radarCX + (radarR+radarLabelGap)*sin
		y := radarCY - (radarR+radarLabelGap)*cos
		var anchor string
		var room float64
		switch {
		case math.Abs(sin) < 0.25:
			anchor = "middle"
			room = math.Min(radarTopLabelWidth, 2*math.Min(x-chartMargin, chartWidth-chartMargin-x))
		case sin > 0:
			anchor = "start"
			x += 2
			room = math.Min(radarLabelWidth, chartWidth-chartMargin-x)
		default:
			anchor = "end"
			x -= 2
			room = math.Min(radarLabelWidth, x-chartMargin)
		}
		lines, cut := chartWrap(label, room, 3)
		h := chartBlockHeight(len(lines))
		top := y - h*(1+cos)/2
		b.WriteString(chartTextBlock(x, top, anchor, lines, label, cut))
		bottom = math.Max(bottom, top+h)
	}
	b.WriteString(`</g>`)

	// Series, the first on top.
	for k := len(series) - 1; k >= 0; k-- {
		s := series[k]
		look := radarLook(s.Kind)
		class := chartClass(s.Kind)
		var pts, marks []string
		summary := make([]string, n)
		for i := range n {
			v, ok := chartValue(s.Values, i)
			if !ok {
				summary[i] = axes[i] + " no value"
				continue
			}
			summary[i] = axes[i] + " " + chartScore(v)
			x, y := point(i, math.Min(v, max))
			pts = append(pts, chartNum(x)+","+chartNum(y))
			marks = append(marks, `<circle class="app-chart__point app-chart__point--`+class+`" cx="`+chartNum(x)+`" cy="`+chartNum(y)+
				`" r="4" fill="`+look.colour+`" stroke="#ffffff" stroke-width="1"><title>`+
				chartEscape(s.Name+", "+axes[i]+": "+chartScore(v))+`</title></circle>`)
		}
		b.WriteString(`<g class="app-chart__series app-chart__series--` + class + `">`)
		if len(pts) >= 3 {
			fill := `fill="none"`
			if look.fill != "" {
				fill = `fill="` + look.colour + `" fill-opacity="` + look.fill + `"`
			}
			b.WriteString(`<polygon class="app-chart__area app-chart__area--` + class + `" points="` + strings.Join(pts, " ") + `" ` + fill +
				` stroke="` + look.colour + `" stroke-width="` + chartNum(look.width) + `"` + chartDash(look.dash) +
				` stroke-linejoin="round"><title>` + chartEscape(s.Name+": "+strings.Join(summary, "; ")) + `</title></polygon>`)
		}
		b.WriteString(strings.Join(marks, ""))
		b.WriteString(`</g>`)
	}

	// The value of each ring, beside axis 0 on a pale background so that
	// it can be read over the series.
	b.WriteString(`<g class="app-chart__scale" text-anchor="start">`)
	for _, v := range chartTicks(max, 1) {
		_, y := point(0, v)
		label := chartNum(v)
		b.WriteString(`<rect x="` + chartNum(radarCX+3) + `" y="` + chartNum(y-8) + `" width="` + chartNum(chartTextWidth(label)+4) +
			`" height="16" fill="#ffffff" fill-opacity="0.85"/>`)
		b.WriteString(`<text x="` + chartNum(radarCX+5) + `" y="` + chartNum(y+5) + `" fill="` + chartText + `">` + label + `</text>`)
	}
	b.WriteString(`</g>`)

	// Legend.
	entries := make([]chartEntry, len(series))
	for i, s := range series {
		look := radarLook(s.Kind)
		entries[i] = chartEntry{name: s.Name, sample: func(x, y float64) string {
			return `<line x1="` + chartNum(x) + `" y1="` + chartNum(y) + `" x2="` + chartNum(x+chartSwatch) + `" y2="` + chartNum(y) +
				`" stroke="` + look.colour + `" stroke-width="` + chartNum(look.width) + `"` + chartDash(look.dash) + `/>` +
				`<circle cx="` + chartNum(x+chartSwatch/2) + `" cy="` + chartNum(y) + `" r="4" fill="` + look.colour + `" stroke="#ffffff" stroke-width="1"/>`
		}}
	}
	legend, end := chartLegend(bottom+24, entries)
	b.WriteString(legend)

	return chartSVG(id, title, desc, end+chartMargin+4, b.String())
}

// barChart draws grouped horizontal bars from 0 to max: one group per
// category, labelled on the left (wrapped onto up to three lines), with one
// bar per series in the order given, each with its value (to one decimal
// place) at its end, or "no data" where there is no value. Grid lines at
// each whole number from 0 to max carry their number below the plot, and
// a legend above it lists the series in the order given. The height grows
// with the number of categories and series. Values above max are drawn as
// full-width bars (their label still gives the real value).
func barChart(title, desc string, categories []string, max float64, series []barSeries) template.HTML {
	parts := []string{"bar", title, desc, chartNum(max)}
	parts = append(parts, categories...)
	var all []float64
	for _, s := range series {
		parts = append(parts, s.Name, s.Kind, chartValues(s.Values))
		all = append(all, s.Values...)
	}
	id := chartID(parts)
	if len(categories) == 0 || len(series) == 0 {
		return chartEmpty(id, title, desc)
	}
	max = chartScale(max, all)
	xOf := func(v float64) float64 { return barPlotX + barPlotW*math.Min(v, max)/max }

	var b strings.Builder

	entries := make([]chartEntry, len(series))
	for i, s := range series {
		look := barLook(s.Kind)
		entries[i] = chartEntry{name: s.Name, sample: func(x, y float64) string {
			return `<rect x="` + chartNum(x+8) + `" y="` + chartNum(y-9) + `" width="` + chartNum(chartSwatch-16) + `" height="18" fill="` + look.colour + `"/>`
		}}
	}
	legend, legendBottom := chartLegend(chartMargin, entries)
	b.WriteString(legend)

	// Lay the groups out first, so that the grid can be drawn under them.
	nb := float64(len(series))
	barsH := nb*barHeight + (nb-1)*barSpacing
	type group struct {
		top, h float64
		lines  []string
		cut    bool
	}
	groups := make([]group, len(categories))
	y := legendBottom + 8 + barGroupGap/2
	for i, c := range categories {
		lines, cut := chartWrap(c, barPlotX-12-chartMargin, 3)
		h := math.Max(barsH, chartBlockHeight(len(lines)))
		groups[i] = group{top: y, h: h, lines: lines, cut: cut}
		y += h + barGroupGap
	}
	gridTop, gridBottom := legendBottom+8, y-barGroupGap/2

	b.WriteString(`<g class="app-chart__grid" stroke="` + chartGrid + `" stroke-width="1">`)
	ticks := chartTicks(max, 0)
	for _, v := range ticks {
		b.WriteString(chartLine(xOf(v), gridTop, xOf(v), gridBottom))
	}
	b.WriteString(`</g>`)
	b.WriteString(`<g class="app-chart__scale" fill="` + chartText + `" text-anchor="middle">`)
	for _, v := range ticks {
		b.WriteString(`<text x="` + chartNum(xOf(v)) + `" y="` + chartNum(gridBottom+chartAscent+6) + `">` + chartNum(v) + `</text>`)
	}
	b.WriteString(`</g>`)

	for i, g := range groups {
		b.WriteString(`<g class="app-chart__group">`)
		b.WriteString(`<g fill="` + chartText + `">` +
			chartTextBlock(barPlotX-12, g.top+(g.h-chartBlockHeight(len(g.lines)))/2, "end", g.lines, categories[i], g.cut) + `</g>`)
		by := g.top + (g.h-barsH)/2
		for _, s := range series {
			look := barLook(s.Kind)
			class := chartClass(s.Kind)
			baseline := chartNum(by + barHeight/2 + 5)
			if v, ok := chartValue(s.Values, i); ok {
				label := chartScore(v)
				b.WriteString(`<rect class="app-chart__bar app-chart__bar--` + class + `" x="` + chartNum(barPlotX) + `" y="` + chartNum(by) +
					`" width="` + chartNum(xOf(v)-barPlotX) + `" height="` + chartNum(barHeight) + `" fill="` + look.colour + `"><title>` +
					chartEscape(s.Name+", "+categories[i]+": "+label) + `</title></rect>`)
				b.WriteString(`<text class="app-chart__value" x="` + chartNum(xOf(v)+6) + `" y="` + baseline + `" fill="` + chartText + `">` + label + `</text>`)
			} else {
				b.WriteString(`<text class="app-chart__value app-chart__value--none" x="` + chartNum(barPlotX+6) + `" y="` + baseline + `" fill="` + chartText +
					`"><title>` + chartEscape(s.Name+", "+categories[i]+": no data") + `</title>no data</text>`)
			}
			by += barHeight + barSpacing
		}
		b.WriteString(`</g>`)
	}

	return chartSVG(id, title, desc, gridBottom+chartAscent+6+chartMargin+4, b.String())
}

// chartEntry is one entry of a legend: its name and how to draw its
// sample, given the left end and middle of the sample's place.
type chartEntry struct {
	name   string
	sample func(x, y float64) string
}

// chartLegend lays out a legend in two columns from top down, and returns
// it and where it ends.
func chartLegend(top float64, entries []chartEntry) (string, float64) {
	const columns = 2
	colW := (chartWidth - 2*chartMargin) / columns
	var b strings.Builder
	b.WriteString(`<g class="app-chart__legend" fill="` + chartText + `">`)
	y := top
	for row := 0; row*columns < len(entries); row++ {
		h := chartBlockHeight(1)
		type cell struct {
			lines []string
			cut   bool
		}
		cells := make([]cell, 0, columns)
		for c := 0; c < columns && row*columns+c < len(entries); c++ {
			lines, cut := chartWrap(entries[row*columns+c].name, colW-chartSwatch-16, 2)
			cells = append(cells, cell{lines, cut})
			h = math.Max(h, chartBlockHeight(len(lines)))
		}
		for c, cell := range cells {
			e := entries[row*columns+c]
			x := chartMargin + float64(c)*colW
			mid := y + chartBlockHeight(1)/2
			b.WriteString(e.sample(x, mid))
			b.WriteString(chartTextBlock(x+chartSwatch+8, y, "start", cell.lines, e.name, cell.cut))
		}
		y += h + 10
	}
	b.WriteString(`</g>`)
	return b.String(), y - 10
}

// chartSVG wraps a chart's content in its <svg> element.
func chartSVG(id, title, desc string, height float64, content string) template.HTML {
	height = math.Ceil(height)
	return template.HTML(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + chartNum(chartWidth) + ` ` + chartNum(height) +
		`" width="100%" role="img" aria-labelledby="` + id + `-title ` + id + `-desc" class="app-chart" font-family="` + chartFontFace +
		`" font-size="` + chartNum(chartFont) + `">` +
		`<title id="` + id + `-title">` + chartEscape(title) + `</title>` +
		`<desc id="` + id + `-desc">` + chartEscape(desc) + `</desc>` +
		content + `</svg>`)
}

// chartEmpty is the chart of nothing: a line of text saying so.
func chartEmpty(id, title, desc string) template.HTML {
	return chartSVG(id, title, desc, 40, `<text x="`+chartNum(chartMargin)+`" y="`+chartNum(chartMargin+chartAscent+4)+
		`" fill="`+chartText+`">No data to show</text>`)
}

// chartID is a unique prefix for the IDs of a chart: a hash of all it shows.
func chartID(parts []string) string {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "app-chart-" + strconv.FormatUint(h.Sum64(), 16)
}

// chartScale is the top of a chart's scale: max if it is a positive
// number, otherwise the highest value rounded up (at least 1).
func chartScale(max float64, values []float64) float64 {
	if max > 0 && !math.IsInf(max, 0) {
		return max
	}
	top := 1.0
	for _, v := range values {
		if v > 0 && !math.IsInf(v, 0) {
			top = math.Max(top, math.Ceil(v))
		}
	}
	return top
}

// chartTicks are the whole numbers from first to max; if there would be
// more than ten steps, every so many, to keep charts of odd scales legible.
func chartTicks(max float64, first int) []float64 {
	step := 1.0
	if max > 10 {
		step = math.Ceil(max / 10)
	}
	var ticks []float64
	for k := float64(first); k*step <= max+1e-9; k++ {
		ticks = append(ticks, k*step)
	}
	if len(ticks) == 0 {
		ticks = []float64{max}
	}
	return ticks
}

// chartValue is the i'th value, and whether there is one.
func chartValue(values []float64, i int) (float64, bool) {
	if i >= len(values) {
		return 0, false
	}
	v := values[i]
	if math.IsNaN(v) || v < 0 || math.IsInf(v, 1) {
		return 0, false
	}
	return v, true
}

// chartValues writes values for hashing.
func chartValues(values []float64) string {
	s := make([]string, len(values))
	for i := range values {
		if v, ok := chartValue(values, i); ok {
			s[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return strings.Join(s, " ")
}

// chartNum writes a coordinate or a grid number: to two decimal places,
// without trailing zeros, and never NaN or Inf.
func chartNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	if math.Abs(x) >= 1e6 {
		return strconv.FormatFloat(x, 'g', 4, 64) // only for absurd scales
	}
	s := strconv.FormatFloat(math.Round(x*100)/100, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// chartScore writes a value as the pages show scores: to one decimal place.
func chartScore(v float64) string {
	if v >= 1e6 {
		return strconv.FormatFloat(v, 'g', 4, 64) // only for absurd values
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
}

func chartLine(x1, y1, x2, y2 float64) string {
	return `<line x1="` + chartNum(x1) + `" y1="` + chartNum(y1) + `" x2="` + chartNum(x2) + `" y2="` + chartNum(y2) + `"/>`
}

func chartDash(dash string) string {
	if dash == "" {
		return ""
	}
	return ` stroke-dasharray="` + dash + `"`
}

// chartClass makes a series kind safe to use in a class name.
func chartClass(kind string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(kind) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "other"
	}
	return b.String()
}

// chartBlockHeight is the height of n lines of text.
func chartBlockHeight(n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(n-1)*chartLineH + chartFont
}

// chartTextBlock writes lines of text whose top is at top. If the text was
// cut short, the whole of it is in a <title>.
func chartTextBlock(x, top float64, anchor string, lines []string, full string, cut bool) string {
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<text x="` + chartNum(x) + `" y="` + chartNum(top+chartAscent) + `" text-anchor="` + anchor + `">`)
	if cut {
		b.WriteString(`<title>` + chartEscape(full) + `</title>`)
	}
	for i, l := range lines {
		if i == 0 {
			b.WriteString(`<tspan x="` + chartNum(x) + `">`)
		} else {
			b.WriteString(`<tspan x="` + chartNum(x) + `" dy="` + chartNum(chartLineH) + `">`)
		}
		b.WriteString(chartEscape(l) + `</tspan>`)
	}
	b.WriteString(`</text>`)
	return b.String()
}

// chartClean makes text fit for XML: valid UTF-8, no control characters,
// and white space collapsed to single spaces.
func chartClean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20, r >= 0x7f && r < 0xa0, r == 0xfffe, r == 0xffff:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// chartEscape escapes text for an element's content or an attribute.
func chartEscape(s string) string {
	return template.HTMLEscapeString(chartClean(s))
}

// chartWrap breaks text into at most maxLines lines of at most width
// (estimated) at the chart's font size, at spaces where it can. If the
// text does not fit, the last line ends in an ellipsis and cut is true.
func chartWrap(s string, width float64, maxLines int) (lines []string, cut bool) {
	words := strings.Fields(chartClean(s))
	if len(words) == 0 {
		return nil, false
	}
	width = math.Max(width, 4*chartFont)
	line := ""
	for _, w := range words {
		if line != "" && chartTextWidth(line+" "+w) <= width {
			line += " " + w
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		// A word wider than a line is broken where it must be.
		for chartTextWidth(w) > width {
			_, n := utf8.DecodeRuneInString(w)
			for n < len(w) {
				_, size := utf8.DecodeRuneInString(w[n:])
				if chartTextWidth(w[:n+size]) > width {
					break
				}
				n += size
			}
			lines = append(lines, w[:n])
			w = w[n:]
		}
		line = w
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) <= maxLines {
		return lines, false
	}
	last := lines[maxLines-1]
	for last != "" && chartTextWidth(last+"…") > width {
		_, size := utf8.DecodeLastRuneInString(last)
		last = strings.TrimRight(last[:len(last)-size], " ")
	}
	lines = append(lines[:maxLines-1], last+"…")
	return lines, true
}

// chartGlyphs are the widths of the printable ASCII characters in Arial,
// in thousandths of the font size, from ' ' to '~'. Frutiger is close.
var chartGlyphs = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
}

// chartTextWidth estimates the width of text at the chart's font size,
// erring on the wide side.
func chartTextWidth(s string) float64 {
	total := 0
	for _, r := range s {
		switch {
		case r >= ' ' && r <= '~':
			total += chartGlyphs[r-' ']
		case r >= 0x1100:
			total += 1000
		default:
			total += 600
		}
	}
	return float64(total) / 1000 * chartFont * 1.08
}
