package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/workforce"
)

// cellFigure is one published figure as shown: hidden when the release
// suppressed it, empty when the group has nobody in it.
type cellFigure struct {
	Value  float64
	People int
	Hidden bool
	Empty  bool
}

// heatRow is one group of the heatmap: its people and a gap per domain.
type heatRow struct {
	Group  string
	People int
	Hidden bool
	Cells  []cellFigure
	// Means are the group's published domain means, for the exports.
	Means map[string]workforce.Sums
}

type domainFigure struct {
	Domain    *assessments.Section
	Now, Need cellFigure
	Gap       cellFigure
}

type trendRow struct {
	Period string
	People int
	Hidden bool
	Cells  []cellFigure // "now" mean per domain
}

type stopRow struct {
	Domain *assessments.Section
	People cellFigure
}

// boardWorkforce puts the board's view of "Support people" beside the
// workforce's own.
type boardWorkforce struct {
	HasBoard     bool
	Cycle        models.MaturityCycle
	BoardScore   float64
	BoardRAG     assessments.RAG
	BoardLabel   string
	HasWorkforce bool
	People       int
	Now, Need    float64
	Gap          float64
	ScaleMax     int
	SkillsRAG    assessments.RAG
}

// orgSkillsData is the workforce view of one scope for a filter and
// grouping. Every figure in it is read from the latest workforce release.
type orgSkillsData struct {
	// National is the platform admins' view of every organisation; without
	// it the view is one organisation's.
	National bool
	// NoRelease is true before the first release is built.
	NoRelease bool
	Release   models.WorkforceRelease
	// Organisations counts, nationally, the organisations with at least one
	// completed self-assessment.
	Organisations  int
	Framework      *assessments.Framework
	Filter         workforce.Filter
	Dimension      string
	DimensionLabel string
	StaffGroups    []option
	PayBands       []option
	Departments    []option
	Dimensions     []option
	MinGroupSize   int

	Invited, Started cellFigure
	Completed        cellFigure
	Stops            []stopRow
	// NotPublished says the release has no figures for this combination of
	// filters: it is finer than the published tables.
	NotPublished bool
	// FilterHidden says the filtered group itself is suppressed or empty.
	FilterHidden   bool
	FilteredPeople int
	Domains        []domainFigure
	// RowsNotPublished and TrendNotPublished say the release does not break
	// the group down by the chosen grouping, or by period.
	RowsNotPublished  bool
	Rows              []heatRow
	TrendNotPublished bool
	Trend             []trendRow
	Panel             boardWorkforce
	Chart             template.HTML
}

var dimensionLabels = map[string]string{
	workforce.StaffGroup: "Staff group",
	workforce.Department: "Department",
	workforce.PayBand:    "Pay band",
}

// ownOrganisation is the skills scope of the signed-in person's
// organisation: a digital lead's workforce view, report and exports.
func ownOrganisation(c echo.Context) models.SkillsScope {
	return models.OrganisationScope(mustUser(c).OrganisationID)
}

// organisationSkills is the digital lead's workforce view.
func (s *Server) organisationSkills(c echo.Context) error {
	return s.workforceSkillsPage(c, ownOrganisation(c), "Workforce digital skills")
}

// nationalSkills is the platform admins' workforce view over every
// organisation.
func (s *Server) nationalSkills(c echo.Context) error {
	return s.workforceSkillsPage(c, models.NationalScope(), "Workforce digital skills: all organisations")
}

// workforceSkillsPage renders the workforce view of scope for the filters
// and grouping in the query.
func (s *Server) workforceSkillsPage(c echo.Context, scope models.SkillsScope, title string) error {
	filter := workforce.Filter{StaffGroup: c.QueryParam("staff-group"), PayBand: c.QueryParam("band"), Department: c.QueryParam("department")}
	data, err := s.orgSkillsData(c, scope, filter, c.QueryParam("by"))
	if err != nil {
		return err
	}
	v := s.view(c, title)
	v.Data = data
	return s.render(c, http.StatusOK, "organisation_skills", v)
}

// orgSkillsData reads the workforce view of scope for a filter and
// grouping from the latest release. The page, the board report and the
// exports all use it, so none can show what another does not.
func (s *Server) orgSkillsData(c echo.Context, scope models.SkillsScope, filter workforce.Filter, dimension string) (orgSkillsData, error) {
	ctx := c.Request().Context()
	fw, err := s.skillsFramework()
	if err != nil {
		return orgSkillsData{}, err
	}
	data := orgSkillsData{National: scope.National, Framework: fw, MinGroupSize: s.cfg.MinGroupSize, Dimension: dimension, Filter: filter}
	dimensions := []string{workforce.StaffGroup, workforce.PayBand, workforce.Department}
	if data.National {
		// A department is one organisation's own name, so nationally there
		// is no department filter or grouping.
		dimensions = dimensions[:2]
		data.Filter.Department = ""
	}
	if !slices.Contains(dimensions, data.Dimension) {
		data.Dimension = workforce.StaffGroup
	}
	data.DimensionLabel = dimensionLabels[data.Dimension]
	for _, d := range dimensions {
		data.Dimensions = append(data.Dimensions, option{d, dimensionLabels[d]})
	}
	if !data.National {
		org, _ := c.Get(ctxOrganisation).(models.Organisation)
		if data.Panel, err = s.boardPanel(c, org, fw); err != nil {
			return data, err
		}
	}
	pub, err := s.workforce.Latest(ctx, scope)
	if errors.Is(err, workforce.ErrNoRelease) {
		data.NoRelease = true
		return data, nil
	}
	if err != nil {
		return data, err
	}
	data.Release, data.MinGroupSize, data.Organisations = pub.Release, pub.Release.MinGroupSize, pub.Release.Organisations
	data.StaffGroups = stringOptions(pub.Options(workforce.StaffGroup))
	data.PayBands = stringOptions(pub.Options(workforce.PayBand))
	data.Departments = stringOptions(pub.Options(workforce.Department))

	data.Invited, data.Started, data.Completed = countOf(pub.Item(workforce.ItemInvited)), countOf(pub.Item(workforce.ItemStarted)),
		countOf(pub.Item(workforce.ItemCompleted))
	for i, sec := range fw.Sections {
		data.Stops = append(data.Stops, stopRow{Domain: &fw.Sections[i], People: countOf(pub.Item(workforce.ItemStopped + ":" + sec.Code))})
	}
	if !data.National {
		data.Panel.workforceSide(pub.Group("", workforce.Filter{}), fw)
	}

	view := pub.View(data.Filter, data.Dimension)
	if !view.Published || !offered(data, data.Filter) {
		data.NotPublished = true
		return data, nil
	}
	head := view.Headline
	if head.Suppressed || head.People == 0 {
		data.FilterHidden = true
		return data, nil
	}
	data.FilteredPeople = head.People
	var scores []assessments.DomainScore
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		m, ok := head.Means[sec.Code]
		data.Domains = append(data.Domains, domainFigure{Domain: sec,
			Now:  cellFigure{Value: m.Now, People: head.People, Empty: !ok},
			Need: cellFigure{Value: m.Need, People: head.People, Empty: !ok},
			Gap:  cellFigure{Value: m.Gap, People: head.People, Empty: !ok}})
		scores = append(scores, assessments.DomainScore{Code: sec.Code, Now: m.Now, Need: m.Need, Gap: m.Gap, Scored: ok})
	}
	data.Chart = workforceChart(fw, scores)
	data.RowsNotPublished = !view.RowsPublished
	for _, cell := range view.Rows {
		row := heatRow{Group: cell.Label(data.Dimension), People: cell.People, Hidden: cell.Suppressed, Means: cell.Means}
		for _, sec := range fw.Sections {
			m, ok := cell.Means[sec.Code]
			row.Cells = append(row.Cells, cellFigure{Value: m.Gap, People: cell.People, Hidden: cell.Suppressed, Empty: !ok && !cell.Suppressed})
		}
		data.Rows = append(data.Rows, row)
	}
	data.TrendNotPublished = !view.TrendPublished
	for _, cell := range view.Trend {
		row := trendRow{Period: cell.Basis, People: cell.People, Hidden: cell.Suppressed}
		for _, sec := range fw.Sections {
			m, ok := cell.Means[sec.Code]
			row.Cells = append(row.Cells, cellFigure{Value: m.Now, People: cell.People, Hidden: cell.Suppressed, Empty: !ok && !cell.Suppressed})
		}
		data.Trend = append(data.Trend, row)
	}
	return data, nil
}

// offered says every value of the filter is a group the release
// publishes: a group merged into "Other ..." is not asked for by name.
func offered(data orgSkillsData, f workforce.Filter) bool {
	for _, check := range []struct {
		value   string
		options []option
	}{{f.StaffGroup, data.StaffGroups}, {f.PayBand, data.PayBands}, {f.Department, data.Departments}} {
		if check.value != "" && !slices.ContainsFunc(check.options, func(o option) bool { return o.Value == check.value }) {
			return false
		}
	}
	return true
}

func countOf(c workforce.Cell) cellFigure {
	return cellFigure{Value: float64(c.People), People: c.People, Hidden: c.Suppressed, Empty: c.Empty()}
}

// workforceChart draws the workforce's mean now and need per domain, from
// the published, rounded means.
func workforceChart(fw *assessments.Framework, scores []assessments.DomainScore) template.HTML {
	return nowNeedChart(fw, scores, "Workforce digital skills by domain", "Mean rating now", "Mean rating roles need")
}

// boardPanel finds the latest agreed "Support people" score: the board's
// side of the panel.
func (s *Server) boardPanel(c echo.Context, org models.Organisation, skills *assessments.Framework) (boardWorkforce, error) {
	ctx := c.Request().Context()
	panel := boardWorkforce{ScaleMax: len(skills.Scale)}
	cycles, err := s.store.Cycles(ctx, org.ID)
	if err != nil {
		return panel, err
	}
	// The newest cycle with an agreed "Support people" score, scored as
	// the results page scores it.
	for _, cycle := range cycles {
		fw, err := s.cycleFramework(c, cycle)
		if err != nil {
			return panel, err
		}
		agreed, err := s.store.Agreed(ctx, cycle.ID)
		if err != nil {
			return panel, err
		}
		for _, sc := range assessments.ScoreFramework(fw, agreedLevels(agreed)).Sections {
			if sc.Code == "support-people" && sc.Scored {
				shown := assessments.Round1(sc.Score)
				panel.HasBoard, panel.Cycle, panel.BoardScore, panel.BoardRAG = true, cycle, shown, fw.RAG.Rate(shown)
				panel.BoardLabel = fw.ScaleLabel(int(shown + 0.5))
			}
		}
		if panel.HasBoard {
			break
		}
	}
	return panel, nil
}

// workforceSide fills the workforce's side of the panel from the
// release's all-staff figures: the mean over domains of the published
// domain means.
func (p *boardWorkforce) workforceSide(all workforce.Cell, skills *assessments.Framework) {
	if all.Suppressed || all.People == 0 || len(all.Means) == 0 {
		return
	}
	var sumNow, sumNeed float64
	n := 0
	for _, sec := range skills.Sections {
		if m, ok := all.Means[sec.Code]; ok {
			sumNow, sumNeed, n = sumNow+m.Now, sumNeed+m.Need, n+1
		}
	}
	if n == 0 {
		return
	}
	p.HasWorkforce, p.People = true, all.People
	p.Now, p.Need = assessments.Round1(sumNow/float64(n)), assessments.Round1(sumNeed/float64(n))
	p.Gap = assessments.Round1(p.Need - p.Now)
	p.SkillsRAG = skills.RAG.Rate(p.Now)
}
