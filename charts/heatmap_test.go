package charts

import (
	"fmt"
	"html"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// agreeHeatmap has shaded cells in every bin, a hidden group, a cell
// without data and a label to escape.
func agreeHeatmap() Heatmap {
	cell := func(v float64) HeatCell {
		return HeatCell{Value: v, Label: strconv.FormatFloat(v, 'f', 1, 64), Shown: true}
	}
	hidden := HeatCell{Label: "Hidden"}
	return Heatmap{ID: "heatmap", Caption: "Mean gap by staff group and domain",
		Header: append([]string{"Staff group", "People"}, chartSkillsDomains[:5]...),
		Rows: []HeatRow{
			{Label: "Nursing & Midwifery", Count: HeatCell{Value: 40, Label: "40", Shown: true}, Cells: []HeatCell{cell(0.1), cell(0.3), cell(0.6), cell(0.8), cell(1.4)}},
			{Label: "Allied Health Professionals", Count: HeatCell{Value: 12, Label: "12", Shown: true}, Cells: []HeatCell{cell(0.2), {Label: "No data"}, cell(0.5), cell(0.9), cell(1.0)}},
			{Label: "Other staff groups", Count: hidden, Cells: []HeatCell{hidden, hidden, hidden, hidden, hidden}},
		}}
}

// heatStyles are app.css's shades by class: the colours a page's cell of
// that class is shown in.
func heatStyles(t *testing.T) map[string]string {
	t.Helper()
	css, err := os.ReadFile("../static/app/app.css")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`\.(app-heat--\d) \{ background-color: (#[0-9a-f]{6});`).FindAllStringSubmatch(string(css), -1) {
		out[m[1]] = m[2]
	}
	return out
}

// heatPageCell is a cell of the page's table as the markup gives it.
type heatPageCell struct {
	class, text string
}

var (
	heatCellRE = regexp.MustCompile(`<t[hd][^>]*?(?: class="([^"]*)")?>(.*?)</t[hd]>`)
	heatTagRE  = regexp.MustCompile(`<[^>]+>`)
)

// heatPage reads the page's table: every cell's text in reading order,
// and the shaded columns' cells with their shade class.
func heatPage(t *testing.T, out string) (texts []string, shaded []heatPageCell, hidden int) {
	t.Helper()
	if !strings.HasPrefix(out, `<table class="nhsuk-table" id="heatmap">`) || !strings.Contains(out, `<caption class="nhsuk-table__caption nhsuk-u-visually-hidden">`) {
		t.Fatalf("not the page's table:\n%s", out)
	}
	for _, m := range heatCellRE.FindAllStringSubmatch(out, -1) {
		text := html.UnescapeString(heatTagRE.ReplaceAllString(m[2], ""))
		texts = append(texts, text)
		if !strings.Contains(m[1], "app-heat") {
			continue
		}
		class := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(m[1], "nhsuk-table__cell"), " app-heat"))
		if class == "app-heat--hidden" {
			hidden++
			continue
		}
		shaded = append(shaded, heatPageCell{class, text})
	}
	return texts, shaded, hidden
}

// heatPDFRect is a filled rectangle of the PDF, in points, with its fill.
type heatPDFRect struct {
	x, y, w, h float64
	fill       string
}

// heatPDFText is a text of the PDF and where it starts, in points.
type heatPDFText struct {
	x, y float64
	s    string
}

var (
	heatRGRE   = regexp.MustCompile(`^([\d.]+) ([\d.]+) ([\d.]+) rg$`)
	heatRectRE = regexp.MustCompile(`^([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+) re f$`)
	heatTextRE = regexp.MustCompile(`BT ([\d.-]+) ([\d.-]+) Td \((.*)\) Tj ET`)
)

// heatPDF draws the heatmap with draw on an uncompressed page and reads the
// content stream back: each filled rectangle with the fill colour set
// before it, and each text.
func heatPDF(t *testing.T, draw func(p PDF)) (rects []heatPDFRect, texts []heatPDFText) {
	t.Helper()
	_, streams := drawnStreams(t, draw)
	fill := ""
	num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	for _, stream := range streams {
		for _, line := range strings.Split(string(stream), "\n") {
			line = strings.TrimSpace(line)
			if m := heatRGRE.FindStringSubmatch(line); m != nil {
				fill = fmt.Sprintf("#%02x%02x%02x", int(math.Round(num(m[1])*255)), int(math.Round(num(m[2])*255)), int(math.Round(num(m[3])*255)))
			}
			if m := heatRectRE.FindStringSubmatch(line); m != nil {
				rects = append(rects, heatPDFRect{num(m[1]), num(m[2]), num(m[3]), num(m[4]), fill})
			}
			if m := heatTextRE.FindStringSubmatch(line); m != nil {
				texts = append(texts, heatPDFText{num(m[1]), num(m[2]), strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(m[3])})
			}
		}
	}
	return rects, texts
}

// heatMismatches compares the page's table with the PDF's drawing of it:
// the same texts in reading order; one filled rectangle per shaded cell,
// in reading order, filled in the colour app.css gives the cell's class
// and holding the cell's figure; no fill behind a cell that is not shown.
func heatMismatches(t *testing.T, page string, rects []heatPDFRect, texts []heatPDFText) []string {
	t.Helper()
	styles := heatStyles(t)
	pageTexts, shaded, _ := heatPage(t, page)
	var out []string
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	var pdfAll []string
	for _, tx := range texts {
		pdfAll = append(pdfAll, tx.s)
	}
	if a, b := squash(strings.Join(pageTexts, "")), squash(strings.Join(pdfAll, "")); a != b {
		out = append(out, fmt.Sprintf("texts differ:\npage %q\npdf  %q", a, b))
	}
	// Reading order: top to bottom (PDF y grows upwards), then left to right.
	sort.SliceStable(rects, func(i, j int) bool {
		if math.Abs(rects[i].y-rects[j].y) > 0.5 {
			return rects[i].y > rects[j].y
		}
		return rects[i].x < rects[j].x
	})
	if len(rects) != len(shaded) {
		out = append(out, fmt.Sprintf("the page shades %d cells, the PDF fills %d", len(shaded), len(rects)))
	}
	for i := 0; i < len(rects) && i < len(shaded); i++ {
		r, c := rects[i], shaded[i]
		if want := styles[c.class]; r.fill != want {
			out = append(out, fmt.Sprintf("cell %d (%s, %s): the page shows %s, the PDF fills %s", i, c.text, c.class, want, r.fill))
		}
		var inside []string
		for _, tx := range texts {
			if tx.x >= r.x && tx.x <= r.x+r.w && tx.y <= r.y && tx.y >= r.y+r.h {
				inside = append(inside, tx.s)
			}
		}
		if strings.Join(inside, " ") != c.text {
			out = append(out, fmt.Sprintf("cell %d: the page shows %q, the PDF's fill holds %q", i, c.text, inside))
		}
	}
	return out
}

func TestHeatmapPageAndPDFAgree(t *testing.T) {
	m := agreeHeatmap()
	page := string(m.HTML())
	draw := func(p PDF) { m.DrawPDF(p, agreeX, agreeY, 170, 0) }
	t.Run("same cells", func(t *testing.T) {
		rects, texts := heatPDF(t, draw)
		for _, e := range heatMismatches(t, page, rects, texts) {
			t.Error(e)
		}
		// The numbers themselves: 9 shaded cells, one in each of the five
		// bins at least, and 6 not shown (one without data, five hidden).
		_, shaded, hidden := heatPage(t, page)
		classes := map[string]bool{}
		for _, c := range shaded {
			classes[c.class] = true
		}
		if len(shaded) != 9 || len(classes) != 5 || hidden != 6 {
			t.Errorf("page: %d shaded cells in %d shades, %d not shown; want 9 in 5, 6", len(shaded), len(classes), hidden)
		}
		if len(rects) != 9 {
			t.Errorf("PDF: %d filled cells, want 9", len(rects))
		}
		if !strings.Contains(page, `<th scope="row" class="nhsuk-table__header">Nursing &amp; Midwifery</th>`) ||
			!strings.Contains(page, `<td class="nhsuk-table__cell"><span class="app-hidden">Hidden</span></td>`) ||
			!strings.Contains(page, `<td class="nhsuk-table__cell app-heat app-heat--4">1.4</td>`) ||
			!strings.Contains(page, `<td class="nhsuk-table__cell app-heat app-heat--hidden">No data</td>`) {
			t.Errorf("page markup:\n%s", page)
		}
	})
	// wantDisagree checks that a heatmap changed in the PDF, as what says,
	// no longer agrees with the page.
	wantDisagree := func(t *testing.T, l heatLayout, what string) {
		t.Helper()
		rects, texts := heatPDF(t, func(p PDF) { l.drawPDF(p, agreeX, agreeY, 170, 0) })
		if len(heatMismatches(t, page, rects, texts)) == 0 {
			t.Error("a PDF " + what + " still agrees with the page: the check cannot fail")
		}
	}
	t.Run("positive control: one cell in another shade in the PDF", func(t *testing.T) {
		l := m.layout()
		for i := range l.cells {
			if l.cells[i].heat != nil && l.cells[i].heat.Class == "app-heat--2" {
				h := HeatOf(0.9)
				l.cells[i].heat = &h
				break
			}
		}
		wantDisagree(t, l, "with a cell in another shade")
	})
	t.Run("positive control: one figure changed in the PDF", func(t *testing.T) {
		l := m.layout()
		for i := range l.cells {
			if l.cells[i].text == "0.8" {
				l.cells[i].lines = []string{"0.7"}
			}
		}
		wantDisagree(t, l, "with a changed figure")
	})
	t.Run("positive control: a hidden cell shaded in the PDF", func(t *testing.T) {
		l := m.layout()
		for i := range l.cells {
			if l.cells[i].text == "Hidden" && l.cells[i].col > 1 {
				h := HeatOf(0)
				l.cells[i].heat = &h
				break
			}
		}
		wantDisagree(t, l, "that shades a hidden cell")
	})
}
