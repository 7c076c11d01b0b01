package handlers

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/workforce"
)

// nationalGroup is one staff group's people in each of two organisations,
// all rating every domain now and need.
type nationalGroup struct {
	name      string
	inA, inB  int
	nowA      float64
	nowB      float64
	need      float64
	wantShown bool
}

// nationalApp is two trusts whose staff groups are each below the minimum
// group size of 10 in at least one trust, with a release built:
//
//	group          A (now)   B (now)   all   nationally
//	Nursing        6 (2)     6 (3)     12    shown: small in each, large in total
//	Scientists     3 (3)     4 (3)      7    "Other staff groups", hidden: small in total
//	Students       5 (1)     6 (1)     11    shown
//	Admin/Clerical 10 (1)    5 (4)     15    hidden: Alpha publishes its 10, so
//	                                         the national 15 would give Beta's 5
//
// Alpha is all band 5 and Beta all band 6.
func nationalApp(t *testing.T) (*testApp, []nationalGroup) {
	t.Helper()
	app := newTestApp(t)
	a := app.organisation("Alpha Hospitals NHS Trust", "AAA", models.KindAcute)
	b := app.organisation("Beta Community NHS Trust", "BBB", models.KindCommunity)
	app.user(a, "admin@alpha.test", models.RoleAdmin)
	app.user(a, "lead@alpha.test", models.RoleLead)
	app.user(b, "lead@beta.test", models.RoleLead)
	groups := []nationalGroup{
		{"Nursing and Midwifery Registered", 6, 6, 2, 3, 3, true},
		{"Healthcare Scientists", 3, 4, 3, 3, 4, false},
		{"Students", 5, 6, 1, 1, 2, true},
		{"Administrative and Clerical", 10, 5, 1, 4, 4, false},
	}
	n := 0
	for _, g := range groups {
		for i := 0; i < g.inA; i++ {
			n++
			completedPerson(t, app, a, fmt.Sprintf("p%d@alpha.test", n), g.name, "Band 5", "Ward 1", g.nowA, g.need)
		}
		for i := 0; i < g.inB; i++ {
			n++
			completedPerson(t, app, b, fmt.Sprintf("p%d@beta.test", n), g.name, "Band 6", "Ward 1", g.nowB, g.need)
		}
	}
	app.publish()
	return app, groups
}

// nearCount says a published count is the true one moved by the release's
// perturbation at most.
func nearCount(t *testing.T, what string, got string, want int) {
	t.Helper()
	n, err := strconv.Atoi(got)
	if err != nil || n < want-workforce.CountNoise || n > want+workforce.CountNoise {
		t.Errorf("%s: published %q, want %d give or take %d", what, got, want, workforce.CountNoise)
	}
}

// nearMean says a published mean of n people is within the release's
// perturbation (and rounding) of the exact mean.
func nearMean(t *testing.T, what string, got string, want float64, n int) {
	t.Helper()
	v, err := strconv.ParseFloat(got, 64)
	if tol := workforce.SumNoise/float64(n) + 0.05 + 1e-9; err != nil || math.Abs(v-want) > tol {
		t.Errorf("%s: published %q, want %.3f within %.3f", what, got, want, workforce.SumNoise/float64(n)+0.05)
	}
}

// heatmapRow returns the heatmap's row for group, or "" when it has none.
func heatmapRow(body, group string) string {
	start := strings.Index(body, `id="heatmap"`)
	if start < 0 {
		return ""
	}
	heat := body[start:]
	heat = heat[:strings.Index(heat, "</table>")]
	i := strings.Index(heat, ">"+group+"<")
	if i < 0 {
		return ""
	}
	row := heat[i:]
	return row[:strings.Index(row, "</tr>")]
}

func TestNationalSkillsCombinesOrganisations(t *testing.T) {
	app, groups := nationalApp(t)
	admin := app.signedIn("admin@alpha.test")
	res := admin.get("/admin/skills")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Workforce digital skills: all organisations", `action="/admin/skills"`, "Figures as of")

	// People: 24 in Alpha and 21 in Beta, 45 in all.
	people := regexp.MustCompile(`<p>(\d+) people\.</p>`).FindStringSubmatch(res.body)
	if people == nil {
		t.Fatalf("no count of people on the page")
	}
	nearCount(t, "people", people[1], 45)
	if !strings.Contains(res.body, `id="organisations">2<`) {
		t.Error("the page does not say that 2 organisations have a completed self-assessment")
	}
	completed := regexp.MustCompile(`Completed</dt><dd class="nhsuk-summary-list__value">(\d+)<`).FindStringSubmatch(res.body)
	if completed == nil {
		t.Fatal("participation does not count the people of both organisations")
	}
	nearCount(t, "completed", completed[1], 45)

	// Mean "now" of every domain over both organisations, by hand:
	// (6*2 + 6*3 + 7*3 + 11*1 + 10*1 + 5*4) / 45 = 92/45 = 2.04;
	// Alpha alone would be 36/24 = 1.5 and Beta alone 56/21 = 2.7.
	// Need: (12*3 + 7*4 + 11*2 + 15*4) / 45 = 146/45 = 3.24.
	means := res.body[strings.Index(res.body, `id="domain-means"`):]
	means = means[:strings.Index(means, "</table>")]
	rows := regexp.MustCompile(`<td class="nhsuk-table__cell">([0-9.]+)</td><td class="nhsuk-table__cell">([0-9.]+)</td>`).FindAllStringSubmatch(means, -1)
	if len(rows) != 6 {
		t.Fatalf("%d domains with a mean now and need:\n%s", len(rows), means)
	}
	for _, r := range rows {
		nearMean(t, "mean now", r[1], 92.0/45, 45)
		nearMean(t, "mean need", r[2], 146.0/45, 45)
	}

	for _, g := range groups {
		row := heatmapRow(res.body, g.name)
		switch {
		case g.wantShown && (row == "" || strings.Contains(row, "Hidden")):
			t.Errorf("%s (%d people in all) is not shown: %s", g.name, g.inA+g.inB, row)
		case !g.wantShown && row != "" && !strings.Contains(row, "Hidden"):
			t.Errorf("%s (%d people in all) is not hidden: %s", g.name, g.inA+g.inB, row)
		}
	}
	// The 7 scientists are not named: they are in "Other staff groups",
	// which is hidden.
	if heatmapRow(res.body, "Healthcare Scientists") != "" || !strings.Contains(heatmapRow(res.body, "Other staff groups"), "Hidden") {
		t.Errorf("the scientists are named or shown: %s", heatmapRow(res.body, "Other staff groups"))
	}
	// Nursing's mean gap: Alpha's 6 have 1, Beta's 6 have 0, so 0.5; the
	// published gap is need minus now, each perturbed.
	gap := regexp.MustCompile(`app-heat[^"]*">([0-9.-]+)<`).FindStringSubmatch(heatmapRow(res.body, "Nursing and Midwifery Registered"))
	if gap == nil {
		t.Fatalf("no gap for Nursing: %s", heatmapRow(res.body, "Nursing and Midwifery Registered"))
	}
	if v, _ := strconv.ParseFloat(gap[1], 64); math.Abs(v-0.5) > 2*workforce.SumNoise/12+0.1 {
		t.Errorf("Nursing's mean gap over both organisations is %s, want 0.5 give or take the perturbation", gap[1])
	}

	// A staff group of 7 people nationally is not published by name.
	res = admin.get("/admin/skills?staff-group=" + url.QueryEscape("Healthcare Scientists"))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, `id="not-published"`)
	if strings.Contains(res.body, `id="domain-means"`) {
		t.Error("national figures shown for a filter of 7 people")
	}
}

// TestNationalSkillsHasNoDepartments: the same department name in two
// trusts is two departments, so the national view neither offers nor
// applies a department filter or grouping.
func TestNationalSkillsHasNoDepartments(t *testing.T) {
	app, _ := nationalApp(t)
	admin := app.signedIn("admin@alpha.test")
	res := admin.get("/admin/skills?department=" + url.QueryEscape("Ward 1") + "&by=department")
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, `name="department"`) || strings.Contains(res.body, `value="department"`) {
		t.Error("the national view offers departments")
	}
	// The department is ignored: all 45 people, rows by staff group.
	wantContains(t, res, " people.</p>", "Gap by staff group and domain")
	if strings.Contains(res.body, `id="board-workforce"`) || strings.Contains(res.body, "/organisation/skills/export") {
		t.Error("the national view shows an organisation's board panel or export links")
	}
}

// TestOrganisationSkillsStaysInItsOrganisation: beside the national view,
// each lead still sees their own organisation's people only.
func TestOrganisationSkillsStaysInItsOrganisation(t *testing.T) {
	app, _ := nationalApp(t)
	for _, tc := range []struct {
		lead      string
		completed int
	}{
		{"lead@alpha.test", 24},
		{"lead@beta.test", 21},
	} {
		res := app.signedIn(tc.lead).get("/organisation/skills")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `action="/organisation/skills"`, `name="department"`)
		completed := regexp.MustCompile(`Completed</dt><dd class="nhsuk-summary-list__value">(\d+)<`).FindStringSubmatch(res.body)
		if completed == nil {
			t.Fatalf("%s: no completed count", tc.lead)
		}
		nearCount(t, tc.lead+" completed", completed[1], tc.completed)
		if strings.Contains(res.body, "all organisations") {
			t.Errorf("%s sees the national view", tc.lead)
		}
		// Every group is under 10 in Beta, and all but one in Alpha: the
		// national Nursing row of 12 is never what a lead sees.
		if row := heatmapRow(res.body, "Nursing and Midwifery Registered"); strings.Contains(row, ">12<") {
			t.Errorf("%s sees a national count: %s", tc.lead, row)
		}
	}
}

func TestHomeLinksAdminsToTheNationalView(t *testing.T) {
	app, _ := nationalApp(t)
	wantContains(t, app.signedIn("admin@alpha.test").get("/"), `href="/admin/skills"`)
	if res := app.signedIn("lead@alpha.test").get("/"); strings.Contains(res.body, `href="/admin/skills"`) {
		t.Error("a lead's home page links to the national view")
	}
}
