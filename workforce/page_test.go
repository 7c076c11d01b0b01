package workforce

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/reports"
)

// pageFixture is a store holding one hand-made release for one
// organisation and nationally, and the Pages that read it.
type pageFixture struct {
	pages Pages
	org   models.Organisation
	built time.Time
}

func newPageFixture(t *testing.T, withRelease bool) pageFixture {
	t.Helper()
	ctx := context.Background()
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	fw, _ := lib.Latest(assessments.KindSkills)
	store := testdb.Open(t)
	org := models.Organisation{Name: "Home Trust", ODSCode: "HOM", Kind: models.KindAcute}
	if err := store.CreateOrganisation(ctx, &org, 0); err != nil {
		t.Fatal(err)
	}
	pub := NewPublisher(store, fw, 10, 0)
	f := pageFixture{org: org, built: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC),
		pages: Pages{Publisher: pub, Store: store, Skills: fw, MinGroupSize: 10,
			Framework: func(id uint) (*assessments.Framework, error) { return nil, fmt.Errorf("no framework %d", id) }}}
	if !withRelease {
		return f
	}
	means := func(now, need float64) map[string]Sums {
		m := map[string]Sums{}
		for _, sec := range fw.Sections {
			m[sec.Code] = Sums{Now: now, Need: need, Gap: need - now}
		}
		return m
	}
	first := fw.Sections[0].Code
	own := []Cell{
		{Dims: "", People: 40, Means: means(2, 3)},
		{Basis: "2025/26", Dims: "", People: 20, Means: means(1.5, 3)},
		{Basis: "2026/27", Dims: "", People: 40, Means: means(2, 3)},
		{Dims: StaffGroup, StaffGroup: "Nursing and Midwifery", People: 30, Means: means(2.2, 3.1)},
		{Dims: StaffGroup, StaffGroup: OtherStaffGroups, Suppressed: true},
		{Dims: PayBand, PayBand: "Band 5", People: 25, Means: means(2, 3)},
		{Dims: PayBand, PayBand: OtherPayBands, People: 15, Means: means(2, 3)},
		{Dims: Department, Department: "Ward 7", People: 12, Means: means(2.5, 3.5)},
		{Dims: "participation", Item: ItemInvited, People: 60},
		{Dims: "participation", Item: ItemStarted, People: 45},
		{Dims: "participation", Item: ItemCompleted, People: 40},
		{Dims: "participation", Item: ItemStopped + ":" + first, Suppressed: true},
	}
	var cells []models.WorkforceCell
	for _, c := range own {
		c.OrganisationID = org.ID
		cells = append(cells, storedCell(c))
	}
	for _, c := range []Cell{
		{Dims: "", People: 400, Means: means(2.1, 3)},
		{Dims: StaffGroup, StaffGroup: "Nursing and Midwifery", People: 300, Means: means(2.2, 3)},
	} {
		cells = append(cells, storedCell(c))
	}
	rel := models.WorkforceRelease{BuiltAt: f.built, NextAt: f.built.Add(7 * 24 * time.Hour), MinGroupSize: 11, Organisations: 3,
		Domains: strings.Join(fw.SectionCodes(), ",")}
	if err := store.SaveWorkforceRelease(ctx, &rel, cells); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPageBeforeTheFirstRelease(t *testing.T) {
	f := newPageFixture(t, false)
	p, err := f.pages.Page(context.Background(), models.OrganisationScope(f.org.ID), Filter{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !p.NoRelease || p.Rows != nil || p.Scores != nil || p.Panel.HasWorkforce {
		t.Errorf("before any release: %+v", p)
	}
	if p.Dimension != StaffGroup || p.DimensionLabel != "Staff group" || len(p.Dimensions) != 3 {
		t.Errorf("grouping %q %q %v", p.Dimension, p.DimensionLabel, p.Dimensions)
	}
	if got := p.Report(time.UTC).Note; got != "No workforce figures have been published yet: they are published once a week." {
		t.Errorf("report note %q", got)
	}
	if tab := p.Table(time.UTC); len(tab.Rows) != 0 {
		t.Errorf("export rows before any release: %v", tab.Rows)
	}
}

func TestPageReadsEveryFigureFromTheRelease(t *testing.T) {
	f := newPageFixture(t, true)
	p, err := f.pages.Page(context.Background(), models.OrganisationScope(f.org.ID), Filter{}, "no-such-grouping")
	if err != nil {
		t.Fatal(err)
	}
	if p.NoRelease || p.NotPublished || p.FilterHidden || p.FilteredPeople != 40 {
		t.Fatalf("view: no release %v, not published %v, hidden %v, people %d", p.NoRelease, p.NotPublished, p.FilterHidden, p.FilteredPeople)
	}
	// The release's own minimum and count, not the service's setting.
	if p.MinGroupSize != 11 || p.Organisations != 3 || p.Dimension != StaffGroup {
		t.Errorf("min %d, organisations %d, dimension %q", p.MinGroupSize, p.Organisations, p.Dimension)
	}
	if p.Invited.Value != 60 || p.Started.People != 45 || p.Completed.Value != 40 || p.Invited.Hidden {
		t.Errorf("participation %+v %+v %+v", p.Invited, p.Started, p.Completed)
	}
	if !p.Stops[0].People.Hidden || !p.Stops[1].People.Empty {
		t.Errorf("stops: first %+v (hidden in the release), second %+v (none)", p.Stops[0].People, p.Stops[1].People)
	}
	if len(p.Domains) != len(f.pages.Skills.Sections) || p.Domains[0].Now.Value != 2 || p.Domains[0].Gap.Value != 1 || len(p.Scores) != len(p.Domains) {
		t.Errorf("domains %+v", p.Domains)
	}
	if len(p.Rows) != 2 || p.Rows[0].Group != "Nursing and Midwifery" || p.Rows[0].People != 30 || p.Rows[0].Hidden ||
		!p.Rows[1].Hidden || p.Rows[1].Group != OtherStaffGroups {
		t.Fatalf("rows %+v", p.Rows)
	}
	if c := p.Rows[0].Cells[0]; c.Value < 0.89 || c.Value > 0.91 || c.Hidden || c.Empty {
		t.Errorf("a gap cell %+v, want 0.9", c)
	}
	if c := p.Rows[1].Cells[0]; !c.Hidden || c.Empty {
		t.Errorf("a hidden group's cell %+v", c)
	}
	if len(p.Trend) != 2 || p.Trend[0].Period != "2025/26" || p.Trend[0].Cells[0].Value != 1.5 {
		t.Errorf("trend %+v", p.Trend)
	}
	if len(p.StaffGroups) != 2 || p.StaffGroups[1].Value != OtherStaffGroups || len(p.Departments) != 1 {
		t.Errorf("options %v %v", p.StaffGroups, p.Departments)
	}
	// The workforce's side of the panel: the mean of the all-staff domain
	// means; no board side without an agreed cycle.
	if !p.Panel.HasWorkforce || p.Panel.People != 40 || p.Panel.Now != 2 || p.Panel.Need != 3 || p.Panel.Gap != 1 || p.Panel.HasBoard {
		t.Errorf("panel %+v", p.Panel)
	}
}

func TestPageSaysWhatIsNotPublished(t *testing.T) {
	f := newPageFixture(t, true)
	ctx := context.Background()
	scope := models.OrganisationScope(f.org.ID)
	for _, tc := range []struct {
		name   string
		filter Filter
	}{
		{"a combination finer than the tables", Filter{StaffGroup: "Nursing and Midwifery", Department: "Ward 7"}},
		{"a group merged into Other, asked for by name", Filter{StaffGroup: "Allied Health Professionals"}},
	} {
		p, err := f.pages.Page(ctx, scope, tc.filter, StaffGroup)
		if err != nil {
			t.Fatal(err)
		}
		if !p.NotPublished || p.Domains != nil || p.Rows != nil || p.Trend != nil {
			t.Errorf("%s: not published %v, domains %d, rows %d", tc.name, p.NotPublished, len(p.Domains), len(p.Rows))
		}
	}

	// A department's figures, but no breakdown of it by staff group and
	// no trend: neither table is published.
	p, err := f.pages.Page(ctx, scope, Filter{Department: "Ward 7"}, StaffGroup)
	if err != nil {
		t.Fatal(err)
	}
	if p.NotPublished || p.FilteredPeople != 12 || !p.RowsNotPublished || p.Rows != nil || !p.TrendNotPublished || p.Trend != nil {
		t.Errorf("department view: %+v", p)
	}

	// A hidden group shows no figure at all.
	p, err = f.pages.Page(ctx, scope, Filter{StaffGroup: OtherStaffGroups}, PayBand)
	if err != nil {
		t.Fatal(err)
	}
	if !p.FilterHidden || p.Domains != nil || p.Rows != nil {
		t.Errorf("hidden group: %+v", p)
	}
}

func TestNationalPageHasNoDepartments(t *testing.T) {
	f := newPageFixture(t, true)
	p, err := f.pages.Page(context.Background(), models.NationalScope(), Filter{Department: "Ward 7"}, Department)
	if err != nil {
		t.Fatal(err)
	}
	if p.Filter.Department != "" || p.Dimension != StaffGroup || len(p.Dimensions) != 2 {
		t.Errorf("national filter %+v, dimension %q, dimensions %v", p.Filter, p.Dimension, p.Dimensions)
	}
	if p.FilteredPeople != 400 || len(p.Rows) != 1 || p.Rows[0].People != 300 || p.Panel.HasWorkforce {
		t.Errorf("national figures: people %d, rows %+v, panel %+v", p.FilteredPeople, p.Rows, p.Panel)
	}
}

func TestTableAndReportOfAPage(t *testing.T) {
	f := newPageFixture(t, true)
	p, err := f.pages.Page(context.Background(), models.OrganisationScope(f.org.ID), Filter{}, StaffGroup)
	if err != nil {
		t.Fatal(err)
	}
	tab := p.Table(time.UTC)
	if tab.Name != "Workforce skills by staff group" || tab.Columns[0] != "Staff group" {
		t.Errorf("table %q %v", tab.Name, tab.Columns)
	}
	domains := len(f.pages.Skills.Sections)
	if len(tab.Rows) != 2*domains {
		t.Fatalf("%d rows, want %d", len(tab.Rows), 2*domains)
	}
	shown := tab.Rows[0]
	if shown[2] != reports.Count(30) || shown[3] != reports.Number(2.2) || shown[6] != reports.Date(f.built) {
		t.Errorf("a shown group's row %+v", shown)
	}
	hidden := tab.Rows[domains]
	for _, c := range hidden[2:6] {
		if c != reports.Text("Hidden") {
			t.Errorf("a hidden group's figure %+v", c)
		}
	}

	r := p.Report(time.UTC)
	if r.Participation[0].Value != "60" || r.Participation[2].Value != "40" {
		t.Errorf("participation %+v", r.Participation)
	}
	if h := r.Heatmap.Rows; len(h) != 2 || h[0].Count.Label != "30" || h[0].Cells[0].Label != "0.9" || h[1].Count.Label != "Hidden" || h[1].Cells[0].Label != "Hidden" {
		t.Errorf("heatmap %+v", r.Heatmap.Rows)
	}
	if want := "Figures as of 1 June 2026 (next update 8 June 2026). Groups of fewer than 11 people are hidden"; len(r.Note) < len(want) || r.Note[:len(want)] != want {
		t.Errorf("note %q", r.Note)
	}
	if r.WorkforceView != "The workforce's view: 40 staff rate themselves 2.0 out of 4 now against 3.0 their roles need, a gap of 1.0." {
		t.Errorf("workforce view %q", r.WorkforceView)
	}
	if r.BoardView != "The board's view: no agreed level for \"Support people\" yet." {
		t.Errorf("board view %q", r.BoardView)
	}
}
