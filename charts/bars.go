package charts

import (
	"html/template"
	"math"
)

// Bars is a chart of grouped horizontal bars from 0 to Max: one group per
// category, labelled on the left (wrapped onto up to three lines), with
// one bar per series in the order given, each with its value (to one
// decimal place) at its end, or "no data" where there is no value. Grid
// lines at each whole number from 0 to Max carry their number below the
// plot, and a legend above it lists the series in the order given. The
// height grows with the number of categories and series. Values above Max
// are drawn as full-width bars (their label still gives the real value).
type Bars struct {
	Title, Desc string
	Categories  []string
	Max         float64 // top of the scale; not a positive number: the highest value rounded up
	Series      []Series
}

// BarPlotWidth is the width, in viewBox units, of a bar at the top of the
// scale: a bar of value v is v/Max*BarPlotWidth wide, which is how a reader
// of the page (and the attack tests) can tell what value a bar shows.
const BarPlotWidth = barPlotW

// barsLayout is the geometry of a bar chart, computed once for both
// renderers.
type barsLayout struct {
	id                  string
	empty               bool
	legend              legendLayout
	gridTop, gridBottom float64
	ticks               []float64 // values of the grid lines
	tickX               []float64 // and where they are
	groups              []barGroup
	height              float64
}

// barGroup is one category: its label and its bars.
type barGroup struct {
	label textBlock
	bars  []barRect
}

// barRect is one series' bar of a category, or its "no data".
type barRect struct {
	series     int // index in Bars.Series
	look       chartLook
	has        bool    // false: no value, "no data" is written instead
	v          float64 // the real value, which may lie beyond the scale
	x, y, w, h float64
	valueX     float64 // where the value's text starts
	valueY     float64 // and its baseline
	value      string  // the value's text, with the series' prefix
}

func (c Bars) layout() barsLayout {
	id, values := chartIdentity("bar", c.Title, c.Desc, c.Max, c.Categories, c.Series)
	l := barsLayout{id: id}
	if len(c.Categories) == 0 || len(c.Series) == 0 {
		l.empty = true
		l.height = 40
		return l
	}
	max := chartScale(c.Max, values)
	xOf := func(v float64) float64 { return barPlotX + barPlotW*math.Min(v, max)/max }

	entries := make([]chartEntry, len(c.Series))
	for i, s := range c.Series {
		entries[i] = chartEntry{name: s.Name, look: barLook(s.Kind)}
	}
	l.legend = legendAt(chartMargin, entries)

	nb := float64(len(c.Series))
	barsH := nb*barHeight + (nb-1)*barSpacing
	y := l.legend.end + 8 + barGroupGap/2
	l.groups = make([]barGroup, len(c.Categories))
	for i, cat := range c.Categories {
		lines, cut := chartWrap(cat, barPlotX-12-chartMargin, 3)
		h := math.Max(barsH, chartBlockHeight(len(lines)))
		g := barGroup{label: textBlock{x: barPlotX - 12, top: y + (h-chartBlockHeight(len(lines)))/2, anchor: "end", lines: lines, full: cat, cut: cut}}
		by := y + (h-barsH)/2
		for k, s := range c.Series {
			b := barRect{series: k, look: barLook(s.Kind), x: barPlotX, y: by, h: barHeight, valueX: barPlotX + 6, valueY: by + barHeight/2 + 5}
			if v, ok := chartValue(s.Values, i); ok {
				b.has, b.v = true, v
				b.w = xOf(v) - barPlotX
				b.valueX = xOf(v) + 6
				var tb []byte
				if s.Prefix != "" {
					tb = append(append(tb, s.Prefix...), ' ')
				}
				b.value = string(appendChartScore(tb, v))
			}
			g.bars = append(g.bars, b)
			by += barHeight + barSpacing
		}
		l.groups[i] = g
		y += h + barGroupGap
	}
	l.gridTop, l.gridBottom = l.legend.end+8, y-barGroupGap/2
	l.ticks = chartTicks(max, 0)
	for _, v := range l.ticks {
		l.tickX = append(l.tickX, xOf(v))
	}
	l.height = l.gridBottom + chartAscent + 6 + chartMargin + 4
	return l
}

// SVG is the chart as an inline <svg> element.
func (c Bars) SVG() template.HTML {
	l := c.layout()
	return chartSVG(l.id, c.Title, c.Desc, l.empty, l.height, func(w *chartWriter) { c.writeSVG(w, l) })
}

// writeSVG writes the chart inside its <svg>.
func (c Bars) writeSVG(w *chartWriter, l barsLayout) {
	w.legend(l.legend, barSample)

	w.str(`<g class="app-chart__grid" stroke="` + chartGrid + `" stroke-width="1">`)
	for _, x := range l.tickX {
		w.line(x, l.gridTop, x, l.gridBottom)
	}
	w.str(`</g>`)
	w.str(`<g class="app-chart__scale" fill="` + chartText + `" text-anchor="middle">`)
	for i, v := range l.ticks {
		w.str(`<text x="`)
		w.num(l.tickX[i])
		w.str(`" y="`)
		w.num(l.gridBottom + chartAscent + 6)
		w.str(`">`)
		w.num(v)
		w.str(`</text>`)
	}
	w.str(`</g>`)

	for i, g := range l.groups {
		w.str(`<g class="app-chart__group">`)
		w.str(`<g fill="` + chartText + `">`)
		w.textBlock(g.label)
		w.str(`</g>`)
		for _, b := range g.bars {
			s := c.Series[b.series]
			if b.has {
				w.str(`<rect class="app-chart__bar app-chart__bar--`)
				w.str(chartClass(s.Kind))
				w.str(`" x="`)
				w.num(b.x)
				w.str(`" y="`)
				w.num(b.y)
				w.str(`" width="`)
				w.num(b.w)
				w.str(`" height="`)
				w.num(b.h)
				w.str(`" fill="`)
				w.str(b.look.colour)
				w.str(`"><title>`)
				w.tmp = append(append(append(append(w.tmp[:0], s.Name...), ", "...), c.Categories[i]...), ": "...)
				w.tmp = appendChartScore(w.tmp, b.v)
				w.tmpText()
				w.str(`</title></rect><text class="app-chart__value" x="`)
				w.num(b.valueX)
				w.str(`" y="`)
				w.num(b.valueY)
				w.str(`" fill="` + chartText + `">`)
				w.text(b.value)
				w.str(`</text>`)
			} else {
				w.str(`<text class="app-chart__value app-chart__value--none" x="`)
				w.num(b.valueX)
				w.str(`" y="`)
				w.num(b.valueY)
				w.str(`" fill="` + chartText + `"><title>`)
				w.tmp = append(append(append(append(w.tmp[:0], s.Name...), ", "...), c.Categories[i]...), ": no data"...)
				w.tmpText()
				w.str(`</title>no data</text>`)
			}
		}
		w.str(`</g>`)
	}

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
