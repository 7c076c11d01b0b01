package maturity

import (
	"context"
	"errors"
	"html/template"
	"slices"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// SectionResult is one success measure's result.
type SectionResult struct {
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

// PriorityRow is a priority with its section. Its fields are its own
// rather than an embedded Priority's: the template looks fields up by name
// on every row, and a promoted field costs a search of the embedded types.
type PriorityRow struct {
	Section *assessments.Section
	Code    string
	Score   float64
	Target  float64
	Gap     float64
}

// TrendPoint is one cycle of the trend: its shown scores by section code
// (complete measures only) and overall (nil unless every measure is agreed).
type TrendPoint struct {
	Period   string
	Draft    bool
	Overall  *float64
	Sections map[string]float64
}

// TrendCell is one section's score in one cycle, for the trend table.
type TrendCell struct {
	Has   bool
	Score float64
}

// Cell returns a section's shown score in this cycle of the trend.
func (p TrendPoint) Cell(code string) TrendCell {
	v, ok := p.Sections[code]
	return TrendCell{Has: ok, Score: v}
}

// Results are every number of a cycle's results.
type Results struct {
	Cycle            models.MaturityCycle
	Framework        *assessments.Framework
	Organisation     models.Organisation
	Sections         []SectionResult
	Overall          float64
	OverallScored    bool
	OverallRAG       assessments.RAG
	Previous         *models.MaturityCycle
	PreviousOverall  float64
	HasPreviousScore bool
	Change           float64
	Priorities       []PriorityRow
	Benchmark        assessments.Benchmark
	Position         string
	MinPeers         int
	// Radar is drawn for the results page only: the reports and exports
	// that share the results do not show it.
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
	// SignOff says which board meeting approved a submitted cycle; the
	// caller words it, as dates are shown in UK time.
	SignOff    string
	Reopenings []models.Reopening
	// Trend is every submitted cycle, oldest first, with this cycle.
	Trend      []TrendPoint
	TrendChart template.HTML
	// Evidence lists the cycle's evidence documents.
	Evidence []models.Evidence
}

// agreedAndTargets are a cycle's agreed levels and section targets, which
// the cycle page and the results both read.
func (s *Service) agreedAndTargets(ctx context.Context, cycleID uint) (map[string]models.AgreedAnswer, map[string]int, error) {
	agreed, err := s.store.Agreed(ctx, cycleID)
	if err != nil {
		return nil, nil, err
	}
	targets, err := s.store.Targets(ctx, cycleID)
	return agreed, targets, err
}

// Results works out every number of a cycle's results from its agreed
// levels, with the scoring functions of the assessments package;
// submission stores the same numbers. org is the cycle's organisation.
func (s *Service) Results(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, org models.Organisation) (Results, error) {
	agreed, targets, err := s.agreedAndTargets(ctx, cycle.ID)
	if err != nil {
		return Results{}, err
	}
	data := Results{Cycle: cycle, Framework: fw, Organisation: org, MinPeers: MinBenchmarkOrganisations, KindLabel: org.KindLabel()}

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
	if len(peers.Overall) < MinBenchmarkOrganisations {
		if peers, err = s.store.PeerScoresOfKind(ctx, org.Kind, org.ID); err != nil {
			return data, err
		}
		data.BenchmarkPeriod = ""
	}
	answers, err := s.store.CycleAnswers(ctx, cycle.ID)
	if err != nil {
		return data, err
	}
	respondents := Respondents(fw, answers)
	if data.Reopenings, err = s.store.Reopenings(ctx, cycle.ID); err != nil {
		return data, err
	}
	if data.Evidence, err = s.store.CycleEvidence(ctx, cycle.OrganisationID, cycle.ID); err != nil {
		return data, err
	}
	score(&data, fw, AgreedLevels(agreed), targets, previousScores, peers, respondents)
	if data.Trend, err = s.trend(ctx, cycle, data); err != nil {
		return data, err
	}
	return data, nil
}

// score fills in the scores, RAG ratings, changes, priorities and
// benchmark positions from the agreed levels and what they are compared
// with.
func score(data *Results, fw *assessments.Framework, levels map[string]int, targets map[string]int,
	previousScores map[string]float64, peers models.PeerScores, respondents map[string]int) {
	scored := assessments.ScoreFramework(fw, levels)
	shownScores := make([]assessments.SectionScore, 0, len(fw.Sections))
	data.Sections = make([]SectionResult, 0, len(fw.Sections))
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		score := scored.Sections[i]
		r := SectionResult{Section: sec, Score: score, Target: targets[sec.Code], Respondents: respondents[sec.Code]}
		for _, q := range sec.Questions {
			if _, ok := levels[q.Code]; ok {
				r.Agreed++
			}
		}
		r.Complete = r.Agreed == len(sec.Questions)
		if r.Complete {
			data.CompleteSections++
		}
		r.Peers = assessments.BenchmarkOf(peers.Sections[sec.Code], MinBenchmarkOrganisations)
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
		data.Priorities = append(data.Priorities, PriorityRow{Section: sec, Code: p.Code, Score: p.Score, Target: p.Target, Gap: p.Gap})
	}
	data.Benchmark = assessments.BenchmarkOf(peers.Overall, MinBenchmarkOrganisations)
	if data.Benchmark.Shown && data.OverallScored {
		data.Position = data.Benchmark.Position(data.Overall)
	}
}

// Respondents counts, per section, the board members who chose a level
// for at least one of its questions.
func Respondents(fw *assessments.Framework, answers []models.RespondentAnswer) map[string]int {
	sectionOf := map[string]string{}
	for _, sec := range fw.Sections {
		for _, q := range sec.Questions {
			sectionOf[q.Code] = sec.Code
		}
	}
	seen := map[string]map[uint]bool{}
	for _, a := range answers {
		code, ok := sectionOf[a.QuestionCode]
		if !ok || a.Level == nil {
			continue
		}
		if seen[code] == nil {
			seen[code] = map[uint]bool{}
		}
		seen[code][a.RespondentID] = true
	}
	out := map[string]int{}
	for code, people := range seen {
		out[code] = len(people)
	}
	return out
}

// trend is every submitted cycle of the organisation, oldest period first,
// from the scores stored at submission; a cycle in progress is added last
// with its complete measures only, marked as a draft.
func (s *Service) trend(ctx context.Context, cycle models.MaturityCycle, current Results) ([]TrendPoint, error) {
	cycles, err := s.store.SubmittedCycles(ctx, cycle.OrganisationID)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(cycles))
	for i, cy := range cycles {
		ids[i] = cy.ID
	}
	scores, err := s.store.SectionScoresOf(ctx, cycle.OrganisationID, ids)
	if err != nil {
		return nil, err
	}
	var points []TrendPoint
	for _, cy := range cycles {
		p := TrendPoint{Period: cy.Period, Sections: map[string]float64{}}
		if cy.OverallScore != nil {
			o := assessments.Round1(*cy.OverallScore)
			p.Overall = &o
		}
		for code, v := range scores[cy.ID] {
			p.Sections[code] = assessments.Round1(v)
		}
		points = append(points, p)
	}
	if !cycle.Locked() {
		points = withDraft(points, current)
	}
	return points, nil
}

// withDraft adds the cycle in progress to the trend, in period order even
// if a later one was submitted.
func withDraft(points []TrendPoint, current Results) []TrendPoint {
	p := TrendPoint{Period: current.Cycle.Period, Draft: true, Sections: map[string]float64{}}
	if current.OverallScored {
		o := current.Overall
		p.Overall = &o
	}
	for _, r := range current.Sections {
		if r.Complete && r.Score.Scored {
			p.Sections[r.Section.Code] = r.Shown
		}
	}
	at := len(points)
	for i, q := range points {
		if q.Period > p.Period {
			at = i
			break
		}
	}
	return slices.Insert(points, at, p)
}
