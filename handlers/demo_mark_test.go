package handlers

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// While demo data is loaded, every page of every PDF and every export says
// so: nobody can take a demo figure for a real one.
func TestDemoDataMarksEveryPDFPageAndExport(t *testing.T) {
	needPoppler(t)
	m, cycle := reportAppWith(t, func(c *Config) { c.Demo = true })

	pdfs := map[string][]byte{"board report": []byte(m.lead.get(cycle + "/report.pdf").body)}
	nurse := m.signedIn("n0@home.test")
	personal := nurse.get("/skills/results/report.pdf")
	wantStatus(t, personal, http.StatusOK)
	pdfs["personal report"] = []byte(personal.body)
	for name, pdf := range pdfs {
		n := pdfPages(t, pdf)
		for page := 1; page <= n; page++ {
			if !strings.Contains(pdfText(t, pdf, page), "Demo data") {
				t.Errorf("%s, page %d of %d: no \"Demo data\"", name, page, n)
			}
		}
	}

	for _, path := range []string{cycle + "/results.csv", cycle + "/actions.csv", "/organisation/skills/export.csv", "/audit.csv"} {
		res := m.lead.get(path)
		wantStatus(t, res, http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %v, %d rows", path, err, len(rows))
		}
		wantDemoColumn(t, path, rows)
	}
	for _, path := range []string{cycle + "/export.xlsx", "/organisation/skills/export.xlsx"} {
		res := m.lead.get(path)
		wantStatus(t, res, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			wantDemoColumn(t, path+" "+sheet, rows)
		}
	}
}

// wantDemoColumn: the first column is headed "Demo data" and says so on every row.
func wantDemoColumn(t *testing.T, what string, rows [][]string) {
	t.Helper()
	for i, r := range rows {
		if len(r) == 0 || !strings.HasPrefix(r[0], "Demo data") {
			t.Errorf("%s row %d does not say demo data: %q", what, i+1, r)
			return
		}
	}
}
