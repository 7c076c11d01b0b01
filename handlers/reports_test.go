package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"nhs-digital-maturity/models"
)

// needPoppler finds pdftotext and pdfinfo (Debian's poppler-utils).
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not found: install poppler-utils", tool)
			}
			t.Skipf("%s not found: install poppler-utils to run the report tests", tool)
		}
	}
}

// pdfText extracts the text of a PDF, or of one page when page > 0.
func pdfText(t *testing.T, pdf []byte, page int) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-layout"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	out, err := exec.Command("pdftotext", append(args, file, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.pdf")
	os.WriteFile(file, pdf, 0o600)
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// squash removes all white space, so text wrapped across lines compares.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// reportApp is a trust with an agreed, partly submitted cycle, a peer
// benchmark and a workforce with one small group.
func reportApp(t *testing.T) (*maturityApp, string) {
	t.Helper()
	return reportAppWith(t, func(*Config) {})
}

// reportAppWith is reportApp with its configuration changed.
func reportAppWith(t *testing.T, change func(*Config)) (*maturityApp, string) {
	t.Helper()
	m := newMaturityAppWith(t, change)
	submittedCycle(t, m.testApp, m.org, "2024/25", 2.2, map[string]float64{"well-led": 2.5, "safe-practice": 3.0})
	cycle := m.openCycle(t)
	for section, level := range map[string]int{"well-led": 3, "smart-foundations": 2, "safe-practice": 4, "support-people": 3,
		"empower-citizens": 5, "improve-care": 1, "healthy-populations": 2} {
		wantStatus(t, m.lead.post(cycle+"/review/"+section, m.agreeForm(t, cycle, section, level, "4")), http.StatusSeeOther)
	}
	wantStatus(t, m.lead.post(cycle+"/actions", url.Values{"section": {"well-led"}, "title": {"=HYPERLINK(\"http://x\")"},
		"owner": {"Chief Information Officer"}, "status": {"in-progress"}}), http.StatusSeeOther)
	// 14 nurses and 3 scientists: the scientists are hidden, and so are the
	// nurses as their cover, since the total is on the page.
	for i := 0; i < 14; i++ {
		completedPerson(t, m.testApp, m.org, fmt.Sprintf("n%d@home.test", i), "Nursing and Midwifery Registered", "Band 5", "Ward 1", 2, 3)
	}
	for i := 0; i < 3; i++ {
		completedPerson(t, m.testApp, m.org, fmt.Sprintf("s%d@home.test", i), "Healthcare Scientists", "Band 6", "Lab", 3, 3)
	}
	m.publish()
	return m, cycle
}

func TestBoardReportMatchesTheResultsPage(t *testing.T) {
	needPoppler(t)
	m, cycle := reportApp(t)
	page := m.lead.get(cycle + "/results")
	res := m.lead.get(cycle + "/report.pdf")
	wantStatus(t, res, http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "application/pdf" {
		t.Fatalf("Content-Type %q", ct)
	}
	if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, "HOM-digital-maturity-") || !strings.HasSuffix(cd, `.pdf"`) {
		t.Errorf("file name: %s", cd)
	}
	pdf := []byte(res.body)
	text := squash(pdfText(t, pdf, 0))

	// Every section's score and rating on the page is in the report.
	for _, section := range []string{"well-led", "smart-foundations", "safe-practice", "support-people", "empower-citizens", "improve-care", "healthy-populations"} {
		row := sectionCell(page.body, section)
		score := regexp.MustCompile(`Score </span>([0-9.]+)`).FindStringSubmatch(row)
		rag := regexp.MustCompile(`nhsuk-tag--[a-z]+">([A-Za-z]+)<`).FindStringSubmatch(row)
		if score == nil || rag == nil {
			t.Fatalf("%s: no score or rating on the page: %s", section, row)
		}
		if !strings.Contains(text, squash("Score "+score[1]+" ("+rag[1]+")")) {
			t.Errorf("%s: report lacks %q", section, "Score "+score[1]+" ("+rag[1]+")")
		}
	}
	overall := regexp.MustCompile(`id="overall-score">([0-9.]+) `).FindStringSubmatch(page.body)[1]
	rag := regexp.MustCompile(`id="overall-rag">([A-Za-z]+)<`).FindStringSubmatch(page.body)[1]
	change := regexp.MustCompile(`id="overall-change">([^<]+)<`).FindStringSubmatch(page.body)[1]
	for _, want := range []string{overall + " out of 5", rag, change, "DRAFT"} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The workforce page hides what the workforce view hides: the three
	// scientists are not even named, only counted in "Other staff groups",
	// which is hidden.
	org := m.lead.get("/organisation/skills")
	if strings.Contains(text, squash("Healthcare Scientists")) || !strings.Contains(text, squash("Other staff groups Hidden")) {
		t.Error("the small group of scientists is named or shown in the report")
	}
	if strings.Contains(org.body, "Healthcare Scientists") && !strings.Contains(org.body, `<option value="Healthcare Scientists"`) {
		t.Error("the workforce view names the small group of scientists")
	}
	completed := regexp.MustCompile(`Completed</dt><dd class="nhsuk-summary-list__value">([^<]+)<`).FindStringSubmatch(org.body)[1]
	if !strings.Contains(text, squash("Completed "+completed)) {
		t.Errorf("participation: report lacks Completed %s", completed)
	}

	// In progress: "DRAFT" on every page.
	pages := pdfPages(t, pdf)
	if pages < 4 {
		t.Errorf("%d pages", pages)
	}
	for p := 1; p <= pages; p++ {
		if !strings.Contains(pdfText(t, pdf, p), "DRAFT") {
			t.Errorf("page %d of an in-progress cycle is not marked DRAFT", p)
		}
	}
	// Submitted: no "DRAFT" anywhere.
	wantStatus(t, m.lead.post(cycle+"/submit", signOff("")), http.StatusSeeOther)
	final := []byte(m.lead.get(cycle + "/report.pdf").body)
	if strings.Contains(pdfText(t, final, 0), "DRAFT") {
		t.Error("a submitted cycle's report says DRAFT")
	}
}

func TestExportsKeepTheRules(t *testing.T) {
	m, cycle := reportApp(t)

	res := m.lead.get(cycle + "/results.csv")
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.body, "\ufeff") {
		t.Error("CSV has no byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Success measure" || rows[0][6] != "Agreed level" {
		t.Errorf("header %v", rows[0])
	}
	// 42 questions, one row each, after the header.
	if len(rows) != 43 {
		t.Errorf("%d rows, want 43", len(rows))
	}
	// Well led: every question agreed at 3, so its score is 3.0.
	if rows[1][0] != "Well led" || rows[1][1] != "3.0" || rows[1][6] != "3.0" {
		t.Errorf("first row %v", rows[1])
	}

	actions := m.lead.get(cycle + "/actions.csv")
	if !strings.Contains(actions.body, "'=HYPERLINK") {
		t.Errorf("formula not neutralised:\n%s", actions.body)
	}

	xlsx := m.lead.get(cycle + "/export.xlsx")
	wantStatus(t, xlsx, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx.body)))
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 2 {
		t.Fatalf("sheets %v", sheets)
	}
	v, _ := f.GetCellValue(sheets[0], "G2")
	if v != "3" && v != "3.0" {
		t.Errorf("agreed level in the workbook: %q", v)
	}
	title, _ := f.GetCellValue(sheets[1], "A2")
	if formula, _ := f.GetCellFormula(sheets[1], "A2"); formula != "" || !strings.HasPrefix(title, "'=") {
		t.Errorf("action title cell: value %q, formula %q", title, formula)
	}

	// Workforce: the 3 scientists are hidden, and the 14 nurses too as
	// their cover; no figure rests on fewer than 10 people.
	work := m.lead.get("/organisation/skills/export.csv")
	wantStatus(t, work, http.StatusOK)
	wrows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(work.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range wrows[1:] {
		if r[2] != "Hidden" {
			if n, err := strconv.Atoi(r[2]); err == nil && n > 0 && n < 10 {
				t.Errorf("a figure on %d people: %v", n, r)
			}
		}
		if r[0] == "Healthcare Scientists" && r[2] != "Hidden" {
			t.Errorf("scientists not hidden: %v", r)
		}
	}
	wx := m.lead.get("/organisation/skills/export.xlsx")
	wf, err := excelize.OpenReader(bytes.NewReader([]byte(wx.body)))
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range wf.GetSheetList() {
		all, _ := wf.GetRows(sheet)
		for _, r := range all[1:] {
			if len(r) > 2 && r[2] != "Hidden" {
				if n, err := strconv.Atoi(r[2]); err == nil && n > 0 && n < 10 {
					t.Errorf("%s: a figure on %d people: %v", sheet, n, r)
				}
			}
		}
	}
}

func TestPersonalReport(t *testing.T) {
	needPoppler(t)
	app, org := newHomeApp(t)
	c := app.signedInAs(org, "staff@home.test", models.RoleStaff)
	res := c.get("/skills/results/report.pdf")
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, c.post("/skills/start", nil), http.StatusSeeOther)
	fw, _ := app.server.frameworks.Latest("skills")
	for _, sec := range fw.Sections {
		wantStatus(t, c.post("/skills/domains/"+sec.Code, domainForm(fw, sec.Code, 2, 4, "continue")), http.StatusSeeOther)
	}
	wantStatus(t, c.post("/skills/submit", nil), http.StatusSeeOther)
	res = c.get("/skills/results/report.pdf")
	wantStatus(t, res, http.StatusOK)
	text := squash(pdfText(t, []byte(res.body), 0))
	for _, want := range []string{"Person staff@home.test", fw.Sections[0].Label, "2.0", "4.0"} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("personal report lacks %q", want)
		}
	}
	attempts, _ := app.store.SkillsAssessments(context.Background(), mustUserID(t, app, "staff@home.test"))
	// Nobody else can download it.
	other := app.signedInAs(org, "other@home.test", models.RoleStaff)
	wantStatus(t, other.get("/skills/results/"+strconv.FormatUint(uint64(attempts[0].ID), 10)+"/report.pdf"), http.StatusNotFound)
}
