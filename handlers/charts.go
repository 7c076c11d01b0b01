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
	"html/template"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
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

// chartSeries is one set of values on a chart: a polygon on a radar
// chart, or one bar per category on a bar chart.
type chartSeries struct {
	Name   string    // legend text, e.g. "This cycle", "Previous cycle", "Target", "Peer median"
	Values []float64 // one per axis or category, in their order; a value < 0 or NaN means "no value"
	Kind   string    // chooses colour and dash pattern: "current", "previous", "target", "peer"; for skills "now", "need"
}

// radarSeries and barSeries name the series of each kind of chart.
type (
	radarSeries = chartSeries
	barSeries   = chartSeries
)

// chartIdentity hashes everything a chart shows into its id, so that two
// charts on one page never share ids and the same chart always gets the
// same id, and returns the series' values.
func chartIdentity(kind, title, desc string, max float64, labels []string, series []chartSeries) (string, [][]float64) {
	h := newChartHash()
	h.add(kind)
	h.add(title)
	h.add(desc)
	h.addNum(max)
	for _, l := range labels {
		h.add(l)
	}
	values := make([][]float64, len(series))
	for i, s := range series {
		h.add(s.Name)
		h.add(s.Kind)
		h.addValues(s.Values)
		values[i] = s.Values
	}
	return h.id(), values
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
	id, values := chartIdentity("radar", title, desc, max, axes, series)
	if len(axes) == 0 {
		return chartEmpty(id, title, desc)
	}
	max = chartScale(max, values)
	n := len(axes)

	// point is where value v lies on axis i.
	point := func(i int, v float64) (float64, float64) {
		a := 2 * math.Pi * float64(i) / float64(n)
		r := radarR * v / max
		return radarCX + r*math.Sin(a), radarCY - r*math.Cos(a)
	}

	w := getChartWriter()
	defer putChartWriter(w)

	// Grid: rings, spokes, and the value of each ring beside axis 0.
	w.str(`<g class="app-chart__grid" fill="none" stroke="` + chartGrid + `" stroke-width="1">`)
	rings := chartTicks(max, 1)
	if last := rings[len(rings)-1]; last < max-1e-9 {
		rings = append(rings, max)
	}
	for _, v := range rings {
		if n >= 3 {
			w.str(`<polygon points="`)
			for i := range n {
				if i > 0 {
					w.str(" ")
				}
				w.point(point(i, v))
			}
			w.str(`"/>`)
		} else {
			w.str(`<circle cx="`)
			w.num(radarCX)
			w.str(`" cy="`)
			w.num(radarCY)
			w.str(`" r="`)
			w.num(radarR * v / max)
			w.str(`"/>`)
		}
	}
	for i := range n {
		x, y := point(i, max)
		w.line(radarCX, radarCY, x, y)
	}
	w.str(`</g>`)

	// Axis labels: left of the chart anchored at their end, right of it at
	// their start, top and bottom in the middle; above the chart they sit
	// above their point, below it below, and at the sides level with it.
	bottom := radarCY + radarR
	w.str(`<g class="app-chart__labels" fill="` + chartText + `">`)
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
		w.textBlock(x, top, anchor, lines, label, cut)
		bottom = math.Max(bottom, top+h)
	}
	w.str(`</g>`)

	// Series, the first on top: the area with its summary as a <title>,
	// then a point with its own <title> at each value.
	for k := len(series) - 1; k >= 0; k-- {
		s := series[k]
		look := radarLook(s.Kind)
		class := chartClass(s.Kind)
		count := 0
		for i := range n {
			if _, ok := chartValue(s.Values, i); ok {
				count++
			}
		}
		w.str(`<g class="app-chart__series app-chart__series--`)
		w.str(class)
		w.str(`">`)
		if count >= 3 {
			w.str(`<polygon class="app-chart__area app-chart__area--`)
			w.str(class)
			w.str(`" points="`)
			first := true
			for i := range n {
				if v, ok := chartValue(s.Values, i); ok {
					if !first {
						w.str(" ")
					}
					first = false
					w.point(point(i, math.Min(v, max)))
				}
			}
			w.str(`" `)
			if look.fill != "" {
				w.str(`fill="`)
				w.str(look.colour)
				w.str(`" fill-opacity="`)
				w.str(look.fill)
				w.str(`"`)
			} else {
				w.str(`fill="none"`)
			}
			w.str(` stroke="`)
			w.str(look.colour)
			w.str(`" stroke-width="`)
			w.num(look.width)
			w.str(`"`)
			w.dash(look.dash)
			w.str(` stroke-linejoin="round"><title>`)
			w.tmp = append(append(w.tmp[:0], s.Name...), ": "...)
			for i := range n {
				if i > 0 {
					w.tmp = append(w.tmp, "; "...)
				}
				w.tmp = append(w.tmp, axes[i]...)
				if v, ok := chartValue(s.Values, i); ok {
					w.tmp = appendChartScore(append(w.tmp, ' '), v)
				} else {
					w.tmp = append(w.tmp, " no value"...)
				}
			}
			w.tmpText()
			w.str(`</title></polygon>`)
		}
		for i := range n {
			v, ok := chartValue(s.Values, i)
			if !ok {
				continue
			}
			x, y := point(i, math.Min(v, max))
			w.str(`<circle class="app-chart__point app-chart__point--`)
			w.str(class)
			w.str(`" cx="`)
			w.num(x)
			w.str(`" cy="`)
			w.num(y)
			w.str(`" r="4" fill="`)
			w.str(look.colour)
			w.str(`" stroke="#ffffff" stroke-width="1"><title>`)
			w.tmp = append(append(append(append(w.tmp[:0], s.Name...), ", "...), axes[i]...), ": "...)
			w.tmp = appendChartScore(w.tmp, v)
			w.tmpText()
			w.str(`</title></circle>`)
		}
		w.str(`</g>`)
	}

	// The value of each ring, beside axis 0 on a pale background so that
	// it can be read over the series.
	w.str(`<g class="app-chart__scale" text-anchor="start">`)
	for _, v := range chartTicks(max, 1) {
		_, y := point(0, v)
		var nb [32]byte
		label := appendChartNum(nb[:0], v)
		w.str(`<rect x="`)
		w.num(radarCX + 3)
		w.str(`" y="`)
		w.num(y - 8)
		w.str(`" width="`)
		w.num(chartTextWidth(string(label)) + 4)
		w.str(`" height="16" fill="#ffffff" fill-opacity="0.85"/>`)
		w.str(`<text x="`)
		w.num(radarCX + 5)
		w.str(`" y="`)
		w.num(y + 5)
		w.str(`" fill="` + chartText + `">`)
		w.b = append(w.b, label...)
		w.str(`</text>`)
	}
	w.str(`</g>`)

	// Legend.
	entries := make([]chartEntry, len(series))
	for i, s := range series {
		entries[i] = chartEntry{name: s.Name, look: radarLook(s.Kind)}
	}
	end := w.legend(bottom+24, entries, radarSample)

	return w.svg(id, title, desc, end+chartMargin+4)
}

// radarSample is a radar legend's sample: a line in the series' style
// through a point.
func radarSample(w *chartWriter, look chartLook, x, y float64) {
	w.str(`<line x1="`)
	w.num(x)
	w.str(`" y1="`)
	w.num(y)
	w.str(`" x2="`)
	w.num(x + chartSwatch)
	w.str(`" y2="`)
	w.num(y)
	w.str(`" stroke="`)
	w.str(look.colour)
	w.str(`" stroke-width="`)
	w.num(look.width)
	w.str(`"`)
	w.dash(look.dash)
	w.str(`/><circle cx="`)
	w.num(x + chartSwatch/2)
	w.str(`" cy="`)
	w.num(y)
	w.str(`" r="4" fill="`)
	w.str(look.colour)
	w.str(`" stroke="#ffffff" stroke-width="1"/>`)
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
	id, values := chartIdentity("bar", title, desc, max, categories, series)
	if len(categories) == 0 || len(series) == 0 {
		return chartEmpty(id, title, desc)
	}
	max = chartScale(max, values)
	xOf := func(v float64) float64 { return barPlotX + barPlotW*math.Min(v, max)/max }

	w := getChartWriter()
	defer putChartWriter(w)

	entries := make([]chartEntry, len(series))
	for i, s := range series {
		entries[i] = chartEntry{name: s.Name, look: barLook(s.Kind)}
	}
	legendBottom := w.legend(chartMargin, entries, barSample)

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

	w.str(`<g class="app-chart__grid" stroke="` + chartGrid + `" stroke-width="1">`)
	ticks := chartTicks(max, 0)
	for _, v := range ticks {
		w.line(xOf(v), gridTop, xOf(v), gridBottom)
	}
	w.str(`</g>`)
	w.str(`<g class="app-chart__scale" fill="` + chartText + `" text-anchor="middle">`)
	for _, v := range ticks {
		w.str(`<text x="`)
		w.num(xOf(v))
		w.str(`" y="`)
		w.num(gridBottom + chartAscent + 6)
		w.str(`">`)
		w.num(v)
		w.str(`</text>`)
	}
	w.str(`</g>`)

	for i, g := range groups {
		w.str(`<g class="app-chart__group">`)
		w.str(`<g fill="` + chartText + `">`)
		w.textBlock(barPlotX-12, g.top+(g.h-chartBlockHeight(len(g.lines)))/2, "end", g.lines, categories[i], g.cut)
		w.str(`</g>`)
		by := g.top + (g.h-barsH)/2
		for _, s := range series {
			look := barLook(s.Kind)
			if v, ok := chartValue(s.Values, i); ok {
				w.str(`<rect class="app-chart__bar app-chart__bar--`)
				w.str(chartClass(s.Kind))
				w.str(`" x="`)
				w.num(barPlotX)
				w.str(`" y="`)
				w.num(by)
				w.str(`" width="`)
				w.num(xOf(v) - barPlotX)
				w.str(`" height="`)
				w.num(barHeight)
				w.str(`" fill="`)
				w.str(look.colour)
				w.str(`"><title>`)
				w.tmp = append(append(append(append(w.tmp[:0], s.Name...), ", "...), categories[i]...), ": "...)
				w.tmp = appendChartScore(w.tmp, v)
				w.tmpText()
				w.str(`</title></rect><text class="app-chart__value" x="`)
				w.num(xOf(v) + 6)
				w.str(`" y="`)
				w.num(by + barHeight/2 + 5)
				w.str(`" fill="` + chartText + `">`)
				w.b = appendChartScore(w.b, v)
				w.str(`</text>`)
			} else {
				w.str(`<text class="app-chart__value app-chart__value--none" x="`)
				w.num(barPlotX + 6)
				w.str(`" y="`)
				w.num(by + barHeight/2 + 5)
				w.str(`" fill="` + chartText + `"><title>`)
				w.tmp = append(append(append(append(w.tmp[:0], s.Name...), ", "...), categories[i]...), ": no data"...)
				w.tmpText()
				w.str(`</title>no data</text>`)
			}
			by += barHeight + barSpacing
		}
		w.str(`</g>`)
	}

	return w.svg(id, title, desc, gridBottom+chartAscent+6+chartMargin+4)
}

// barSample is a bar legend's sample: a short bar in the series' colour.
func barSample(w *chartWriter, look chartLook, x, y float64) {
	w.str(`<rect x="`)
	w.num(x + 8)
	w.str(`" y="`)
	w.num(y - 9)
	w.str(`" width="`)
	w.num(chartSwatch - 16)
	w.str(`" height="18" fill="`)
	w.str(look.colour)
	w.str(`"/>`)
}

// chartWriter builds a chart in one growing buffer. Numbers and texts are
// appended to it in place, rather than made into strings and joined, so
// that a chart costs a few allocations instead of one per number.
type chartWriter struct {
	b    []byte // the chart's content
	tmp  []byte // a text being put together, before it is cleaned and escaped
	head []byte // the <svg> start tag, title and description
}

// chartWriters keeps writers between charts, with the room they grew.
var chartWriters = sync.Pool{New: func() any { return new(chartWriter) }}

func getChartWriter() *chartWriter { return chartWriters.Get().(*chartWriter) }

func putChartWriter(w *chartWriter) {
	// A writer grown by an unusually large chart is left to the collector.
	if cap(w.b) > 1<<20 {
		return
	}
	w.b, w.tmp, w.head = w.b[:0], w.tmp[:0], w.head[:0]
	chartWriters.Put(w)
}

func (w *chartWriter) str(s string) { w.b = append(w.b, s...) }

// num writes x as appendChartNum does.
func (w *chartWriter) num(x float64) { w.b = appendChartNum(w.b, x) }

// point writes a point of a points attribute: "x,y".
func (w *chartWriter) point(x, y float64) {
	w.num(x)
	w.str(",")
	w.num(y)
}

// text writes s cleaned and escaped (see appendChartText).
func (w *chartWriter) text(s string) {
	w.tmp = append(w.tmp[:0], s...)
	w.tmpText()
}

// tmpText writes the text put together in tmp, cleaned and escaped.
func (w *chartWriter) tmpText() {
	w.b = appendChartText(w.b, w.tmp)
	w.tmp = w.tmp[:0]
}

func (w *chartWriter) line(x1, y1, x2, y2 float64) {
	w.str(`<line x1="`)
	w.num(x1)
	w.str(`" y1="`)
	w.num(y1)
	w.str(`" x2="`)
	w.num(x2)
	w.str(`" y2="`)
	w.num(y2)
	w.str(`"/>`)
}

func (w *chartWriter) dash(dash string) {
	if dash != "" {
		w.str(` stroke-dasharray="`)
		w.str(dash)
		w.str(`"`)
	}
}

// svg returns the chart: its content so far in its <svg> element. The
// start tag needs the height, known only now, so it is written into the
// head buffer (by pointing b at it for a moment) and joined to the content.
func (w *chartWriter) svg(id, title, desc string, height float64) template.HTML {
	content := w.b
	w.b = w.head[:0]
	w.str(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	w.num(chartWidth)
	w.str(` `)
	w.num(math.Ceil(height))
	w.str(`" width="100%" role="img" aria-labelledby="`)
	w.str(id)
	w.str(`-title `)
	w.str(id)
	w.str(`-desc" class="app-chart" font-family="` + chartFontFace + `" font-size="`)
	w.num(chartFont)
	w.str(`"><title id="`)
	w.str(id)
	w.str(`-title">`)
	w.text(title)
	w.str(`</title><desc id="`)
	w.str(id)
	w.str(`-desc">`)
	w.text(desc)
	w.str(`</desc>`)
	var out strings.Builder
	out.Grow(len(w.b) + len(content) + len(`</svg>`))
	out.Write(w.b)
	out.Write(content)
	out.WriteString(`</svg>`)
	w.head, w.b = w.b, content
	return template.HTML(out.String())
}

// chartEmpty is the chart of nothing: a line of text saying so.
func chartEmpty(id, title, desc string) template.HTML {
	w := getChartWriter()
	defer putChartWriter(w)
	w.str(`<text x="`)
	w.num(chartMargin)
	w.str(`" y="`)
	w.num(chartMargin + chartAscent + 4)
	w.str(`" fill="` + chartText + `">No data to show</text>`)
	return w.svg(id, title, desc, 40)
}

// chartEntry is one entry of a legend: its name and the look of its
// series, which a sample function draws.
type chartEntry struct {
	name string
	look chartLook
}

// legend lays out a legend in two columns from top down, with sample
// drawing each entry's sample given the left end and middle of its place,
// and returns where it ends.
func (w *chartWriter) legend(top float64, entries []chartEntry, sample func(w *chartWriter, look chartLook, x, y float64)) float64 {
	const columns = 2
	colW := (chartWidth - 2*chartMargin) / columns
	w.str(`<g class="app-chart__legend" fill="` + chartText + `">`)
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
			sample(w, e.look, x, y+chartBlockHeight(1)/2)
			w.textBlock(x+chartSwatch+8, y, "start", cell.lines, e.name, cell.cut)
		}
		y += h + 10
	}
	w.str(`</g>`)
	return y - 10
}

// chartHash is the 64-bit FNV-1a hash (as hash/fnv's New64a) that names a
// chart's IDs, fed bytes without making strings: each part is followed by
// a zero byte.
type chartHash uint64

func newChartHash() chartHash { return 14695981039346656037 }

func (h *chartHash) write(c byte) { *h = (*h ^ chartHash(c)) * 1099511628211 }

func (h *chartHash) add(s string) {
	for i := 0; i < len(s); i++ {
		h.write(s[i])
	}
	h.write(0)
}

// addNum adds a number as the chart writes it.
func (h *chartHash) addNum(x float64) {
	var nb [32]byte
	for _, c := range appendChartNum(nb[:0], x) {
		h.write(c)
	}
	h.write(0)
}

// addValues adds values: each in its shortest form, "" for no value,
// separated by spaces.
func (h *chartHash) addValues(values []float64) {
	var nb [32]byte
	for i := range values {
		if i > 0 {
			h.write(' ')
		}
		if v, ok := chartValue(values, i); ok {
			for _, c := range strconv.AppendFloat(nb[:0], v, 'g', -1, 64) {
				h.write(c)
			}
		}
	}
	h.write(0)
}

// id is the prefix for the IDs of a chart.
func (h chartHash) id() string { return "app-chart-" + strconv.FormatUint(uint64(h), 16) }

// chartScale is the top of a chart's scale: max if it is a positive
// number, otherwise the highest value rounded up (at least 1).
func chartScale(max float64, values [][]float64) float64 {
	if max > 0 && !math.IsInf(max, 0) {
		return max
	}
	top := 1.0
	for _, vs := range values {
		for _, v := range vs {
			if v > 0 && !math.IsInf(v, 0) {
				top = math.Max(top, math.Ceil(v))
			}
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

// appendChartNum writes a coordinate or a grid number: to two decimal
// places, without trailing zeros, and never NaN or Inf.
func appendChartNum(b []byte, x float64) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(b, '0')
	}
	if math.Abs(x) >= 1e6 {
		return strconv.AppendFloat(b, x, 'g', 4, 64) // only for absurd scales
	}
	// The hundredths as a whole number, written with the decimal point
	// put in: what FormatFloat(k/100, 'f', 2) gives, without trailing
	// zeros, and "0" rather than "-0".
	k := int64(math.Round(x * 100))
	if k < 0 {
		b = append(b, '-')
		k = -k
	}
	b = strconv.AppendInt(b, k/100, 10)
	if f := k % 100; f != 0 {
		b = append(b, '.', byte('0'+f/10))
		if f%10 != 0 {
			b = append(b, byte('0'+f%10))
		}
	}
	return b
}

// appendChartScore writes a value as the pages show scores: to one
// decimal place.
func appendChartScore(b []byte, v float64) []byte {
	if v >= 1e6 {
		return strconv.AppendFloat(b, v, 'g', 4, 64) // only for absurd values
	}
	if !(v >= 0) {
		return strconv.AppendFloat(b, math.Round(v*10)/10, 'f', 1, 64) // never a shown score
	}
	// The tenths as a whole number, written with the decimal point put in.
	k := int64(math.Round(v * 10))
	b = strconv.AppendInt(b, k/10, 10)
	return append(b, '.', byte('0'+k%10))
}

// chartClass makes a series kind safe to use in a class name.
func chartClass(kind string) string {
	fit := kind != ""
	for i := 0; fit && i < len(kind); i++ {
		c := kind[i]
		fit = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if fit {
		return kind // the usual case, without building a new string
	}
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

// textBlock writes lines of text whose top is at top. If the text was cut
// short, the whole of it is in a <title>.
func (w *chartWriter) textBlock(x, top float64, anchor string, lines []string, full string, cut bool) {
	if len(lines) == 0 {
		return
	}
	w.str(`<text x="`)
	w.num(x)
	w.str(`" y="`)
	w.num(top + chartAscent)
	w.str(`" text-anchor="`)
	w.str(anchor)
	w.str(`">`)
	if cut {
		w.str(`<title>`)
		w.text(full)
		w.str(`</title>`)
	}
	for i, l := range lines {
		w.str(`<tspan x="`)
		w.num(x)
		if i > 0 {
			w.str(`" dy="`)
			w.num(chartLineH)
		}
		w.str(`">`)
		w.text(l)
		w.str(`</tspan>`)
	}
	w.str(`</text>`)
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

// appendChartText writes text for an element's content or an attribute:
// cleaned as chartClean does and escaped as template.HTMLEscapeString does,
// in one pass without the strings those would make.
func appendChartText(b, s []byte) []byte {
	space, started, invalid := false, false, false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(s[i:])
		}
		i += size
		// Like strings.ToValidUTF8: a run of invalid bytes is one U+FFFD.
		if r == utf8.RuneError && size == 1 {
			if invalid {
				continue
			}
			invalid = true
		} else {
			invalid = false
		}
		// Like chartClean's mapping.
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			r = ' '
		case r < 0x20, r >= 0x7f && r < 0xa0, r == 0xfffe, r == 0xffff:
			continue
		}
		// Like strings.Fields joined with single spaces.
		if r == ' ' || r >= utf8.RuneSelf && unicode.IsSpace(r) {
			space = started
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		started = true
		// Like template.HTMLEscapeString.
		switch r {
		case '"':
			b = append(b, "&#34;"...)
		case '\'':
			b = append(b, "&#39;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
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
