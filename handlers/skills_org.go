package handlers

import (
	"html/template"
	"net/http"
	"slices"
	"sort"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// cellFigure is one aggregate as shown: hidden when it rests on fewer
// people than the minimum group size, or when it would let a hidden one be
// worked out.
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

type orgSkillsData struct {
	// National is the platform admins' view of every organisation; without
	// it the view is one organisation's.
	National bool
	// Organisations counts, nationally, the organisations with at least one
	// completed self-assessment.
	Organisations  int
	Framework      *assessments.Framework
	Filter         models.SkillsFilter
	Dimension      string
	DimensionLabel string
	StaffGroups    []option
	PayBands       []option
	Departments    []option
	Dimensions     []option
	MinGroupSize   int

	Participation    models.SkillsParticipation
	Invited, Started cellFigure
	Completed        cellFigure
	Stops            []stopRow
	FilteredPeople   int
	FilterHidden     bool
	Domains          []domainFigure
	Rows             []heatRow
	TotalHidden      bool
	Trend            []trendRow
	Panel            boardWorkforce
	Chart            template.HTML
}

var dimensionLabels = map[string]string{
	models.DimensionStaffGroup: "Staff group",
	models.DimensionDepartment: "Department",
	models.DimensionPayBand:    "Pay band",
}

// ownOrganisation is the skills scope of the signed-in person's
// organisation: a digital lead's workforce view, report and exports.
func ownOrganisation(c echo.Context) models.SkillsScope {
	return models.OrganisationScope(mustUser(c).OrganisationID)
}

// organisationSkills is the digital lead's workforce view. Every figure
// passes the small-group rules of assessments/privacy.go before it reaches
// the page; the lead never sees a person's answers.
func (s *Server) organisationSkills(c echo.Context) error {
	return s.workforceSkillsPage(c, ownOrganisation(c), "Workforce digital skills")
}

// nationalSkills is the platform admins' workforce view over every
// organisation, with the same small-group rules as an organisation's.
func (s *Server) nationalSkills(c echo.Context) error {
	return s.workforceSkillsPage(c, models.NationalScope(), "Workforce digital skills: all organisations")
}

// workforceSkillsPage renders the workforce view of scope for the filters
// and grouping in the query.
func (s *Server) workforceSkillsPage(c echo.Context, scope models.SkillsScope, title string) error {
	data, err := s.orgSkillsData(c, scope, models.SkillsFilter{StaffGroup: c.QueryParam("staff-group"), PayBand: c.QueryParam("band"),
		Department: c.QueryParam("department")}, c.QueryParam("by"), true)
	if err != nil {
		return err
	}
	v := s.view(c, title)
	v.Data = data
	return s.render(c, http.StatusOK, "organisation_skills", v)
}

// orgSkillsData gathers the workforce view of scope for a filter and
// grouping, with every small-group rule applied. The page, the board
// report and the exports all use it, so none can show what another hides.
// forPage adds what only the page shows: the trend, and the departments
// offered by its filter.
func (s *Server) orgSkillsData(c echo.Context, scope models.SkillsScope, filter models.SkillsFilter, dimension string, forPage bool) (orgSkillsData, error) {
	ctx := c.Request().Context()
	fw, err := s.skillsFramework()
	if err != nil {
		return orgSkillsData{}, err
	}
	min := s.cfg.MinGroupSize
	data := orgSkillsData{National: scope.National, Framework: fw, MinGroupSize: min, Dimension: dimension, Filter: filter}
	dimensions := []string{models.DimensionStaffGroup, models.DimensionDepartment, models.DimensionPayBand}
	if data.National {
		// A department is one organisation's own name: "Pharmacy" in two
		// trusts is two departments, so nationally there is no department
		// filter or grouping.
		dimensions = []string{models.DimensionStaffGroup, models.DimensionPayBand}
		data.Filter.Department = ""
	}
	if !slices.Contains(dimensions, data.Dimension) {
		data.Dimension = models.DimensionStaffGroup
	}
	data.DimensionLabel = dimensionLabels[data.Dimension]
	for _, d := range dimensions {
		data.Dimensions = append(data.Dimensions, option{d, dimensionLabels[d]})
	}
	data.StaffGroups, data.PayBands = stringOptions(models.StaffGroups()), stringOptions(models.PayBands())
	if data.National {
		if data.Organisations, err = s.store.SkillsOrganisations(ctx, scope); err != nil {
			return data, err
		}
	} else if forPage {
		departments, err := s.store.SkillsDepartments(ctx, scope)
		if err != nil {
			return data, err
		}
		data.Departments = stringOptions(departments)
	}

	// Participation: counts of people, each hidden below the minimum.
	if data.Participation, err = s.store.Participation(ctx, scope); err != nil {
		return data, err
	}
	p := data.Participation
	data.Invited, data.Started, data.Completed = countFigure(p.Invited, min), countFigure(p.Started, min), countFigure(p.Completed, min)
	stopCounts := make([]int, len(fw.Sections))
	for i, sec := range fw.Sections {
		stopCounts[i] = p.StoppedAt[sec.Code]
	}
	// Started minus completed is on the page, so the stops are a partition
	// of a shown total.
	hiddenStops, _ := assessments.SuppressGroups(stopCounts, min, true)
	for i := range fw.Sections {
		data.Stops = append(data.Stops, stopRow{Domain: &fw.Sections[i],
			People: cellFigure{Value: float64(stopCounts[i]), People: stopCounts[i], Hidden: hiddenStops[i], Empty: stopCounts[i] == 0}})
	}

	// The filter itself must not single out a small group, nor differ from
	// a wider filter by one.
	if data.FilteredPeople, err = s.store.CountSkillsPeople(ctx, scope, data.Filter); err != nil {
		return data, err
	}
	var parents []int
	for _, dim := range data.Filter.Set() {
		n, err := s.store.CountSkillsPeople(ctx, scope, data.Filter.Without(dim))
		if err != nil {
			return data, err
		}
		parents = append(parents, n)
	}
	data.FilterHidden = !assessments.FilterVisible(data.FilteredPeople, parents, min)

	// Without a filter, the overall means are also the workforce's side of
	// the board panel: aggregated once for both.
	var unfiltered []models.DomainMean
	if !data.FilterHidden {
		// One aggregate by group; the overall means follow from it exactly
		// (each group's mean weighted by its people), so the database reads
		// the rows once.
		grouped, err := s.store.SkillsDomainMeans(ctx, scope, data.Filter, data.Dimension)
		if err != nil {
			return data, err
		}
		overall := combineMeans(grouped)
		if len(data.Filter.Set()) == 0 {
			unfiltered = overall
		}
		byDomain := map[string]models.DomainMean{}
		for _, m := range overall {
			byDomain[m.DomainCode] = m
		}
		var scores []assessments.DomainScore
		for i := range fw.Sections {
			sec := &fw.Sections[i]
			m, ok := byDomain[sec.Code]
			df := domainFigure{Domain: sec,
				Now:  cellFigure{Value: m.Now, People: m.People, Empty: !ok},
				Need: cellFigure{Value: m.Need, People: m.People, Empty: !ok},
				Gap:  cellFigure{Value: m.Gap, People: m.People, Empty: !ok}}
			data.Domains = append(data.Domains, df)
			scores = append(scores, assessments.DomainScore{Code: sec.Code, Now: m.Now, Need: m.Need, Gap: m.Gap, Scored: ok})
		}
		data.Chart = skillsChart(fw, scores, "Workforce digital skills by domain")
		if data.Rows, data.TotalHidden, err = s.heatmap(c, scope, fw, data.Filter, data.Dimension, grouped); err != nil {
			return data, err
		}
		if forPage {
			if data.Trend, err = s.skillsTrend(c, scope, fw, data.Filter); err != nil {
				return data, err
			}
		}
	}
	// The board's view belongs to one organisation's board.
	if !data.National {
		org, _ := c.Get(ctxOrganisation).(models.Organisation)
		if data.Panel, err = s.boardWorkforcePanel(c, org, fw, unfiltered); err != nil {
			return data, err
		}
	}
	return data, nil
}

// combineMeans turns per-group domain means into per-domain means over
// everyone, weighting each group by its people.
func combineMeans(grouped []models.DomainMean) []models.DomainMean {
	byDomain := map[string]*models.DomainMean{}
	var order []string
	for _, m := range grouped {
		d, ok := byDomain[m.DomainCode]
		if !ok {
			d = &models.DomainMean{DomainCode: m.DomainCode}
			byDomain[m.DomainCode] = d
			order = append(order, m.DomainCode)
		}
		n := float64(m.People)
		d.Now += m.Now * n
		d.Need += m.Need * n
		d.Gap += m.Gap * n
		d.People += m.People
	}
	out := make([]models.DomainMean, 0, len(order))
	for _, code := range order {
		d := byDomain[code]
		n := float64(d.People)
		d.Now, d.Need, d.Gap = d.Now/n, d.Need/n, d.Gap/n
		out = append(out, *d)
	}
	return out
}

func countFigure(n, min int) cellFigure {
	return cellFigure{Value: float64(n), People: n, Hidden: n > 0 && n < min, Empty: n == 0}
}

// heatmap is the mean gap per group and domain, with small groups and
// their complementary groups hidden.
func (s *Server) heatmap(c echo.Context, scope models.SkillsScope, fw *assessments.Framework, f models.SkillsFilter, dimension string, means []models.DomainMean) ([]heatRow, bool, error) {
	byGroup := map[string]map[string]models.DomainMean{}
	people := map[string]int{}
	for _, m := range means {
		if byGroup[m.Group] == nil {
			byGroup[m.Group] = map[string]models.DomainMean{}
		}
		byGroup[m.Group][m.DomainCode] = m
		people[m.Group] = max(people[m.Group], m.People)
	}
	groups := make([]string, 0, len(byGroup))
	for g := range byGroup {
		groups = append(groups, g)
	}
	order := groupOrder(dimension)
	sort.Slice(groups, func(i, j int) bool {
		oi, oj := slices.Index(order, groups[i]), slices.Index(order, groups[j])
		if oi != oj && oi >= 0 && oj >= 0 {
			return oi < oj
		}
		return groups[i] < groups[j]
	})
	counts := make([]int, len(groups))
	for i, g := range groups {
		counts[i] = people[g]
	}
	// A row must not differ from the same row under a wider filter by a
	// small group either, or comparing the two pages would reveal it. Such
	// a row goes into the suppression as a group of one, so it is hidden
	// and gets cover (counting it as one only ever adds cover).
	input := slices.Clone(counts)
	for _, dim := range f.Set() {
		wider, err := s.store.SkillsDomainMeans(c.Request().Context(), scope, f.Without(dim), dimension)
		if err != nil {
			return nil, false, err
		}
		widerPeople := map[string]int{}
		for _, m := range wider {
			widerPeople[m.Group] = max(widerPeople[m.Group], m.People)
		}
		for i, g := range groups {
			if !assessments.FilterVisible(counts[i], []int{widerPeople[g]}, s.cfg.MinGroupSize) && counts[i] >= s.cfg.MinGroupSize {
				input[i] = 1
			}
		}
	}
	hidden, hideTotal := assessments.SuppressGroups(input, s.cfg.MinGroupSize, true)
	rows := make([]heatRow, len(groups))
	for i, g := range groups {
		row := heatRow{Group: g, People: counts[i], Hidden: hidden[i]}
		if g == "" {
			row.Group = "Not given"
		}
		for _, sec := range fw.Sections {
			m, ok := byGroup[g][sec.Code]
			row.Cells = append(row.Cells, cellFigure{Value: m.Gap, People: m.People, Hidden: hidden[i], Empty: !ok})
		}
		rows[i] = row
	}
	return rows, hideTotal, nil
}

func groupOrder(dimension string) []string {
	switch dimension {
	case models.DimensionStaffGroup:
		return models.StaffGroups()
	case models.DimensionPayBand:
		return models.PayBands()
	}
	return nil
}

// skillsTrend is the mean "now" per period; a period with too few people
// is hidden. Periods are separate groups of people, never summed.
func (s *Server) skillsTrend(c echo.Context, scope models.SkillsScope, fw *assessments.Framework, f models.SkillsFilter) ([]trendRow, error) {
	means, err := s.store.SkillsTrend(c.Request().Context(), scope, f)
	if err != nil {
		return nil, err
	}
	byPeriod := map[string]map[string]models.PeriodMean{}
	var periodsSeen []string
	for _, m := range means {
		if byPeriod[m.Period] == nil {
			byPeriod[m.Period] = map[string]models.PeriodMean{}
			periodsSeen = append(periodsSeen, m.Period)
		}
		byPeriod[m.Period][m.DomainCode] = m
	}
	sort.Strings(periodsSeen)
	var rows []trendRow
	for _, p := range periodsSeen {
		row := trendRow{Period: p}
		for _, m := range byPeriod[p] {
			row.People = max(row.People, m.People)
		}
		row.Hidden = row.People < s.cfg.MinGroupSize
		for _, sec := range fw.Sections {
			m, ok := byPeriod[p][sec.Code]
			row.Cells = append(row.Cells, cellFigure{Value: m.Now, People: m.People, Hidden: row.Hidden, Empty: !ok})
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// boardWorkforcePanel finds the latest agreed "Support people" score and
// the workforce's own ratings over every domain.
// means, when given, are the organisation's unfiltered domain means,
// already aggregated by the caller.
func (s *Server) boardWorkforcePanel(c echo.Context, org models.Organisation, skills *assessments.Framework, means []models.DomainMean) (boardWorkforce, error) {
	ctx := c.Request().Context()
	panel := boardWorkforce{ScaleMax: len(skills.Scale)}
	cycles, err := s.store.Cycles(ctx, org.ID)
	if err != nil {
		return panel, err
	}
	// The newest cycle with an agreed "Support people" score. Only the
	// agreed levels are needed, scored as the results page scores them;
	// trends and benchmarks are not.
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
	n, err := s.store.CountSkillsPeople(ctx, models.OrganisationScope(org.ID), models.SkillsFilter{})
	if err != nil {
		return panel, err
	}
	if n >= s.cfg.MinGroupSize {
		if means == nil {
			if means, err = s.store.SkillsDomainMeans(ctx, models.OrganisationScope(org.ID), models.SkillsFilter{}, ""); err != nil {
				return panel, err
			}
		}
		var sumNow, sumNeed float64
		for _, m := range means {
			sumNow += m.Now
			sumNeed += m.Need
		}
		if len(means) > 0 {
			panel.HasWorkforce, panel.People = true, n
			panel.Now, panel.Need = sumNow/float64(len(means)), sumNeed/float64(len(means))
			panel.Gap = panel.Need - panel.Now
			panel.SkillsRAG = skills.RAG.Rate(assessments.Round1(panel.Now))
		}
	}
	return panel, nil
}
