package main

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/handlers"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/static"
	"nhs-digital-maturity/workforce"
)

// demoStore is a fresh test store seeded with the demo data, as
// `app --demo` seeds it.
func demoStore(t *testing.T) (*models.Store, *assessments.Library) {
	t.Helper()
	store := testdb.Open(t)
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := seedDemoData(context.Background(), store, lib); err != nil {
		t.Fatal(err)
	}
	return store, lib
}

// signInDemoLead serves store as the demo does and signs in as the demo
// lead; get fetches a page of the service, which must answer 200.
func signInDemoLead(t *testing.T, store *models.Store, lib *assessments.Library) (client *http.Client, baseURL string, get func(path string) string) {
	t.Helper()
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := handlers.New(store, lib, handlers.Config{Assets: assets, BaseURL: "http://example.test", MinGroupSize: 10, Demo: true,
		SessionKey: []byte("demo-test-key-of-32-bytes-or-more"), Hasher: models.DefaultPasswordHasher()},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	client = &http.Client{Jar: jar}
	get = func(path string) string {
		t.Helper()
		res, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		return string(b)
	}
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(get("/sign-in"))[1]
	res, err := client.PostForm(ts.URL+"/sign-in", url.Values{"_csrf": {token}, "email": {"lead@example.nhs.uk"},
		"password": {models.DemoPassword}})
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("sign in: %v %v", err, res)
	}
	res.Body.Close()
	return client, ts.URL, get
}

// demoLead starts the service on freshly seeded demo data, with its first
// workforce release built as at start, and signs in as the demo lead.
func demoLead(t *testing.T) (get func(path string) string) {
	t.Helper()
	store, lib := demoStore(t)
	skills, _ := lib.Latest(assessments.KindSkills)
	if _, err := workforce.NewPublisher(store, skills, 10, 7*24*time.Hour).Publish(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	_, _, get = signInDemoLead(t, store, lib)
	return get
}

// heatRow is one row of the workforce heatmap: its group, and the figures
// of its domain cells ("" where hidden or empty).
type heatRow struct {
	Group string
	Gaps  []string
}

var (
	heatTable = regexp.MustCompile(`(?s)<table class="nhsuk-table" id="heatmap">.*?</table>`)
	heatTr    = regexp.MustCompile(`(?s)<tr class="nhsuk-table__row">\s*<th scope="row" class="nhsuk-table__header">(.*?)</th>(.*?)</tr>`)
	heatTd    = regexp.MustCompile(`(?s)<td class="nhsuk-table__cell app-heat[^"]*">(.*?)</td>`)
)

func heatmapRows(page string) []heatRow {
	var rows []heatRow
	for _, m := range heatTr.FindAllStringSubmatch(heatTable.FindString(page), -1) {
		r := heatRow{Group: html.UnescapeString(strings.TrimSpace(m[1]))}
		for _, td := range heatTd.FindAllStringSubmatch(m[2], -1) {
			v := strings.TrimSpace(td[1])
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				v = ""
			}
			r.Gaps = append(r.Gaps, v)
		}
		rows = append(rows, r)
	}
	return rows
}

// shown counts the named groups (not "Other ...") with a figure in most of
// their domain cells.
func shown(rows []heatRow) (named []string, other bool) {
	for _, r := range rows {
		if strings.HasPrefix(r.Group, "Other") {
			other = true
			continue
		}
		figures := 0
		for _, g := range r.Gaps {
			if g != "" {
				figures++
			}
		}
		if len(r.Gaps) > 0 && figures*2 > len(r.Gaps) {
			named = append(named, r.Group)
		}
	}
	return named, other
}

// TestDemoWorkforceHeatmapShowsFigures: the demo's release shows figures
// for most staff groups and departments, gaps that differ by staff group,
// and still the "Other staff groups" protection of two small groups.
func TestDemoWorkforceHeatmapShowsFigures(t *testing.T) {
	get := demoLead(t)
	byGroup := heatmapRows(get("/organisation/skills?by=staff_group"))
	groups, other := shown(byGroup)
	if len(groups) < 4 {
		t.Errorf("heatmap by staff group shows figures for %d named groups, want at least 4: %v\n%+v", len(groups), groups, byGroup)
	}
	if !other {
		t.Errorf("no \"Other staff groups\" row in the heatmap by staff group: %+v", byGroup)
	}
	// The story: nursing's gap in data and information is larger than the
	// medical staff's.
	gap := func(group string, domain int) float64 {
		for _, r := range byGroup {
			if r.Group == group && domain < len(r.Gaps) {
				v, _ := strconv.ParseFloat(r.Gaps[domain], 64)
				return v
			}
		}
		return 0
	}
	if n, m := gap("Nursing and Midwifery Registered", 0), gap("Medical and Dental", 0); n < m+0.5 {
		t.Errorf("data and information gap: nursing %.1f, medical %.1f; want nursing clearly larger", n, m)
	}
	byDept := heatmapRows(get("/organisation/skills?by=department"))
	if depts, _ := shown(byDept); len(depts) < 4 {
		t.Errorf("heatmap by department shows figures for %d departments, want at least 4: %v\n%+v", len(depts), depts, byDept)
	}
}
