package workforce

import (
	"context"
	"errors"
	"slices"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// Figure is one published figure as shown: hidden when the release
// suppressed it, empty when the group has nobody in it.
type Figure struct {
	Value  float64
	People int
	Hidden bool
	Empty  bool
}

// countOf is a participation cell as a figure.
func countOf(c Cell) Figure {
	return Figure{Value: float64(c.People), People: c.People, Hidden: c.Suppressed, Empty: c.Empty()}
}

// HeatRow is one group of the heatmap: its people and a gap per domain.
type HeatRow struct {
	Group  string
	People int
	Hidden bool
	Cells  []Figure
	// Means are the group's published domain means, for the exports.
	Means map[string]Sums
}

// DomainFigure is the filtered group's means in one domain.
type DomainFigure struct {
	Domain    *assessments.Section
	Now, Need Figure
	Gap       Figure
}

// TrendRow is the filtered group in one period: its "now" mean per domain.
type TrendRow struct {
	Period string
	People int
	Hidden bool
	Cells  []Figure
}

// StopRow is how many people stopped at a domain without completing.
type StopRow struct {
	Domain *assessments.Section
	People Figure
}

// Option is a value a filter or grouping offers.
type Option struct{ Value, Label string }

// BoardPanel puts the board's view of "Support people" beside the
// workforce's own.
type BoardPanel struct {
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

// Page is the workforce view of one scope for a filter and grouping: what
// the page, the board report's workforce page and the exports show, so
// none can show what another does not. Every figure in it is read from the
// latest release.
type Page struct {
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
	Filter         Filter
	Dimension      string
	DimensionLabel string
	StaffGroups    []Option
	PayBands       []Option
	Departments    []Option
	Dimensions     []Option
	MinGroupSize   int

	Invited, Started Figure
	Completed        Figure
	Stops            []StopRow
	// NotPublished says the release has no figures for this combination of
	// filters: it is finer than the published tables.
	NotPublished bool
	// FilterHidden says the filtered group itself is suppressed or empty.
	FilterHidden   bool
	FilteredPeople int
	Domains        []DomainFigure
	// Scores are the filtered group's published means as domain scores,
	// for the chart; nil when there are no figures to draw.
	Scores []assessments.DomainScore
	// RowsNotPublished and TrendNotPublished say the release does not break
	// the group down by the chosen grouping, or by period.
	RowsNotPublished  bool
	Rows              []HeatRow
	TrendNotPublished bool
	Trend             []TrendRow
	Panel             BoardPanel
}

// DimensionLabel is how a grouping is named on pages and in exports.
func DimensionLabel(dim string) string {
	return map[string]string{StaffGroup: "Staff group", Department: "Department", PayBand: "Pay band"}[dim]
}

// Pages composes the workforce view from the latest release.
type Pages struct {
	Publisher *Publisher
	Store     *models.Store
	// Skills is the skills framework now in use: its domains are the
	// view's columns.
	Skills       *assessments.Framework
	MinGroupSize int
	// Framework finds the loaded framework of a stored framework version:
	// a maturity cycle's, for the board's side of the panel.
	Framework func(id uint) (*assessments.Framework, error)
}

// Page is the workforce view of scope for a filter and a grouping
// (dimension; an unknown one groups by staff group).
func (ps Pages) Page(ctx context.Context, scope models.SkillsScope, filter Filter, dimension string) (Page, error) {
	fw := ps.Skills
	p := Page{National: scope.National, Framework: fw, MinGroupSize: ps.MinGroupSize, Dimension: dimension, Filter: filter}
	dimensions := []string{StaffGroup, PayBand, Department}
	if p.National {
		// A department is one organisation's own name, so nationally there
		// is no department filter or grouping.
		dimensions = dimensions[:2]
		p.Filter.Department = ""
	}
	if !slices.Contains(dimensions, p.Dimension) {
		p.Dimension = StaffGroup
	}
	p.DimensionLabel = DimensionLabel(p.Dimension)
	for _, d := range dimensions {
		p.Dimensions = append(p.Dimensions, Option{d, DimensionLabel(d)})
	}
	if !p.National {
		var err error
		if p.Panel, err = ps.boardPanel(ctx, scope.OrganisationID); err != nil {
			return p, err
		}
	}
	pub, err := ps.Publisher.Latest(ctx, scope)
	if errors.Is(err, ErrNoRelease) {
		p.NoRelease = true
		return p, nil
	}
	if err != nil {
		return p, err
	}
	p.Release, p.MinGroupSize, p.Organisations = pub.Release, pub.Release.MinGroupSize, pub.Release.Organisations
	p.StaffGroups = options(pub.Options(StaffGroup))
	p.PayBands = options(pub.Options(PayBand))
	p.Departments = options(pub.Options(Department))

	p.Invited, p.Started, p.Completed = countOf(pub.Item(ItemInvited)), countOf(pub.Item(ItemStarted)), countOf(pub.Item(ItemCompleted))
	for i, sec := range fw.Sections {
		p.Stops = append(p.Stops, StopRow{Domain: &fw.Sections[i], People: countOf(pub.Item(ItemStopped + ":" + sec.Code))})
	}
	if !p.National {
		p.Panel.workforceSide(pub.Group("", Filter{}), fw)
	}

	view := pub.View(p.Filter, p.Dimension)
	if !view.Published || !p.offered(p.Filter) {
		p.NotPublished = true
		return p, nil
	}
	head := view.Headline
	if head.Suppressed || head.People == 0 {
		p.FilterHidden = true
		return p, nil
	}
	p.FilteredPeople = head.People
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		m, ok := head.Means[sec.Code]
		p.Domains = append(p.Domains, DomainFigure{Domain: sec,
			Now:  Figure{Value: m.Now, People: head.People, Empty: !ok},
			Need: Figure{Value: m.Need, People: head.People, Empty: !ok},
			Gap:  Figure{Value: m.Gap, People: head.People, Empty: !ok}})
		p.Scores = append(p.Scores, assessments.DomainScore{Code: sec.Code, Now: m.Now, Need: m.Need, Gap: m.Gap, Scored: ok})
	}
	p.RowsNotPublished = !view.RowsPublished
	for _, cell := range view.Rows {
		row := HeatRow{Group: cell.Label(p.Dimension), People: cell.People, Hidden: cell.Suppressed, Means: cell.Means}
		for _, sec := range fw.Sections {
			m, ok := cell.Means[sec.Code]
			row.Cells = append(row.Cells, Figure{Value: m.Gap, People: cell.People, Hidden: cell.Suppressed, Empty: !ok && !cell.Suppressed})
		}
		p.Rows = append(p.Rows, row)
	}
	p.TrendNotPublished = !view.TrendPublished
	for _, cell := range view.Trend {
		row := TrendRow{Period: cell.Basis, People: cell.People, Hidden: cell.Suppressed}
		for _, sec := range fw.Sections {
			m, ok := cell.Means[sec.Code]
			row.Cells = append(row.Cells, Figure{Value: m.Now, People: cell.People, Hidden: cell.Suppressed, Empty: !ok && !cell.Suppressed})
		}
		p.Trend = append(p.Trend, row)
	}
	return p, nil
}

func options(values []string) []Option {
	opts := make([]Option, len(values))
	for i, v := range values {
		opts[i] = Option{v, v}
	}
	return opts
}

// offered says every value of the filter is a group the release
// publishes: a group merged into "Other ..." is not asked for by name.
func (p Page) offered(f Filter) bool {
	for _, check := range []struct {
		value   string
		options []Option
	}{{f.StaffGroup, p.StaffGroups}, {f.PayBand, p.PayBands}, {f.Department, p.Departments}} {
		if check.value != "" && !slices.ContainsFunc(check.options, func(o Option) bool { return o.Value == check.value }) {
			return false
		}
	}
	return true
}

// supportPeople is the maturity success measure the board's side of the
// panel shows.
const supportPeople = "support-people"

// boardPanel finds the organisation's latest agreed "Support people"
// score: the board's side of the panel, scored as the results page scores
// it.
func (ps Pages) boardPanel(ctx context.Context, organisationID uint) (BoardPanel, error) {
	panel := BoardPanel{ScaleMax: len(ps.Skills.Scale)}
	cycles, err := ps.Store.Cycles(ctx, organisationID)
	if err != nil {
		return panel, err
	}
	// The newest cycle with an agreed "Support people" score.
	for _, cycle := range cycles {
		fw, err := ps.Framework(cycle.FrameworkID)
		if err != nil {
			return panel, err
		}
		agreed, err := ps.Store.Agreed(ctx, cycle.ID)
		if err != nil {
			return panel, err
		}
		levels := map[string]int{}
		for code, a := range agreed {
			if a.Level != nil {
				levels[code] = *a.Level
			}
		}
		for _, sc := range assessments.ScoreFramework(fw, levels).Sections {
			if sc.Code == supportPeople && sc.Scored {
				shown := assessments.Round1(sc.Score)
				panel.HasBoard, panel.Cycle, panel.BoardScore, panel.BoardRAG = true, cycle, shown, fw.RAG.Rate(shown)
				panel.BoardLabel = fw.ScaleLabel(int(shown + 0.5))
			}
		}
		if panel.HasBoard {
			return panel, nil
		}
	}
	return panel, nil
}

// workforceSide fills the workforce's side of the panel from the
// release's all-staff figures: the mean over domains of the published
// domain means.
func (p *BoardPanel) workforceSide(all Cell, skills *assessments.Framework) {
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
