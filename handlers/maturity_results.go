package handlers

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/charts"
	"nhs-digital-maturity/models"
)

// minBenchmarkOrganisations is the fewest other organisations a benchmark
// may rest on, so that no single organisation's score can be inferred.
const minBenchmarkOrganisations = 5

type sectionResult struct {
	Section     *assessments.Section
	Score       assessments.SectionScore
	Shown       float64 // the score rounded to one decimal place, as shown
	RAG         assessments.RAG
	Target      int
	Gap         float64
	HasPrevious bool
	Previous    float64
	Change      float64
	Peers       assessments.Benchmark
	Position    string
	// Agreed counts the questions with an agreed level (or not
	// applicable); Complete says every question has one. A part-agreed
	// score is never compared with a complete one.
	Agreed   int
	Complete bool
	// Respondents counts the board members who answered any question.
	Respondents int
}

// priorityRow is a priority with its section. Its fields are its own
// rather than an embedded Priority's: the template looks fields up by name
// on every row, and a promoted field costs a search of the embedded types.
type priorityRow struct {
	Section *assessments.Section
	Code    string
	Score   float64
	Target  float64
	Gap     float64
}

type resultsData struct {
	Cycle            models.MaturityCycle
	Framework        *assessments.Framework
	Organisation     models.Organisation
	Sections         []sectionResult
	Overall          float64
	OverallScored    bool
	OverallRAG       assessments.RAG
	Previous         *models.MaturityCycle
	PreviousOverall  float64
	HasPreviousScore bool
	Change           float64
	Priorities       []priorityRow
	Benchmark        assessments.Benchmark
	Position         string
	MinPeers         int
	// Radar is drawn by resultsPage only: the reports and exports that
	// share computeResults do not show it.
	Radar     template.HTML
	KindLabel string
	// Scores are the unrounded scores that submission stores.
	Scores assessments.FrameworkScore
	// CanDownload offers the exports (leads and admins); CanReport the
	// board report (also board members, once submitted); CanPlan the
	// actions page (leads).
	CanDownload bool
	CanReport   bool
	CanPlan     bool
	// CompleteSections counts the measures with every question agreed:
	// the overall score needs all of them.
	CompleteSections int
	// BenchmarkPeriod is the period the peers' scores are for, or "" when
	// too few peers submitted for this cycle's period and their latest
	// submitted cycles are used instead.
	BenchmarkPeriod string
	SignOff         string
	Reopenings      []models.Reopening
	// Trend is every submitted cycle, oldest first, with this cycle.
	Trend      []trendPoint
	TrendChart template.HTML
	// Evidence lists the cycle's evidence documents.
	Evidence []models.Evidence
}

// computeResults works out every number of the results page from the
// agreed levels, with the scoring functions of the assessments package;
// submission stores the same numbers.
func (s *Server) computeResults(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) (resultsData, error) {
	ctx := c.Request().Context()
	agreed, err := s.store.Agreed(ctx, cycle.ID)
	if err != nil {
		return resultsData{}, err
	}
	targets, err := s.store.Targets(ctx, cycle.ID)
	if err != nil {
		return resultsData{}, err
	}
	org, err := s.cycleOrganisation(c, cycle)
	if err != nil {
		return resultsData{}, err
	}
	data := resultsData{Cycle: cycle, Framework: fw, Organisation: org, MinPeers: minBenchmarkOrganisations, KindLabel: org.KindLabel()}

	previousScores := map[string]float64{}
	prev, err := s.store.PreviousSubmittedCycle(ctx, cycle)
	switch {
	case err == nil:
		data.Previous = &prev
		if prev.OverallScore != nil {
			data.PreviousOverall, data.HasPreviousScore = assessments.Round1(*prev.OverallScore), true
		}
		if previousScores, err = s.store.SectionScores(ctx, prev.ID); err != nil {
			return data, err
		}
	case !errors.Is(err, models.ErrNotFound):
		return data, err
	}
	// Benchmark by period: peers' submitted cycles for the same period;
	// with too few of them, each peer's latest, said so on the page.
	peers, err := s.store.PeerScoresForPeriod(ctx, org.Kind, org.ID, cycle.Period)
	if err != nil {
		return data, err
	}
	data.BenchmarkPeriod = cycle.Period
	if len(peers.Overall) < minBenchmarkOrganisations {
		if peers, err = s.store.PeerScoresOfKind(ctx, org.Kind, org.ID); err != nil {
			return data, err
		}
		data.BenchmarkPeriod = ""
	}
	respondents, err := s.sectionRespondents(c, cycle, fw)
	if err != nil {
		return data, err
	}
	if data.Reopenings, err = s.store.Reopenings(ctx, cycle.ID); err != nil {
		return data, err
	}
	if cycle.Locked() {
		data.SignOff = signOffText(cycle)
	}
	if data.Evidence, err = s.store.CycleEvidence(ctx, cycle.OrganisationID, cycle.ID); err != nil {
		return data, err
	}

	levels := agreedLevels(agreed)
	scored := assessments.ScoreFramework(fw, levels)
	shownScores := make([]assessments.SectionScore, 0, len(fw.Sections))
	data.Sections = make([]sectionResult, 0, len(fw.Sections))
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		score := scored.Sections[i]
		r := sectionResult{Section: sec, Score: score, Target: targets[sec.Code], Respondents: respondents[sec.Code]}
		for _, q := range sec.Questions {
			if _, ok := levels[q.Code]; ok {
				r.Agreed++
			}
		}
		r.Complete = r.Agreed == len(sec.Questions)
		if r.Complete {
			data.CompleteSections++
		}
		r.Peers = assessments.BenchmarkOf(peers.Sections[sec.Code], minBenchmarkOrganisations)
		if score.Scored {
			r.Shown = assessments.Round1(score.Score)
			r.RAG = fw.RAG.Rate(r.Shown)
			if r.Target > 0 {
				r.Gap = assessments.Round1(float64(r.Target) - r.Shown)
			}
			if p, ok := previousScores[sec.Code]; ok && r.Complete {
				r.HasPrevious, r.Previous = true, assessments.Round1(p)
				r.Change = assessments.Round1(r.Shown - r.Previous)
			}
			if r.Peers.Shown {
				r.Position = r.Peers.Position(r.Shown)
			}
		}
		shown := score
		shown.Score = r.Shown
		shownScores = append(shownScores, shown)
		data.Sections = append(data.Sections, r)
	}
	data.Scores = scored
	// An overall score only when every measure is agreed: a part-agreed
	// mean would be compared with complete ones.
	if scored.OverallScored && data.CompleteSections == len(fw.Sections) {
		data.Overall, data.OverallScored = assessments.Round1(scored.Overall), true
		data.OverallRAG = fw.RAG.Rate(data.Overall)
		if data.HasPreviousScore {
			data.Change = assessments.Round1(data.Overall - data.PreviousOverall)
		}
	}
	for _, p := range assessments.Priorities(shownScores, targets, fw.SectionCodes()) {
		sec, _ := fw.Section(p.Code)
		data.Priorities = append(data.Priorities, priorityRow{Section: sec, Code: p.Code, Score: p.Score, Target: p.Target, Gap: p.Gap})
	}
	data.Benchmark = assessments.BenchmarkOf(peers.Overall, minBenchmarkOrganisations)
	if data.Benchmark.Shown && data.OverallScored {
		data.Position = data.Benchmark.Position(data.Overall)
	}
	if data.Trend, err = s.trend(c, cycle, data); err != nil {
		return data, err
	}
	return data, nil
}

// cycleOrganisation is the organisation a cycle belongs to. Cycles are
// looked up within the signed-in person's organisation, which loadSession
// has already loaded, so this is a query only for another organisation's.
func (s *Server) cycleOrganisation(c echo.Context, cycle models.MaturityCycle) (models.Organisation, error) {
	if org, ok := c.Get(ctxOrganisation).(models.Organisation); ok && org.ID == cycle.OrganisationID {
		return org, nil
	}
	return s.store.OrganisationByID(c.Request().Context(), cycle.OrganisationID)
}

// resultsRadar draws this cycle, the last one, the targets and the peer
// median on one radar chart.
func (s *Server) resultsRadar(d resultsData) template.HTML {
	axes := make([]string, len(d.Sections))
	current := charts.Series{Name: "This cycle (" + d.Cycle.Period + ")", Kind: "current"}
	previous := charts.Series{Name: "Previous cycle", Kind: "previous"}
	target := charts.Series{Name: "Target", Kind: "target"}
	peer := charts.Series{Name: "Median of similar organisations", Kind: "peer"}
	hasPrev, hasTarget, hasPeer := false, false, false
	for i, r := range d.Sections {
		axes[i] = r.Section.Label
		current.Values = append(current.Values, charts.ValueIf(r.Score.Scored, r.Shown))
		previous.Values = append(previous.Values, charts.ValueIf(r.HasPrevious, r.Previous))
		target.Values = append(target.Values, charts.ValueIf(r.Target > 0, float64(r.Target)))
		peer.Values = append(peer.Values, charts.ValueIf(r.Peers.Shown, r.Peers.Median))
		hasPrev, hasTarget, hasPeer = hasPrev || r.HasPrevious, hasTarget || r.Target > 0, hasPeer || r.Peers.Shown
	}
	series := []charts.Series{current}
	if hasPrev {
		series = append(series, previous)
	}
	if hasTarget {
		series = append(series, target)
	}
	if hasPeer {
		series = append(series, peer)
	}
	return charts.Radar{Title: "Digital maturity by success measure, " + d.Cycle.Period,
		Desc: "Radar chart of the score of each success measure from 0 to 5. The table below gives the same numbers.",
		Axes: axes, Max: 5, Series: series}.SVG()
}

func (s *Server) resultsPage(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	data, err := s.computeResults(c, cycle, fw)
	if err != nil {
		return err
	}
	data.Radar = s.resultsRadar(data)
	data.TrendChart = trendChart(data)
	u := mustUser(c)
	data.CanDownload = u.Has(models.RoleLead) || u.Has(models.RoleAdmin)
	data.CanReport = canReadReport(u, cycle)
	data.CanPlan = u.Has(models.RoleLead)
	v := s.view(c, "Results: "+cycle.Period)
	v.BackLink = cyclePath(cycle)
	v.Data = data
	return s.render(c, http.StatusOK, "maturity_results", v)
}

// agreedLevels keeps the questions with an agreed level (or not
// applicable), as the scoring functions take them.
func agreedLevels(agreed map[string]models.AgreedAnswer) map[string]int {
	levels := map[string]int{}
	for code, a := range agreed {
		if a.Level != nil {
			levels[code] = *a.Level
		}
	}
	return levels
}
