package charts

import (
	"nhs-digital-maturity/assessments"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// PDF is a document to draw charts on.
type PDF struct {
	Doc *fpdf.Fpdf
	// Text makes a text drawable in the document's fonts (replacing what
	// they cannot show); nil leaves texts as they are. Texts are written in
	// the document's current font family.
	Text func(string) string
}

// canvas maps a chart's viewBox into a box on a PDF page: scaled by s the
// same way across and down, so circles stay round and texts keep their
// proportions, centred across the box and at its top.
type canvas struct {
	f      *fpdf.Fpdf
	text   func(string) string
	ox, oy float64
	s      float64
	family string
}

// fitBox is the scale at which a viewBox vw by vh fits in a box w by h,
// and the box's left and top for it.
func fitBox(x, y, w, h, vw, vh float64) (ox, oy, s float64) {
	s = w / vw
	if h > 0 && vh*s > h {
		s = h / vh
	}
	return x + (w-vw*s)/2, y, s
}

// begin starts drawing a chart of the viewBox vw by vh in the box, and
// returns the canvas and a function that puts the document's font,
// colours and line back as they were.
func (p PDF) begin(x, y, w, h, vw, vh float64) (*canvas, func()) {
	f := p.Doc
	ox, oy, s := fitBox(x, y, w, h, vw, vh)
	c := &canvas{f: f, text: p.Text, ox: ox, oy: oy, s: s, family: f.GetFontFamily()}
	style := f.GetFontStyle()
	pt, _ := f.GetFontSize()
	dr, dg, db := f.GetDrawColor()
	fr, fg, fb := f.GetFillColor()
	tr, tg, tb := f.GetTextColor()
	lw := f.GetLineWidth()
	return c, func() {
		f.SetAlpha(1, "Normal")
		f.SetDashPattern([]float64{}, 0)
		f.SetLineJoinStyle("miter")
		f.SetFont(c.family, style, pt)
		f.SetDrawColor(dr, dg, db)
		f.SetFillColor(fr, fg, fb)
		f.SetTextColor(tr, tg, tb)
		f.SetLineWidth(lw)
	}
}

func (c *canvas) x(v float64) float64 { return c.ox + v*c.s }
func (c *canvas) y(v float64) float64 { return c.oy + v*c.s }

// rgb is a colour written #rrggbb.
func rgb(hex string) (int, int, int) {
	n, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		return 0, 0, 0
	}
	return int(n >> 16), int(n >> 8 & 0xff), int(n & 0xff)
}

// stroke sets how lines are drawn: colour, width and dash pattern in
// viewBox units (as stroke-dasharray).
func (c *canvas) stroke(colour string, width float64, dash string) {
	c.f.SetDrawColor(rgb(colour))
	c.f.SetLineWidth(width * c.s)
	var pattern []float64
	for _, d := range strings.Fields(dash) {
		if v, err := strconv.ParseFloat(d, 64); err == nil {
			pattern = append(pattern, v*c.s)
		}
	}
	if pattern == nil {
		pattern = []float64{}
	}
	c.f.SetDashPattern(pattern, 0)
}

func (c *canvas) fill(colour string) { c.f.SetFillColor(rgb(colour)) }

func (c *canvas) line(x1, y1, x2, y2 float64) {
	c.f.Line(c.x(x1), c.y(y1), c.x(x2), c.y(y2))
}

func (c *canvas) polygon(pts []Point, style string) {
	out := make([]fpdf.PointType, len(pts))
	for i, p := range pts {
		out[i] = fpdf.PointType{X: c.x(p.X), Y: c.y(p.Y)}
	}
	c.f.Polygon(out, style)
}

func (c *canvas) rect(x, y, w, h float64, style string) {
	c.f.Rect(c.x(x), c.y(y), w*c.s, h*c.s, style)
}

func (c *canvas) circle(x, y, r float64, style string) {
	c.f.Circle(c.x(x), c.y(y), r*c.s, style)
}

// font sets the font size, in viewBox units, and boldness of texts.
func (c *canvas) font(size float64, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	c.f.SetFont(c.family, style, size*c.s*c.f.GetConversionRatio())
}

// textAt writes s with its baseline at y, anchored at x as SVG's
// text-anchor does.
func (c *canvas) textAt(x, y float64, anchor, s, colour string) {
	s = chartClean(s)
	if c.text != nil {
		s = c.text(s)
	}
	c.f.SetTextColor(rgb(colour))
	px := c.x(x)
	switch anchor {
	case "middle":
		px -= c.f.GetStringWidth(s) / 2
	case "end":
		px -= c.f.GetStringWidth(s)
	}
	c.f.Text(px, c.y(y), s)
}

// textBlock writes a block of lines as the SVG's <text> with <tspan>s.
func (c *canvas) textBlock(b textBlock, colour string) {
	for i, l := range b.lines {
		c.textAt(b.x, b.top+chartAscent+float64(i)*chartLineH, b.anchor, l, colour)
	}
}

// legend draws a legend's texts and, with sample, its samples.
func (c *canvas) legend(l legendLayout, sample func(c *canvas, look chartLook, x, y float64)) {
	for _, it := range l.items {
		sample(c, it.look, it.sampleX, it.sampleY)
		c.textBlock(it.text, chartText)
	}
}

// empty draws the chart of nothing.
// drawChart draws a radar or bar chart into the box at x, y, w wide and
// at most h high: "No data to show" when it is empty, else what draw puts
// on the canvas.
func (p PDF) drawChart(x, y, w, h, height float64, empty bool, draw func(*canvas)) {
	c, done := p.begin(x, y, w, h, chartWidth, height)
	defer done()
	c.font(chartFont, false)
	if empty {
		c.empty()
		return
	}
	draw(c)
}

func (c *canvas) empty() {
	c.font(chartFont, false)
	c.textAt(chartMargin, chartMargin+chartAscent+4, "start", "No data to show", chartText)
}

// Size is the chart's size in viewBox units: drawn w wide, it is h high.
func (r Radar) Size() (w, h float64) { return chartWidth, r.layout().height }

// DrawPDF draws the chart as vectors into the box at x, y, w wide and at
// most h high (0: as high as its width makes it), the same shapes at the
// same places as its SVG.
func (r Radar) DrawPDF(p PDF, x, y, w, h float64) { r.layout().drawPDF(p, x, y, w, h) }

func (l radarLayout) drawPDF(p PDF, x, y, w, h float64) {
	p.drawChart(x, y, w, h, l.height, l.empty, l.draw)
}

func (l radarLayout) draw(c *canvas) {
	c.stroke(chartGrid, 1, "")
	for k, v := range l.rings {
		if l.ringPts != nil {
			c.polygon(l.ringPts[k], "D")
		} else {
			c.circle(radarCX, radarCY, radarR*v/l.max, "D")
		}
	}
	for _, s := range l.spokes {
		c.line(radarCX, radarCY, s.X, s.Y)
	}
	for _, b := range l.labels {
		c.textBlock(b, chartText)
	}
	for _, sh := range l.shapes {
		look := sh.look
		if sh.area {
			area := make([]Point, len(sh.dots))
			for j, d := range sh.dots {
				area[j] = d.at
			}
			if look.fill != "" {
				opacity, _ := strconv.ParseFloat(look.fill, 64)
				c.fill(look.colour)
				c.f.SetAlpha(opacity, "Normal")
				c.polygon(area, "F")
				c.f.SetAlpha(1, "Normal")
			}
			c.stroke(look.colour, look.width, look.dash)
			c.f.SetLineJoinStyle("round")
			c.polygon(area, "D")
			c.f.SetLineJoinStyle("miter")
		}
		for _, d := range sh.dots {
			radarDotPDF(c, look, d.at.X, d.at.Y)
		}
	}
	for _, t := range l.scale {
		var nb [32]byte
		label := string(appendChartNum(nb[:0], t.v))
		c.fill("#ffffff")
		c.f.SetAlpha(0.85, "Normal")
		c.rect(radarCX+3, t.y-8, chartTextWidth(label)+4, 16, "F")
		c.f.SetAlpha(1, "Normal")
		c.textAt(radarCX+5, t.y+5, "start", label, chartText)
	}
	c.legend(l.legend, func(c *canvas, look chartLook, x, y float64) {
		c.stroke(look.colour, look.width, look.dash)
		c.line(x, y, x+chartSwatch, y)
		radarDotPDF(c, look, x+chartSwatch/2, y)
	})
}

// radarDotPDF is a radar chart's point: filled in the series' colour with
// a white rim.
func radarDotPDF(c *canvas, look chartLook, x, y float64) {
	c.fill(look.colour)
	c.stroke("#ffffff", 1, "")
	c.circle(x, y, 4, "FD")
}

// Size is the chart's size in viewBox units: drawn w wide, it is h high.
func (b Bars) Size() (w, h float64) { return chartWidth, b.layout().height }

// DrawPDF draws the chart as vectors into the box at x, y, w wide and at
// most h high (0: as high as its width makes it), the same shapes at the
// same places as its SVG.
func (b Bars) DrawPDF(p PDF, x, y, w, h float64) { b.layout().drawPDF(p, x, y, w, h) }

func (l barsLayout) drawPDF(p PDF, x, y, w, h float64) {
	p.drawChart(x, y, w, h, l.height, l.empty, l.draw)
}

func (l barsLayout) draw(c *canvas) {
	c.legend(l.legend, func(c *canvas, look chartLook, x, y float64) {
		c.fill(look.colour)
		c.rect(x+8, y-9, chartSwatch-16, 18, "F")
	})
	c.stroke(chartGrid, 1, "")
	for _, x := range l.tickX {
		c.line(x, l.gridTop, x, l.gridBottom)
	}
	for i, v := range l.ticks {
		var nb [32]byte
		c.textAt(l.tickX[i], l.gridBottom+chartAscent+6, "middle", string(appendChartNum(nb[:0], v)), chartText)
	}
	for _, g := range l.groups {
		c.textBlock(g.label, chartText)
		for _, r := range g.bars {
			if r.has {
				c.fill(r.look.colour)
				c.rect(r.x, r.y, r.w, r.h, "F")
				c.textAt(r.valueX, r.valueY, "start", r.value, chartText)
			} else {
				c.textAt(r.valueX, r.valueY, "start", "no data", chartText)
			}
		}
	}
}

// Size is the chart's size in viewBox units: drawn w wide, it is h high.
func (Line) Size() (w, h float64) { return lineW, lineH }

// DrawPDF draws the chart as vectors into the box at x, y, w wide and at
// most h high (0: as high as its width makes it), the same shapes at the
// same places as its SVG.
func (ln Line) DrawPDF(p PDF, x, y, w, h float64) { ln.layout().drawPDF(p, x, y, w, h) }

func (l lineLayout) drawPDF(p PDF, x, y, w, h float64) {
	c, done := p.begin(x, y, w, h, lineW, lineH)
	defer done()
	c.font(lineFont, true)
	c.textAt(0, 13, "start", l.title, chartText)
	c.font(lineFont, false)
	for t, gy := range l.grid {
		c.stroke(chartGrid, 1, "")
		c.line(lineLeft, gy, lineW-lineRght, gy)
		c.textAt(lineLeft-6, gy+4, "end", strconv.Itoa(t), lineMuted)
	}
	for _, s := range l.segs {
		a, z := l.dots[s[0]], l.dots[s[1]]
		dash := ""
		if z.p.Draft {
			dash = "4 3"
		}
		c.stroke(chartBlue, 2, dash)
		c.line(a.x, a.y, z.x, z.y)
	}
	for _, d := range l.dots {
		c.textAt(d.x, lineTop+linePlotH+18, "middle", d.p.Period, chartText)
		if d.p.Draft {
			c.textAt(d.x, lineTop+linePlotH+32, "middle", "draft", lineMuted)
		}
		if !d.p.Has {
			continue
		}
		fill := chartBlue
		if d.p.Draft {
			fill = "#ffffff"
		}
		c.fill(fill)
		c.stroke(chartBlue, 2, "")
		c.circle(d.x, d.y, 4, "FD")
		c.textAt(d.x, d.y-8, "middle", assessments.FormatScore(d.p.Score), chartText)
	}
}
