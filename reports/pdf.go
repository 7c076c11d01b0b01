package reports

// This file holds the small layout engine shared by the board report and
// the personal skills report: fonts, colours, wrapped paragraphs, headings
// and tables that break across pages with their header row repeated.
//
// Page breaks are made here, never by fpdf: automatic page breaking is off,
// and every piece of text is wrapped with SplitText and placed line by line
// after checking that the line fits above the footer.

import (
	"embed"
	"math"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"nhs-digital-maturity/charts"
)

//go:embed fonts/*.ttf
var pdfFontFiles embed.FS

// pdfFonts reads the embedded Liberation Sans files once; fpdf only reads
// the bytes, so every document can share them.
var pdfFonts = sync.OnceValues(func() ([2][]byte, error) {
	var b [2][]byte
	var err error
	if b[0], err = pdfFontFiles.ReadFile("fonts/LiberationSans-Regular.ttf"); err != nil {
		return b, err
	}
	b[1], err = pdfFontFiles.ReadFile("fonts/LiberationSans-Bold.ttf")
	return b, err
})

const (
	pdfFamily  = "LiberationSans"
	pdfPageW   = 210.0
	pdfPageH   = 297.0
	pdfMargin  = 18.0
	pdfMM      = 25.4 / 72 // millimetres per point
	pdfBody    = 10.0      // body text size in points
	pdfSmall   = 8.5       // tables and notes
	pdfCreator = "Digital maturity and skills assessment"
)

type pdfRGB struct{ r, g, b int }

var (
	pdfBlue      = pdfRGB{0, 94, 184}    // NHS blue: headings
	pdfInk       = pdfRGB{33, 43, 50}    // body text
	pdfMuted     = pdfRGB{76, 98, 114}   // secondary text
	pdfRule      = pdfRGB{174, 183, 189} // table borders
	pdfPale      = pdfRGB{232, 237, 238} // header rows
	pdfAlert     = pdfRGB{190, 30, 20}   // "Overdue", "Differs": always with a word
	pdfWatermark = pdfRGB{222, 226, 228}
	pdfRAGRed    = pdfRGB{218, 41, 28}
	pdfRAGAmber  = pdfRGB{255, 184, 28}
	pdfRAGGreen  = pdfRGB{0, 150, 57}
)

// pdfLH is the line height in millimetres for a font size in points.
func pdfLH(size float64) float64 { return size * pdfMM * 1.3 }

// pdfClean makes given text safe to wrap and draw: tabs become spaces, every
// kind of line ending becomes "\n", and characters the fonts cannot draw
// become a visible mark (pdfDrawable). Nothing else is changed or dropped.
func pdfClean(s string) string {
	if strings.ContainsAny(s, "\t\r\v\f") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.NewReplacer("\r", "\n", "\t", " ", "\v", "\n", "\f", "\n").Replace(s)
	}
	return pdfDrawable(s)
}

// pdfDate formats a date the way the web pages do: "24 November 2026".
func pdfDate(t time.Time) string { return t.Format("2 January 2006") }

// pdfRAGColour is the swatch colour of a RAG word; ok is false for words
// that are not a RAG rating (such as "No score"), which get no swatch.
func pdfRAGColour(rag string) (pdfRGB, bool) {
	switch w := strings.ToLower(rag); {
	case strings.Contains(w, "red"):
		return pdfRAGRed, true
	case strings.Contains(w, "amber"):
		return pdfRAGAmber, true
	case strings.Contains(w, "green"):
		return pdfRAGGreen, true
	}
	return pdfRGB{}, false
}

// pdfDoc is a document under construction with its layout state.
type pdfDoc struct {
	f           *fpdf.Fpdf
	left, right float64 // text column
	width       float64
	top         float64 // first y below the running header
	coverTop    float64 // first y on a page without a running header
	bottom      float64 // last y above the running footer
	noHeader    func(page int) bool
}

// newPDFDoc makes an A4 portrait document with the embedded fonts loaded
// and automatic page breaks off.
func newPDFDoc() *pdfDoc {
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{f: f, left: pdfMargin, right: pdfPageW - pdfMargin, width: pdfPageW - 2*pdfMargin,
		top: pdfMargin, coverTop: pdfMargin, bottom: pdfPageH - pdfMargin}
	fonts, err := pdfFonts()
	if err != nil {
		f.SetError(err)
		return d
	}
	f.AddUTF8FontFromBytes(pdfFamily, "", fonts[0])
	f.AddUTF8FontFromBytes(pdfFamily, "B", fonts[1])
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(0)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetLang("en-GB")
	f.SetCreator(pdfCreator, true)
	f.SetProducer(pdfCreator, true)
	f.AliasNbPages("{nb}")
	d.font(false, pdfBody)
	return d
}

// setDates fixes the creation and modification dates so that the output
// depends only on the input.
// describe sets the document's dates and properties; the texts are made
// drawable in the report's font, as everything shown is.
func (d *pdfDoc) describe(date time.Time, title, author, subject, keywords string) {
	d.setDates(date)
	d.f.SetTitle(pdfDrawable(title), true)
	d.f.SetAuthor(pdfDrawable(author), true)
	d.f.SetSubject(pdfDrawable(subject), true)
	d.f.SetKeywords(keywords, true)
}

func (d *pdfDoc) setDates(t time.Time) {
	if t.IsZero() {
		return
	}
	d.f.SetCreationDate(t)
	d.f.SetModificationDate(t)
}

func (d *pdfDoc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.f.SetFont(pdfFamily, style, size)
}

func (d *pdfDoc) textColour(c pdfRGB) { d.f.SetTextColor(c.r, c.g, c.b) }
func (d *pdfDoc) drawColour(c pdfRGB) { d.f.SetDrawColor(c.r, c.g, c.b) }
func (d *pdfDoc) fillColour(c pdfRGB) { d.f.SetFillColor(c.r, c.g, c.b) }

func (d *pdfDoc) y() float64 { return d.f.GetY() }

// setY moves down the page, keeping x at the left margin.
func (d *pdfDoc) setY(y float64) { d.f.SetXY(d.left, y) }

// newPage starts a page; the header function draws the running header.
func (d *pdfDoc) newPage() {
	d.f.AddPage()
	if d.noHeader != nil && d.noHeader(d.f.PageNo()) {
		d.setY(d.coverTop)
	} else {
		d.setY(d.top)
	}
}

// pageTop reports whether nothing has been drawn below the header yet.
func (d *pdfDoc) atPageTop() bool {
	top := d.top
	if d.noHeader != nil && d.noHeader(d.f.PageNo()) {
		top = d.coverTop
	}
	return d.y() <= top+0.01
}

// ensure starts a new page unless h millimetres fit above the footer.
func (d *pdfDoc) ensure(h float64) {
	if d.y()+h > d.bottom && !d.atPageTop() {
		d.newPage()
	}
}

// split wraps text to width w in the current font. It returns no lines for
// empty text. Words longer than the width are broken (SplitText does that),
// and explicit line breaks are kept.
func (d *pdfDoc) split(s string, w float64) []string {
	s = pdfClean(s)
	if s == "" {
		return nil
	}
	// A hair narrower than the box, so rounding in the glyph widths can
	// never push a line past its cell.
	limit := w - 0.3
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		flush := func() {
			if d.f.GetStringWidth(line) <= limit {
				lines = append(lines, line)
				return
			}
			// A part with no hyphen left that is still too wide:
			// SplitText breaks it between letters.
			for _, l := range d.f.SplitText(line, limit) {
				lines = append(lines, strings.TrimRight(l, " "))
			}
		}
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		for _, word := range words {
			parts := []string{word}
			if d.f.GetStringWidth(word) > limit {
				parts = hyphenParts(word)
			}
			for i, part := range parts {
				next := part
				if line != "" {
					if i == 0 {
						next = line + " " + part
					} else {
						next = line + part
					}
				}
				if line == "" || d.f.GetStringWidth(next) <= limit {
					line = next
					continue
				}
				flush()
				line = part
			}
		}
		flush()
	}
	return lines
}

// hyphenParts cuts a word after each of its hyphens: "self-development"
// gives "self-" and "development", so a narrow column breaks it there.
func hyphenParts(word string) []string {
	var parts []string
	for {
		i := strings.Index(word, "-")
		if i < 0 || i == len(word)-1 {
			return append(parts, word)
		}
		parts = append(parts, word[:i+1])
		word = word[i+1:]
	}
}

// lineAt draws one line of text in a box of width w at the current font.
func (d *pdfDoc) lineAt(x, y, w, h float64, s, align string) {
	d.f.SetXY(x, y)
	d.f.CellFormat(w, h, pdfDrawable(s), "", 0, align, false, 0, "")
}

// textWidth is the width of s in the current font, as it will be drawn.
func (d *pdfDoc) textWidth(s string) float64 { return d.f.GetStringWidth(pdfDrawable(s)) }

// pdfStyle is the look of a run of text.
type pdfStyle struct {
	bold   bool
	size   float64
	colour pdfRGB
}

var (
	pdfPlain = pdfStyle{false, pdfBody, pdfInk}
	pdfBold  = pdfStyle{true, pdfBody, pdfInk}
	pdfNote  = pdfStyle{false, pdfSmall, pdfMuted}
)

func (d *pdfDoc) style(s pdfStyle) {
	d.font(s.bold, s.size)
	d.textColour(s.colour)
}

// para writes a wrapped paragraph, breaking the page between lines where
// needed, then leaves `after` millimetres of space.
func (d *pdfDoc) para(text string, st pdfStyle, indent, after float64) {
	d.style(st)
	lh := pdfLH(st.size)
	w := d.width - indent
	for _, l := range d.split(text, w) {
		d.ensure(lh)
		d.lineAt(d.left+indent, d.y(), w, lh, l, "L")
		d.setY(d.y() + lh)
	}
	d.setY(d.y() + after)
}

// bullets writes a bulleted list.
func (d *pdfDoc) bullets(items []string, st pdfStyle, after float64) {
	lh := pdfLH(st.size)
	for _, it := range items {
		d.style(st)
		lines := d.split(it, d.width-6)
		// Keep the first two lines of an item together.
		d.ensure(float64(min(len(lines), 2)) * lh)
		for i, l := range lines {
			d.ensure(lh)
			if i == 0 {
				d.lineAt(d.left+1, d.y(), 4, lh, "•", "L")
			}
			d.lineAt(d.left+6, d.y(), d.width-6, lh, l, "L")
			d.setY(d.y() + lh)
		}
		d.setY(d.y() + 1.2)
	}
	d.setY(d.y() + after)
}

var pdfHeadingStyles = [...]pdfStyle{
	1: {true, 18, pdfBlue},
	2: {true, 13.5, pdfBlue},
	3: {true, 11, pdfBlue},
}

// heading writes a heading of level 1 to 3 and keeps it on the same page as
// the next `keep` millimetres of content. When bookmark is not empty an
// outline entry of level bmLevel points at the heading.
func (d *pdfDoc) heading(text string, level int, keep float64, bookmark string, bmLevel int) {
	st := pdfHeadingStyles[level]
	lh := pdfLH(st.size)
	before := [...]float64{0, 2, 4, 3}[level]
	d.style(st)
	lines := d.split(text, d.width)
	d.ensure(before + float64(len(lines))*lh + keep)
	if !d.atPageTop() {
		d.setY(d.y() + before)
	}
	if bookmark != "" {
		d.f.Bookmark(pdfDrawable(bookmark), bmLevel, d.y())
	}
	d.style(st)
	for _, l := range lines {
		d.ensure(lh)
		d.lineAt(d.left, d.y(), d.width, lh, l, "L")
		d.setY(d.y() + lh)
	}
	d.setY(d.y() + [...]float64{0, 3, 2, 1.2}[level])
}

// ragSwatch draws a small outlined square in the RAG colour; the word is
// always written next to it by the caller.
func (d *pdfDoc) ragSwatch(x, y, size float64, c pdfRGB) {
	d.fillColour(c)
	d.drawColour(pdfInk)
	d.f.SetLineWidth(0.2)
	d.f.Rect(x, y, size, size, "FD")
}

// --- tables ---------------------------------------------------------------

type pdfCol struct {
	title string
	w     float64
	align string // "L", "C" or "R"
}

// pdfSpan is a paragraph inside a table cell.
type pdfSpan struct {
	text  string
	bold  bool
	alert bool // drawn in the alert colour; always a word such as "Overdue"
	muted bool
}

// pdfCell is one table cell: paragraphs, an optional RAG swatch before the
// text and an optional background.
type pdfCell struct {
	spans []pdfSpan
	mark  *pdfRGB
}

func pdfText(s string) pdfCell { return pdfCell{spans: []pdfSpan{{text: s}}} }

func pdfBoldText(s string) pdfCell { return pdfCell{spans: []pdfSpan{{text: s, bold: true}}} }

// pdfRAGCell is a RAG word with its swatch.
func pdfRAGCell(rag string) pdfCell {
	c := pdfText(rag)
	if col, ok := pdfRAGColour(rag); ok {
		c.mark = &col
	}
	return c
}

type pdfLine struct {
	text  string
	bold  bool
	alert bool
	muted bool
}

type pdfTable struct {
	cols     []pdfCol
	size     float64 // font size of the body
	noHeader bool
}

const (
	pdfPadX  = 1.4
	pdfPadY  = 1.2
	pdfMarkW = 4.2 // room for a RAG swatch
)

// layout wraps every paragraph of a cell to the column width.
func (d *pdfDoc) layout(c pdfCell, w, size float64) []pdfLine {
	inner := w - 2*pdfPadX
	if c.mark != nil {
		inner -= pdfMarkW
	}
	var out []pdfLine
	for _, sp := range c.spans {
		d.font(sp.bold, size)
		for _, l := range d.split(sp.text, inner) {
			out = append(out, pdfLine{l, sp.bold, sp.alert, sp.muted})
		}
	}
	return out
}

// drawRowPart draws lines [from, from+n) of every cell of a row at the
// current y with borders and backgrounds, then moves below it.
func (d *pdfDoc) drawRowPart(t *pdfTable, cells []pdfCell, lines [][]pdfLine, from, n int, head bool) {
	size := t.size
	lh := pdfLH(size)
	h := 2*pdfPadY + float64(n)*lh
	y := d.y()
	x := d.left
	d.f.SetLineWidth(0.2)
	for i, col := range t.cols {
		var cell pdfCell
		if i < len(cells) {
			cell = cells[i]
		}
		style := "D"
		switch {
		case head:
			d.fillColour(pdfPale)
			style = "FD"
		}
		d.drawColour(pdfRule)
		d.f.Rect(x, y, col.w, h, style)
		tx := x + pdfPadX
		if cell.mark != nil {
			if from == 0 && len(lines[i]) > 0 {
				s := 2.8
				d.ragSwatch(tx, y+pdfPadY+(lh-s)/2, s, *cell.mark)
			}
			tx += pdfMarkW
		}
		tw := col.w - (tx - x) - pdfPadX
		for j := from; j < from+n && j < len(lines[i]); j++ {
			l := lines[i][j]
			d.font(l.bold || head, size)
			switch {
			case l.alert:
				d.textColour(pdfAlert)
			case l.muted:
				d.textColour(pdfMuted)
			default:
				d.textColour(pdfInk)
			}
			d.lineAt(tx, y+pdfPadY+float64(j-from)*lh, tw, lh, l.text, col.align)
		}
		x += col.w
	}
	d.setY(y + h)
}

// pdfSecondLines is the line count of the second longest cell of a row.
func pdfSecondLines(lines [][]pdfLine) int {
	a, b := 0, 0
	for _, l := range lines {
		switch n := len(l); {
		case n > a:
			a, b = n, a
		case n > b:
			b = n
		}
	}
	return b
}

func pdfMaxLines(lines [][]pdfLine) int {
	n := 0
	for _, l := range lines {
		n = max(n, len(l))
	}
	return max(n, 1)
}

// table draws a table. The header row is repeated at the top of every page
// the table reaches. A row that does not fit moves to the next page; a row
// taller than a whole page is split line by line across pages, so nothing
// is ever clipped.
func (d *pdfDoc) table(t *pdfTable, rows [][]pdfCell) {
	lh := pdfLH(t.size)
	var headCells []pdfCell
	var headLines [][]pdfLine
	headH := 0.0
	if !t.noHeader {
		hs := t.size
		for _, c := range t.cols {
			hc := pdfCell{spans: []pdfSpan{{text: c.title, bold: true}}}
			headCells = append(headCells, hc)
			headLines = append(headLines, d.layout(hc, c.w, hs))
		}
		headH = 2*pdfPadY + float64(pdfMaxLines(headLines))*pdfLH(hs)
	}
	drawHead := func() {
		if !t.noHeader {
			d.drawRowPart(t, headCells, headLines, 0, pdfMaxLines(headLines), true)
		}
	}
	layoutRow := func(r []pdfCell) [][]pdfLine {
		ls := make([][]pdfLine, len(t.cols))
		for i, c := range t.cols {
			if i < len(r) {
				ls[i] = d.layout(r[i], c.w, t.size)
			}
		}
		return ls
	}
	var first [][]pdfLine
	if len(rows) > 0 {
		first = layoutRow(rows[0])
	}
	// Keep the header with the first row.
	room := d.bottom - d.top - headH
	firstH := 2*pdfPadY + float64(pdfMaxLines(first))*lh
	if firstH > room/3 {
		// A tall first row may be split (see below): keep with the header
		// what would have to stay together.
		firstH = 2*pdfPadY + float64(min(pdfMaxLines(first), max(8, pdfSecondLines(first))))*lh
	}
	d.ensure(headH + firstH)
	drawHead()
	for ri, r := range rows {
		lines := first
		if ri > 0 {
			lines = layoutRow(r)
		}
		n := pdfMaxLines(lines)
		h := 2*pdfPadY + float64(n)*lh
		if d.y()+h <= d.bottom {
			d.drawRowPart(t, r, lines, 0, n, false)
			continue
		}
		// A row that does not fit moves to the next page, unless it is taller
		// than a page, or it is a tall row of which every cell but the
		// longest fits here: then it is split, and only the longest cell
		// carries on over the page.
		k := int(math.Floor((d.bottom - d.y() - 2*pdfPadY) / lh))
		if h <= room && (h <= room/3 || k < 8 || k < pdfSecondLines(lines)) {
			d.newPage()
			drawHead()
			d.drawRowPart(t, r, lines, 0, n, false)
			continue
		}
		for done := 0; done < n; {
			k := int(math.Floor((d.bottom - d.y() - 2*pdfPadY) / lh))
			fresh := d.y() <= d.top+headH+0.01
			if fresh {
				k = max(k, 1)
			} else if k < 3 {
				d.newPage()
				drawHead()
				continue
			}
			k = min(k, n-done)
			d.drawRowPart(t, r, lines, done, k, false)
			done += k
			if done < n {
				d.newPage()
				drawHead()
			}
		}
	}
}

// footerLines wraps the footer text so that even a very long name stays on
// the page; it returns the lines and the y of the first.
func (d *pdfDoc) footerLines(s string, w float64) ([]string, float64) {
	d.font(false, 8)
	lines := d.split(s, w)
	lh := pdfLH(8)
	return lines, pdfPageH - 11 - float64(len(lines)-1)*lh
}

// pdfChart is a chart of package charts, which draws itself on the page.
type pdfChart interface {
	Size() (w, h float64)
	DrawPDF(p charts.PDF, x, y, w, h float64)
}

// chart places a chart at the cursor across the text width, on a new page
// if it does not fit on this one, and smaller if it would not fit on any.
func (d *pdfDoc) chart(c pdfChart) {
	vw, vh := c.Size()
	h := d.width * vh / vw
	if most := d.bottom - d.top - 4; h > most {
		h = most
	}
	d.ensure(h + 2)
	d.font(false, 9)
	y := d.y()
	c.DrawPDF(charts.PDF{Doc: d.f, Text: pdfDrawable}, d.left, y, d.width, h)
	d.setY(y + h + 2)
}
