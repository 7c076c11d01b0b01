// Package charts draws the service's charts, once for the pages and once
// for the PDF reports, from one description of each chart.
//
// A description (Radar, Bars, Line) holds the numbers as the pages show
// them, already rounded, and the texts. From it a layout is computed once:
// every point, bar, ring and text in viewBox units. Two renderers draw that
// layout: SVG writes the inline <svg> element the pages put in place with
// {{.Radar}} and the like, and DrawPDF draws the same shapes with fpdf
// vectors scaled into a box on a PDF page. So a chart has one geometry and
// one piece of drawing code per output.
//
// The site's Content-Security-Policy has style-src 'self', so the SVG
// charts use presentation attributes only: no style attributes and no
// <style> elements. Every text is escaped, every number is written with
// strconv (no locale, never NaN or Inf), and the output depends only on the
// description, so the same input always gives the same bytes.
//
// The charts are a picture of numbers that the page also shows in a
// table, so they stay simple: role="img" with a <title> and a <desc>, and
// a <title> on each shape so that hovering over it shows its value.
//
// IDs: the <title> and <desc> of a radar or bar chart have the IDs
// app-chart-HASH-title and app-chart-HASH-desc, where HASH is an FNV-1a hash
// of everything the chart shows (its kind, title, description, labels,
// series names, kinds and values). Two different charts on one page
// therefore have different IDs; only two identical charts would share them.
package charts

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

// Series is one set of values on a chart: a polygon on a radar chart, or
// one bar per category on a bar chart.
type Series struct {
	Name   string    // legend text, e.g. "This cycle", "Previous cycle", "Target", "Peer median"
	Values []float64 // one per axis or category, in their order; a value < 0 or NaN means "no value"
	Kind   string    // chooses colour and dash pattern: "current", "previous", "target", "peer"; for skills "now", "need"
	// Prefix, on a bar chart, is written before each bar's value ("Now"
	// gives "Now 1.5"); pages leave it empty.
	Prefix string
}

// ValueIf is v if ok, otherwise NaN: no value on that axis or category.
func ValueIf(ok bool, v float64) float64 {
	if !ok {
		return math.NaN()
	}
	return v
}

// chartIdentity hashes everything a chart shows into its id, so that two
// charts on one page never share ids and the same chart always gets the
// same id, and returns the series' values.
func chartIdentity(kind, title, desc string, max float64, labels []string, series []Series) (string, [][]float64) {
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
func (w *chartWriter) point(p Point) {
	w.num(p.X)
	w.str(",")
	w.num(p.Y)
}

// points writes a points attribute's value: "x,y x,y ...".
func (w *chartWriter) points(pts []Point) {
	for i, p := range pts {
		if i > 0 {
			w.str(" ")
		}
		w.point(p)
	}
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

// chartSVG is a radar or bar chart's <svg>: what write puts in it, or
// the chart of nothing when it is empty.
func chartSVG(id, title, desc string, empty bool, height float64, write func(*chartWriter)) template.HTML {
	if empty {
		return chartEmpty(id, title, desc)
	}
	w := getChartWriter()
	defer putChartWriter(w)
	write(w)
	return w.svg(id, title, desc, height)
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

// legendLayout is a legend laid out: one item per entry, and where it
// ends.
type legendLayout struct {
	items []legendItem
	end   float64
}

// legendItem is an entry of a legend: its sample's left end and middle,
// and its text.
type legendItem struct {
	look             chartLook
	sampleX, sampleY float64
	text             textBlock
}

// legendAt lays out a legend in two columns from top down.
func legendAt(top float64, entries []chartEntry) legendLayout {
	const columns = 2
	colW := (chartWidth - 2*chartMargin) / columns
	l := legendLayout{items: make([]legendItem, 0, len(entries))}
	y := top
	for row := 0; row*columns < len(entries); row++ {
		h := chartBlockHeight(1)
		for c := 0; c < columns && row*columns+c < len(entries); c++ {
			e := entries[row*columns+c]
			lines, cut := chartWrap(e.name, colW-chartSwatch-16, 2)
			h = math.Max(h, chartBlockHeight(len(lines)))
			x := chartMargin + float64(c)*colW
			l.items = append(l.items, legendItem{look: e.look, sampleX: x, sampleY: y + chartBlockHeight(1)/2,
				text: textBlock{x: x + chartSwatch + 8, top: y, anchor: "start", lines: lines, full: e.name, cut: cut}})
		}
		y += h + 10
	}
	l.end = y - 10
	return l
}

// legend writes a legend, with sample drawing each entry's sample given
// the left end and middle of its place.
func (w *chartWriter) legend(l legendLayout, sample func(w *chartWriter, look chartLook, x, y float64)) {
	w.str(`<g class="app-chart__legend" fill="` + chartText + `">`)
	for _, it := range l.items {
		sample(w, it.look, it.sampleX, it.sampleY)
		w.textBlock(it.text)
	}
	w.str(`</g>`)
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
func (w *chartWriter) textBlock(b textBlock) {
	if len(b.lines) == 0 {
		return
	}
	w.str(`<text x="`)
	w.num(b.x)
	w.str(`" y="`)
	w.num(b.top + chartAscent)
	w.str(`" text-anchor="`)
	w.str(b.anchor)
	w.str(`">`)
	if b.cut {
		w.str(`<title>`)
		w.text(b.full)
		w.str(`</title>`)
	}
	for i, l := range b.lines {
		w.str(`<tspan x="`)
		w.num(b.x)
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
