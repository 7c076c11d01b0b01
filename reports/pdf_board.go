package reports

import (
	"io"
	"math"
	"strconv"
	"strings"

	"nhs-digital-maturity/charts"
)

// BoardPDF writes the board report. It returns fpdf's sticky error, if any.
//
// The report is A4 portrait: a cover, the summary for the board, the radar
// chart with its numbers, one part per success measure with its questions,
// the workforce skills page when r.Workforce is not nil, the action plan and
// how the scores are calculated. Every part has a PDF bookmark. All text is
// shown as given and wrapped to fit; nothing is shortened.
func BoardPDF(w io.Writer, r BoardReport) error {
	d := newPDFDoc()
	f := d.f
	d.describe(r.Generated, pdfJoin(" ", "Digital maturity report:", r.Organisation, r.Period), r.Organisation,
		pdfJoin(" ", "Digital maturity self-assessment for the board of", r.Organisation, r.Period), "digital maturity, board report")

	b := &pdfBoard{d: d, r: r}
	b.setupPage()
	d.noHeader = func(page int) bool { return page == 1 }
	f.SetHeaderFuncMode(b.header, false)
	f.SetFooterFunc(b.footer)

	d.newPage()
	f.Bookmark("Cover", 0, 0)
	b.cover()

	d.newPage()
	b.summary()

	d.newPage()
	b.radarPage()

	if r.Trend != nil && len(r.Trend.Periods) > 0 {
		d.newPage()
		b.trend()
	}

	d.newPage()
	b.sections()

	if r.Workforce != nil {
		d.newPage()
		b.workforce()
	}

	d.newPage()
	b.actions()

	b.method()

	if len(r.Evidence) > 0 {
		d.newPage()
		b.evidence()
	}

	if err := f.Error(); err != nil {
		return err
	}
	return f.Output(w)
}

type pdfBoard struct {
	d *pdfDoc
	r BoardReport

	headLeft, headRight []string // the running header, wrapped
	headLH              float64
}

// pdfJoin joins the non-empty parts with sep.
func pdfJoin(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

func (b *pdfBoard) rightHeader() string {
	s := pdfJoin(" ", "Digital maturity report", b.r.Period)
	if b.r.Draft {
		s += " · DRAFT"
	}
	return s
}

func (b *pdfBoard) footerText() string {
	return pdfJoin(" · ", demoMark(b.r.Demo), b.r.ODSCode, b.r.Period, "Page "+strconv.Itoa(b.d.f.PageNo())+" of {nb}")
}

// demoMark is what every page's footer says while the service holds demo data.
func demoMark(demo bool) string {
	if demo {
		return DemoData
	}
	return ""
}

// setupPage wraps the running header and footer once, so that the content
// area leaves room for them however long the organisation's name is.
func (b *pdfBoard) setupPage() {
	d := b.d
	b.headLH = pdfLH(8.5)
	d.font(false, 8.5)
	right := b.rightHeader()
	rw := math.Min(d.textWidth(right)+1, d.width/2)
	b.headRight = d.split(right, rw)
	d.font(true, 8.5)
	b.headLeft = d.split(b.r.Organisation, d.width-rw-6)
	n := max(len(b.headLeft), len(b.headRight), 1)
	d.top = max(pdfMargin+2, 10+float64(n)*b.headLH+1.5+5)
	// The footer text has the same length on every page but for the page
	// number; wrap it with a wide page number to be safe.
	_, y := d.footerLines(pdfJoin(" · ", demoMark(b.r.Demo), b.r.ODSCode, b.r.Period, "Page 999 of 999"), d.width)
	d.bottom = y - 5
}

// header draws the DRAFT watermark on every page and the running header on
// every page but the cover. The watermark is drawn first so that it lies
// beneath the content; it is real text, so it can be found and read.
func (b *pdfBoard) header() {
	d, f := b.d, b.d.f
	if b.r.Draft {
		f.TransformBegin()
		f.TransformRotate(55, pdfPageW/2, pdfPageH/2)
		d.font(true, 110)
		d.textColour(pdfWatermark)
		sw := d.textWidth("DRAFT")
		f.Text(pdfPageW/2-sw/2, pdfPageH/2+110*pdfMM*0.35, "DRAFT")
		f.TransformEnd()
	}
	if f.PageNo() == 1 {
		return
	}
	lh := b.headLH
	d.font(true, 8.5)
	d.textColour(pdfBlue)
	for i, l := range b.headLeft {
		d.lineAt(d.left, 10+float64(i)*lh, d.width, lh, l, "L")
	}
	d.font(false, 8.5)
	d.textColour(pdfInk)
	for i, l := range b.headRight {
		d.lineAt(d.left, 10+float64(i)*lh, d.width, lh, l, "R")
	}
	n := max(len(b.headLeft), len(b.headRight), 1)
	y := 10 + float64(n)*lh + 1.5
	d.drawColour(pdfBlue)
	f.SetLineWidth(0.4)
	f.Line(d.left, y, d.right, y)
}

func (b *pdfBoard) footer() {
	d, f := b.d, b.d.f
	lines, y := d.footerLines(b.footerText(), d.width)
	d.drawColour(pdfRule)
	f.SetLineWidth(0.2)
	f.Line(d.left, y-2, d.right, y-2)
	d.font(false, 8)
	d.textColour(pdfMuted)
	for i, l := range lines {
		d.lineAt(d.left, y+float64(i)*pdfLH(8), d.width, pdfLH(8), l, "C")
	}
}

// --- cover -------------------------------------------------------------------

func (b *pdfBoard) cover() {
	d, f, r := b.d, b.d.f, b.r
	d.fillColour(pdfBlue)
	f.Rect(d.left, d.y(), d.width, 3, "F")
	d.setY(d.y() + 22)
	d.para("Digital maturity report", pdfStyle{true, 16, pdfBlue}, 0, 4)
	d.para(r.Organisation, pdfStyle{true, 28, pdfInk}, 0, 3)
	if r.ODSCode != "" {
		d.para("ODS code "+r.ODSCode, pdfStyle{false, 13, pdfMuted}, 0, 8)
	}
	d.para(r.Period, pdfStyle{true, 24, pdfBlue}, 0, 12)

	framework := pdfJoin(", ", r.FrameworkTitle, pdfJoin(" ", "version", r.FrameworkVersion))
	if r.FrameworkVersion == "" {
		framework = r.FrameworkTitle
	}
	var rows [][]pdfCell
	add := func(label, value string) {
		if value != "" {
			rows = append(rows, []pdfCell{pdfBoldText(label), pdfText(value)})
		}
	}
	add("Status", r.Status)
	add("Signed off", r.SignOff)
	add("Quorum", r.Quorum)
	add("Framework", framework)
	if !r.Generated.IsZero() {
		add("Generated", pdfDate(r.Generated))
	}
	if len(rows) > 0 {
		d.table(&pdfTable{cols: []pdfCol{{"", 40, "L"}, {"", d.width - 40, "L"}}, size: 11, noHeader: true}, rows)
	}
	if r.Draft {
		d.setY(d.y() + 12)
		d.ensure(22)
		y := d.y()
		d.drawColour(pdfInk)
		f.SetLineWidth(0.6)
		f.Rect(d.left, y, d.width, 20, "D")
		d.font(true, 20)
		d.textColour(pdfInk)
		d.lineAt(d.left, y+2, d.width, 10, "DRAFT", "C")
		d.font(false, 10)
		d.lineAt(d.left, y+12, d.width, 6, "This report is a draft and may change before it is final.", "C")
		d.setY(y + 22)
	}
}

// --- summary -----------------------------------------------------------------

func (b *pdfBoard) summary() {
	d, r := b.d, b.r
	d.heading("Summary for the board", 1, 20, "Summary for the board", 0)
	if r.SignOff != "" {
		d.para(r.SignOff+".", pdfBold, 0, 2)
	}
	if len(r.Reopenings) > 0 {
		d.heading("Reopened", 3, 12, "", 0)
		d.bullets(r.Reopenings, pdfPlain, 2)
	}
	if len(r.AskedToNote) > 0 {
		d.heading("The board is asked to note", 3, 12, "", 0)
		d.bullets(r.AskedToNote, pdfPlain, 2)
	}

	d.heading("Overall score", 3, 12, "", 0)
	if r.OverallScore == "" {
		d.para("No overall score yet: nothing has been agreed.", pdfPlain, 0, 2)
	} else {
		score := r.OverallScore
		if r.ScaleMax != "" {
			score += " out of " + r.ScaleMax
		}
		d.font(true, 16)
		lh := pdfLH(16)
		lines := d.split(score, d.width*0.6)
		d.ensure(float64(len(lines)) * lh)
		y := d.y()
		x := d.left
		for i, l := range lines {
			d.textColour(pdfInk)
			d.lineAt(d.left, y+float64(i)*lh, d.width*0.6, lh, l, "L")
			x = math.Max(x, d.left+d.textWidth(l))
		}
		if r.OverallRAG != "" {
			x += 5
			if c, ok := pdfRAGColour(r.OverallRAG); ok {
				d.ragSwatch(x, y+(lh-4)/2, 4, c)
				x += 6
			}
			d.font(true, 13)
			d.textColour(pdfInk)
			w := d.right - x
			for i, l := range d.split(r.OverallRAG, w) {
				d.lineAt(x, y+float64(i)*lh, w, lh, l, "L")
			}
		}
		d.setY(y + float64(len(lines))*lh + 2)
	}
	if r.Change != "" {
		d.heading("Change since the last cycle", 3, 8, "", 0)
		d.para(r.Change, pdfPlain, 0, 1)
	}
	if r.Benchmark != "" {
		d.heading("Compared with similar organisations", 3, 8, "", 0)
		d.para(r.Benchmark, pdfPlain, 0, 1)
	}
	lineTable := func(title string, lines []SectionLine) {
		if len(lines) == 0 {
			return
		}
		d.heading(title, 3, 14, "", 0)
		rows := make([][]pdfCell, 0, len(lines))
		for _, l := range lines {
			rows = append(rows, []pdfCell{pdfText(l.Label), pdfText(l.Score), pdfRAGCell(l.RAG)})
		}
		d.table(&pdfTable{cols: []pdfCol{{"Success measure", d.width - 64, "L"}, {"Score", 26, "L"}, {"Rating", 38, "L"}}, size: 9.5}, rows)
	}
	lineTable("Strongest success measures", r.Strongest)
	lineTable("Weakest success measures", r.Weakest)
}

// --- radar chart -------------------------------------------------------------

// radarChart is the report's radar chart: the results page's chart
// description, as the report was given it.
func (b *pdfBoard) radarChart() charts.Radar {
	chart := b.r.Radar
	if chart.Max <= 0 {
		chart.Max = 5
	}
	return chart
}

// pdfTick formats a scale value without a needless ".0".
func pdfTick(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func pdfNum(v float64) string {
	if v < 0 || math.IsNaN(v) {
		return "None"
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func (b *pdfBoard) radarPage() {
	d := b.d
	d.heading("Maturity by success measure", 1, 60, "Maturity by success measure", 0)
	chart := b.radarChart()
	intro := "Each spoke is one success measure, scored from 0 at the centre to " + pdfTick(chart.Max) +
		" at the outer ring. The lines are told apart by their style as well as their colour; the table below gives the numbers."
	d.para(intro, pdfPlain, 0, 3)
	if len(chart.Axes) >= 3 {
		d.chart(chart)
	} else {
		d.para("The chart needs at least three success measures, so only the table is shown.", pdfNote, 0, 3)
	}

	cols := []pdfCol{{"Success measure", 0, "L"}}
	nw := 25.0
	for _, s := range chart.Series {
		cols = append(cols, pdfCol{s.Name, nw, "C"})
	}
	cols[0].w = d.width - nw*float64(len(chart.Series))
	var rows [][]pdfCell
	for i, a := range chart.Axes {
		row := []pdfCell{pdfText(a)}
		for _, s := range chart.Series {
			v := -1.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			row = append(row, pdfText(pdfNum(v)))
		}
		rows = append(rows, row)
	}
	d.heading("The numbers behind the chart", 3, 14, "", 0)
	d.table(&pdfTable{cols: cols, size: pdfSmall}, rows)
}

// --- success measures ----------------------------------------------------------

// pdfScoreLine is the one line summary of a success measure.
func pdfScoreLine(s SectionBlock) string {
	none := func(v string) bool { return v == "" || strings.EqualFold(v, "None") }
	score := s.Score
	switch {
	case s.Score == "":
		score = "No score"
	case s.Score[0] >= '0' && s.Score[0] <= '9':
		score = "Score " + s.Score
	}
	if s.RAG != "" && !strings.EqualFold(s.RAG, s.Score) {
		score += " (" + s.RAG + ")"
	}
	parts := []string{score}
	if none(s.Target) {
		parts = append(parts, "No target set")
	} else {
		parts = append(parts, "Target "+s.Target)
		if none(s.Gap) {
			parts = append(parts, "Gap: none")
		} else {
			parts = append(parts, "Gap "+s.Gap)
		}
	}
	if none(s.Change) {
		parts = append(parts, "Change: none")
	} else {
		parts = append(parts, "Change "+s.Change)
	}
	if s.Respondents != "" {
		parts = append(parts, "Board members who answered: "+s.Respondents)
	}
	if s.Peer != "" {
		if strings.HasPrefix(s.Peer, "median") {
			parts = append(parts, "Similar organisations "+s.Peer)
		} else {
			parts = append(parts, "Similar organisations: "+s.Peer)
		}
	}
	return strings.Join(parts, " · ")
}

func (b *pdfBoard) sections() {
	d, r := b.d, b.r
	d.heading("Success measures", 1, 40, "Success measures", 0)
	d.para("For each success measure: the agreed level for each question, the spread of board members' own answers, "+
		"and an extract of the evidence. \"Differs\" marks a question where members' answers are two or more levels apart.", pdfPlain, 0, 2)
	cols := []pdfCol{
		{"Question", 50, "L"},
		{"Agreed", 22, "L"},
		{"Board members' answers", 36, "L"},
		{"Evidence (extract)", d.width - 108, "L"},
	}
	for i, s := range r.Sections {
		if i > 0 {
			d.setY(d.y() + 4)
		}
		d.heading(s.Label, 2, 36, s.Label, 1)
		line := pdfScoreLine(s)
		d.para(line, pdfBold, 0, 2.5)
		if len(s.Questions) == 0 {
			d.para("No questions in this success measure.", pdfNote, 0, 2)
			continue
		}
		rows := make([][]pdfCell, 0, len(s.Questions))
		for _, q := range s.Questions {
			spread := pdfCell{spans: []pdfSpan{{text: q.Spread}}}
			if q.Flagged {
				spread.spans = append(spread.spans, pdfSpan{text: "Differs: 2 or more levels apart", bold: true, alert: true})
			}
			ev := pdfText(q.Evidence)
			if strings.TrimSpace(q.Evidence) == "" {
				ev = pdfCell{spans: []pdfSpan{{text: "None recorded", muted: true}}}
			}
			rows = append(rows, []pdfCell{pdfText(q.Title), pdfBoldText(q.Agreed), spread, ev})
		}
		d.table(&pdfTable{cols: cols, size: pdfSmall}, rows)
	}
}

// --- workforce ---------------------------------------------------------------

func (b *pdfBoard) workforce() {
	d, wf := b.d, b.r.Workforce
	d.heading("Workforce digital skills", 1, 30, "Workforce digital skills", 0)
	if len(wf.Participation) > 0 {
		d.heading("Who took part", 3, 12, "", 0)
		rows := make([][]pdfCell, 0, len(wf.Participation))
		for _, p := range wf.Participation {
			rows = append(rows, []pdfCell{pdfText(p.Label), pdfBoldText(p.Value)})
		}
		d.table(&pdfTable{cols: []pdfCol{{"", 80, "L"}, {"", 40, "R"}}, size: 9.5, noHeader: true}, rows)
	}
	if len(wf.Domains) > 0 {
		title := "Skills by domain (means)"
		if wf.ScaleMax != "" {
			title = "Skills by domain (means on a scale up to " + wf.ScaleMax + ")"
		}
		d.heading(title, 3, 14, "", 0)
		rows := make([][]pdfCell, 0, len(wf.Domains))
		for _, dm := range wf.Domains {
			rows = append(rows, []pdfCell{pdfText(dm.Label), pdfText(dm.Now), pdfText(dm.Need), pdfText(dm.Gap)})
		}
		d.table(&pdfTable{cols: []pdfCol{{"Domain", d.width - 3*28, "L"}, {"Now", 28, "C"}, {"Role needs", 28, "C"}, {"Gap", 28, "C"}}, size: 9}, rows)
	}
	if len(wf.Heatmap.Header) > 0 || len(wf.Heatmap.Rows) > 0 {
		b.heatmap(wf)
	}
	if wf.BoardView != "" || wf.WorkforceView != "" {
		d.heading("The board's view and the workforce's view", 3, 12, "", 0)
		if wf.BoardView != "" {
			d.para("The board", pdfBold, 0, 0.5)
			d.para(wf.BoardView, pdfPlain, 0, 2)
		}
		if wf.WorkforceView != "" {
			d.para("The workforce", pdfBold, 0, 0.5)
			d.para(wf.WorkforceView, pdfPlain, 0, 2)
		}
	}
	if wf.Note != "" {
		d.setY(d.y() + 1)
		d.para(wf.Note, pdfNote, 0, 2)
	}
}

// heatmap draws the workforce page's heatmap as vectors: the same cells,
// shaded in the same shades, with every figure written.
func (b *pdfBoard) heatmap(wf *Workforce) {
	d := b.d
	title := wf.Heatmap.Caption
	if title == "" {
		title = "By staff group"
	}
	d.heading(title, 3, 20, "", 0)
	d.chart(wf.Heatmap)
	d.setY(d.y() + 1.5)
	d.para("Darker shading marks a larger gap; \"Hidden\" marks a group too small to show.", pdfNote, 0, 2)
}

// --- action plan and method ------------------------------------------------------

func (b *pdfBoard) actions() {
	d, r := b.d, b.r
	d.heading("Action plan", 1, 25, "Action plan", 0)
	if len(r.Actions) == 0 {
		d.para("No actions have been recorded.", pdfPlain, 0, 2)
		return
	}
	cols := []pdfCol{
		{"Action", d.width - 110, "L"},
		{"Success measure", 38, "L"},
		{"Owner", 28, "L"},
		{"Due", 22, "L"},
		{"Status", 22, "L"},
	}
	rows := make([][]pdfCell, 0, len(r.Actions))
	for _, a := range r.Actions {
		st := pdfText(a.Status)
		if a.Overdue {
			st.spans = append(st.spans, pdfSpan{text: "Overdue", bold: true, alert: true})
		}
		rows = append(rows, []pdfCell{pdfText(a.Title), pdfText(a.Section), pdfText(a.Owner), pdfText(a.Due), st})
	}
	d.table(&pdfTable{cols: cols, size: pdfSmall}, rows)
}

func (b *pdfBoard) method() {
	d, r := b.d, b.r
	d.setY(d.y() + 4)
	d.heading("How the scores are calculated", 1, 25, "How the scores are calculated", 0)
	for _, p := range r.Method {
		d.para(p, pdfPlain, 0, 2.5)
	}
}

// --- trend and evidence ----------------------------------------------------------

// trend is the table of every cycle's scores, with one small line chart
// per row drawn as vectors; the table has the numbers.
func (b *pdfBoard) trend() {
	d, t := b.d, b.r.Trend
	d.heading("Trend across cycles", 1, 60, "Trend across cycles", 0)
	d.para("Every submitted cycle, from the scores stored at submission. A cycle in progress is marked as a draft and shows "+
		"only its fully agreed success measures. Each chart runs from 0 to 5; an open circle marks a draft.", pdfPlain, 0, 3)

	// Small multiples: three across.
	const across, gap = 3, 6.0
	cw := (d.width - gap*(across-1)) / across
	// As high as a line chart drawn cw wide.
	vw, vh := charts.Line{}.Size()
	ch := cw * vh / vw
	// Each row of charts starts at rowY: drawing text moves the cursor.
	rowY := d.y()
	for i, line := range t.Charts {
		if i%across == 0 {
			if i > 0 {
				rowY += ch + 4
			}
			d.setY(rowY)
			d.ensure(ch + 4)
			rowY = d.y()
		}
		x := d.left + float64(i%across)*(cw+gap)
		b.d.font(false, 7)
		line.DrawPDF(charts.PDF{Doc: b.d.f, Text: pdfDrawable}, x, rowY, cw, ch)
	}
	d.setY(rowY + ch + 6)

	cols := []pdfCol{{"Success measure", 0, "L"}}
	nw := math.Min(24, (d.width-50)/float64(max(len(t.Periods), 1)))
	for _, p := range t.Periods {
		cols = append(cols, pdfCol{p, nw, "C"})
	}
	cols[0].w = d.width - nw*float64(len(t.Periods))
	var rows [][]pdfCell
	for _, row := range t.Rows {
		cells := []pdfCell{pdfText(row.Label)}
		for _, v := range row.Values {
			cells = append(cells, pdfText(pdfNum(v)))
		}
		rows = append(rows, cells)
	}
	d.heading("The numbers behind the charts", 3, 14, "", 0)
	d.table(&pdfTable{cols: cols, size: pdfSmall}, rows)
}

// evidence is the appendix listing the evidence documents by name.
func (b *pdfBoard) evidence() {
	d, r := b.d, b.r
	d.heading("Appendix: evidence documents", 1, 25, "Appendix: evidence documents", 0)
	d.para("Documents board members attached to their answers. They are kept in the service and can be downloaded there by the digital lead, administrators and the cycle's board members.", pdfPlain, 0, 2)
	cols := []pdfCol{{"Document", d.width - 100, "L"}, {"Question", 50, "L"}, {"From", 32, "L"}, {"Size", 18, "R"}}
	rows := make([][]pdfCell, 0, len(r.Evidence))
	for _, e := range r.Evidence {
		rows = append(rows, []pdfCell{pdfText(e.FileName), pdfText(e.Question), pdfText(e.By), pdfText(e.Size)})
	}
	d.table(&pdfTable{cols: cols, size: pdfSmall}, rows)
}
