package handlers

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/workforce"
)

// The attack suite: each of the seven ways a curious digital lead (or an
// administrator) took the workforce figures apart before they became
// releases, performed through the real service and shown to fail; and the
// same attack code run on the exact, unprotected figures, where it must
// succeed, so that the attack is shown to work.

// groupFigures is what a page says about one group: its people and the
// mean rating now per domain.
type groupFigures struct {
	people float64
	now    map[string]float64
}

// figures is what an attacker reads: the service's pages, or the exact
// figures an unprotected service would show.
type figures interface {
	group(f workforce.Filter) (groupFigures, bool)
	national(f workforce.Filter) (groupFigures, bool)
	trend(period string) (groupFigures, bool)
	departments() []string
	participation() (started, completed float64, stops map[string]float64, ok bool)
}

// estimate is a group worked out from others: people and sums of "now".
type estimate struct {
	people float64
	sums   map[string]float64
	failed string
}

func (e *estimate) add(sign float64, g groupFigures, ok bool, what string) {
	if !ok {
		if e.failed == "" {
			e.failed = what + " is not shown"
		}
		return
	}
	if e.sums == nil {
		e.sums = map[string]float64{}
	}
	e.people += sign * g.people
	for d, m := range g.now {
		e.sums[d] += sign * g.people * m
	}
}

// recovers says the estimate gives the true group: its number of people
// exactly and every domain's mean within 0.25.
func (e estimate) recovers(people int, now map[string]float64) bool {
	if e.failed != "" || math.Round(e.people) != float64(people) || people == 0 {
		return false
	}
	for d, want := range now {
		if math.Abs(e.sums[d]/e.people-want) > 0.25 {
			return false
		}
	}
	return true
}

// ---- the service's pages ----

type pageFigures struct {
	t    *testing.T
	lead *client
	// admin reads the national view.
	admin *client
	fw    *assessments.Framework
}

var (
	peopleLine  = regexp.MustCompile(`<p>(\d+) people\.</p>`)
	domainNow   = regexp.MustCompile(`<th scope="row" class="nhsuk-table__header">([^<]+)</th><td class="nhsuk-table__cell">([0-9.]+)</td>`)
	trendRowRE  = regexp.MustCompile(`<th scope="row" class="nhsuk-table__header">([0-9/]+)</th><td class="nhsuk-table__cell">([^<]+)</td>((?:<td class="nhsuk-table__cell">[^<]+</td>)+)`)
	cellValueRE = regexp.MustCompile(`<td class="nhsuk-table__cell">([^<]+)</td>`)
)

func filterQuery(f workforce.Filter) string {
	q := url.Values{}
	if f.StaffGroup != "" {
		q.Set("staff-group", f.StaffGroup)
	}
	if f.PayBand != "" {
		q.Set("band", f.PayBand)
	}
	if f.Department != "" {
		q.Set("department", f.Department)
	}
	return q.Encode()
}

func (p pageFigures) read(body string) (groupFigures, bool) {
	for _, hidden := range []string{`id="filter-hidden"`, `id="not-published"`, `id="no-release"`} {
		if strings.Contains(body, hidden) {
			return groupFigures{}, false
		}
	}
	m := peopleLine.FindStringSubmatch(body)
	if m == nil {
		p.t.Fatalf("a page with figures but no count of people")
	}
	g := groupFigures{now: map[string]float64{}}
	g.people, _ = strconv.ParseFloat(m[1], 64)
	table := body[strings.Index(body, `id="domain-means"`):]
	table = table[:strings.Index(table, "</table>")]
	for _, row := range domainNow.FindAllStringSubmatch(table, -1) {
		for _, sec := range p.fw.Sections {
			if html.UnescapeString(row[1]) == sec.Label {
				g.now[sec.Code], _ = strconv.ParseFloat(row[2], 64)
			}
		}
	}
	return g, true
}

func (p pageFigures) group(f workforce.Filter) (groupFigures, bool) {
	return p.read(p.lead.get("/organisation/skills?" + filterQuery(f)).body)
}

func (p pageFigures) national(f workforce.Filter) (groupFigures, bool) {
	return p.read(p.admin.get("/admin/skills?" + filterQuery(f)).body)
}

func (p pageFigures) trend(period string) (groupFigures, bool) {
	body := p.lead.get("/organisation/skills").body
	i := strings.Index(body, `id="trend"`)
	if i < 0 {
		return groupFigures{}, false
	}
	table := body[i:]
	table = table[:strings.Index(table, "</table>")]
	for _, row := range trendRowRE.FindAllStringSubmatch(table, -1) {
		if row[1] != period || row[2] == "Hidden" {
			continue
		}
		g := groupFigures{now: map[string]float64{}}
		g.people, _ = strconv.ParseFloat(row[2], 64)
		for j, cell := range cellValueRE.FindAllStringSubmatch(row[3], -1) {
			v, err := strconv.ParseFloat(cell[1], 64)
			if err != nil {
				return groupFigures{}, false
			}
			g.now[p.fw.Sections[j].Code] = v
		}
		return g, true
	}
	return groupFigures{}, false
}

func (p pageFigures) departments() []string {
	body := p.lead.get("/organisation/skills?by=department").body
	sel := body[strings.Index(body, `name="department"`):]
	sel = sel[:strings.Index(sel, "</select>")]
	var names []string
	for _, m := range regexp.MustCompile(`<option value="([^"]*)"`).FindAllStringSubmatch(sel, -1) {
		if m[1] != "" {
			names = append(names, html.UnescapeString(m[1]))
		}
	}
	return names
}

func (p pageFigures) participation() (float64, float64, map[string]float64, bool) {
	body := p.lead.get("/organisation/skills").body
	value := func(label string) (float64, bool) {
		m := regexp.MustCompile(label + `</dt><dd class="nhsuk-summary-list__value">([^<]+)<`).FindStringSubmatch(body)
		if m == nil {
			return 0, false
		}
		v, err := strconv.ParseFloat(m[1], 64)
		return v, err == nil
	}
	started, ok1 := value("Started")
	completed, ok2 := value("Completed")
	stops := map[string]float64{}
	table := body[strings.Index(body, `id="stops"`):]
	table = table[:strings.Index(table, "</table>")]
	ok := ok1 && ok2
	for _, sec := range p.fw.Sections {
		m := regexp.MustCompile(regexp.QuoteMeta(html.EscapeString(sec.Label)) + `</td><td class="nhsuk-table__cell">([^<]+)</td>`).FindStringSubmatch(table)
		if m == nil {
			p.t.Fatalf("no stops row for %s", sec.Label)
		}
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			ok = false
			continue
		}
		stops[sec.Code] = v
	}
	return started, completed, stops, ok
}

// ---- the exact figures, as an unprotected service would show them ----

type exactFigures struct {
	t     *testing.T
	store *models.Store
	org   uint
}

func (x exactFigures) query(where string, args ...any) (groupFigures, bool) {
	var rows []struct {
		DomainCode string
		People     int
		Now        float64
	}
	if err := x.store.Query(context.Background(), &rows, "SELECT d.domain_code, COUNT(*) AS people, AVG(d.now) AS now "+
		"FROM skills_assessments a JOIN skills_domain_scores d ON d.assessment_id = a.id WHERE "+where+" GROUP BY d.domain_code", args...); err != nil {
		x.t.Fatal(err)
	}
	g := groupFigures{now: map[string]float64{}}
	for _, r := range rows {
		g.people, g.now[r.DomainCode] = float64(r.People), r.Now
	}
	return g, g.people > 0
}

func exactWhere(f workforce.Filter) (string, []any) {
	where, args := "a.latest = TRUE", []any{}
	for col, v := range map[string]string{"staff_group": f.StaffGroup, "pay_band": f.PayBand, "department": f.Department} {
		if v != "" {
			where += " AND a." + col + " = ?"
			args = append(args, v)
		}
	}
	return where, args
}

func (x exactFigures) group(f workforce.Filter) (groupFigures, bool) {
	where, args := exactWhere(f)
	return x.query(where+" AND a.organisation_id = ?", append(args, x.org)...)
}

func (x exactFigures) national(f workforce.Filter) (groupFigures, bool) {
	where, args := exactWhere(f)
	return x.query(where, args...)
}

func (x exactFigures) trend(period string) (groupFigures, bool) {
	return x.query("a.latest_in_period = TRUE AND a.period = ? AND a.organisation_id = ?", period, x.org)
}

func (x exactFigures) departments() []string {
	var names []string
	if err := x.store.Query(context.Background(), &names, "SELECT DISTINCT department FROM skills_assessments WHERE organisation_id = ? AND latest = TRUE ORDER BY department", x.org); err != nil {
		x.t.Fatal(err)
	}
	return names
}

func (x exactFigures) participation() (float64, float64, map[string]float64, bool) {
	var started, completed int64
	ctx := context.Background()
	if err := x.store.Query(ctx, &started, "SELECT COUNT(DISTINCT user_id) FROM skills_assessments WHERE organisation_id = ?", x.org); err != nil {
		x.t.Fatal(err)
	}
	if err := x.store.Query(ctx, &completed, "SELECT COUNT(DISTINCT user_id) FROM skills_assessments WHERE organisation_id = ? AND completed_at IS NOT NULL", x.org); err != nil {
		x.t.Fatal(err)
	}
	var rows []struct {
		CurrentDomain string
		People        int
	}
	if err := x.store.Query(ctx, &rows, "SELECT current_domain, COUNT(DISTINCT user_id) AS people FROM skills_assessments a WHERE organisation_id = ? AND completed_at IS NULL "+
		"AND NOT EXISTS (SELECT 1 FROM skills_assessments x WHERE x.user_id = a.user_id AND x.completed_at IS NOT NULL) GROUP BY current_domain", x.org); err != nil {
		x.t.Fatal(err)
	}
	stops := map[string]float64{}
	for _, r := range rows {
		stops[r.CurrentDomain] = float64(r.People)
	}
	return float64(started), float64(completed), stops, true
}

// ---- the trusts attacked ----

// attackWorld is a trust of about a hundred staff with the groups each
// attack goes after, and a peer trust for the national view.
type attackWorld struct {
	*testApp
	fw        *assessments.Framework
	home      models.Organisation
	peer      models.Organisation
	lead      *client
	admin     *client
	adminLead models.User
	// truth of each attacked group: its people and mean now per domain.
	truth map[string]groupTruth
}

type groupTruth struct {
	people int
	now    map[string]float64
}

// person completes the self-assessment with a "now" rating per domain
// (need one level higher, at most 4) in period.
func (w *attackWorld) person(org models.Organisation, email, group, band, department, period string, now []float64) {
	w.t.Helper()
	ctx := context.Background()
	fv, err := w.store.FrameworkVersionByCode(ctx, w.fw.Code, w.fw.Version)
	if err != nil {
		w.t.Fatal(err)
	}
	u := w.user(org, email, models.RoleStaff)
	u.StaffGroup, u.PayBand, u.Department = group, band, department
	a, err := w.store.StartSkillsAssessment(ctx, u, fv.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	var scores []models.SkillsDomainScore
	for i, sec := range w.fw.Sections {
		need := math.Min(4, now[i]+1)
		scores = append(scores, models.SkillsDomainScore{DomainCode: sec.Code, Now: now[i], Need: need, Gap: need - now[i]})
	}
	if err := w.store.CompleteSkillsAssessment(ctx, a, u, period, fixedScores(scores)); err != nil {
		w.t.Fatal(err)
	}
}

// varied is a spread of ratings for the i'th member of a group.
func varied(i int) []float64 {
	return []float64{float64(1 + i%4), float64(1 + (i+1)%4), float64(1 + (i+2)%4), float64(1 + i%3), float64(2 + i%3), float64(1 + (i+3)%4)}
}

func (w *attackWorld) many(org models.Organisation, prefix string, n int, group, band, department, period string) {
	for i := 0; i < n; i++ {
		w.person(org, fmt.Sprintf("%s%d@%s.test", prefix, i, strings.ToLower(org.ODSCode)), group, band, department, period, varied(i))
	}
}

func (w *attackWorld) target(name string, people int, now []float64) {
	t := groupTruth{people: people, now: map[string]float64{}}
	for i, sec := range w.fw.Sections {
		t.now[sec.Code] = now[i]
	}
	w.truth[name] = t
}

// newPlainWorld is a trust of two large groups only, and the lead and
// administrator who attack it; nothing is small, so nothing is suppressed.
func newPlainWorld(t *testing.T) *attackWorld {
	app := newTestApp(t)
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	w := &attackWorld{testApp: app, fw: fw, truth: map[string]groupTruth{}}
	w.home = app.organisation("Home Hospitals NHS Trust", "HOM", models.KindAcute)
	w.peer = app.organisation("Peer Community NHS Trust", "PER", models.KindCommunity)
	app.user(w.home, "lead@hom.test", models.RoleLead)
	w.adminLead = app.user(w.home, "admin@hom.test", models.RoleAdmin, models.RoleLead)
	w.many(w.home, "nurse", 30, "Nursing and Midwifery Registered", "Band 5", "Ward A", "2026/27")
	w.many(w.home, "clerk", 25, "Administrative and Clerical", "Band 3", "Finance", "2026/27")
	w.lead = app.signedIn("lead@hom.test")
	w.admin = app.signedIn("admin@hom.test")
	return w
}

func newAttackWorld(t *testing.T) *attackWorld {
	app := newTestApp(t)
	fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
	w := &attackWorld{testApp: app, fw: fw, truth: map[string]groupTruth{}}
	w.home = app.organisation("Home Hospitals NHS Trust", "HOM", models.KindAcute)
	w.peer = app.organisation("Peer Community NHS Trust", "PER", models.KindCommunity)
	app.user(w.home, "lead@hom.test", models.RoleLead)
	w.adminLead = app.user(w.home, "admin@hom.test", models.RoleAdmin, models.RoleLead)
	const now, last = "2026/27", "2025/26"
	w.many(w.home, "nurse", 30, "Nursing and Midwifery Registered", "Band 5", "Ward A", now)
	// Attack 4's groups of 8 and 9.
	w.many(w.home, "senior", 8, "Nursing and Midwifery Registered", "Band 6", "Ward A", now)
	w.many(w.home, "ahp", 13, "Allied Health Professionals", "Band 6", "Therapies", now)
	w.many(w.home, "clerk", 25, "Administrative and Clerical", "Band 3", "Finance", now)
	w.many(w.home, "officer", 9, "Administrative and Clerical", "Band 4", "Finance", now)
	// Attack 3's department of one, and the department that covered it.
	chaplain := []float64{4, 1, 3, 2, 4, 1}
	w.person(w.home, "chaplain@hom.test", "Allied Health Professionals", "Band 6", "Chaplaincy", now, chaplain)
	w.target("chaplaincy", 1, chaplain)
	w.many(w.home, "porter", 12, "Estates and Ancillary", "Band 2", "Estates", now)
	// Attack 7's three people whose latest attempt was last year.
	var sum [6]float64
	for i := 0; i < 3; i++ {
		w.person(w.home, fmt.Sprintf("doctor%d@hom.test", i), "Medical and Dental", models.NotOnAgendaForChange, "Surgery", last, varied(i+5))
		for d, v := range varied(i + 5) {
			sum[d] += v / 3
		}
	}
	w.target("last year", 3, sum[:])
	// Attack 4's truths.
	w.target("nursing band 6", 8, meanOf(8, 0))
	w.target("admin band 4", 9, meanOf(9, 0))
	// Attack 7's one person who stopped part-way, at the third domain.
	u := w.user(w.home, "stopped@hom.test", models.RoleStaff)
	fv, _ := w.store.FrameworkVersionByCode(context.Background(), fw.Code, fw.Version)
	a, err := w.store.StartSkillsAssessment(context.Background(), u, fv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.SaveSkillsAnswers(context.Background(), a, nil, fw.Sections[2].Code); err != nil {
		t.Fatal(err)
	}
	// Attack 6: the peer's three nurses, hidden in the peer's own figures.
	nurses := []float64{1, 1, 1, 4, 4, 4}
	for i := 0; i < 3; i++ {
		w.person(w.peer, fmt.Sprintf("nurse%d@per.test", i), "Nursing and Midwifery Registered", "Band 5", "Community", now, nurses)
	}
	w.target("peer nurses", 3, nurses)
	w.many(w.peer, "carer", 20, "Additional Clinical Services", "Band 3", "Community", now)

	w.lead = app.signedIn("lead@hom.test")
	w.admin = app.signedIn("admin@hom.test")
	return w
}

// meanOf is the mean of varied(start..start+n-1).
func meanOf(n, start int) []float64 {
	out := make([]float64, 6)
	for i := start; i < start+n; i++ {
		for d, v := range varied(i) {
			out[d] += v / float64(n)
		}
	}
	return out
}

func (w *attackWorld) pages(t *testing.T) figures {
	return pageFigures{t: t, lead: w.lead, admin: w.admin, fw: w.fw}
}

func (w *attackWorld) exact(t *testing.T) figures {
	return exactFigures{t: t, store: w.store, org: w.home.ID}
}

// both runs an attack on the service's pages, where it must fail, and on
// the exact figures, where it must succeed.
func both(t *testing.T, w *attackWorld, name string, attack func(figures) estimate) {
	t.Helper()
	want := w.truth[name]
	if got := attack(w.exact(t)); !got.recovers(want.people, want.now) {
		t.Errorf("positive control: the attack on the exact figures did not recover %s (%d people): %+v", name, want.people, got)
	}
	if got := attack(w.pages(t)); got.recovers(want.people, want.now) {
		t.Errorf("the attack through the service recovered %s (%d people): %+v", name, want.people, got)
	} else {
		t.Logf("%s: the attack through the service fails (%s)", name, cmpOr(got.failed, "its estimate is wrong"))
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ---- the attacks ----

// Attack 1: a chart carries more precision than the table beside it.
func TestAttackChartPrecision(t *testing.T) {
	w := newAttackWorld(t)
	w.publish()
	body := w.lead.get("/organisation/skills").body
	table, ok := w.pages(t).group(workforce.Filter{})
	if !ok {
		t.Fatal("the all-staff figures are not shown")
	}
	exact, _ := w.exact(t).group(workforce.Filter{})
	bars := regexp.MustCompile(`app-chart__bar--now" x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)"`)
	implied := func(svg string) []float64 {
		var out []float64
		for _, m := range bars.FindAllStringSubmatch(svg, -1) {
			width, _ := strconv.ParseFloat(m[1], 64)
			out = append(out, width/barPlotW*4)
		}
		return out
	}
	// Positive control: a chart drawn from the exact means gives them away
	// to more places than the table's one.
	var scores []assessments.DomainScore
	for _, sec := range w.fw.Sections {
		scores = append(scores, assessments.DomainScore{Code: sec.Code, Now: exact.now[sec.Code], Need: 4, Scored: true})
	}
	finer := 0
	for i, v := range implied(string(workforceChart(w.fw, scores))) {
		e := exact.now[w.fw.Sections[i].Code]
		if math.Abs(v-e) < 0.005 && math.Abs(assessments.Round1(e)-e) > 0.01 {
			finer++
		}
	}
	if finer == 0 {
		t.Error("positive control: a chart of the exact means gives no more than the table")
	}
	// The service's chart says exactly what its table says.
	got := implied(body)
	if len(got) != len(w.fw.Sections) {
		t.Fatalf("%d bars for now, want %d", len(got), len(w.fw.Sections))
	}
	for i, v := range got {
		if shown := table.now[w.fw.Sections[i].Code]; math.Abs(v-shown) > 0.005 {
			t.Errorf("%s: the chart's bar gives %.4f, the table %.1f", w.fw.Sections[i].Code, v, shown)
		}
	}
}

// Attack 2: the figures before and after one named colleague completes.
func TestAttackBeforeAndAfter(t *testing.T) {
	w := newAttackWorld(t)
	w.publish()
	ward := workforce.Filter{Department: "Ward A"}
	pages, exact := w.pages(t), w.exact(t)
	before, beforeOK := pages.group(ward)
	exactBefore, _ := exact.group(ward)
	pageBefore := w.lead.get("/organisation/skills?" + filterQuery(ward)).body

	colleague := []float64{4, 4, 1, 1, 4, 1}
	w.person(w.home, "colleague@hom.test", "Nursing and Midwifery Registered", "Band 5", "Ward A", "2026/27", colleague)
	w.target("colleague", 1, colleague)

	// Nothing a lead sees changes until the next release, and no page
	// names who completed.
	if after := w.lead.get("/organisation/skills?" + filterQuery(ward)).body; after != pageBefore {
		t.Error("the workforce view changed before the next release")
	}
	for _, path := range []string{"/audit", "/organisation/skills"} {
		for _, c := range []*client{w.lead, w.admin} {
			if body := c.get(path).body; strings.Contains(body, "colleague@hom.test") || strings.Contains(body, "skills.complete") {
				t.Errorf("%s names who completed the self-assessment", path)
			}
		}
	}
	w.publish()
	both(t, w, "colleague", func(f figures) estimate {
		after, ok := f.group(ward)
		var e estimate
		e.add(1, after, ok, "the ward after")
		if _, isPage := f.(pageFigures); isPage {
			e.add(-1, before, beforeOK, "the ward before")
		} else {
			e.add(-1, exactBefore, true, "the ward before")
		}
		return e
	})
}

// Attack 3: a group hidden as cover is shown in full when filtered on
// directly; the total minus every sibling then gives the small group.
func TestAttackCoverGroups(t *testing.T) {
	w := newAttackWorld(t)
	w.publish()
	both(t, w, "chaplaincy", func(f figures) estimate {
		total, ok := f.group(workforce.Filter{})
		var e estimate
		e.add(1, total, ok, "all staff")
		var missing []string
		for _, d := range f.departments() {
			g, ok := f.group(workforce.Filter{Department: d})
			if !ok {
				missing = append(missing, d)
				continue
			}
			// The attacker subtracts every department but the one they are
			// after: in the exact figures they know its name.
			if d != "Chaplaincy" {
				e.add(-1, g, true, d)
			}
		}
		if _, isPage := f.(pageFigures); isPage && len(missing) > 0 {
			// Through the service: the unknown remainder is the group
			// after; more than one hidden department leaves it unknown.
			if len(missing) > 1 {
				e.failed = fmt.Sprintf("%d departments are hidden: %v", len(missing), missing)
			}
		}
		return e
	})
	for _, body := range []string{w.lead.get("/organisation/skills?by=department").body, w.lead.get("/organisation/skills/export.xlsx").body} {
		if strings.Contains(body, "Chaplaincy") {
			t.Error("the department of one is named")
		}
	}
}

// Attack 4: sums and differences of allowed filters give groups of 8 and 9.
func TestAttackSiblingFilters(t *testing.T) {
	w := newAttackWorld(t)
	w.publish()
	both(t, w, "nursing band 6", func(f figures) estimate {
		var e estimate
		g, ok := f.group(workforce.Filter{StaffGroup: "Nursing and Midwifery Registered"})
		e.add(1, g, ok, "nursing")
		g, ok = f.group(workforce.Filter{StaffGroup: "Nursing and Midwifery Registered", PayBand: "Band 5"})
		e.add(-1, g, ok, "nursing band 5")
		return e
	})
	both(t, w, "admin band 4", func(f figures) estimate {
		var e estimate
		g, ok := f.group(workforce.Filter{PayBand: "Band 4"})
		e.add(1, g, ok, "band 4")
		return e
	})
}

// Attack 5: a lead imports nine people with the profile of a real
// colleague, completes the self-assessment as each with known answers, and
// solves the group of ten for the colleague's answers. The trust has no
// other small group, so nothing is hidden as cover: the perturbation is
// what the attack meets (TestFakeAccountsMonteCarlo in package workforce
// measures how often it fails).
func TestAttackFakeAccounts(t *testing.T) {
	// Accounts that only followed their invitation link count for nothing.
	t.Run("invitation links only", func(t *testing.T) {
		w, attack := fakeAccounts(t, false)
		w.publish()
		both(t, w, "student", attack)
	})
	// Even when the lead signs in as each of them before the release, the
	// perturbation defeats the attack.
	t.Run("signed in as each", func(t *testing.T) {
		w, attack := fakeAccounts(t, true)
		w.publish()
		if _, ok := w.pages(t).group(workforce.Filter{Department: "Library"}); !ok {
			t.Fatal("the library is not published, so the perturbation is not what is attacked")
		}
		both(t, w, "student", attack)
	})
	// And when they sign in only after a release, the release before and
	// the one after differ by the nine alone, so the next release hides the
	// group rather than give the real person away by subtraction.
	t.Run("signed in between releases", func(t *testing.T) {
		w, attack := fakeAccounts(t, false)
		w.publish()
		for i := 0; i < 9; i++ {
			wantStatus(t, w.client().signIn(fmt.Sprintf("fake%d@hom.test", i), testPassword), http.StatusSeeOther)
		}
		w.publish()
		both(t, w, "student", attack)
	})
}

// fakeAccounts is a plain trust with one real student in the library and
// nine made-up colleagues of the same profile, imported by the lead and
// taken through the self-assessment with known answers (all 2); signIn
// says the lead also signed in as each of them. It returns the attack:
// the library's figures less the nine known answers.
func fakeAccounts(t *testing.T, signIn bool) (*attackWorld, func(figures) estimate) {
	w := newPlainWorld(t)
	real := []float64{1, 4, 2, 4, 1, 3}
	w.person(w.home, "student@hom.test", "Students", "Band 4", "Library", "2026/27", real)
	w.target("student", 1, real)

	const fakeCount = 9
	file := "email,name,staff group,band,department,job role\r\n"
	for i := 0; i < fakeCount; i++ {
		file += fmt.Sprintf("fake%d@hom.test,Fake %d,Students,Band 4,Library,Student\r\n", i, i)
	}
	res := w.lead.upload("/organisation/staff/import", "staff.csv", file)
	wantStatus(t, res, http.StatusSeeOther)
	importPage := res.location()
	wantStatus(t, confirmImport(t, w.lead, importPage), http.StatusSeeOther)
	links := w.lead.post(importPage+"/links", nil)
	tokens := regexp.MustCompile(`http://example\.test/invitations/([A-Za-z0-9_-]+)`).FindAllStringSubmatch(links.body, -1)
	if len(tokens) != fakeCount {
		t.Fatalf("%d invitation links, want %d", len(tokens), fakeCount)
	}
	for i, m := range tokens {
		c := w.client()
		wantStatus(t, c.post("/invitations/"+m[1], url.Values{"name": {fmt.Sprintf("Fake %d", i)}, "password": {testPassword}, "confirm-password": {testPassword}}), http.StatusSeeOther)
		wantStatus(t, c.post("/skills/start", nil), http.StatusSeeOther)
		for _, sec := range w.fw.Sections {
			wantStatus(t, c.post("/skills/domains/"+sec.Code, domainForm(w.fw, sec.Code, 2, 3, "continue")), http.StatusSeeOther)
		}
		wantStatus(t, c.post("/skills/submit", nil), http.StatusSeeOther)
		if signIn {
			wantStatus(t, w.client().signIn(fmt.Sprintf("fake%d@hom.test", i), testPassword), http.StatusSeeOther)
		}
	}
	return w, func(f figures) estimate {
		g, ok := f.group(workforce.Filter{Department: "Library"})
		var e estimate
		e.add(1, g, ok, "the library")
		if ok {
			e.people -= fakeCount
			for d := range e.sums {
				e.sums[d] -= fakeCount * 2
			}
		}
		return e
	}
}

// Attack 6: an administrator subtracts their own trust from the national
// view; and cannot give themselves another role on the way.
func TestAttackNationalMinusOwnOrganisation(t *testing.T) {
	w := newAttackWorld(t)
	w.publish()
	res := w.admin.post("/accounts/"+itoa(w.adminLead.ID)+"/roles", url.Values{"roles": {"admin", "lead", "board"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	nursing := workforce.Filter{StaffGroup: "Nursing and Midwifery Registered"}
	both(t, w, "peer nurses", func(f figures) estimate {
		var e estimate
		g, ok := f.national(nursing)
		e.add(1, g, ok, "national nursing")
		g, ok = f.group(nursing)
		e.add(-1, g, ok, "own nursing")
		return e
	})
}

// Attack 7: rules applied unevenly: the trend against the current
// figures, the "where people stopped" table with its zeros, and the names
// of tiny departments.
func TestAttackUnevenRules(t *testing.T) {
	w := newAttackWorld(t)
	w.publish()
	both(t, w, "last year", func(f figures) estimate {
		var e estimate
		g, ok := f.group(workforce.Filter{})
		e.add(1, g, ok, "all staff now")
		g, ok = f.trend("2026/27")
		e.add(-1, g, ok, "this year's trend row")
		return e
	})

	stopped := func(f figures) (float64, bool) {
		started, completed, stops, ok := f.participation()
		if !ok {
			return 0, false
		}
		rest := started - completed
		for d, n := range stops {
			if d != w.fw.Sections[2].Code {
				rest -= n
			}
		}
		return rest, true
	}
	if n, ok := stopped(w.exact(t)); !ok || n != 1 {
		t.Errorf("positive control: the exact figures give %v people stopped at the third domain, want 1", n)
	}
	if n, ok := stopped(w.pages(t)); ok && n == 1 {
		t.Error("the service's participation figures give away the one person who stopped at the third domain")
	}

	var small []string
	for _, d := range w.exact(t).departments() {
		if g, _ := w.exact(t).group(workforce.Filter{Department: d}); g.people < 10 {
			small = append(small, d)
		}
	}
	if len(small) == 0 {
		t.Fatal("positive control: no department of fewer than 10 people to look for")
	}
	xlsx := w.lead.get("/organisation/skills/export.xlsx").body
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			cells = append(cells, r...)
		}
	}
	pages := w.lead.get("/organisation/skills?by=department").body + w.lead.get("/organisation/skills").body +
		w.lead.get("/organisation/skills/export.csv").body + strings.Join(cells, "\n")
	for _, d := range small {
		if strings.Contains(pages, d) {
			t.Errorf("the department %q of fewer than 10 people is named", d)
		}
	}
}
