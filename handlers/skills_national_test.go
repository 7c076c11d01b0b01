package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
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
// group size of 10 in at least one trust:
//
//	group          A (now)   B (now)   all   nationally
//	Nursing        6 (2)     6 (3)     12    shown: small in each, large in total
//	Scientists     3 (3)     4 (3)      7    hidden: small in total
//	Students       5 (1)     6 (1)     11    hidden as the scientists' cover, the smallest shown group
//	Admin/Clerical 10 (1)    5 (4)     15    shown
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
		{"Students", 5, 6, 1, 1, 2, false},
		{"Administrative and Clerical", 10, 5, 1, 4, 4, true},
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
	return app, groups
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
	wantContains(t, res, "Workforce digital skills: all organisations", `action="/admin/skills"`)

	// People: 24 in Alpha and 21 in Beta, 45 in all.
	wantContains(t, res, "45 people.")
	if !strings.Contains(res.body, `id="organisations">2<`) {
		t.Error("the page does not say that 2 organisations have a completed self-assessment")
	}
	if !strings.Contains(res.body, `Completed</dt><dd class="nhsuk-summary-list__value">45<`) {
		t.Error("participation does not count the 45 people of both organisations")
	}

	// Mean "now" of every domain over both organisations, by hand:
	// (6*2 + 6*3 + 7*3 + 11*1 + 10*1 + 5*4) / 45 = 92/45 = 2.04, shown 2.0;
	// Alpha alone would be 36/24 = 1.5 and Beta alone 56/21 = 2.7.
	// Need: (12*3 + 7*4 + 11*2 + 15*4) / 45 = 146/45 = 3.24, shown 3.2.
	means := res.body[strings.Index(res.body, `id="domain-means"`):]
	means = means[:strings.Index(means, "</table>")]
	if got := strings.Count(means, `<td class="nhsuk-table__cell">2.0</td><td class="nhsuk-table__cell">3.2</td>`); got != 6 {
		t.Errorf("%d of 6 domains show now 2.0 and need 3.2:\n%s", got, means)
	}

	for _, g := range groups {
		row := heatmapRow(res.body, g.name)
		if row == "" {
			t.Errorf("%s: no heatmap row", g.name)
			continue
		}
		people := fmt.Sprintf(">%d<", g.inA+g.inB)
		switch {
		case g.wantShown && (strings.Contains(row, "Hidden") || !strings.Contains(row, people)):
			t.Errorf("%s (%d people in all) is not shown: %s", g.name, g.inA+g.inB, row)
		case !g.wantShown && (!strings.Contains(row, "Hidden") || strings.Contains(row, people)):
			t.Errorf("%s (%d people in all) is not hidden: %s", g.name, g.inA+g.inB, row)
		}
	}
	// Nursing's mean gap: Alpha's 6 have 1, Beta's 6 have 0, so 0.5.
	if row := heatmapRow(res.body, "Nursing and Midwifery Registered"); !strings.Contains(row, "0.5") {
		t.Errorf("Nursing's mean gap over both organisations is not 0.5: %s", row)
	}

	// A staff group filter of 7 people nationally is refused, as in an
	// organisation.
	res = admin.get("/admin/skills?staff-group=" + url.QueryEscape("Healthcare Scientists"))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, `id="filter-hidden"`)
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
	wantContains(t, res, "45 people.", "Gap by staff group and domain")
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
		wantContains(t, res, fmt.Sprintf(`Completed</dt><dd class="nhsuk-summary-list__value">%d<`, tc.completed),
			`action="/organisation/skills"`, `name="department"`)
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
