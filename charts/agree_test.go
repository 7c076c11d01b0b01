package charts

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// These tests draw each kind of chart both ways from one description and
// check that the SVG and the PDF put the same shapes at the same places:
// the coordinates are read back from the SVG's attributes and from the
// PDF's content stream (uncompressed, its path operators mapped from
// points on the page back to the chart's viewBox units).

// agreeShape is a drawn shape in viewBox units: a closed polygon, an open
// line (a polyline or a <line>), a rectangle (x, y, width, height) or a
// circle (centre and radius).
type agreeShape struct {
	kind string // "polygon", "line", "rect", "circle"
	pts  []chartPoint
	r    float64
}

func (s agreeShape) String() string {
	var b strings.Builder
	b.WriteString(s.kind)
	for _, p := range s.pts {
		fmt.Fprintf(&b, " %.2f,%.2f", p.x, p.y)
	}
	if s.kind == "circle" {
		fmt.Fprintf(&b, " r %.2f", s.r)
	}
	return b.String()
}

// svgShapes reads the shapes of a chart from its SVG.
func svgShapes(t *testing.T, out template.HTML) []agreeShape {
	t.Helper()
	svg := string(out)
	// A line chart comes in a <figure>; the shapes are in its <svg>.
	if strings.HasPrefix(svg, "<figure") {
		svg = svg[strings.Index(svg, "<svg"):strings.LastIndex(svg, "</figure>")]
	}
	root := chartParse(t, template.HTML(svg))
	num := func(n *chartNode, a string) float64 { return chartParseNum(t, n.attr[a]) }
	var shapes []agreeShape
	var walk func(n *chartNode)
	walk = func(n *chartNode) {
		switch n.name {
		case "polygon":
			shapes = append(shapes, agreeShape{kind: "polygon", pts: chartParsePoints(t, n.attr["points"])})
		case "polyline":
			shapes = append(shapes, agreeShape{kind: "line", pts: chartParsePoints(t, n.attr["points"])})
		case "line":
			shapes = append(shapes, agreeShape{kind: "line", pts: []chartPoint{{num(n, "x1"), num(n, "y1")}, {num(n, "x2"), num(n, "y2")}}})
		case "rect":
			shapes = append(shapes, agreeShape{kind: "rect", pts: []chartPoint{{num(n, "x"), num(n, "y")}, {num(n, "width"), num(n, "height")}}})
		case "circle":
			shapes = append(shapes, agreeShape{kind: "circle", pts: []chartPoint{{num(n, "cx"), num(n, "cy")}}, r: num(n, "r")})
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	return shapes
}

// agreeBox is where the tests draw a chart on an A4 page in millimetres:
// its left, top and width. The box is as high as the chart needs, so the
// scale is the width over the viewBox's width.
const agreeX, agreeY = 20.0, 30.0

// drawnStreams draws on an uncompressed A4 page with draw and returns the
// document and its content streams.
func drawnStreams(t *testing.T, draw func(p PDF)) (*fpdf.Fpdf, [][]byte) {
	t.Helper()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(false)
	f.AddPage()
	f.SetFont("Helvetica", "", 10)
	draw(PDF{Doc: f})
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return f, pdfStreams(buf.Bytes())
}

// pdfShapes draws a chart on an uncompressed PDF page with draw and reads
// its shapes back from the content stream, mapped into viewBox units at
// scale s (millimetres per unit) from the box's top left.
func pdfShapes(t *testing.T, s float64, draw func(p PDF)) []agreeShape {
	t.Helper()
	f, streams := drawnStreams(t, draw)
	k := f.GetConversionRatio()
	_, pageH := f.GetPageSize()
	back := func(xp, yp float64) chartPoint {
		return chartPoint{(xp/k - agreeX) / s, (pageH - yp/k - agreeY) / s}
	}
	var shapes []agreeShape
	for _, stream := range streams {
		var stack []float64
		var sub []chartPoint // the subpath being built
		curved := false
		flush := func(closed bool) {
			switch {
			case curved && len(sub) > 0:
				minX, maxX, minY, maxY := sub[0].x, sub[0].x, sub[0].y, sub[0].y
				for _, p := range sub {
					minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
					minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
				}
				shapes = append(shapes, agreeShape{kind: "circle", pts: []chartPoint{{(minX + maxX) / 2, (minY + maxY) / 2}}, r: (maxX - minX) / 2})
			case len(sub) > 2 && (closed || near(sub[0], sub[len(sub)-1], 0.05)):
				if near(sub[0], sub[len(sub)-1], 0.05) {
					sub = sub[:len(sub)-1]
				}
				shapes = append(shapes, agreeShape{kind: "polygon", pts: sub})
			case len(sub) >= 2:
				shapes = append(shapes, agreeShape{kind: "line", pts: sub})
			}
			sub, curved = nil, false
		}
		for _, tok := range pdfTokens(stream) {
			if v, err := strconv.ParseFloat(tok, 64); err == nil {
				stack = append(stack, v)
				continue
			}
			n := len(stack)
			switch tok {
			case "m":
				flush(false)
				sub = append(sub, back(stack[n-2], stack[n-1]))
			case "l":
				sub = append(sub, back(stack[n-2], stack[n-1]))
			case "c":
				curved = true
				sub = append(sub, back(stack[n-6], stack[n-5]), back(stack[n-4], stack[n-3]), back(stack[n-2], stack[n-1]))
			case "re":
				flush(false)
				top := back(stack[n-4], stack[n-3])
				shapes = append(shapes, agreeShape{kind: "rect", pts: []chartPoint{top, {stack[n-2] / k / s, -stack[n-1] / k / s}}})
			case "h":
				flush(true)
			case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n":
				flush(tok == "s" || tok == "b" || tok == "b*")
			}
			stack = stack[:0]
		}
		flush(false)
	}
	return shapes
}

func near(a, b chartPoint, tol float64) bool {
	return math.Abs(a.x-b.x) <= tol && math.Abs(a.y-b.y) <= tol
}

// pdfStreams are the contents of the PDF's streams.
func pdfStreams(pdf []byte) [][]byte {
	var out [][]byte
	for {
		i := bytes.Index(pdf, []byte("stream\n"))
		if i < 0 {
			return out
		}
		pdf = pdf[i+len("stream\n"):]
		j := bytes.Index(pdf, []byte("endstream"))
		if j < 0 {
			return out
		}
		out = append(out, pdf[:j])
		pdf = pdf[j:]
		pdf = pdf[len("endstream"):]
	}
}

// pdfTokens splits a content stream into its numbers and operators,
// leaving out strings, names, and everything between BT and ET (texts).
func pdfTokens(s []byte) []string {
	var out []string
	inText := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '(':
			depth := 0
			for ; i < len(s); i++ {
				if s[i] == '\\' {
					i++
					continue
				}
				if s[i] == '(' {
					depth++
				}
				if s[i] == ')' {
					depth--
					if depth == 0 {
						i++
						break
					}
				}
			}
		case c == '<': // a hex string
			for i < len(s) && s[i] != '>' {
				i++
			}
			i++
		case c == '[' || c == ']' || c == '>':
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \n\r\t()<>[]", rune(s[j])) {
				j++
			}
			tok := string(s[i:j])
			i = j
			if strings.HasPrefix(tok, "/") {
				continue
			}
			switch tok {
			case "BT":
				inText = true
			case "ET":
				inText = false
			default:
				if !inText {
					out = append(out, tok)
				}
			}
		}
	}
	return out
}

// agreeMismatches lists the shapes of a that b lacks: same kind, same
// number of points, each within tol.
func agreeMismatches(a, b []agreeShape, tol float64) []string {
	var out []string
	for _, sa := range a {
		found := false
		for _, sb := range b {
			if sa.kind != sb.kind || len(sa.pts) != len(sb.pts) || math.Abs(sa.r-sb.r) > tol {
				continue
			}
			same := true
			for i := range sa.pts {
				same = same && near(sa.pts[i], sb.pts[i], tol)
			}
			if same {
				found = true
				break
			}
		}
		if !found {
			out = append(out, sa.String())
		}
	}
	return out
}

// agree checks that the SVG and the PDF draw the same shapes, each way.
func agree(t *testing.T, svg, pdf []agreeShape, tol float64) {
	t.Helper()
	if len(svg) == 0 || len(pdf) == 0 {
		t.Fatalf("nothing to compare: %d shapes in the SVG, %d in the PDF", len(svg), len(pdf))
	}
	for _, m := range agreeMismatches(svg, pdf, tol) {
		t.Errorf("the SVG draws %s, the PDF does not", m)
	}
	for _, m := range agreeMismatches(pdf, svg, tol) {
		t.Errorf("the PDF draws %s, the SVG does not", m)
	}
}

// disagree is agree's positive control: the shapes must differ.
func disagree(t *testing.T, svg, pdf []agreeShape, tol float64) {
	t.Helper()
	if len(agreeMismatches(svg, pdf, tol))+len(agreeMismatches(pdf, svg, tol)) == 0 {
		t.Error("a PDF drawn from a shifted layout still agrees with the SVG: the check cannot fail")
	}
}

func agreeRadar() Radar {
	return Radar{Title: "Maturity 2025/26", Desc: "Scores", Axes: chartMaturityAxes, Max: 5, Series: []Series{
		{Name: "This cycle (2025/26)", Kind: "current", Values: []float64{3.2, 2.1, 4, chartNaN, 2.8, 3.5, 1.9}},
		{Name: "Previous cycle", Kind: "previous", Values: []float64{2.8, 2, 3.1, 2.5, 2.5, 3, 1.5}},
		{Name: "Target", Kind: "target", Values: []float64{4, 4, 5, 4, 3, 4, 3}},
		{Name: "Median of similar organisations", Kind: "peer", Values: []float64{3, 2.5, 3.5, 3, 2.9, 3.1, 7}},
	}}
}

func TestRadarSVGAndPDFAgree(t *testing.T) {
	const w = 170.0
	s := w / chartWidth
	r := agreeRadar()
	svg := svgShapes(t, r.SVG())
	t.Run("same shapes", func(t *testing.T) {
		pdf := pdfShapes(t, s, func(p PDF) { r.DrawPDF(p, agreeX, agreeY, w, 0) })
		agree(t, svg, pdf, 0.02)
		// The series themselves, not only the grid: four polygons and 27 points.
		areas, dots := 0, 0
		for _, sh := range pdf {
			if sh.kind == "polygon" && len(sh.pts) != len(r.Axes) {
				areas++ // the current series, with a value missing
			}
			if sh.kind == "circle" && sh.r < 4.1 {
				dots++
			}
		}
		if areas != 2 || dots != 6+7+7+7+4 {
			t.Errorf("PDF has %d six-point polygons (want 2: fill and line) and %d points (want 31)", areas, dots)
		}
	})
	t.Run("positive control: one point moved in the PDF", func(t *testing.T) {
		l := r.layout()
		l.shapes[len(l.shapes)-1].dots[2].at.X += 0.5
		pdf := pdfShapes(t, s, func(p PDF) { l.drawPDF(p, agreeX, agreeY, w, 0) })
		disagree(t, svg, pdf, 0.02)
	})
	t.Run("positive control: the PDF's box shifted", func(t *testing.T) {
		pdf := pdfShapes(t, s, func(p PDF) { r.DrawPDF(p, agreeX+0.2, agreeY, w, 0) })
		disagree(t, svg, pdf, 0.02)
	})
	t.Run("two axes: rings are circles", func(t *testing.T) {
		r := Radar{Title: "Two", Axes: []string{"A", "B"}, Max: 4, Series: []Series{{Name: "x", Kind: "current", Values: []float64{1, 2}}}}
		agree(t, svgShapes(t, r.SVG()), pdfShapes(t, s, func(p PDF) { r.DrawPDF(p, agreeX, agreeY, w, 0) }), 0.02)
	})
}

func agreeBars() Bars {
	return Bars{Title: "Skills", Desc: "Bars", Categories: chartSkillsDomains, Max: 4, Series: []Series{
		{Name: "Skills now", Kind: "now", Values: []float64{2.4, 3.1, 2.9, chartNaN, 1.8, 4.5}},
		{Name: "Skills needed", Kind: "need", Values: []float64{3.2, 3, 3.5, 3, 2.6, 4}, Prefix: "Needs"},
	}}
}

func TestBarsSVGAndPDFAgree(t *testing.T) {
	const w = 170.0
	s := w / chartWidth
	b := agreeBars()
	svg := svgShapes(t, b.SVG())
	t.Run("same shapes", func(t *testing.T) {
		pdf := pdfShapes(t, s, func(p PDF) { b.DrawPDF(p, agreeX, agreeY, w, 0) })
		agree(t, svg, pdf, 0.02)
		bars := 0
		for _, sh := range pdf {
			if sh.kind == "rect" && math.Abs(sh.pts[1].y-barHeight) < 0.02 {
				bars++
			}
		}
		if bars != 11 {
			t.Errorf("PDF has %d bars, want 11 (one value missing)", bars)
		}
	})
	t.Run("positive control: one bar longer in the PDF", func(t *testing.T) {
		l := b.layout()
		l.groups[1].bars[0].w += 0.1
		pdf := pdfShapes(t, s, func(p PDF) { l.drawPDF(p, agreeX, agreeY, w, 0) })
		disagree(t, svg, pdf, 0.02)
	})
}

func agreeLine() Line {
	return Line{ID: "trend-x", Title: "Overall score", Points: []LinePoint{
		{Period: "2023/24", Has: true, Score: 2.1}, {Period: "2024/25", Has: true, Score: 2.8},
		{Period: "2025/26"}, {Period: "2026/27", Has: true, Score: 3.4}, {Period: "2027/28", Draft: true, Has: true, Score: 3.9},
	}}
}

func TestLineSVGAndPDFAgree(t *testing.T) {
	const w = 160.0
	s := w / lineW
	c := agreeLine()
	svg := svgShapes(t, c.SVG())
	t.Run("same shapes", func(t *testing.T) {
		pdf := pdfShapes(t, s, func(p PDF) { c.DrawPDF(p, agreeX, agreeY, w, 0) })
		// The SVG writes the line chart to a tenth of a unit.
		agree(t, svg, pdf, 0.06)
		circles := 0
		for _, sh := range pdf {
			if sh.kind == "circle" {
				circles++
			}
		}
		if circles != 4 {
			t.Errorf("PDF has %d points, want 4 (one period without a score)", circles)
		}
	})
	t.Run("positive control: one point lower in the PDF", func(t *testing.T) {
		l := c.layout()
		l.dots[3].y += 0.5
		pdf := pdfShapes(t, s, func(p PDF) { l.drawPDF(p, agreeX, agreeY, w, 0) })
		disagree(t, svg, pdf, 0.06)
	})
}
