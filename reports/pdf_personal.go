package reports

import (
	"io"
	"math"
	"strconv"

	"nhs-digital-maturity/charts"
)

// PersonalPDF writes a member of staff's own skills report: their results
// by domain as a bar chart and a table, their strengths, their priorities
// with learning suggestions, and how the results are worked out. Every page
// says whose it is; every part has a PDF bookmark.
func PersonalPDF(w io.Writer, r PersonalReport) error {
	d := newPDFDoc()
	f := d.f
	d.describe(r.Completed, pdfJoin(" ", "Digital skills results:", r.Name), r.Organisation,
		pdfJoin(" ", "Digital skills self-assessment results for", r.Name), "digital skills, personal results")

	p := &pdfPersonal{d: d, r: r}
	p.setupPage()
	f.SetFooterFunc(p.footer)

	d.newPage()
	p.intro()
	p.chart()
	p.table()
	p.strengths()
	p.priorities()
	p.method()

	if err := f.Error(); err != nil {
		return err
	}
	return f.Output(w)
}

type pdfPersonal struct {
	d *pdfDoc
	r PersonalReport
}

const pdfPageNoW = 32.0 // room for "Page 99 of 99" in the footer

func (p *pdfPersonal) private() string {
	return pdfJoin(" · ", demoMark(p.r.Demo), pdfJoin(" ", "Private to", p.r.Name))
}

func (p *pdfPersonal) setupPage() {
	d := p.d
	_, y := d.footerLines(p.private(), d.width-pdfPageNoW)
	d.bottom = y - 5
}

func (p *pdfPersonal) footer() {
	d, f := p.d, p.d.f
	lines, y := d.footerLines(p.private(), d.width-pdfPageNoW)
	d.drawColour(pdfRule)
	f.SetLineWidth(0.2)
	f.Line(d.left, y-2, d.right, y-2)
	d.font(false, 8)
	d.textColour(pdfMuted)
	lh := pdfLH(8)
	for i, l := range lines {
		d.lineAt(d.left, y+float64(i)*lh, d.width-pdfPageNoW, lh, l, "L")
	}
	last := y + float64(len(lines)-1)*lh
	d.lineAt(d.right-pdfPageNoW, last, pdfPageNoW, lh, "Page "+strconv.Itoa(f.PageNo())+" of {nb}", "R")
}

func (p *pdfPersonal) intro() {
	d, f, r := p.d, p.d.f, p.r
	d.fillColour(pdfBlue)
	f.Rect(d.left, d.y(), d.width, 3, "F")
	d.setY(d.y() + 8)
	d.heading("Your digital skills results", 1, 20, "Your digital skills results", 0)
	d.para(r.Name, pdfStyle{true, 14, pdfInk}, 0, 1)
	d.para(r.Organisation, pdfStyle{false, 11, pdfInk}, 0, 1)
	if !r.Completed.IsZero() {
		d.para("Completed "+pdfDate(r.Completed), pdfStyle{false, 11, pdfMuted}, 0, 1)
	}
	if r.Previous != "" {
		d.para(r.Previous, pdfStyle{false, 10, pdfMuted}, 0, 1)
	}
	d.setY(d.y() + 2)
}

func (p *pdfPersonal) scaleMax() float64 {
	m := float64(p.r.ScaleMax)
	if m <= 0 {
		for _, dm := range p.r.Domains {
			m = math.Max(m, math.Max(dm.Now, dm.Need))
		}
		m = math.Max(1, math.Ceil(m))
	}
	return m
}

// chart is the person's now and need per domain: the page's bar chart,
// with each bar's value named, so that the two bars of a domain are told
// apart without their colours.
func (p *pdfPersonal) chart() {
	d, r := p.d, p.r
	if len(r.Domains) == 0 {
		return
	}
	d.heading("Your skills by domain", 2, 40, "Your skills by domain", 0)
	c := charts.Bars{Title: "Your skills by domain", Max: p.scaleMax(), Series: []charts.Series{
		{Name: "Now: your own rating", Kind: "now", Prefix: "Now"},
		{Name: "Role needs: the level your role needs", Kind: "need", Prefix: "Needs"},
	}}
	for _, dm := range r.Domains {
		c.Categories = append(c.Categories, dm.Label)
		c.Series[0].Values = append(c.Series[0].Values, dm.Now)
		c.Series[1].Values = append(c.Series[1].Values, dm.Need)
	}
	d.chart(c)
	if len(r.ScaleLabels) > 0 {
		key := "Levels: "
		for i, l := range r.ScaleLabels {
			if i > 0 {
				key += " · "
			}
			key += strconv.Itoa(i+1) + " " + l
		}
		d.para(key, pdfNote, 0, 2)
	}
}

func (p *pdfPersonal) table() {
	d, r := p.d, p.r
	if len(r.Domains) == 0 {
		return
	}
	d.heading("Your results in numbers", 2, 20, "Your results in numbers", 0)
	rows := make([][]pdfCell, 0, len(r.Domains))
	for _, dm := range r.Domains {
		rows = append(rows, []pdfCell{pdfText(dm.Label), pdfText(dm.NowText), pdfText(dm.NeedText), pdfText(dm.GapText), pdfText(dm.Change)})
	}
	d.table(&pdfTable{cols: []pdfCol{
		{"Domain", 62, "L"}, {"Now", 20, "C"}, {"Role needs", 22, "C"}, {"Gap", 20, "C"}, {"Change", d.width - 124, "L"},
	}, size: 9}, rows)
}

func (p *pdfPersonal) strengths() {
	d := p.d
	if len(p.r.Strengths) == 0 {
		return
	}
	d.heading("Your strengths", 2, 12, "Your strengths", 0)
	d.bullets(p.r.Strengths, pdfPlain, 1)
}

func (p *pdfPersonal) priorities() {
	d, f, r := p.d, p.d.f, p.r
	if len(r.Priorities) == 0 {
		return
	}
	d.heading("Your priorities", 2, 40, "Your priorities", 0)
	for _, pr := range r.Priorities {
		d.heading(pr.Label, 3, 6*pdfLH(9.5), "", 0)
		if pr.Text != "" {
			d.para(pr.Text, pdfPlain, 0, 1.5)
		}
		if len(pr.Learning) > 0 {
			d.ensure(4 * pdfLH(9.5))
			d.para("Learning suggestions", pdfStyle{true, 9.5, pdfMuted}, 0, 1)
		}
		for _, l := range pr.Learning {
			d.ensure(3 * pdfLH(9.5))
			y := d.y()
			d.font(false, 9.5)
			d.textColour(pdfInk)
			d.lineAt(d.left+1, y, 4, pdfLH(9.5), "•", "L")
			d.para(l.Title, pdfStyle{true, 9.5, pdfInk}, 6, 0.3)
			if l.Summary != "" {
				d.para(l.Summary, pdfStyle{false, 9.5, pdfInk}, 6, 0.3)
			}
			if l.Link != "" {
				lh := pdfLH(9.5)
				f.SetFont(pdfFamily, "U", 9.5)
				d.textColour(pdfBlue)
				w := d.width - 6
				for _, ln := range d.split(l.Link, w) {
					d.ensure(lh)
					f.SetFont(pdfFamily, "U", 9.5)
					d.textColour(pdfBlue)
					y := d.y()
					d.lineAt(d.left+6, y, w, lh, ln, "L")
					f.LinkString(d.left+6, y, d.textWidth(ln), lh, l.Link)
					d.setY(y + lh)
				}
				d.font(false, 9.5)
			}
			d.setY(d.y() + 2)
		}
		d.setY(d.y() + 1)
	}
}

func (p *pdfPersonal) method() {
	d := p.d
	if len(p.r.Method) == 0 {
		return
	}
	d.heading("How your results are worked out", 2, 15, "How your results are worked out", 0)
	for _, m := range p.r.Method {
		d.para(m, pdfStyle{false, 9.5, pdfInk}, 0, 2)
	}
}
