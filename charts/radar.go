package charts

import (
	"html/template"
	"math"
)

// Radar is a radar (spider) chart of scores from 0 to Max with one axis
// per label, axis 0 at the top and the rest clockwise. It has grid rings
// at each whole number from 1 to Max, labelled with the number, the axis
// labels around the outside (wrapped onto up to three lines), one closed
// polygon per series with a point at each value, and a legend below. A
// series is drawn through the axes it has a value for; with fewer than
// three values it is drawn as points only. Values above Max are drawn at
// Max (their <title> still gives the real value). The first series is
// drawn on top; the legend lists the series in the order given.
type Radar struct {
	Title, Desc string
	Axes        []string
	Max         float64 // top of the scale; not a positive number: the highest value rounded up
	Series      []Series
}

// Point is a place in a chart's viewBox units.
type Point struct{ X, Y float64 }

// textBlock is lines of text whose top is at top, anchored at x; if the
// text was cut short, full is the whole of it.
type textBlock struct {
	x, top float64
	anchor string
	lines  []string
	full   string
	cut    bool
}

// radarLayout is the geometry of a radar chart, computed once for both
// renderers.
type radarLayout struct {
	id      string
	empty   bool
	max     float64
	rings   []float64 // the value of each grid ring
	ringPts [][]Point // with three axes or more, each ring's polygon
	spokes  []Point   // the outer end of each axis
	labels  []textBlock
	shapes  []radarShape // in the order drawn: the first series last
	scale   []radarTick
	legend  legendLayout
	height  float64
}

// radarShape is one series as drawn.
type radarShape struct {
	series int // index in Radar.Series
	look   chartLook
	class  string
	area   bool // false with fewer than three values: points only
	dots   []radarDot
}

type radarDot struct {
	at   Point
	axis int
	v    float64 // the real value, which may lie beyond the scale
}

// radarTick is a ring's number beside axis 0.
type radarTick struct {
	y, v float64 // of the point on axis 0, and the number
}

func (r Radar) layout() radarLayout {
	id, values := chartIdentity("radar", r.Title, r.Desc, r.Max, r.Axes, r.Series)
	l := radarLayout{id: id}
	if len(r.Axes) == 0 {
		l.empty = true
		l.height = 40
		return l
	}
	max := chartScale(r.Max, values)
	l.max = max
	n := len(r.Axes)

	// point is where value v lies on axis i.
	point := func(i int, v float64) Point {
		a := 2 * math.Pi * float64(i) / float64(n)
		rr := radarR * v / max
		return Point{radarCX + rr*math.Sin(a), radarCY - rr*math.Cos(a)}
	}

	l.rings = chartTicks(max, 1)
	if last := l.rings[len(l.rings)-1]; last < max-1e-9 {
		l.rings = append(l.rings, max)
	}
	if n >= 3 {
		l.ringPts = make([][]Point, len(l.rings))
		all := make([]Point, len(l.rings)*n)
		for k, v := range l.rings {
			pts := all[k*n : (k+1)*n : (k+1)*n]
			for i := range n {
				pts[i] = point(i, v)
			}
			l.ringPts[k] = pts
		}
	}
	l.spokes = make([]Point, n)
	for i := range n {
		l.spokes[i] = point(i, max)
	}

	// Axis labels: left of the chart anchored at their end, right of it at
	// their start, top and bottom in the middle; above the chart they sit
	// above their point, below it below, and at the sides level with it.
	bottom := radarCY + radarR
	l.labels = make([]textBlock, n)
	for i, label := range r.Axes {
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
		l.labels[i] = textBlock{x: x, top: top, anchor: anchor, lines: lines, full: label, cut: cut}
		bottom = math.Max(bottom, top+h)
	}

	// Series, the first on top.
	l.shapes = make([]radarShape, 0, len(r.Series))
	dots := make([]radarDot, 0, len(r.Series)*n)
	for k := len(r.Series) - 1; k >= 0; k-- {
		s := r.Series[k]
		sh := radarShape{series: k, look: radarLook(s.Kind), class: chartClass(s.Kind)}
		from := len(dots)
		for i := range n {
			if v, ok := chartValue(s.Values, i); ok {
				dots = append(dots, radarDot{at: point(i, math.Min(v, max)), axis: i, v: v})
			}
		}
		sh.dots = dots[from:len(dots):len(dots)]
		sh.area = len(sh.dots) >= 3
		l.shapes = append(l.shapes, sh)
	}

	for _, v := range chartTicks(max, 1) {
		l.scale = append(l.scale, radarTick{y: point(0, v).Y, v: v})
	}

	entries := make([]chartEntry, len(r.Series))
	for i, s := range r.Series {
		entries[i] = chartEntry{name: s.Name, look: radarLook(s.Kind)}
	}
	l.legend = legendAt(bottom+24, entries)
	l.height = l.legend.end + chartMargin + 4
	return l
}

// SVG is the chart as an inline <svg> element.
func (r Radar) SVG() template.HTML {
	l := r.layout()
	return chartSVG(l.id, r.Title, r.Desc, l.empty, l.height, func(w *chartWriter) { r.writeSVG(w, l) })
}

// writeSVG writes the chart inside its <svg>.
func (r Radar) writeSVG(w *chartWriter, l radarLayout) {
	// Grid: rings, spokes, and the value of each ring beside axis 0.
	w.str(`<g class="app-chart__grid" fill="none" stroke="` + chartGrid + `" stroke-width="1">`)
	for k, v := range l.rings {
		if l.ringPts != nil {
			w.str(`<polygon points="`)
			w.points(l.ringPts[k])
			w.str(`"/>`)
		} else {
			w.str(`<circle cx="`)
			w.num(radarCX)
			w.str(`" cy="`)
			w.num(radarCY)
			w.str(`" r="`)
			w.num(radarR * v / l.max)
			w.str(`"/>`)
		}
	}
	for _, p := range l.spokes {
		w.line(radarCX, radarCY, p.X, p.Y)
	}
	w.str(`</g>`)

	w.str(`<g class="app-chart__labels" fill="` + chartText + `">`)
	for _, b := range l.labels {
		w.textBlock(b)
	}
	w.str(`</g>`)

	// Series: the area with its summary as a <title>, then a point with
	// its own <title> at each value.
	for _, sh := range l.shapes {
		s := r.Series[sh.series]
		look := sh.look
		w.str(`<g class="app-chart__series app-chart__series--`)
		w.str(sh.class)
		w.str(`">`)
		if sh.area {
			w.str(`<polygon class="app-chart__area app-chart__area--`)
			w.str(sh.class)
			w.str(`" points="`)
			for j, d := range sh.dots {
				if j > 0 {
					w.str(" ")
				}
				w.point(d.at)
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
			for i := range r.Axes {
				if i > 0 {
					w.tmp = append(w.tmp, "; "...)
				}
				w.tmp = append(w.tmp, r.Axes[i]...)
				if v, ok := chartValue(s.Values, i); ok {
					w.tmp = appendChartScore(append(w.tmp, ' '), v)
				} else {
					w.tmp = append(w.tmp, " no value"...)
				}
			}
			w.tmpText()
			w.str(`</title></polygon>`)
		}
		for _, d := range sh.dots {
			w.str(`<circle class="app-chart__point app-chart__point--`)
			w.str(sh.class)
			w.str(`" cx="`)
			w.num(d.at.X)
			w.str(`" cy="`)
			w.num(d.at.Y)
			w.str(`" r="4" fill="`)
			w.str(look.colour)
			w.str(`" stroke="#ffffff" stroke-width="1"><title>`)
			w.tmp = append(append(append(append(w.tmp[:0], s.Name...), ", "...), r.Axes[d.axis]...), ": "...)
			w.tmp = appendChartScore(w.tmp, d.v)
			w.tmpText()
			w.str(`</title></circle>`)
		}
		w.str(`</g>`)
	}

	// The value of each ring, beside axis 0 on a pale background so that
	// it can be read over the series.
	w.str(`<g class="app-chart__scale" text-anchor="start">`)
	for _, t := range l.scale {
		var nb [32]byte
		label := appendChartNum(nb[:0], t.v)
		w.str(`<rect x="`)
		w.num(radarCX + 3)
		w.str(`" y="`)
		w.num(t.y - 8)
		w.str(`" width="`)
		w.num(chartTextWidth(string(label)) + 4)
		w.str(`" height="16" fill="#ffffff" fill-opacity="0.85"/>`)
		w.str(`<text x="`)
		w.num(radarCX + 5)
		w.str(`" y="`)
		w.num(t.y + 5)
		w.str(`" fill="` + chartText + `">`)
		w.b = append(w.b, label...)
		w.str(`</text>`)
	}
	w.str(`</g>`)

	w.legend(l.legend, radarSample)
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
