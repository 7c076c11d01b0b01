package skills

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// Learning is one learning suggestion, linked where the deployment has a
// catalogue.
type Learning struct {
	assessments.Suggestion
	Link string
}

// DomainResult is one domain of a completed attempt.
type DomainResult struct {
	Domain   *assessments.Section
	Score    assessments.DomainScore
	Change   assessments.DomainChange
	Learning []Learning
	Level    int
}

// Results is a completed attempt as its results page shows it.
type Results struct {
	Attempt    models.SkillsAssessment
	Framework  *assessments.Framework
	Domains    []DomainResult
	Strengths  []DomainResult
	Priorities []DomainResult
	Previous   *models.SkillsAssessment
	// Scores are the domain scores in framework order, for the chart.
	Scores []assessments.DomainScore
	// Latest says this is the person's latest completed attempt.
	Latest bool
}

// Attempt is the person's own completed attempt id; ErrAttemptNotFound
// when it is someone else's, or in progress.
func (s *Service) Attempt(ctx context.Context, userID, id uint) (models.SkillsAssessment, error) {
	a, err := s.Store.SkillsAssessmentOf(ctx, userID, id)
	if errors.Is(err, models.ErrNotFound) || (err == nil && !a.Completed()) {
		return a, ErrAttemptNotFound
	}
	return a, err
}

// Latest is the person's latest completed attempt; ErrNoneCompleted when
// they have completed none.
func (s *Service) Latest(ctx context.Context, userID uint) (models.SkillsAssessment, error) {
	attempts, err := s.Store.SkillsAssessments(ctx, userID)
	if err != nil {
		return models.SkillsAssessment{}, err
	}
	for _, a := range attempts {
		if a.Completed() {
			return a, nil
		}
	}
	return models.SkillsAssessment{}, ErrNoneCompleted
}

// storedScores turns an attempt's stored rows into scores in framework
// order.
func storedScores(fw *assessments.Framework, rows []models.SkillsDomainScore) []assessments.DomainScore {
	by := map[string]models.SkillsDomainScore{}
	for _, r := range rows {
		by[r.DomainCode] = r
	}
	var out []assessments.DomainScore
	for _, sec := range fw.Sections {
		r, ok := by[sec.Code]
		out = append(out, assessments.DomainScore{Code: sec.Code, Now: r.Now, Need: r.Need, Gap: r.Gap, Scored: ok, Rated: len(sec.Questions)})
	}
	return out
}

// Results gathers the results of a's completed attempt: its scores, the
// change since the attempt before, strengths, priorities and the learning
// for the level reached in each domain.
func (s *Service) Results(ctx context.Context, a models.SkillsAssessment) (Results, error) {
	fw, err := s.attemptFramework(a)
	if err != nil {
		return Results{}, err
	}
	rows, err := s.Store.SkillsDomainScores(ctx, a.ID)
	if err != nil {
		return Results{}, err
	}
	scores := storedScores(fw, rows)
	r := Results{Attempt: a, Framework: fw, Scores: scores}
	var changes []assessments.DomainChange
	prev, err := s.Store.PreviousCompletedSkills(ctx, a)
	switch {
	case err == nil:
		r.Previous = &prev
		prevRows, err := s.Store.SkillsDomainScores(ctx, prev.ID)
		if err != nil {
			return r, err
		}
		pfw, err := s.attemptFramework(prev)
		if err != nil {
			return r, err
		}
		changes = assessments.SkillsChange(scores, storedScores(pfw, prevRows))
	case !errors.Is(err, models.ErrNotFound):
		return r, err
	}
	byCode := map[string]DomainResult{}
	for i, sc := range scores {
		sec := &fw.Sections[i]
		d := DomainResult{Domain: sec, Score: sc}
		for _, ch := range changes {
			if ch.Code == sc.Code {
				d.Change = ch
			}
		}
		if sc.Scored {
			d.Level = assessments.LearningLevel(sc.Now, len(fw.Scale))
			d.Learning = s.learningFor(sec, d.Level)
		}
		byCode[sc.Code] = d
		r.Domains = append(r.Domains, d)
	}
	for _, d := range assessments.Strengths(scores, StrongFrom, 3) {
		r.Strengths = append(r.Strengths, byCode[d.Code])
	}
	for _, d := range assessments.SkillsPriorities(scores, 3) {
		r.Priorities = append(r.Priorities, byCode[d.Code])
	}
	latest, err := s.Latest(ctx, a.UserID)
	r.Latest = err == nil && latest.ID == a.ID
	return r, nil
}

// PersonalReport is the PDF report of u's completed attempt a, from the
// same results as the results page.
func (s *Service) PersonalReport(ctx context.Context, u models.User, organisation string, a models.SkillsAssessment) (reports.PersonalReport, error) {
	d, err := s.Results(ctx, a)
	if err != nil {
		return reports.PersonalReport{}, err
	}
	r := reports.PersonalReport{Name: u.Name, Organisation: organisation, Completed: *a.CompletedAt, ScaleMax: len(d.Framework.Scale)}
	for _, l := range d.Framework.Scale {
		r.ScaleLabels = append(r.ScaleLabels, l.Label)
	}
	for _, dr := range d.Domains {
		pd := reports.PersonalDomain{Label: dr.Domain.Label, Now: dr.Score.Now, Need: dr.Score.Need, Change: "Not compared",
			NowText: assessments.FormatScore(dr.Score.Now), NeedText: assessments.FormatScore(dr.Score.Need), GapText: assessments.FormatScore(dr.Score.Gap)}
		if dr.Change.Compared {
			pd.Change = assessments.FormatChange(dr.Change.Now)
		}
		if !dr.Score.Scored {
			pd.Now, pd.Need = math.NaN(), math.NaN()
		}
		r.Domains = append(r.Domains, pd)
	}
	for _, st := range d.Strengths {
		r.Strengths = append(r.Strengths, fmt.Sprintf("%s: now %s, role needs %s.", st.Domain.Label, assessments.FormatScore(st.Score.Now), assessments.FormatScore(st.Score.Need)))
	}
	for _, p := range d.Priorities {
		pp := reports.PersonalPriority{Label: p.Domain.Label,
			Text: fmt.Sprintf("Now %s, role needs %s: a gap of %s.", assessments.FormatScore(p.Score.Now), assessments.FormatScore(p.Score.Need), assessments.FormatScore(p.Score.Gap))}
		for _, l := range p.Learning {
			pp.Learning = append(pp.Learning, reports.Learning{Title: l.Title, Summary: l.Summary, Link: l.Link})
		}
		r.Priorities = append(r.Priorities, pp)
	}
	if d.Previous != nil {
		r.Previous = "Compared with your attempt of " + s.date(*d.Previous.CompletedAt)
	}
	r.Method = []string{fmt.Sprintf("Each rating is a level from 1 (%s) to %d (%s). A domain's \"now\" is the mean of your ratings now for its statements, its \"role needs\" the mean of what your role needs, and the gap is the difference. Priorities are the three largest gaps; strengths are domains where you are already at level 3 or above. This report is private to you.",
		r.ScaleLabels[0], r.ScaleMax, r.ScaleLabels[r.ScaleMax-1])}
	return r, nil
}

// date shows the calendar day of t where the service is.
func (s *Service) date(t time.Time) string {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2 January 2006")
}
