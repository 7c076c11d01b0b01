package reports

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"

	"nhs-digital-maturity/charts"
)

// --- fixtures ------------------------------------------------------------------

var pdfTestSectionLabels = []string{
	"Well led", "Ensure smart foundations", "Safe practice", "Support people",
	"Empower citizens", "Improve care", "Healthy populations",
}

var pdfTestStems = []string{
	"Does the board have a digital strategy that is owned by a named executive and reviewed every year?",
	"Are clinical and care staff involved in choosing, designing and testing the digital systems they use?",
	"Is there a funded plan to replace unsupported infrastructure and end-of-life devices?",
	"Are cyber security risks reported to the board and tested by an independent assessor?",
	"Can people see their own records and book or change appointments online?",
	"Is data from digital systems used routinely to improve the quality and safety of care?",
	"Do staff have the time and training to use digital tools well in their day-to-day work?",
}

// pdfTestBoard is a realistic board report: 7 success measures of 6
// questions, previous, target and peer series, a workforce page with hidden
// cells and 5 actions of which one is overdue.
func pdfTestBoard() BoardReport {
	scores := []string{"3.2", "2.4", "3.8", "2.1", "2.6", "3.4", "1.9"}
	rags := []string{"Amber", "Amber", "Green", "Red", "Amber", "Amber", "Red"}
	targets := []string{"4", "3", "4", "3", "None", "4", "3"}
	gaps := []string{"0.8", "0.6", "0.2", "0.9", "None", "0.6", "1.1"}
	changes := []string{"up 0.3", "down 0.2", "up 0.5", "None", "up 0.1", "no change", "up 0.4"}
	peers := []string{"median 2.8 (2.5 to 3.0)", "median 2.6 (2.2 to 2.9)", "median 3.1 (2.7 to 3.5)",
		"Not enough to compare", "median 2.4 (2.0 to 2.8)", "median 3.0 (2.6 to 3.3)", "median 2.2 (1.8 to 2.6)"}
	r := BoardReport{
		Organisation:     "Northshire Community Health NHS Trust",
		ODSCode:          "RX1",
		Period:           "2026/27",
		Status:           "Submitted",
		Generated:        time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC),
		FrameworkTitle:   "What Good Looks Like",
		FrameworkVersion: "2.1",
		AskedToNote: []string{
			"The trust's overall digital maturity is 2.9 out of 5, up 0.8 since 2025/26.",
			"Support people and Healthy populations are below the target the board set in March 2026.",
			"Board members' answers differ by two or more levels on 4 questions; the agreed levels are shown with each.",
		},
		OverallScore: "2.9",
		OverallRAG:   "Amber",
		ScaleMax:     "5",
		Change:       "up 0.8 since 2025/26 (2.1)",
		Benchmark:    "Similar community trusts have a median of 2.7 (2.3 to 3.1); this trust is in the middle half.",
		Strongest:    []SectionLine{{"Safe practice", "3.8", "Green"}, {"Improve care", "3.4", "Amber"}},
		Weakest:      []SectionLine{{"Healthy populations", "1.9", "Red"}, {"Support people", "2.1", "Red"}, {"Ensure smart foundations", "2.4", "Amber"}},
		Radar: charts.Radar{
			Axes: pdfTestSectionLabels,
			Max:  5,
			Series: []charts.Series{
				{Name: "This cycle (2026/27)", Kind: "current", Values: []float64{3.2, 2.4, 3.8, 2.1, 2.6, 3.4, 1.9}},
				{Name: "Last cycle (2025/26)", Kind: "previous", Values: []float64{2.9, 2.6, 3.3, -1, 2.5, 3.4, 1.5}},
				{Name: "Target", Kind: "target", Values: []float64{4, 3, 4, 3, -1, 4, 3}},
				{Name: "Similar organisations (median)", Kind: "peer", Values: []float64{2.8, 2.6, 3.1, -1, 2.4, 3.0, 2.2}},
			},
		},
		Workforce: &Workforce{
			Participation: []LabelValue{{"Invited", "1,210"}, {"Completed", "294"}, {"Response rate", "24%"}, {"Staff groups shown", "5 of 7"}},
			ScaleMax:      "4",
			Domains: []DomainLine{
				{"Digital foundations", "2.9", "3.1", "0.2"},
				{"Data and information", "2.1", "2.8", "0.7"},
				{"Communication and collaboration", "3.0", "3.0", "0.0"},
				{"Cyber security and safety", "2.4", "3.2", "0.8"},
				{"Using clinical systems", "2.6", "3.4", "0.8"},
			},
			Heatmap: pdfTestHeatmap("Mean gap by staff group",
				[]string{"Staff group", "People", "Digital foundations", "Data and information", "Communication and collaboration", "Cyber security and safety", "Using clinical systems"},
				[][]string{
					{"Nursing and midwifery", "112", "0.3", "0.9", "0.1", "1.0", "1.2"},
					{"Medical and dental", "48", "0.1", "0.6", "0.0", "0.7", "0.5"},
					{"Allied health professionals", "61", "0.2", "0.8", "0.1", "0.9", "0.7"},
					{"Administrative and clerical", "66", "0.1", "0.4", "0.0", "0.6", "0.4"},
					{"Estates and facilities", "4", "Hidden", "Hidden", "Hidden", "Hidden", "Hidden"},
					{"Healthcare scientists", "3", "Hidden", "Hidden", "Hidden", "Hidden", "Hidden"},
				}),
			BoardView:     "The board rated Support people at 2.1, below the target of 3.",
			WorkforceView: "Staff rated their own skills 0.6 below what their roles need, the largest gap being in cyber security and safety.",
			Note:          "Groups of fewer than 5 people are hidden so that no one can be identified.",
		},
		Actions: []ActionLine{
			{"Publish a refreshed digital strategy with clinical leads", "Well led", "Chief Digital Officer", "31 March 2027", "In progress", false},
			{"Replace the remaining 340 Windows 10 laptops", "Ensure smart foundations", "Head of IT", "30 September 2026", "In progress", true},
			{"Run a phishing simulation across all staff groups", "Safe practice", "Cyber Security Lead", "31 January 2027", "Not started", false},
			{"Fund protected time for digital skills training on every ward", "Support people", "Director of Nursing", "30 June 2027", "Agreed", false},
			{"Launch online appointment booking for community clinics", "Empower citizens", "Head of Outpatients", "No date", "Not started", false},
		},
		Method: []string{
			"Each question is answered by every board member on its own; the digital lead then agrees one level per question with the board, using the evidence recorded.",
			"A success measure's score is the mean of its agreed levels, leaving out questions that are not applicable. The overall score is the mean of the success measure scores.",
			"Comparisons with similar organisations use the median and middle half of trusts of the same type that submitted this cycle; fewer than 5 gives no comparison.",
			"Framework: What Good Looks Like, version 2.1.",
		},
	}
	agreed := []string{"Level 3", "Level 2", "Level 4", "Not applicable", "Level 3", "Not agreed"}
	for i, label := range pdfTestSectionLabels {
		s := SectionBlock{Label: label, Score: scores[i], RAG: rags[i], Target: targets[i], Gap: gaps[i], Change: changes[i], Peer: peers[i]}
		for q := range 6 {
			lo := 1 + (i+q)%3
			hi := lo + (q % 3)
			s.Questions = append(s.Questions, QuestionLine{
				Title:    fmt.Sprintf("%s %d.%d: %s", strings.Fields(label)[0], i+1, q+1, pdfTestStems[(i+q)%len(pdfTestStems)]),
				Agreed:   agreed[(i+q)%len(agreed)],
				Spread:   fmt.Sprintf("members %d to %d, mean %d.%d", lo, hi, lo, 3+q),
				Flagged:  hi-lo >= 2,
				Evidence: fmt.Sprintf("Board paper %d/%d of May 2026 sets out the plan; the digital lead notes that progress on item %d is reported quarterly to the audit committee.", i+1, q+1, q+1),
			})
		}
		r.Sections = append(r.Sections, s)
	}
	return r
}

func pdfTestPersonal() PersonalReport {
	return PersonalReport{
		Name:         "Priya Shah",
		Organisation: "Northshire Community Health NHS Trust",
		Completed:    time.Date(2026, 10, 2, 9, 30, 0, 0, time.UTC),
		ScaleMax:     4,
		ScaleLabels:  []string{"Aware", "Working", "Confident", "Expert"},
		Domains: []PersonalDomain{
			{"Digital foundations", 3, 3, "3.0", "3.0", "0.0", "up 0.5"},
			{"Data and information", 1.5, 3.5, "1.5", "3.5", "2.0", "no change"},
			{"Communication and collaboration", 3.5, 3, "3.5", "3.0", "none", "up 1.0"},
			{"Cyber security and safety", 2, 3.5, "2.0", "3.5", "1.5", "down 0.5"},
			{"Using clinical systems", 2.5, 4, "2.5", "4.0", "1.5", "first time"},
		},
		Strengths: []string{
			"You are confident working with colleagues online and already meet what your role needs.",
			"Your digital foundations meet what your role needs.",
		},
		Priorities: []PersonalPriority{
			{"Data and information", "Now 1.5, role needs 3.5: a gap of 2.0.", []Learning{
				{"Introduction to data quality", "A one hour online course on recording data so that it can be trusted and used.", "https://learning.example.nhs.uk/courses/data-quality"},
				{"Using dashboards in your team", "Short videos on reading and acting on team dashboards.", ""},
			}},
			{"Cyber security and safety", "Now 2.0, role needs 3.5: a gap of 1.5.", []Learning{
				{"Data Security Awareness", "The annual mandatory training, with a new module on phishing.", "https://learning.example.nhs.uk/courses/dsa"},
			}},
		},
		Previous: "Compared with your attempt of 3 March 2026",
		Method: []string{
			"Now is your own rating of your skills. Role needs is the level set for your job role by your organisation. The gap is role needs minus now, and only shown when it is above zero.",
		},
	}
}

// --- poppler helpers -------------------------------------------------------------

func pdftNeedPoppler(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required in CI (Debian package poppler-utils): %v", tool, err)
			}
			t.Skipf("%s not found (install Debian package poppler-utils); skipping", tool)
		}
	}
}

// pdftWrite renders into a temporary file and returns its path and bytes.
func pdftWrite(t *testing.T, render func(io.Writer) error) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output is not a PDF")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, buf.Bytes()
}

func pdftTool(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", tool, args, err)
	}
	return string(out)
}

// pdftRaw extracts the text in content stream order (-raw), so that the
// lines of one table cell come out together.
func pdftRaw(t *testing.T, path string) string {
	return pdftTool(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-")
}

// pdftFlow is the normalised text of the whole document with the running
// header and footer taken off every page, so that a paragraph or a cell
// that continues on the next page reads on without a break. head and foot
// give the furniture of page p.
func pdftFlow(raw string, furniture func(p int) (head, foot string)) string {
	pages := strings.Split(raw, "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	var b strings.Builder
	for i, pg := range pages {
		n := pdftNorm(pg)
		head, foot := furniture(i + 1)
		n = strings.TrimPrefix(n, pdftNorm(head))
		n = strings.TrimSuffix(n, pdftNorm(foot))
		// The header row of a table carried over from the previous page.
		for _, h := range pdftTableHeads {
			n = strings.TrimPrefix(n, pdftNorm(h))
		}
		b.WriteString(n)
	}
	return b.String()
}

var pdftTableHeads = []string{
	"Question Agreed Board members' answers Evidence (extract)",
	"Action Success measure Owner Due Status",
}

// pdftBoardFlow is pdftFlow for a board report.
func pdftBoardFlow(t *testing.T, path string, r BoardReport) string {
	pages := pdftPages(t, path)
	return pdftFlow(pdftRaw(t, path), func(p int) (string, string) {
		foot := fmt.Sprintf("%s · %s · Page %d of %d", r.ODSCode, r.Period, p, pages)
		if p == 1 {
			return "", foot
		}
		return r.Organisation + " Digital maturity report " + r.Period, foot
	})
}

func pdftPages(t *testing.T, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(pdftTool(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo reports no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func pdftPage(t *testing.T, path string, page int) string {
	p := strconv.Itoa(page)
	return pdftTool(t, "pdftotext", "-f", p, "-l", p, "-layout", "-enc", "UTF-8", path, "-")
}

// pdftNorm removes all whitespace and hyphens, so that text wrapped across
// lines (and words broken at a line end) compares equal to the input.
func pdftNorm(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '-' || r == '\u00ad' || r == '\u2010' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// pdftContains reports every string that is missing from the text, after
// normalising both.
func pdftContains(t *testing.T, text string, want []string) {
	t.Helper()
	hay := pdftNorm(text)
	missing := 0
	for _, w := range want {
		if n := pdftNorm(w); n != "" && !strings.Contains(hay, n) {
			missing++
			if missing <= 15 {
				t.Errorf("extracted text lacks %q", pdfShort(w))
			}
		}
	}
	if missing > 15 {
		t.Errorf("... and %d more strings missing", missing-15)
	}
}

func pdfShort(s string) string {
	if len(s) > 90 {
		return s[:90] + "..."
	}
	return s
}

type pdfOutline struct {
	obj, parent int
	title       string
}

// outlines reads the bookmarks: fpdf writes outline objects uncompressed as
// "N 0 obj\n<</Title (...)\n/Parent M 0 R ... /Dest [...]".
func pdftOutlines(t *testing.T, pdf []byte) []pdfOutline {
	t.Helper()
	var out []pdfOutline
	re := regexp.MustCompile(`(\d+) 0 obj\s*<</Title \(`)
	for _, m := range re.FindAllSubmatchIndex(pdf, -1) {
		obj, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		// Read the literal string up to its unescaped closing parenthesis.
		var raw []byte
		i := m[1]
		for ; i < len(pdf) && pdf[i] != ')'; i++ {
			c := pdf[i]
			if c == '\\' && i+1 < len(pdf) {
				i++
				switch pdf[i] {
				case 'r':
					c = '\r'
				case 'n':
					c = '\n'
				default:
					c = pdf[i]
				}
			}
			raw = append(raw, c)
		}
		rest := string(pdf[i:min(i+300, len(pdf))])
		if end := strings.Index(rest, "endobj"); end >= 0 {
			rest = rest[:end]
		}
		if !strings.Contains(rest, "/Dest [") {
			continue // the document information dictionary
		}
		pm := regexp.MustCompile(`/Parent (\d+) 0 R`).FindStringSubmatch(rest)
		if pm == nil {
			t.Fatalf("outline object %d has no parent", obj)
		}
		parent, _ := strconv.Atoi(pm[1])
		title := string(raw)
		if len(raw) >= 2 && raw[0] == 0xFE && raw[1] == 0xFF {
			u := make([]uint16, 0, len(raw)/2)
			for j := 2; j+1 < len(raw); j += 2 {
				u = append(u, uint16(raw[j])<<8|uint16(raw[j+1]))
			}
			title = string(utf16.Decode(u))
		}
		out = append(out, pdfOutline{obj, parent, title})
	}
	return out
}

// --- board report ----------------------------------------------------------------

func pdftBoardBookmarks(r BoardReport) []string {
	want := []string{"Cover", "Summary for the board", "Maturity by success measure", "Success measures"}
	for _, s := range r.Sections {
		want = append(want, s.Label)
	}
	if r.Workforce != nil {
		want = append(want, "Workforce digital skills")
	}
	return append(want, "Action plan", "How the scores are calculated")
}

// pdfTestHeatmap is a heatmap of the figures as shown: a figure that
// reads as a number is shaded, any other ("Hidden") is not.
func pdfTestHeatmap(caption string, header []string, rows [][]string) charts.Heatmap {
	m := charts.Heatmap{Caption: caption, Header: header}
	cell := func(s string) charts.HeatCell {
		v, err := strconv.ParseFloat(s, 64)
		return charts.HeatCell{Value: v, Label: s, Shown: err == nil}
	}
	for _, r := range rows {
		row := charts.HeatRow{Label: r[0], Count: cell(r[1])}
		for _, s := range r[2:] {
			row.Cells = append(row.Cells, cell(s))
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// pdftBoardStrings lists every string of the report that must be printed.
func pdftBoardStrings(r BoardReport) []string {
	want := []string{r.Organisation, r.ODSCode, r.Period, r.Status, r.FrameworkTitle, r.FrameworkVersion,
		r.OverallRAG, r.Change, r.Benchmark}
	if r.OverallScore != "" {
		want = append(want, r.OverallScore+" out of "+r.ScaleMax)
	}
	want = append(want, r.AskedToNote...)
	want = append(want, r.Method...)
	for _, l := range append(append([]SectionLine{}, r.Strongest...), r.Weakest...) {
		want = append(want, l.Label, l.Score, l.RAG)
	}
	want = append(want, r.Radar.Axes...)
	for _, s := range r.Sections {
		want = append(want, s.Label, s.Score, s.RAG, s.Target, s.Gap, s.Change, s.Peer)
		for _, q := range s.Questions {
			want = append(want, q.Title, q.Agreed, q.Spread, q.Evidence)
		}
	}
	if w := r.Workforce; w != nil {
		for _, p := range w.Participation {
			want = append(want, p.Label, p.Value)
		}
		for _, d := range w.Domains {
			want = append(want, d.Label, d.Now, d.Need, d.Gap)
		}
		want = append(want, w.Heatmap.Caption, w.BoardView, w.WorkforceView, w.Note)
		want = append(want, w.Heatmap.Header...)
		for _, row := range w.Heatmap.Rows {
			want = append(want, row.Label, row.Count.Label)
			for _, c := range row.Cells {
				want = append(want, c.Label)
			}
		}
	}
	for _, a := range r.Actions {
		want = append(want, a.Title, a.Section, a.Owner, a.Due, a.Status)
	}
	return want
}

func TestBoardPDFContent(t *testing.T) {
	pdftNeedPoppler(t)
	r := pdfTestBoard()
	path, pdf := pdftWrite(t, func(w io.Writer) error { return BoardPDF(w, r) })

	info := pdftTool(t, "pdfinfo", path)
	for _, w := range []string{
		"Title:           Digital maturity report: Northshire Community Health NHS Trust 2026/27",
		"Author:          Northshire Community Health NHS Trust",
		"Creator:         Digital maturity and skills assessment",
		"pts (A4)",
	} {
		if !strings.Contains(info, w) {
			t.Errorf("pdfinfo lacks %q:\n%s", w, info)
		}
	}
	pages := pdftPages(t, path)
	if pages < 8 || pages > 16 {
		t.Errorf("realistic report has %d pages, want 8 to 16", pages)
	}
	t.Logf("realistic board report: %d pages, %d bytes", pages, len(pdf))

	raw := pdftRaw(t, path)
	flow := pdftBoardFlow(t, path, r)
	pdftContains(t, flow, pdftBoardStrings(r))
	// The section lines as the board reads them.
	pdftContains(t, flow, []string{
		"Score 3.2 (Amber) · Target 4 · Gap 0.8 · Change up 0.3 · Similar organisations median 2.8 (2.5 to 3.0)",
		"Score 2.1 (Red) · Target 3 · Gap 0.9 · Change: none · Similar organisations: Not enough to compare",
		"Score 2.6 (Amber) · No target set · Change up 0.1",
		"2.9 out of 5", "Generated", "24 November 2026", "version 2.1",
		"The board is asked to note", "Strongest success measures", "Weakest success measures",
	})
	// "Hidden" cells stay "Hidden": 10 cells plus the key under the table.
	if n := strings.Count(raw, "Hidden"); n != 11 {
		t.Errorf(`"Hidden" appears %d times, want 11`, n)
	}
	if n := strings.Count(raw, "Overdue"); n != 1 {
		t.Errorf(`"Overdue" appears %d times, want 1 (one overdue action)`, n)
	}
	flagged := 0
	for _, s := range r.Sections {
		for _, q := range s.Questions {
			if q.Flagged {
				flagged++
			}
		}
	}
	if n := strings.Count(raw, "Differs:"); n != flagged {
		t.Errorf(`"Differs:" appears %d times, want %d`, n, flagged)
	}
	// Radar numbers table: the missing previous value is "None".
	pdftContains(t, flow, []string{"Last cycle (2025/26)", "Similar organisations (median)", "3.8 3.3 4.0 3.1"})

	// Layout mode: running header and footer on every page, none on the cover.
	for p := 1; p <= pages; p++ {
		txt := pdftPage(t, path, p)
		foot := fmt.Sprintf("RX1 · 2026/27 · Page %d of %d", p, pages)
		if !strings.Contains(txt, foot) {
			t.Errorf("page %d lacks footer %q", p, foot)
		}
		hasHeader := strings.Contains(txt, "Digital maturity report 2026/27")
		if p == 1 && hasHeader {
			t.Errorf("the cover has the running header")
		}
		if p > 1 && !hasHeader {
			t.Errorf("page %d lacks the running header", p)
		}
		if strings.Contains(txt, "DRAFT") {
			t.Errorf("page %d says DRAFT but the report is not a draft", p)
		}
	}
	cover := pdftPage(t, path, 1)
	for _, w := range []string{"Digital maturity report", "ODS code RX1", "Submitted", "What Good Looks Like, version 2.1", "24 November 2026"} {
		if !strings.Contains(cover, w) {
			t.Errorf("cover lacks %q", w)
		}
	}

	// Bookmarks, in order, with the success measures under "Success measures".
	got := pdftOutlines(t, pdf)
	want := pdftBoardBookmarks(r)
	if len(got) != len(want) {
		t.Fatalf("%d bookmarks, want %d: %+v", len(got), len(want), got)
	}
	var parentObj int
	for i, o := range got {
		if o.title != want[i] {
			t.Errorf("bookmark %d is %q, want %q", i, o.title, want[i])
		}
		if o.title == "Success measures" {
			parentObj = o.obj
		}
	}
	for i := 4; i < 4+len(r.Sections); i++ {
		if got[i].parent != parentObj {
			t.Errorf("bookmark %q is not under \"Success measures\"", got[i].title)
		}
	}
	if got[0].parent == parentObj || got[len(got)-1].parent == parentObj {
		t.Errorf("top level bookmarks are nested")
	}
	pdftOnPage(t, path)
}

func TestBoardPDFDraft(t *testing.T) {
	pdftNeedPoppler(t)
	r := pdfTestBoard()
	r.Draft = true
	r.Status = "In review"
	path, _ := pdftWrite(t, func(w io.Writer) error { return BoardPDF(w, r) })
	pages := pdftPages(t, path)
	for p := 1; p <= pages; p++ {
		if txt := pdftPage(t, path, p); !strings.Contains(txt, "DRAFT") {
			t.Errorf("page %d of %d lacks DRAFT", p, pages)
		}
	}
}

func TestBoardPDFDeterministic(t *testing.T) {
	r := pdfTestBoard()
	var a, b bytes.Buffer
	if err := BoardPDF(&a, r); err != nil {
		t.Fatal(err)
	}
	if err := BoardPDF(&b, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings of the same report differ")
	}
	if !bytes.Contains(a.Bytes(), []byte("/CreationDate (D:20261124140500)")) {
		t.Error("creation date is not the report's Generated time")
	}
}

func TestBoardPDFEmpty(t *testing.T) {
	// A report with nothing in it still renders, without panicking.
	var buf bytes.Buffer
	if err := BoardPDF(&buf, BoardReport{}); err != nil {
		t.Fatal(err)
	}
	if err := PersonalPDF(&buf, PersonalReport{}); err != nil {
		t.Fatal(err)
	}
}

// pdfWords makes deterministic, realistic prose of about n characters.
func pdfWords(seed, n int) string {
	words := strings.Fields(`the trust board agreed that the electronic patient record rollout to community
	nursing teams would be completed before winter with clinical safety officers reviewing each release and
	the digital lead reporting progress monthly to the executive team including risks to data quality
	infrastructure resilience cyber security staff training and the integration with primary care systems
	across the integrated care board evidence was provided through audit reports minutes and dashboards`)
	var b strings.Builder
	x := uint32(seed*2654435761 + 12345)
	for b.Len() < n {
		x = x*1664525 + 1013904223
		w := words[int(x>>8)%len(words)]
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if x%11 == 0 {
			b.WriteString(".")
		}
	}
	return b.String()
}

const (
	pdfLongDept  = "Department of Clinical Informatics and Digital Care Services"
	pdfLongToken = "NorthshireDigitalTransformationProgrammeBoardPaperReference7" // 60 characters, no break
)

// pdfExtremeBoard has 45 questions with 2,000 characters of evidence each,
// a 60 character name, a 60 character unbroken token and 40 long actions.
func pdfExtremeBoard() BoardReport {
	r := pdfTestBoard()
	r.Organisation = pdfLongDept
	counts := []int{7, 7, 7, 6, 6, 6, 6}
	for i := range r.Sections {
		s := &r.Sections[i]
		s.Questions = nil
		for q := range counts[i] {
			title := fmt.Sprintf("Question %d.%d: %s", i+1, q+1, pdfTestStems[(i+q)%len(pdfTestStems)])
			if q == 0 {
				title += " See " + pdfLongToken + "."
			}
			s.Questions = append(s.Questions, QuestionLine{
				Title:    title,
				Agreed:   "Level 3",
				Spread:   fmt.Sprintf("members %d to 4, mean 2.%d", 1+q%3, q),
				Flagged:  q%3 == 0,
				Evidence: pdfWords(i*10+q, 2000),
			})
		}
	}
	r.Actions = nil
	for a := range 40 {
		owner := "Head of Digital Services"
		if a%5 == 0 {
			owner = pdfLongToken
		}
		r.Actions = append(r.Actions, ActionLine{
			Title:   fmt.Sprintf("Action %d: %s", a+1, pdfWords(a+500, 180)),
			Section: []string{pdfLongDept, "Ensure smart foundations", "Support people"}[a%3],
			Owner:   owner,
			Due:     "30 September 2027",
			Status:  "In progress",
			Overdue: a%7 == 0,
		})
	}
	return r
}

func TestPDFExtremeTokensAreLong(t *testing.T) {
	if len(pdfLongDept) != 60 || len(pdfLongToken) != 60 {
		t.Fatalf("fixture lengths %d and %d, want 60", len(pdfLongDept), len(pdfLongToken))
	}
}

// pdftOnPage checks with word boxes that no text lies outside the margins.
func pdftOnPage(t *testing.T, path string) {
	t.Helper()
	out := pdftTool(t, "pdftotext", "-bbox", path, "-")
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	const mm = 72 / 25.4
	bad := 0
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		y0, _ := strconv.ParseFloat(m[2], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		y1, _ := strconv.ParseFloat(m[4], 64)
		if x0 < (pdfMargin-0.5)*mm || x1 > (pdfPageW-pdfMargin+0.5)*mm || y0 < 5*mm || y1 > (pdfPageH-5)*mm {
			bad++
			if bad < 10 {
				t.Errorf("word %q at x %.1f to %.1f mm, y %.1f to %.1f mm is outside the margins", m[5], x0/mm, x1/mm, y0/mm, y1/mm)
			}
		}
	}
}

func TestBoardPDFExtreme(t *testing.T) {
	pdftNeedPoppler(t)
	r := pdfExtremeBoard()
	path, _ := pdftWrite(t, func(w io.Writer) error { return BoardPDF(w, r) })
	pages := pdftPages(t, path)
	t.Logf("extreme board report: %d pages", pages)
	flow := pdftBoardFlow(t, path, r)
	pdftContains(t, flow, pdftBoardStrings(r))
	pdftContains(t, flow, []string{pdfLongToken, pdfLongDept})
	for p := 1; p <= pages; p++ {
		if strings.TrimSpace(pdftPage(t, path, p)) == "" {
			t.Errorf("page %d has no text", p)
		}
	}
	pdftOnPage(t, path)
}

func TestBoardPDFSplitsRowTallerThanPage(t *testing.T) {
	pdftNeedPoppler(t)
	r := pdfTestBoard()
	long := pdfWords(7, 9000)
	r.Sections[1].Questions[2].Evidence = long
	path, _ := pdftWrite(t, func(w io.Writer) error { return BoardPDF(w, r) })
	// With the running header, footer and repeated table header taken
	// off, the evidence reads on whole across the pages...
	pdftContains(t, pdftBoardFlow(t, path, r), []string{long})
	// ... and it does span pages: 9,000 characters take three or more.
	n := pdftNorm(long)
	head, tail := n[:60], n[len(n)-60:]
	first, last := 0, 0
	for i, pg := range strings.Split(pdftRaw(t, path), "\f") {
		if strings.Contains(pdftNorm(pg), head) {
			first = i + 1
		}
		if strings.Contains(pdftNorm(pg), tail) {
			last = i + 1
		}
	}
	if first == 0 || last-first < 2 {
		t.Errorf("the long evidence starts on page %d and ends on page %d; want it split over 3 or more pages", first, last)
	}
	pdftOnPage(t, path)
}

func BenchmarkBoardPDF(b *testing.B) {
	r := pdfTestBoard()
	b.ReportAllocs()
	for b.Loop() {
		if err := BoardPDF(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// --- personal report -------------------------------------------------------------

func pdftPersonalStrings(r PersonalReport) []string {
	want := []string{r.Name, r.Organisation, r.Previous, "Your digital skills results", "Completed " + pdfDate(r.Completed)}
	for _, d := range r.Domains {
		want = append(want, d.Label, d.NowText, d.NeedText, d.GapText, d.Change)
	}
	want = append(want, r.Strengths...)
	for _, p := range r.Priorities {
		want = append(want, p.Label, p.Text)
		for _, l := range p.Learning {
			want = append(want, l.Title, l.Summary, l.Link)
		}
	}
	want = append(want, r.Method...)
	want = append(want, r.ScaleLabels...)
	return want
}

func pdftPersonalFlow(t *testing.T, path string, r PersonalReport) string {
	pages := pdftPages(t, path)
	return pdftFlow(pdftRaw(t, path), func(p int) (string, string) {
		return "", fmt.Sprintf("Private to %s Page %d of %d", r.Name, p, pages)
	})
}

func TestPersonalPDF(t *testing.T) {
	pdftNeedPoppler(t)
	r := pdfTestPersonal()
	path, pdf := pdftWrite(t, func(w io.Writer) error { return PersonalPDF(w, r) })
	info := pdftTool(t, "pdfinfo", path)
	if !strings.Contains(info, "Title:           Digital skills results: Priya Shah") {
		t.Errorf("pdfinfo title:\n%s", info)
	}
	raw := pdftPersonalFlow(t, path, r)
	pdftContains(t, raw, pdftPersonalStrings(r))
	pdftContains(t, raw, []string{"2 October 2026", "Now 1.5", "Needs 3.5"})
	pages := pdftPages(t, path)
	for p := 1; p <= pages; p++ {
		txt := pdftPage(t, path, p)
		if !strings.Contains(txt, "Private to Priya Shah") || !strings.Contains(txt, fmt.Sprintf("Page %d of %d", p, pages)) {
			t.Errorf("page %d lacks its footer:\n%s", p, txt)
		}
	}
	pdftOnPage(t, path)
	if n := bytes.Count(pdf, []byte("/URI (https://learning.example.nhs.uk/courses/")); n < 2 {
		t.Errorf("%d link annotations, want at least 2", n)
	}
	var titles []string
	for _, o := range pdftOutlines(t, pdf) {
		titles = append(titles, o.title)
	}
	want := "Your digital skills results|Your skills by domain|Your results in numbers|Your strengths|Your priorities|How your results are worked out"
	if got := strings.Join(titles, "|"); got != want {
		t.Errorf("bookmarks %q, want %q", got, want)
	}
}

func TestPersonalPDFLongText(t *testing.T) {
	pdftNeedPoppler(t)
	r := pdfTestPersonal()
	r.Name = "Alexandra Montgomery-Fitzwilliam " + pdfLongToken
	r.Organisation = pdfLongDept
	for i := range r.Domains {
		r.Domains[i].Label += " including " + pdfLongDept
	}
	for i := range 6 {
		r.Priorities = append(r.Priorities, PersonalPriority{
			Label: fmt.Sprintf("Priority %d %s", i+1, pdfLongDept),
			Text:  "Now 1.0, role needs 4.0: a gap of 3.0.",
			Learning: []Learning{
				{"Learning " + strconv.Itoa(i+1), pdfWords(900+i, 1200), "https://learning.example.nhs.uk/a/very/long/path/" + pdfLongToken + "/" + pdfLongToken},
				{"Further reading", pdfWords(950+i, 600), ""},
			},
		})
	}
	path, _ := pdftWrite(t, func(w io.Writer) error { return PersonalPDF(w, r) })
	raw := pdftPersonalFlow(t, path, r)
	pdftContains(t, raw, pdftPersonalStrings(r))
	pages := pdftPages(t, path)
	for p := 1; p <= pages; p++ {
		if strings.TrimSpace(pdftPage(t, path, p)) == "" {
			t.Errorf("page %d has no text", p)
		}
	}
	pdftOnPage(t, path)
}

func TestPDFSplitBreaksLongWords(t *testing.T) {
	d := newPDFDoc()
	d.font(false, pdfSmall)
	for _, w := range []float64{10, 20, 47} {
		lines := d.split(pdfLongToken+" and "+pdfLongDept, w)
		if strings.Join(lines, "") == "" || pdftNorm(strings.Join(lines, "")) != pdftNorm(pdfLongToken+" and "+pdfLongDept) {
			t.Errorf("width %v: lines %q lose text", w, lines)
		}
		for _, l := range lines {
			if lw := d.f.GetStringWidth(l); lw > w+1e-6 {
				t.Errorf("width %v: line %q is %.2f mm wide", w, l, lw)
			}
		}
	}
	if math.IsNaN(pdfLH(10)) {
		t.Fatal("line height")
	}
}

func TestBoardPDFConcurrent(t *testing.T) {
	// The embedded font bytes are shared; documents built at the same time
	// must not disturb each other.
	r := pdfTestBoard()
	var want bytes.Buffer
	if err := BoardPDF(&want, r); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var got bytes.Buffer
			err := BoardPDF(&got, r)
			if err == nil && !bytes.Equal(got.Bytes(), want.Bytes()) {
				err = fmt.Errorf("concurrent rendering differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestPDFSplitBreaksAtHyphens: a word too long for a narrow column breaks
// after its hyphen ("self-" / "development"), not inside a part of it
// ("self-developmen" / "t").
func TestPDFSplitBreaksAtHyphens(t *testing.T) {
	d := newPDFDoc()
	d.font(true, pdfSmall)
	w := d.f.GetStringWidth("development") + 1
	lines := d.split("Teaching, learning and self-development", w)
	want := []string{"Teaching,", "learning and", "self-", "development"}
	if d.f.GetStringWidth("learning and") > w-0.3 {
		want = []string{"Teaching,", "learning", "and self-", "development"}
	}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", lines, want)
	}
}
