package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// resultsBench is a submitted cycle whose results page shows everything:
// a previous submitted cycle for the trend, targets for the priorities,
// and enough peers of the same kind for the benchmark.
type resultsBench struct {
	*maturityApp
	path  string // the cycle's path
	cycle models.MaturityCycle
}

func newResultsBench(b *testing.B) *resultsBench {
	b.Helper()
	m := &maturityApp{testApp: newTestApp(b)}
	ctx := context.Background()
	m.org = m.organisation("Home Trust", "HOM", models.KindAcute)
	lead := m.user(m.org, "lead@home.test", models.RoleLead)
	m.withBoard()
	m.fw, _ = m.server.frameworks.Latest(assessments.KindMaturity)
	codes := m.fw.SectionCodes()

	// Last year's cycle, then six peers of the same kind, each with a
	// score for every section.
	benchSubmittedCycle(b, m.testApp, m.org, "2024/25", 2.2, codes, 2.5)
	for i := range 6 {
		o := m.organisation(fmt.Sprintf("Peer %d", i), fmt.Sprintf("PR%d", i), models.KindAcute)
		benchSubmittedCycle(b, m.testApp, o, "2025/26", 1.5+0.5*float64(i), codes, 1+0.6*float64(i))
	}

	m.lead = m.signedIn("lead@home.test")
	path := m.openCycle(b)
	for i, section := range codes {
		res := m.lead.post(path+"/review/"+section, m.agreeForm(b, path, section, 1+i%5, strconv.Itoa(2+i%4)))
		if res.status != http.StatusSeeOther {
			b.Fatalf("agree %s: %d", section, res.status)
		}
	}
	if res := m.lead.post(path+"/submit", signOff("")); res.status != http.StatusSeeOther {
		b.Fatalf("submit: %d\n%s", res.status, res.body)
	}
	id, _ := strconv.ParseUint(strings.TrimPrefix(path, "/maturity/cycles/"), 10, 64)
	cycle, err := m.store.CycleInOrganisation(ctx, lead.OrganisationID, uint(id))
	if err != nil {
		b.Fatal(err)
	}
	// The page must show what the benchmark is meant to time.
	page := m.lead.get(path + "/results")
	wantStatus(b, page, http.StatusOK)
	wantContains(b, page, "Compared with 2024/25", "(6 organisations)", `id="priorities"`, "<svg", "Median of similar organisations")
	return &resultsBench{maturityApp: m, path: path, cycle: cycle}
}

// benchSubmittedCycle stores a submitted cycle with every section at one
// score, as submission would have written it.
func benchSubmittedCycle(b *testing.B, app *testApp, org models.Organisation, period string, overall float64, codes []string, score float64) {
	b.Helper()
	sections := map[string]float64{}
	for _, code := range codes {
		sections[code] = score
	}
	c := app.newCycle(b, org, period, time.Now())
	if err := app.store.SubmitCycle(context.Background(), c, fixedCycleScores(sections, &overall), testSignOff, 0); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkResultsPage times the whole results request of a submitted
// cycle with a trend, targets and a benchmark: middleware, queries,
// computation, chart and template. The test client's own work is in the
// figures too. BenchmarkResultsRender and BenchmarkResultsRadar time the
// template and the chart alone.
//
//	go test ./handlers -run XXX -bench Results -benchmem
func BenchmarkResultsPage(b *testing.B) {
	r := newResultsBench(b)
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		res := r.lead.get(r.path + "/results")
		if res.status != http.StatusOK {
			b.Fatalf("status %d", res.status)
		}
	}
}

// BenchmarkResultsRender times the template execution of the results page
// alone, with its data (and chart) computed once.
func BenchmarkResultsRender(b *testing.B) {
	r := newResultsBench(b)
	c, v := r.resultsContext(b)
	v.Data = r.pageData(b, c)
	b.ResetTimer()
	b.ReportAllocs()
	var buf bytes.Buffer
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := r.server.pages.Render(&buf, "maturity_results", v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResultsRadar times the radar chart of the results page alone.
func BenchmarkResultsRadar(b *testing.B) {
	r := newResultsBench(b)
	c, _ := r.resultsContext(b)
	data := r.pageData(b, c)
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if data.RadarChart().SVG() == "" {
			b.Fatal("no chart")
		}
	}
}

// resultsContext is a request context for the lead, and the view the
// results page would render, without its data.
func (r *resultsBench) resultsContext(b *testing.B) (echo.Context, view) {
	b.Helper()
	ctx := context.Background()
	u, err := r.store.UserByEmail(ctx, "lead@home.test")
	if err != nil {
		b.Fatal(err)
	}
	c := r.server.echo.NewContext(httptest.NewRequest(http.MethodGet, r.path+"/results", nil), httptest.NewRecorder())
	c.Set(ctxUser, u)
	c.Set(ctxOrganisation, r.org)
	c.Set(ctxCSRF, newToken())
	v := r.server.view(c, "Results: "+r.cycle.Period)
	v.BackLink = r.path
	return c, v
}

// pageData is what resultsPage gives the template.
func (r *resultsBench) pageData(b *testing.B, c echo.Context) resultsData {
	data, err := r.server.computeResults(c, r.cycle, r.fw)
	if err != nil {
		b.Fatal(err)
	}
	data.Radar = data.RadarChart().SVG()
	data.CanDownload = true
	return data
}
