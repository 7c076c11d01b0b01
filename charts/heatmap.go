package charts

import (
	"html/template"
	"math"
	"strings"
)

// Heatmap is a table of mean gaps, one row a group and one shaded column a
// domain, with an unshaded count of people after each row's label. Pages
// show it as an accessible HTML table whose cells carry the shade's class;
// the PDF draws the same table as filled cells in the same shades. A cell
// that is not shown (hidden, or no data) is never shaded.
type Heatmap struct {
	ID      string   // the page's table id, e.g. "heatmap"
	Caption string   // what the table shows; visually hidden on the page
	Header  []string // heads the row labels, then the count, then one per shaded column
	Rows    []HeatRow
}

// HeatRow is one group of the heatmap.
type HeatRow struct {
	Label string
	Count HeatCell // unshaded; not shown: the group is hidden
	Cells []HeatCell
}

// HeatCell is one figure: its value and its text as shown ("1.2", or
// "Hidden" or "No data" when it is not shown).
type HeatCell struct {
	Value float64
	Label string
	Shown bool
}

// Geometry of the heatmap, in viewBox units (chartWidth wide).
const (
	heatFont     = 11.0 // figures and labels
	heatHeadFont = 9.0  // column titles: "Communication" fits a domain column unbroken
	heatPad      = 4.0  // inside each cell
	heatLineH    = 13.0 // between wrapped lines
	heatAscent   = 9.0
	heatCountW   = 60.0
)

// heatLayout is the heatmap as laid out once for both renderers: every
// cell in reading order, the header row first.
type heatLayout struct {
	cells  []heatBox
	height float64
}

// heatBox is one cell of the laid out table.
type heatBox struct {
	row, col   int // row -1 is the header; col 0 the row labels, 1 the count
	x, y, w, h float64
	lines      []string
	text       string
	head       bool  // a column or row title
	heat       *Heat // the shade of a shown figure; nil for any other cell
	muted      bool  // a figure not shown
}

// wrap breaks s into lines at font size size across width.
func heatWrap(s string, width, size float64) []string {
	lines, _ := chartWrap(s, width*chartFont/size, 4)
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

func (m Heatmap) columns() int {
	n := len(m.Header)
	for _, r := range m.Rows {
		n = max(n, 2+len(r.Cells))
	}
	return n
}

func (m Heatmap) layout() heatLayout {
	var l heatLayout
	ncol := m.columns()
	if ncol == 0 {
		return l
	}
	widths := make([]float64, ncol)
	switch ncol {
	case 1:
		widths[0] = chartWidth
	case 2:
		widths[0], widths[1] = chartWidth-heatCountW, heatCountW
	default:
		first := chartWidth * 46 / 170
		if ncol > 7 {
			first = chartWidth * 36 / 170
		}
		widths[0], widths[1] = first, heatCountW
		for i := 2; i < ncol; i++ {
			widths[i] = (chartWidth - first - heatCountW) / float64(ncol-2)
		}
	}
	lefts := make([]float64, ncol)
	for i := 1; i < ncol; i++ {
		lefts[i] = lefts[i-1] + widths[i-1]
	}
	y := 0.0
	addRow := func(boxes []heatBox, size float64) {
		lines := 1
		for i := range boxes {
			b := &boxes[i]
			b.x, b.y, b.w = lefts[b.col], y, widths[b.col]
			b.lines = heatWrap(b.text, b.w-2*heatPad, size)
			lines = max(lines, len(b.lines))
		}
		h := 2*heatPad + heatAscent + float64(lines-1)*heatLineH + 3
		for i := range boxes {
			boxes[i].h = h
		}
		l.cells = append(l.cells, boxes...)
		y += h
	}
	if len(m.Header) > 0 {
		var head []heatBox
		for i, t := range m.Header {
			head = append(head, heatBox{row: -1, col: i, text: t, head: true})
		}
		addRow(head, heatHeadFont)
	}
	for ri, r := range m.Rows {
		boxes := []heatBox{{row: ri, col: 0, text: r.Label, head: true}, {row: ri, col: 1, text: r.Count.Label, muted: !r.Count.Shown}}
		for ci, c := range r.Cells {
			b := heatBox{row: ri, col: 2 + ci, text: c.Label, muted: !c.Shown}
			if c.Shown {
				h := HeatOf(c.Value)
				b.heat = &h
			}
			boxes = append(boxes, b)
		}
		addRow(boxes, heatFont)
	}
	l.height = y
	return l
}

// HTML is the page's heatmap: an NHS.UK table, each figure's cell with the
// class of its shade (app-heat--hidden when not shown).
func (m Heatmap) HTML() template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.WriteString(`<table class="nhsuk-table" id="` + esc(m.ID) + `">` + "\n")
	b.WriteString(`  <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">` + esc(m.Caption) + "</caption>\n")
	row := -2
	for _, c := range m.layout().cells {
		if c.row != row {
			switch {
			case row == -1:
				b.WriteString("    </tr>\n  </thead>\n  <tbody class=\"nhsuk-table__body\">\n")
			case row >= 0:
				b.WriteString("    </tr>\n")
			case c.row == -1:
				b.WriteString("  <thead class=\"nhsuk-table__head\">\n")
			default:
				b.WriteString("  <tbody class=\"nhsuk-table__body\">\n")
			}
			b.WriteString("    <tr class=\"nhsuk-table__row\">\n")
			row = c.row
		}
		switch {
		case c.row == -1:
			b.WriteString(`      <th scope="col" class="nhsuk-table__header">` + esc(c.text) + "</th>\n")
		case c.col == 0:
			b.WriteString(`      <th scope="row" class="nhsuk-table__header">` + esc(c.text) + "</th>\n")
		case c.col == 1 && c.muted:
			b.WriteString(`      <td class="nhsuk-table__cell"><span class="app-hidden">` + esc(c.text) + "</span></td>\n")
		case c.col == 1:
			b.WriteString(`      <td class="nhsuk-table__cell">` + esc(c.text) + "</td>\n")
		default:
			class := "app-heat--hidden"
			if c.heat != nil {
				class = c.heat.Class
			}
			b.WriteString(`      <td class="nhsuk-table__cell app-heat ` + class + `">` + esc(c.text) + "</td>\n")
		}
	}
	switch {
	case row == -1:
		b.WriteString("    </tr>\n  </thead>\n  <tbody class=\"nhsuk-table__body\">\n")
	case row >= 0:
		b.WriteString("    </tr>\n")
	default:
		b.WriteString("  <tbody class=\"nhsuk-table__body\">\n")
	}
	b.WriteString("  </tbody>\n</table>")
	return template.HTML(b.String())
}

// Size is the heatmap's size in viewBox units: drawn w wide, it is h high.
func (m Heatmap) Size() (w, h float64) { return chartWidth, math.Max(m.layout().height, 1) }

// DrawPDF draws the heatmap in the box at x, y, w wide (and at most h high
// when h > 0): the page's table with each figure's cell filled in its
// shade.
func (m Heatmap) DrawPDF(p PDF, x, y, w, h float64) { m.layout().drawPDF(p, x, y, w, h) }

func (l heatLayout) drawPDF(p PDF, x, y, w, h float64) {
	c, restore := p.begin(x, y, w, h, chartWidth, math.Max(l.height, 1))
	defer restore()
	for _, b := range l.cells {
		if b.heat != nil {
			c.fill(b.heat.Fill)
			c.rect(b.x+0.5, b.y+0.5, b.w-1, b.h-1, "F")
		}
	}
	c.stroke(chartGrid, 1, "")
	for _, b := range l.cells {
		if b.col == 0 {
			c.line(0, b.y+b.h, chartWidth, b.y+b.h)
		}
	}
	for _, b := range l.cells {
		size, colour, anchor, tx := heatFont, chartText, "middle", b.x+b.w/2
		switch {
		case b.row == -1:
			size = heatHeadFont
		case b.heat != nil:
			colour = b.heat.Text
		case b.muted:
			colour = lineMuted
		}
		if b.col == 0 {
			anchor, tx = "start", b.x+heatPad
		}
		c.font(size, b.head)
		for i, line := range b.lines {
			c.textAt(tx, b.y+heatPad+heatAscent+float64(i)*heatLineH, anchor, line, colour)
		}
	}
}
