package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

// TestDemoBoardReport loads the demo data, as `app --demo` does, signs in
// as the demo digital lead and downloads the demo trust's board reports:
// three submitted cycles (2023/24 to 2025/26, the last reopened once and
// signed off again) and the 2026/27 cycle in progress.
func TestDemoBoardReport(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdfinfo not found: install poppler-utils")
		}
		t.Skip("pdfinfo not found: install poppler-utils to run the report tests")
	}
	ctx := context.Background()
	store, lib := demoStore(t)
	// The demo trust's workforce: at least 300 people with a completed
	// self-assessment, as the demo promises, counted as a workforce
	// release counts them (each person's latest attempt).
	trust, err := store.OrganisationByODSCode(ctx, models.DemoTrustODSCode)
	if err != nil {
		t.Fatal(err)
	}
	n := int64(0)
	if _, _, err := store.WorkforceSource(ctx, time.Time{}, func(g models.WorkforceGroup) {
		if g.OrganisationID == trust.ID && g.Latest && g.DomainCode == "" {
			n += g.People
		}
	}); err != nil || n < 300 {
		t.Errorf("%d demo staff with a completed self-assessment, want at least 300 (%v)", n, err)
	}
	client, baseURL, get := signInDemoLead(t, store, lib)
	cycles := regexp.MustCompile(`href="/maturity/cycles/(\d+)/report.pdf"`).FindAllStringSubmatch(get("/maturity/cycles"), -1)
	if len(cycles) != 4 {
		t.Fatalf("%d report links for the demo trust, want 4", len(cycles))
	}
	for i, m := range cycles {
		res, err := client.Get(baseURL + "/maturity/cycles/" + m[1] + "/report.pdf")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("report %s: %v %v", m[1], err, res)
		}
		pdf, _ := io.ReadAll(res.Body)
		res.Body.Close()
		period := regexp.MustCompile(`(\d{4}-\d{2})\.pdf`).FindStringSubmatch(res.Header.Get("Content-Disposition"))
		file := filepath.Join(t.TempDir(), "demo.pdf")
		os.WriteFile(file, pdf, 0o600)
		info, err := exec.Command("pdfinfo", file).Output()
		if err != nil {
			t.Fatal(err)
		}
		pages := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
		// Cover, summary, chart, trend, seven success measures over about
		// four pages, workforce, actions, method and, where there are
		// evidence documents, their appendix: 9 to 16 pages.
		if pages == nil || period == nil {
			t.Fatalf("pdfinfo gave no page count, or the file no period:\n%s", info)
		}
		if n, _ := strconv.Atoi(string(pages[1])); n < 9 || n > 16 {
			t.Errorf("cycle %d: %d pages, want 9 to 16", i, n)
		}
		// Bookmarks: cover, summary, chart, trend, "Success measures" with
		// its seven, workforce, action plan, method: 15, and the evidence
		// appendix of the cycle in progress.
		want := 15
		if period[1] == "2026-27" {
			want = 16
		}
		if n := len(regexp.MustCompile(`\d+ 0 obj\s*<</Title \(`).FindAll(pdf, -1)); n != want {
			t.Errorf("cycle %s: %d bookmarks, want %d", period[1], n, want)
		}
		if os.Getenv("DEMO_REPORT_OUT") != "" {
			os.WriteFile(filepath.Join(os.Getenv("DEMO_REPORT_OUT"), "demo-board-report-"+period[1]+".pdf"), pdf, 0o644)
		}
	}
}
