package charts

import (
	"encoding/xml"
	"errors"
	"hash/fnv"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// chartNode is an element of a chart, parsed back from its SVG.
type chartNode struct {
	name     string
	attr     map[string]string
	text     string // character data directly inside the element
	parent   *chartNode
	children []*chartNode
}

// chartParse reads a chart as XML, token by token to EOF, and returns its
// root element.
func chartParse(t *testing.T, out template.HTML) *chartNode {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(out)))
	d.Strict = true
	var root, cur *chartNode
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, out)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &chartNode{name: tok.Name.Local, attr: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			if cur == nil {
				if root != nil {
					t.Fatalf("chart has more than one root element")
				}
				root = n
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text += string(tok)
			} else if strings.TrimSpace(string(tok)) != "" {
				t.Fatalf("text outside the <svg>: %q", tok)
			}
		}
	}
	if root == nil || root.name != "svg" {
		t.Fatalf("chart has no <svg> root element:\n%s", out)
	}
	return root
}

// all returns the elements called name, in document order.
// texts are the texts of the <text> elements in the group of class.
func (n *chartNode) texts(class string) []string {
	var out []string
	for _, txt := range n.all("text") {
		if txt.parent.hasClass(class) {
			out = append(out, txt.text)
		}
	}
	return out
}

func (n *chartNode) all(name string) []*chartNode {
	var found []*chartNode
	var walk func(*chartNode)
	walk = func(n *chartNode) {
		if n.name == name {
			found = append(found, n)
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(n)
	return found
}

// hasClass reports whether the element has the class c.
func (n *chartNode) hasClass(c string) bool {
	for _, f := range strings.Fields(n.attr["class"]) {
		if f == c {
			return true
		}
	}
	return false
}

// inherited is the value of a presentation attribute on n or its ancestors.
func (n *chartNode) inherited(name string) string {
	for ; n != nil; n = n.parent {
		if v, ok := n.attr[name]; ok {
			return v
		}
	}
	return ""
}

// childTitle is the text of the element's <title> child.
func (n *chartNode) childTitle() string {
	for _, c := range n.children {
		if c.name == "title" {
			return c.text
		}
	}
	return ""
}

func chartParseNum(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		t.Fatalf("%q is not a finite number", s)
	}
	return f
}

type chartPoint struct{ x, y float64 }

func chartParsePoints(t *testing.T, s string) []chartPoint {
	t.Helper()
	var pts []chartPoint
	for _, p := range strings.Fields(s) {
		x, y, ok := strings.Cut(p, ",")
		if !ok {
			t.Fatalf("bad point %q in %q", p, s)
		}
		pts = append(pts, chartPoint{chartParseNum(t, x), chartParseNum(t, y)})
	}
	return pts
}

func chartNear(a, b float64) bool { return math.Abs(a-b) < 0.011 }

// chartPolygonOf is the "points" of the series polygon of kind, or nil.
func chartPolygonOf(t *testing.T, root *chartNode, kind string) []chartPoint {
	t.Helper()
	var found []chartPoint
	n := 0
	for _, p := range root.all("polygon") {
		if p.hasClass("app-chart__area--" + kind) {
			found = chartParsePoints(t, p.attr["points"])
			n++
		}
	}
	if n > 1 {
		t.Fatalf("%d polygons of kind %q", n, kind)
	}
	return found
}

func chartPointsOf(root *chartNode, kind string) []*chartNode {
	var found []*chartNode
	for _, c := range root.all("circle") {
		if c.hasClass("app-chart__point--" + kind) {
			found = append(found, c)
		}
	}
	return found
}

var (
	chartMaturityAxes = []string{"Well led", "Ensure smart foundations", "Safe practice", "Support people",
		"Empower citizens", "Improve care", "Healthy populations"}
	chartSkillsDomains = []string{"Data, records and content", "Teaching, learning and self-development",
		"Communication, collaboration and participation", "Technical proficiency",
		"Creation, innovation and research", "Digital identity, wellbeing, safety and security"}
	chartNaN = math.NaN()
)

// chartCases are charts of all sorts, ordinary and odd, that every
// well-formedness check runs over.
func chartCases() []struct {
	name string
	out  template.HTML
} {
	return []struct {
		name string
		out  template.HTML
	}{
		{"radar, four series", radarChart("Maturity 2025/26", "Scores of each success measure", chartMaturityAxes, 5, []radarSeries{
			{Name: "This cycle (2025/26)", Kind: "current", Values: []float64{3.2, 2.1, 4, chartNaN, 2.8, 3.5, 1.9}},
			{Name: "Previous cycle", Kind: "previous", Values: []float64{2.8, 2, 3.1, 2.5, 2.5, 3, 1.5}},
			{Name: "Target", Kind: "target", Values: []float64{4, 4, 5, 4, 3, 4, 3}},
			{Name: "Median of similar organisations", Kind: "peer", Values: []float64{3, 2.5, 3.5, 3, 2.9, 3.1, 2.2}},
		})},
		{"radar, skills domains", radarChart("Skills", "Skills by domain", chartSkillsDomains, 4, []radarSeries{
			{Name: "Now", Kind: "current", Values: []float64{2.4, 3.1, 2.9, 2.2, 1.8, 4}},
		})},
		{"radar, odd values", radarChart("Odd", "Odd values", chartMaturityAxes[:5], 5, []radarSeries{
			{Name: "Over the top", Kind: "current", Values: []float64{7, math.Inf(1), math.Inf(-1), -1, 0}},
			{Name: "Short", Kind: "unknown kind", Values: []float64{1}},
			{Name: "", Kind: "", Values: nil},
		})},
		{"radar, no axes", radarChart("Empty", "Nothing", nil, 5, nil)},
		{"radar, two axes", radarChart("Two", "Two axes", []string{"A", "B"}, 5, []radarSeries{{Name: "x", Kind: "current", Values: []float64{1, 2}}})},
		{"radar, bad max", radarChart("Bad max", "Not a number as max", chartMaturityAxes, chartNaN, []radarSeries{{Name: "x", Kind: "current", Values: []float64{1, 2, 3, 4, 5, 6, 7}}})},
		{"radar, huge max", radarChart("Huge max", "Unbounded max", chartMaturityAxes[:3], math.Inf(1), []radarSeries{{Name: "x", Kind: "current", Values: []float64{1e300, 2, 3}}})},
		{"radar, awkward text", radarChart("A & B <i>", "\"quoted\" 'text'\x00\x01\xff", []string{"<script>alert(1)</script>", "Supercalifragilisticexpialidociousandthensomemoretext", "x & y", "     ", "Ünïcödé – ‘quotes’ 日本語のラベル"}, 5, []radarSeries{
			{Name: "<b>series</b> & co", Kind: "current\" onload=\"x", Values: []float64{1, 2, 3, 4, 5}},
		})},
		{"bar, skills", barChart("Skills now and needed", "Bars for each domain", chartSkillsDomains, 4, []barSeries{
			{Name: "Skills now", Kind: "now", Values: []float64{2.4, 3.1, 2.9, chartNaN, 1.8, 4}},
			{Name: "Skills needed", Kind: "need", Values: []float64{3.2, 3, 3.5, 3, 2.6, 4}},
		})},
		{"bar, four series", barChart("Cycles", "Current and previous", chartMaturityAxes, 5, []barSeries{
			{Name: "This cycle", Kind: "current", Values: []float64{3.2, 2.1, 4, 3, 2.8, 3.5, 1.9}},
			{Name: "Previous cycle", Kind: "previous", Values: []float64{2.8, 2, 3.1}},
			{Name: "Other", Kind: "x", Values: []float64{-1, 9, 0, math.Inf(1), chartNaN, 5, 4.99}},
		})},
		{"bar, no categories", barChart("Empty bars", "Nothing", nil, 4, nil)},
		{"bar, bad max", barChart("Bad max bars", "Zero max", []string{"A"}, 0, []barSeries{{Name: "x", Kind: "now", Values: []float64{2.5}}})},
		{"bar, huge max", barChart("Huge max bars", "Big max", []string{"A"}, 1e9, []barSeries{{Name: "x", Kind: "now", Values: []float64{2.5}}})},
		{"bar, awkward text", barChart("<Bars> & co", "desc & <desc>", []string{"<script>x</script>", "A very very long category label that goes on and on and on and does not stop at all"}, 4, []barSeries{
			{Name: "Now & then <i>", Kind: "now", Values: []float64{1, 2}},
		})},
	}
}

func TestChartsAreWellFormedSVG(t *testing.T) {
	for _, tc := range chartCases() {
		t.Run(tc.name, func(t *testing.T) {
			out := string(tc.out)
			root := chartParse(t, tc.out)

			for _, bad := range []string{"style=", "<style", "NaN", "Inf", "<script", "onload="} {
				if strings.Contains(out, bad) {
					t.Errorf("output contains %q:\n%s", bad, out)
				}
			}

			// The root element.
			want := map[string]string{"xmlns": "http://www.w3.org/2000/svg", "width": "100%", "role": "img", "class": "app-chart"}
			for k, v := range want {
				if root.attr[k] != v {
					t.Errorf("<svg %s=%q>, want %q", k, root.attr[k], v)
				}
			}
			if _, ok := root.attr["height"]; ok {
				t.Errorf("<svg> has a height attribute; the viewBox sets its shape")
			}
			vb := strings.Fields(root.attr["viewBox"])
			if len(vb) != 4 || vb[0] != "0" || vb[1] != "0" {
				t.Fatalf("viewBox %q", root.attr["viewBox"])
			}
			w, h := chartParseNum(t, vb[2]), chartParseNum(t, vb[3])
			if w != chartWidth || h <= 0 {
				t.Errorf("viewBox %q", root.attr["viewBox"])
			}

			// <title> and <desc> come first and are what aria-labelledby names.
			if len(root.children) < 2 || root.children[0].name != "title" || root.children[1].name != "desc" {
				t.Fatalf("<svg> does not start with <title> and <desc>")
			}
			ids := strings.Fields(root.attr["aria-labelledby"])
			if len(ids) != 2 || ids[0] != root.children[0].attr["id"] || ids[1] != root.children[1].attr["id"] || ids[0] == ids[1] {
				t.Errorf("aria-labelledby %q, title id %q, desc id %q", root.attr["aria-labelledby"], root.children[0].attr["id"], root.children[1].attr["id"])
			}
			if n := strings.Count(out, ` id="`); n != 2 {
				t.Errorf("%d ids, want 2 (title and desc)", n)
			}

			// Every number attribute is a finite number, and every shape
			// inside the viewBox.
			for _, name := range []string{"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "dy", "stroke-width", "fill-opacity", "font-size"} {
				var walk func(*chartNode)
				walk = func(n *chartNode) {
					if v, ok := n.attr[name]; ok && n != root {
						f := chartParseNum(t, v)
						if (name == "x" || name == "x1" || name == "x2" || name == "cx") && (f < 0 || f > w) {
							t.Errorf("<%s %s=%q> outside the viewBox", n.name, name, v)
						}
						if (name == "y" || name == "y1" || name == "y2" || name == "cy") && (f < 0 || f > h) {
							t.Errorf("<%s %s=%q> outside the viewBox", n.name, name, v)
						}
					}
					for _, c := range n.children {
						walk(c)
					}
				}
				walk(root)
			}
			for _, p := range append(root.all("polygon"), root.all("polyline")...) {
				for _, pt := range chartParsePoints(t, p.attr["points"]) {
					if pt.x < 0 || pt.x > w || pt.y < 0 || pt.y > h {
						t.Errorf("polygon point %v outside the viewBox", pt)
					}
				}
			}

			// Text: at least 14 units, in the NHS font and colour, and each
			// line (by the same width estimate the layout uses) inside the
			// viewBox.
			for _, txt := range root.all("text") {
				if fs := chartParseNum(t, txt.inherited("font-size")); fs < 14 {
					t.Errorf("font-size %v under 14", fs)
				}
				if ff := txt.inherited("font-family"); ff != "Frutiger W01, Arial, Sans-serif" {
					t.Errorf("font-family %q", ff)
				}
				if fill := txt.inherited("fill"); fill != "#212b32" {
					t.Errorf("text fill %q", fill)
				}
				anchor := txt.inherited("text-anchor")
				lines := txt.all("tspan")
				if len(lines) == 0 {
					lines = []*chartNode{txt}
				}
				y := chartParseNum(t, txt.attr["y"])
				for i, line := range lines {
					if i > 0 {
						y += chartParseNum(t, line.attr["dy"])
					}
					x := chartParseNum(t, line.inherited("x"))
					tw := chartTextWidth(line.text)
					left := x
					switch anchor {
					case "middle":
						left = x - tw/2
					case "end":
						left = x - tw
					}
					if left < 0 || left+tw > w || y-chartAscent < 0 || y+4 > h {
						t.Errorf("text %q (%v to %v, baseline %v) not inside the viewBox %v x %v", line.text, left, left+tw, y, w, h)
					}
				}
			}

			// Colours come from the palette.
			palette := map[string]bool{"none": true, "#ffffff": true, "#212b32": true, "#d8dde0": true,
				"#005eb8": true, "#425563": true, "#ed8b00": true, "#007f3b": true}
			for _, el := range append(append(root.all("polygon"), root.all("circle")...), append(root.all("rect"), root.all("line")...)...) {
				for _, a := range []string{"fill", "stroke"} {
					if c := el.inherited(a); c != "" && !palette[c] {
						t.Errorf("<%s %s=%q> is not an NHS colour", el.name, a, c)
					}
				}
			}
		})
	}
}

func TestChartsAreDeterministic(t *testing.T) {
	first, second := chartCases(), chartCases()
	for i := range first {
		if first[i].out != second[i].out {
			t.Errorf("%s: two calls gave different output", first[i].name)
		}
	}
}

func TestChartIDsAreUnique(t *testing.T) {
	series := []radarSeries{{Name: "This cycle", Kind: "current", Values: []float64{1, 2, 3, 4, 5, 4, 3}}}
	bars := []barSeries{{Name: "Now", Kind: "now", Values: []float64{1, 2}}}
	charts := []template.HTML{
		radarChart("Maturity 2025/26", "d", chartMaturityAxes, 5, series),
		radarChart("Maturity 2024/25", "d", chartMaturityAxes, 5, series),
		radarChart("Maturity 2025/26", "other description", chartMaturityAxes, 5, series),
		barChart("Maturity 2025/26", "d", []string{"a", "b"}, 4, bars),
		barChart("Skills 2025/26", "d", []string{"a", "b"}, 4, bars),
	}
	seen := map[string]int{}
	for i, c := range charts {
		root := chartParse(t, c)
		for _, id := range strings.Fields(root.attr["aria-labelledby"]) {
			if !strings.HasPrefix(id, "app-chart-") {
				t.Errorf("id %q does not start app-chart-", id)
			}
			if j, ok := seen[id]; ok {
				t.Errorf("charts %d and %d share the id %q", j, i, id)
			}
			seen[id] = i
		}
	}
}

func TestRadarGeometry(t *testing.T) {
	// By hand: the centre is (320, 240) and the radius 160, axis 0 points
	// up and the seven axes are 360/7 degrees apart, clockwise.
	if radarCX != 320 || radarCY != 240 || radarR != 160 {
		t.Fatalf("geometry changed: update the hand-worked numbers below")
	}
	a := 2 * math.Pi / 7
	out := radarChart("Geometry", "d", chartMaturityAxes, 5, []radarSeries{
		{Name: "This cycle", Kind: "current", Values: []float64{5, 2.5, 0, 5, 1, 4, 3}},
		{Name: "Target", Kind: "target", Values: []float64{2.5, 5, 5, 5, 5, 5, 5}},
	})
	root := chartParse(t, out)

	cur := chartPolygonOf(t, root, "current")
	if len(cur) != 7 {
		t.Fatalf("current polygon has %d points, want 7", len(cur))
	}
	tests := []struct {
		name string
		got  chartPoint
		want chartPoint
	}{
		{"5 on axis 0 is on the outer ring at the top", cur[0], chartPoint{320, 80}},
		{"same, from the constants", cur[0], chartPoint{radarCX, radarCY - radarR}},
		{"2.5 on axis 1 is half way out", cur[1], chartPoint{320 + 80*math.Sin(a), 240 - 80*math.Cos(a)}},
		{"0 on axis 2 is the centre", cur[2], chartPoint{320, 240}},
		{"5 on axis 3 is on the outer ring", cur[3], chartPoint{320 + 160*math.Sin(3*a), 240 - 160*math.Cos(3*a)}},
		{"1 on axis 4 is a fifth of the way out", cur[4], chartPoint{320 + 32*math.Sin(4*a), 240 - 32*math.Cos(4*a)}},
	}
	if tgt := chartPolygonOf(t, root, "target"); len(tgt) != 7 {
		t.Errorf("target polygon has %d points, want 7", len(tgt))
	} else {
		tests = append(tests, struct {
			name string
			got  chartPoint
			want chartPoint
		}{"2.5 on axis 0 is half the radius up", tgt[0], chartPoint{320, 160}})
	}
	for _, tc := range tests {
		if !chartNear(tc.got.x, tc.want.x) || !chartNear(tc.got.y, tc.want.y) {
			t.Errorf("%s: got (%v, %v), want (%.2f, %.2f)", tc.name, tc.got.x, tc.got.y, tc.want.x, tc.want.y)
		}
	}

	// The polygon's title gives the values; each point has its own.
	if got := root.all("polygon"); len(got) == 0 {
		t.Fatal("no polygons")
	}
	for _, p := range root.all("polygon") {
		if p.hasClass("app-chart__area--current") {
			if title := p.childTitle(); !strings.Contains(title, "This cycle: Well led 5.0; Ensure smart foundations 2.5;") {
				t.Errorf("polygon title %q", title)
			}
			if p.attr["stroke"] != "#005eb8" {
				t.Errorf("current stroke %q", p.attr["stroke"])
			}
		}
		if p.hasClass("app-chart__area--target") && (p.attr["stroke"] != "#ed8b00" || p.attr["stroke-dasharray"] != "2 3") {
			t.Errorf("target stroke %q dash %q", p.attr["stroke"], p.attr["stroke-dasharray"])
		}
	}
	if pts := chartPointsOf(root, "current"); len(pts) != 7 || pts[1].childTitle() != "This cycle, Ensure smart foundations: 2.5" {
		t.Errorf("%d current points; second titled %q", len(pts), pts[1].childTitle())
	}

	// Grid rings at 1 to 5, labelled, the outer one through the axis ends.
	var rings [][]chartPoint
	for _, p := range root.all("polygon") {
		if p.parent.hasClass("app-chart__grid") {
			rings = append(rings, chartParsePoints(t, p.attr["points"]))
		}
	}
	if len(rings) != 5 {
		t.Fatalf("%d grid rings, want 5", len(rings))
	}
	for k, ring := range rings {
		if r := float64(k+1) * 32; len(ring) != 7 || !chartNear(ring[0].x, 320) || !chartNear(ring[0].y, 240-r) {
			t.Errorf("ring %d starts at %v, want (320, %v)", k+1, ring[0], 240-r)
		}
	}
	scale := root.texts("app-chart__scale")
	if strings.Join(scale, " ") != "1 2 3 4 5" {
		t.Errorf("ring labels %q", scale)
	}

	// Every axis is labelled, outside the outer ring.
	var labels []string
	for _, txt := range root.all("text") {
		if txt.parent.hasClass("app-chart__labels") {
			var words []string
			for _, ts := range txt.all("tspan") {
				words = append(words, ts.text)
			}
			labels = append(labels, strings.Join(words, " "))
		}
	}
	if strings.Join(labels, "|") != strings.Join(chartMaturityAxes, "|") {
		t.Errorf("axis labels %q", labels)
	}
}

func TestRadarMissingValues(t *testing.T) {
	tests := []struct {
		name    string
		values  []float64
		polygon int // points of the polygon, 0 for none
		points  int // point markers
	}{
		{"all values", []float64{1, 2, 3, 4, 5, 4, 3}, 7, 7},
		{"one NaN", []float64{1, 2, chartNaN, 4, 5, 4, 3}, 6, 6},
		{"one negative", []float64{-1, 2, 3, 4, 5, 4, 3}, 6, 6},
		{"NaN first", []float64{chartNaN, 2, 3, 4, 5, 4, 3}, 6, 6},
		{"too few values given", []float64{1, 2, 3}, 3, 3},
		{"three values", []float64{chartNaN, 2, chartNaN, 4, chartNaN, 4, chartNaN}, 3, 3},
		{"two values are points", []float64{chartNaN, 2, chartNaN, 4, chartNaN, chartNaN, chartNaN}, 0, 2},
		{"one value is a point", []float64{3}, 0, 1},
		{"no values", []float64{chartNaN, chartNaN, chartNaN, chartNaN, chartNaN, chartNaN, chartNaN}, 0, 0},
		{"nil", nil, 0, 0},
		{"more values than axes", []float64{1, 2, 3, 4, 5, 4, 3, 2, 1}, 7, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := radarChart("Missing", "d", chartMaturityAxes, 5, []radarSeries{{Name: "This cycle", Kind: "current", Values: tc.values}})
			root := chartParse(t, out)
			if got := chartPolygonOf(t, root, "current"); len(got) != tc.polygon {
				t.Errorf("polygon has %d points, want %d", len(got), tc.polygon)
			}
			if got := chartPointsOf(root, "current"); len(got) != tc.points {
				t.Errorf("%d point markers, want %d", len(got), tc.points)
			}
			if strings.Contains(string(out), "NaN") {
				t.Errorf("NaN in output")
			}
		})
	}

	// The missing axis is skipped, not drawn at the centre: the polygon
	// goes from axis 1 straight to axis 3.
	root := chartParse(t, radarChart("Skip", "d", chartMaturityAxes, 5, []radarSeries{{Name: "x", Kind: "current", Values: []float64{5, 5, chartNaN, 5, 5, 5, 5}}}))
	pts := chartPolygonOf(t, root, "current")
	a := 2 * math.Pi / 7
	if len(pts) != 6 || !chartNear(pts[2].x, radarCX+radarR*math.Sin(3*a)) || !chartNear(pts[2].y, radarCY-radarR*math.Cos(3*a)) {
		t.Errorf("third point %v, want axis 3's outer end", pts)
	}
	for _, p := range root.all("polygon") {
		if p.hasClass("app-chart__area--current") && !strings.Contains(p.childTitle(), "Safe practice no value") {
			t.Errorf("title %q does not say the value is missing", p.childTitle())
		}
	}
}

func TestRadarLongLabelsWrap(t *testing.T) {
	tests := []struct {
		name  string
		axes  []string
		label string
		lines int
	}{
		{"smart foundations", chartMaturityAxes, "Ensure smart foundations", 2},
		{"digital identity", chartSkillsDomains, "Digital identity, wellbeing, safety and security", 3},
		{"short", chartMaturityAxes, "Well led", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := chartParse(t, radarChart("Wrap", "d", tc.axes, 5, nil))
			for _, txt := range root.all("text") {
				var words []string
				for _, ts := range txt.all("tspan") {
					words = append(words, ts.text)
				}
				if strings.Join(words, " ") != tc.label {
					continue
				}
				if len(words) != tc.lines {
					t.Errorf("%q on %d lines %q, want %d", tc.label, len(words), words, tc.lines)
				}
				return
			}
			t.Errorf("label %q not found", tc.label)
		})
	}

	// No label overlaps the chart: the box round each label's lines lies
	// wholly outside the outer ring, whatever the number of axes.
	for _, axes := range [][]string{chartMaturityAxes, chartSkillsDomains, chartSkillsDomains[:5], chartSkillsDomains[:4], chartSkillsDomains[:3],
		append(append([]string{}, chartMaturityAxes...), "Eighth long success measure label")} {
		root := chartParse(t, radarChart("Overlap", "d", axes, 5, nil))
		for _, txt := range root.all("text") {
			if !txt.parent.hasClass("app-chart__labels") {
				continue
			}
			left, right := math.Inf(1), math.Inf(-1)
			top := chartParseNum(t, txt.attr["y"]) - chartAscent
			bottom := top
			for i, ts := range txt.all("tspan") {
				x, w := chartParseNum(t, ts.attr["x"]), chartTextWidth(ts.text)
				switch txt.attr["text-anchor"] {
				case "middle":
					x -= w / 2
				case "end":
					x -= w
				}
				left, right = math.Min(left, x), math.Max(right, x+w)
				bottom = top + chartFont + float64(i)*chartLineH
			}
			// The point of the box nearest the centre.
			nx := math.Max(left, math.Min(radarCX, right))
			ny := math.Max(top, math.Min(radarCY, bottom))
			if d := math.Hypot(nx-radarCX, ny-radarCY); d <= radarR {
				t.Errorf("%d axes: label box (%v,%v)-(%v,%v) comes within %v of the centre, inside the outer ring", len(axes), left, top, right, bottom, d)
			}
		}
	}

	// Anchors: the label at the top is centred, those on the right start
	// at their point and those on the left end at it.
	root := chartParse(t, radarChart("Anchors", "d", chartMaturityAxes, 5, nil))
	var anchors []string
	for _, txt := range root.all("text") {
		if txt.parent.hasClass("app-chart__labels") {
			anchors = append(anchors, txt.attr["text-anchor"])
		}
	}
	if got := strings.Join(anchors, " "); got != "middle start start start end end end" {
		t.Errorf("anchors %q", got)
	}
}

func TestChartEscaping(t *testing.T) {
	const raw, escaped = "<b>&", "&lt;b&gt;&amp;"
	tests := []struct {
		name string
		out  template.HTML
	}{
		{"radar axis", radarChart("t", "d", []string{raw, "b", "c"}, 5, nil)},
		{"radar title", radarChart(raw, "d", []string{"a", "b", "c"}, 5, nil)},
		{"radar desc", radarChart("t", raw, []string{"a", "b", "c"}, 5, nil)},
		{"radar series", radarChart("t", "d", []string{"a", "b", "c"}, 5, []radarSeries{{Name: raw, Kind: "current", Values: []float64{1, 2, 3}}})},
		{"bar category", barChart("t", "d", []string{raw}, 4, []barSeries{{Name: "n", Kind: "now", Values: []float64{1}}})},
		{"bar series", barChart("t", "d", []string{"a"}, 4, []barSeries{{Name: raw, Kind: "now", Values: []float64{1}}})},
		{"bar title", barChart(raw, "d", []string{"a"}, 4, []barSeries{{Name: "n", Kind: "now", Values: []float64{1}}})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := string(tc.out)
			if !strings.Contains(out, escaped) {
				t.Errorf("%q does not appear escaped as %q:\n%s", raw, escaped, out)
			}
			if strings.Contains(out, raw) || strings.Contains(out, "<b>") {
				t.Errorf("%q appears raw:\n%s", raw, out)
			}
			chartParse(t, tc.out)
		})
	}

	out := string(radarChart(`"><script>alert(1)</script>`, "d", []string{"<script>", "a", "b"}, 5, nil))
	if strings.Contains(out, "<script") || !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("script tag not escaped:\n%s", out)
	}
}

func TestBarChartGeometry(t *testing.T) {
	// By hand: the plot starts at x = 210 and is 360 wide, so on a scale
	// of 0 to 4 a value of 2 is 180 wide, 3.5 is 315 and 4 is 360.
	if barPlotX != 210 || barPlotW != 360 {
		t.Fatalf("geometry changed: update the hand-worked numbers below")
	}
	out := barChart("Skills", "d", []string{"Data", "Teaching", "Communication"}, 4, []barSeries{
		{Name: "Skills now", Kind: "now", Values: []float64{2, chartNaN, 3.5}},
		{Name: "Skills needed", Kind: "need", Values: []float64{4, 3.04, 3.96}},
	})
	root := chartParse(t, out)

	var now, need []*chartNode
	for _, r := range root.all("rect") {
		switch {
		case r.hasClass("app-chart__bar--now"):
			now = append(now, r)
		case r.hasClass("app-chart__bar--need"):
			need = append(need, r)
		}
	}
	if len(now) != 2 || len(need) != 3 {
		t.Fatalf("%d now bars and %d need bars, want 2 and 3", len(now), len(need))
	}
	bars := []struct {
		name  string
		bar   *chartNode
		width float64
		fill  string
		title string
	}{
		{"now 2 of 4", now[0], 180, "#005eb8", "Skills now, Data: 2.0"},
		{"now 3.5 of 4", now[1], 315, "#005eb8", "Skills now, Communication: 3.5"},
		{"need 4 of 4", need[0], 360, "#ed8b00", "Skills needed, Data: 4.0"},
		{"need 3.04", need[1], 273.6, "#ed8b00", "Skills needed, Teaching: 3.0"},
		{"same, from the constants", need[1], barPlotW * 3.04 / 4, "#ed8b00", "Skills needed, Teaching: 3.0"},
	}
	for _, tc := range bars {
		if got := chartParseNum(t, tc.bar.attr["width"]); !chartNear(got, tc.width) {
			t.Errorf("%s: width %v, want %v", tc.name, got, tc.width)
		}
		if got := chartParseNum(t, tc.bar.attr["x"]); got != barPlotX {
			t.Errorf("%s: x %v, want %v", tc.name, got, barPlotX)
		}
		if tc.bar.attr["fill"] != tc.fill || tc.bar.childTitle() != tc.title {
			t.Errorf("%s: fill %q title %q", tc.name, tc.bar.attr["fill"], tc.bar.childTitle())
		}
	}
	// Within a category the bars come in the order of the series, below
	// one another.
	if chartParseNum(t, now[0].attr["y"]) >= chartParseNum(t, need[0].attr["y"]) {
		t.Errorf("now bar not above need bar")
	}

	// Value labels at the bar ends, to one decimal place; "no data" for
	// the missing value.
	var values []string
	noData := 0
	for _, txt := range root.all("text") {
		switch {
		case txt.hasClass("app-chart__value--none"):
			noData++
			if strings.TrimSpace(txt.text) != "no data" || txt.childTitle() != "Skills now, Teaching: no data" {
				t.Errorf("no-data text %q, title %q", txt.text, txt.childTitle())
			}
		case txt.hasClass("app-chart__value"):
			values = append(values, txt.text)
		}
		if txt.text == "3.5" && !chartNear(chartParseNum(t, txt.attr["x"]), 210+315+6) {
			t.Errorf("label 3.5 at x %v, want %v", txt.attr["x"], 210+315+6)
		}
	}
	if got := strings.Join(values, " "); got != "2.0 4.0 3.0 3.5 4.0" {
		t.Errorf("value labels %q", got)
	}
	if noData != 1 {
		t.Errorf("%d no-data texts, want 1", noData)
	}

	// A grid line at each whole number, labelled.
	var gridX []float64
	for _, l := range root.all("line") {
		if l.parent.hasClass("app-chart__grid") {
			gridX = append(gridX, chartParseNum(t, l.attr["x1"]))
		}
	}
	wantX := []float64{210, 300, 390, 480, 570}
	if len(gridX) != len(wantX) {
		t.Fatalf("grid lines at %v, want %v", gridX, wantX)
	}
	for i := range wantX {
		if !chartNear(gridX[i], wantX[i]) {
			t.Errorf("grid lines at %v, want %v", gridX, wantX)
		}
	}
	scale := root.texts("app-chart__scale")
	if strings.Join(scale, " ") != "0 1 2 3 4" {
		t.Errorf("grid labels %q", scale)
	}

	// The legend names the series in order.
	var legend []string
	for _, txt := range root.all("text") {
		if txt.parent.hasClass("app-chart__legend") {
			legend = append(legend, txt.all("tspan")[0].text)
		}
	}
	if strings.Join(legend, "|") != "Skills now|Skills needed" {
		t.Errorf("legend %q", legend)
	}
}

func TestBarChartHeightGrowsWithCategories(t *testing.T) {
	height := func(n int) float64 {
		cats := make([]string, n)
		vals := make([]float64, n)
		for i := range cats {
			cats[i], vals[i] = "Category "+strconv.Itoa(i), float64(i%4)
		}
		root := chartParse(t, barChart("h", "d", cats, 4, []barSeries{{Name: "Now", Kind: "now", Values: vals}}))
		return chartParseNum(t, strings.Fields(root.attr["viewBox"])[3])
	}
	prev := 0.0
	for _, n := range []int{1, 2, 6, 12} {
		h := height(n)
		if h <= prev {
			t.Errorf("%d categories: height %v, not more than %v", n, h, prev)
		}
		prev = h
	}
}

func TestChartWrap(t *testing.T) {
	tests := []struct {
		text     string
		width    float64
		maxLines int
		want     []string
		cut      bool
	}{
		{"Well led", 150, 3, []string{"Well led"}, false},
		{"Ensure smart foundations", 150, 3, []string{"Ensure smart", "foundations"}, false},
		{"  spaced \n out\ttext ", 400, 3, []string{"spaced out text"}, false},
		{"", 150, 3, nil, false},
		{"one two three four five six seven eight nine ten", 60, 2, []string{"one two", "three…"}, true},
	}
	for _, tc := range tests {
		got, cut := chartWrap(tc.text, tc.width, tc.maxLines)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || cut != tc.cut {
			t.Errorf("chartWrap(%q, %v, %d) = %q, %v; want %q, %v", tc.text, tc.width, tc.maxLines, got, cut, tc.want, tc.cut)
		}
		for _, l := range got {
			if chartTextWidth(l) > math.Max(tc.width, 4*chartFont) {
				t.Errorf("line %q wider than %v", l, tc.width)
			}
		}
	}
}

// FuzzChartText: the one-pass text writer cleans and escapes exactly as
// chartClean and template.HTMLEscapeString do.
func FuzzChartText(f *testing.F) {
	for _, s := range []string{"", "Well led", "  two  spaces ", "tab\tnew\nline\rreturn", `x & y <b> "q" 'a'`,
		"\x00\x01nul\x7f", "\xff\xfe\xfd bad \xff x\xff\x01\xff", "\uFFFD\xff", "no\u00a0break\u2028line\u3000", "a\u0085b",
		"\ufffe\uffff", "日本語 – ‘quotes’", " \xff "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := template.HTMLEscapeString(chartClean(s))
		if got := string(appendChartText(nil, []byte(s))); got != want {
			t.Errorf("appendChartText(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzChartNumbers: numbers are written as the plain definitions below
// write them, and the chart hash is hash/fnv's FNV-1a of the parts.
func FuzzChartNumbers(f *testing.F) {
	for _, x := range []float64{0, -0.001, 0.004, 0.005, 1.005, 2.675, 12.5, 100, -3.14159, 999999.994, 1e6, -1e6, 4.95, 1e300,
		math.NaN(), math.Inf(1), math.Inf(-1)} {
		f.Add(x)
	}
	num := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "0"
		}
		if math.Abs(x) >= 1e6 {
			return strconv.FormatFloat(x, 'g', 4, 64)
		}
		s := strconv.FormatFloat(math.Round(x*100)/100, 'f', 2, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		if s == "-0" {
			s = "0"
		}
		return s
	}
	score := func(v float64) string {
		if v >= 1e6 {
			return strconv.FormatFloat(v, 'g', 4, 64)
		}
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if got := string(appendChartNum([]byte("prefix"), x)); got != "prefix"+num(x) {
			t.Errorf("appendChartNum(%v) = %q, want %q", x, got, "prefix"+num(x))
		}
		if got := string(appendChartScore(nil, x)); got != score(x) {
			t.Errorf("appendChartScore(%v) = %q, want %q", x, got, score(x))
		}
		values := []float64{x, math.NaN(), 1, -x}
		var shown []string
		for i := range values {
			s := ""
			if v, ok := chartValue(values, i); ok {
				s = strconv.FormatFloat(v, 'g', -1, 64)
			}
			shown = append(shown, s)
		}
		want := fnv.New64a()
		for _, p := range []string{"radar", "", num(x), strings.Join(shown, " ")} {
			want.Write([]byte(p))
			want.Write([]byte{0})
		}
		h := newChartHash()
		h.add("radar")
		h.add("")
		h.addNum(x)
		h.addValues(values)
		if uint64(h) != want.Sum64() {
			t.Errorf("chart hash of %v is %x, want %x", x, uint64(h), want.Sum64())
		}
	})
}

// radarSeries and barSeries, radarChart and barChart are the charts as
// these tests were first written against them: a description made and drawn.
type (
	radarSeries = Series
	barSeries   = Series
)

func radarChart(title, desc string, axes []string, max float64, series []Series) template.HTML {
	return Radar{Title: title, Desc: desc, Axes: axes, Max: max, Series: series}.SVG()
}

func barChart(title, desc string, categories []string, max float64, series []Series) template.HTML {
	return Bars{Title: title, Desc: desc, Categories: categories, Max: max, Series: series}.SVG()
}
