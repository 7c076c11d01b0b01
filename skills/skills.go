// Package skills is a staff member's own digital skills self-assessment:
// starting or carrying on an attempt, rating one domain a page, checking
// and submitting, the results with learning suggestions, retakes, and the
// personal report. Nobody but the person sees their answers, so every
// operation takes the person and reads only their attempts.
package skills

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// StrongFrom is the "now" mean from which a domain counts as a strength:
// level 3 of 4, "on my own".
const StrongFrom = 3.0

var (
	// ErrNoFramework is a service started without a skills framework.
	ErrNoFramework = errors.New("no skills framework is loaded")
	// ErrNoAttempt is a page of an attempt in progress asked for when the
	// person has none: not started, or submitted (in another tab, most
	// likely).
	ErrNoAttempt = errors.New("no skills self-assessment in progress")
	// ErrUnknownDomain is a domain the attempt's framework does not have.
	ErrUnknownDomain = errors.New("no such skills domain")
	// ErrSubmitted is answers saved to, or a submission of, an attempt
	// that another request has completed meanwhile.
	ErrSubmitted = errors.New("skills self-assessment already submitted")
	// ErrAttemptNotFound is an attempt that is not the person's own, or
	// not completed.
	ErrAttemptNotFound = errors.New("no such completed skills self-assessment")
	// ErrNoneCompleted is results asked for by someone who has completed
	// no attempt.
	ErrNoneCompleted = errors.New("no completed skills self-assessment")
	// errIncomplete is a submission whose stored answers, read inside the
	// completing transaction, lack a rating.
	errIncomplete = errors.New("skills attempt has statements without both ratings")
)

// Service runs the self-assessment against the loaded frameworks.
type Service struct {
	Store      *models.Store
	Frameworks *assessments.Library
	// Framework finds the loaded framework of a stored framework version:
	// the one an attempt was taken against.
	Framework func(id uint) (*assessments.Framework, error)
	// MinGroupSize is the smallest group the workforce view shows, which
	// the start page promises.
	MinGroupSize int
	// LearningCatalogueURL is the deployment's own learning catalogue;
	// empty, suggestions carry no links.
	LearningCatalogueURL string
	// Location is where dates in the personal report are read.
	Location *time.Location
}

// Current is the framework staff are assessed against now.
func (s *Service) Current() (*assessments.Framework, error) {
	fw, ok := s.Frameworks.Latest(assessments.KindSkills)
	if !ok {
		return nil, ErrNoFramework
	}
	return fw, nil
}

// attemptFramework is the framework an attempt was taken against.
func (s *Service) attemptFramework(a models.SkillsAssessment) (*assessments.Framework, error) {
	fw, err := s.Framework(a.FrameworkID)
	if err != nil {
		return nil, fmt.Errorf("skills attempt %d: %w", a.ID, err)
	}
	return fw, nil
}

// open is the person's attempt in progress and its framework.
func (s *Service) open(ctx context.Context, userID uint) (models.SkillsAssessment, *assessments.Framework, error) {
	a, err := s.Store.OpenSkillsAssessment(ctx, userID)
	if errors.Is(err, models.ErrNotFound) {
		return a, nil, ErrNoAttempt
	}
	if err != nil {
		return a, nil, err
	}
	fw, err := s.attemptFramework(a)
	return a, fw, err
}

// ---- Start ----

// StartPage is what the start page shows a person.
type StartPage struct {
	Framework       *assessments.Framework
	Open            *models.SkillsAssessment
	ResumeDomain    *assessments.Section
	Completed       int
	ProfileComplete bool
	MinGroupSize    int
	// CanStartFromLast: the latest completed attempt is on the framework
	// version a new attempt would use, so its answers can be carried over.
	CanStartFromLast bool
}

// Start gathers the start page of u.
func (s *Service) Start(ctx context.Context, u models.User) (StartPage, error) {
	fw, err := s.Current()
	if err != nil {
		return StartPage{}, err
	}
	p := StartPage{Framework: fw, MinGroupSize: s.MinGroupSize,
		ProfileComplete: u.ProfileComplete()}
	open, afw, err := s.open(ctx, u.ID)
	switch {
	case err == nil:
		p.Open, p.Framework = &open, afw
		p.ResumeDomain = &afw.Sections[0]
		if sec, ok := afw.Section(open.CurrentDomain); ok {
			p.ResumeDomain = sec
		}
	case !errors.Is(err, ErrNoAttempt):
		return p, err
	}
	attempts, err := s.Store.SkillsAssessments(ctx, u.ID)
	if err != nil {
		return p, err
	}
	for _, a := range attempts {
		if a.Completed() {
			p.Completed++
		}
	}
	if p.Open == nil {
		if _, err := s.lastAnswers(ctx, u, fw); err == nil {
			p.CanStartFromLast = true
		} else if !errors.Is(err, models.ErrNotFound) {
			return p, err
		}
	}
	return p, nil
}

// Begun is where a person goes once an attempt is started or carried on.
type Begun struct {
	// Domain is the code of the domain to open.
	Domain string
	// Afresh says answers to carry over were asked for but no longer can
	// be: the last attempt is on an earlier framework version.
	Afresh bool
}

// Begin carries on u's attempt in progress, or starts one: with the
// answers of their last completed attempt when fromLast is set and that
// attempt is on the current framework version.
func (s *Service) Begin(ctx context.Context, u models.User, fromLast bool) (Begun, error) {
	open, fw, err := s.open(ctx, u.ID)
	if err == nil {
		return Begun{Domain: firstOr(open.CurrentDomain, fw.Sections[0].Code)}, nil
	}
	if !errors.Is(err, ErrNoAttempt) {
		return Begun{}, err
	}
	if fw, err = s.Current(); err != nil {
		return Begun{}, err
	}
	fv, err := s.Store.FrameworkVersionByCode(ctx, fw.Code, fw.Version)
	if err != nil {
		return Begun{}, err
	}
	var b Begun
	var a models.SkillsAssessment
	if fromLast {
		last, lerr := s.lastAnswers(ctx, u, fw)
		switch {
		case errors.Is(lerr, models.ErrNotFound):
			b.Afresh = true
			a, err = s.Store.StartSkillsAssessment(ctx, u, fv.ID)
		case lerr != nil:
			return b, lerr
		default:
			a, err = s.Store.StartSkillsAssessmentFrom(ctx, u, fv.ID, last.ID)
		}
	} else {
		// Another tab may have started one a moment ago: then this is it.
		a, err = s.Store.StartSkillsAssessment(ctx, u, fv.ID)
	}
	if err != nil {
		return b, err
	}
	if afw, err := s.attemptFramework(a); err == nil {
		fw = afw
	}
	b.Domain = firstOr(a.CurrentDomain, fw.Sections[0].Code)
	return b, nil
}

// lastAnswers is the person's latest completed attempt when it is on the
// framework version fw that a new attempt would use; models.ErrNotFound
// when there is none, or it is on another version.
func (s *Service) lastAnswers(ctx context.Context, u models.User, fw *assessments.Framework) (models.SkillsAssessment, error) {
	last, err := s.Store.LatestCompletedSkills(ctx, u.ID)
	if err != nil {
		return last, err
	}
	fv, err := s.Store.FrameworkVersionByCode(ctx, fw.Code, fw.Version)
	if err != nil {
		return last, err
	}
	if last.FrameworkID != fv.ID {
		return last, models.ErrNotFound
	}
	return last, nil
}

func firstOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// ---- One domain a page ----

// Rating is one statement as a page shows it: its ratings as given ("" for
// none) and, after a save, what is missing.
type Rating struct {
	Statement *assessments.Question
	Number    int
	Now       string
	Need      string
	Error     string
}

// DomainPage is one domain's statements to rate.
type DomainPage struct {
	Framework  *assessments.Framework
	Domain     *assessments.Section
	Index      int
	Statements []Rating
	Previous   *assessments.Section
	Next       *assessments.Section
	// FromCheck: opened with "Change" on check your answers, so saving
	// goes back there.
	FromCheck bool
}

// domain finds the domain code in u's attempt in progress.
func (s *Service) domain(ctx context.Context, userID uint, code string) (models.SkillsAssessment, DomainPage, error) {
	a, fw, err := s.open(ctx, userID)
	if err != nil {
		return a, DomainPage{}, err
	}
	idx := slices.Index(fw.SectionCodes(), code)
	if idx < 0 {
		return a, DomainPage{}, ErrUnknownDomain
	}
	p := DomainPage{Framework: fw, Domain: &fw.Sections[idx], Index: idx + 1}
	if idx > 0 {
		p.Previous = &fw.Sections[idx-1]
	}
	if idx+1 < len(fw.Sections) {
		p.Next = &fw.Sections[idx+1]
	}
	return a, p, nil
}

// Domain is the page of domain code of u's attempt in progress, with the
// ratings stored so far.
func (s *Service) Domain(ctx context.Context, userID uint, code string) (DomainPage, error) {
	a, p, err := s.domain(ctx, userID, code)
	if err != nil {
		return p, err
	}
	answers, err := s.Store.SkillsAnswers(ctx, a.ID)
	if err != nil {
		return p, err
	}
	for i := range p.Domain.Questions {
		q := &p.Domain.Questions[i]
		ans := answers[q.Code]
		p.Statements = append(p.Statements, Rating{Statement: q, Number: i + 1, Now: ratingText(ans.Now), Need: ratingText(ans.Need)})
	}
	return p, nil
}

func ratingText(r *int) string {
	if r == nil {
		return ""
	}
	return strconv.Itoa(*r)
}

// parseRating reads one radio group: "" for no answer, or 1..max.
func parseRating(raw string, max int) (*int, bool) {
	if raw == "" {
		return nil, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > max {
		return nil, false
	}
	return &n, true
}

// SaveDomain stores whatever of domain code was rated, read from form by
// field name ("now-" and "need-" and a statement's code). Unless later is
// set (the person comes back later), a statement without both ratings is
// a problem of the form: the answers are still saved, and the error is
// validation.Errors with the page to show again. ErrSubmitted when the
// attempt was completed meanwhile.
func (s *Service) SaveDomain(ctx context.Context, userID uint, code string, form func(string) string, later bool) (DomainPage, error) {
	a, p, err := s.domain(ctx, userID, code)
	if errors.Is(err, ErrNoAttempt) {
		return p, ErrSubmitted
	}
	if err != nil {
		return p, err
	}
	max := len(p.Framework.Scale)
	var answers []models.SkillsAnswer
	var errs validation.Errors
	complete := true
	for i := range p.Domain.Questions {
		q := &p.Domain.Questions[i]
		r := Rating{Statement: q, Number: i + 1, Now: form("now-" + q.Code), Need: form("need-" + q.Code)}
		now, okNow := parseRating(r.Now, max)
		need, okNeed := parseRating(r.Need, max)
		if !okNow {
			r.Now = ""
		}
		if !okNeed {
			r.Need = ""
		}
		answers = append(answers, models.SkillsAnswer{StatementCode: q.Code, Now: now, Need: need})
		complete = complete && now != nil && need != nil
		switch {
		case later:
		case now == nil && need == nil:
			r.Error = "Choose where you are now and where your role needs you to be for: " + q.Title
		case now == nil:
			r.Error = "Choose where you are now for: " + q.Title
		case need == nil:
			r.Error = "Choose where your role needs you to be for: " + q.Title
		}
		if r.Error != "" {
			field := "now-" + q.Code + "-1"
			if now != nil {
				field = "need-" + q.Code + "-1"
			}
			errs.Add(field, r.Error)
		}
		p.Statements = append(p.Statements, r)
	}
	// Resume at this domain until it is complete, then at the next one.
	current := p.Domain.Code
	if complete {
		current = s.firstIncomplete(ctx, a, p.Framework, p.Domain.Code, answers)
	}
	err = s.Store.SaveSkillsAnswers(ctx, a, answers, current)
	if errors.Is(err, models.ErrConflict) {
		return p, ErrSubmitted
	}
	if err != nil {
		return p, err
	}
	return p, errs.OrNil()
}

// firstIncomplete finds where the person should resume, counting the
// domain just saved with its new answers.
func (s *Service) firstIncomplete(ctx context.Context, a models.SkillsAssessment, fw *assessments.Framework, saved string, fresh []models.SkillsAnswer) string {
	stored, err := s.Store.SkillsAnswers(ctx, a.ID)
	if err != nil {
		return saved
	}
	for _, f := range fresh {
		stored[f.StatementCode] = f
	}
	for _, sec := range fw.Sections {
		for _, q := range sec.Questions {
			ans := stored[q.Code]
			if ans.Now == nil || ans.Need == nil {
				return sec.Code
			}
		}
	}
	return ""
}

// ---- Check your answers and submit ----

// CheckDomain is one domain's ratings on the check page.
type CheckDomain struct {
	Domain     *assessments.Section
	Statements []Rating
	Missing    int
}

// Check is every rating of the attempt in progress, and how many are
// missing.
type Check struct {
	Framework *assessments.Framework
	Domains   []CheckDomain
	Missing   int
	attempt   models.SkillsAssessment
}

// Check gathers the check page of u's attempt in progress.
func (s *Service) Check(ctx context.Context, userID uint) (Check, error) {
	a, fw, err := s.open(ctx, userID)
	if err != nil {
		return Check{}, err
	}
	answers, err := s.Store.SkillsAnswers(ctx, a.ID)
	if err != nil {
		return Check{}, err
	}
	ch := Check{Framework: fw, attempt: a}
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		cd := CheckDomain{Domain: sec}
		for qi := range sec.Questions {
			q := &sec.Questions[qi]
			ans := answers[q.Code]
			cd.Statements = append(cd.Statements, Rating{Statement: q, Number: qi + 1, Now: ratingText(ans.Now), Need: ratingText(ans.Need)})
			if ans.Now == nil || ans.Need == nil {
				cd.Missing++
			}
		}
		ch.Missing += cd.Missing
		ch.Domains = append(ch.Domains, cd)
	}
	return ch, nil
}

// missing is the check page's problems: each domain with statements
// without both ratings, or, when none has any, that the answers changed
// after they were read.
func (ch Check) missing() validation.Errors {
	var errs validation.Errors
	for _, d := range ch.Domains {
		if d.Missing > 0 {
			errs.Add("domain-"+d.Domain.Code, fmt.Sprintf("Rate all the statements in %s: %d still need an answer", d.Domain.Label, d.Missing))
		}
	}
	if len(errs) == 0 {
		errs.Add("domain-"+ch.Framework.Sections[0].Code, "Your answers changed in another tab or window: check them and submit again")
	}
	return errs
}

// Submit completes u's attempt in progress at now, scoring it in the
// completing transaction. A rating missing is validation.Errors, with the
// check page to show again; ErrSubmitted when another request completed
// it first. It returns the completed attempt.
func (s *Service) Submit(ctx context.Context, u models.User, now time.Time) (models.SkillsAssessment, Check, error) {
	ch, err := s.Check(ctx, u.ID)
	if err != nil {
		return models.SkillsAssessment{}, ch, err
	}
	if ch.Missing > 0 {
		return ch.attempt, ch, ch.missing()
	}
	err = s.Store.CompleteSkillsAssessment(ctx, ch.attempt, u, models.FinancialYear(now), scorer(ch.Framework))
	switch {
	case errors.Is(err, models.ErrConflict):
		return ch.attempt, ch, ErrSubmitted
	case errors.Is(err, errIncomplete):
		// Another tab cleared a rating after the check was read: the check
		// again, with what is stored now.
		if ch, err = s.Check(ctx, u.ID); err != nil {
			return ch.attempt, ch, err
		}
		return ch.attempt, ch, ch.missing()
	}
	return ch.attempt, ch, err
}

// scorer scores an attempt's answers against its framework, inside the
// transaction that completes it, refusing answers with a gap.
func scorer(fw *assessments.Framework) models.SkillsScorer {
	return func(answers map[string]models.SkillsAnswer) ([]models.SkillsDomainScore, error) {
		ratings := map[string]assessments.SkillsRating{}
		for _, sec := range fw.Sections {
			for _, q := range sec.Questions {
				ans := answers[q.Code]
				if ans.Now == nil || ans.Need == nil {
					return nil, errIncomplete
				}
				ratings[q.Code] = assessments.SkillsRating{Now: *ans.Now, Need: *ans.Need}
			}
		}
		var scores []models.SkillsDomainScore
		for _, d := range assessments.ScoreSkills(fw, ratings) {
			if d.Scored {
				scores = append(scores, models.SkillsDomainScore{DomainCode: d.Code, Now: d.Now, Need: d.Need, Gap: d.Gap})
			}
		}
		return scores, nil
	}
}

// History is every attempt of the person, newest first.
func (s *Service) History(ctx context.Context, userID uint) ([]models.SkillsAssessment, error) {
	return s.Store.SkillsAssessments(ctx, userID)
}

// learningFor lists a domain's suggestions for a level, with links only
// where the deployment has its own learning catalogue.
func (s *Service) learningFor(sec *assessments.Section, level int) []Learning {
	var items []Learning
	for _, l := range sec.Learning {
		if l.Level != level {
			continue
		}
		for _, sg := range l.Suggestions {
			item := Learning{Suggestion: sg}
			if s.LearningCatalogueURL != "" && sg.CataloguePath != "" {
				item.Link = strings.TrimRight(s.LearningCatalogueURL, "/") + "/" + strings.TrimLeft(sg.CataloguePath, "/")
			}
			items = append(items, item)
		}
	}
	return items
}
