package maturity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// QuestionAnswer is one question of a board member's section.
type QuestionAnswer struct {
	Question *assessments.Question
	Number   int
	Level    string // "", "0" (not applicable) or "1".."5"
	Evidence string
	Error    string
	// LastAgreed is the level agreed for this question in the previous
	// cycle ("" when none); Documents and Advice are this cycle's.
	LastAgreed string
	Documents  []models.Evidence
	Advice     []models.Advice
	// Options are the question's levels as the page shows them, worked out
	// in Go: the template then only reads fields, which costs a fraction of
	// calling functions for every radio of every question.
	Options []LevelOption
}

// LevelOption is one radio of a question.
type LevelOption struct {
	Level   int
	ID      string // level-CODE-N
	Label   string // Level N: scale label
	Hint    string // the level's descriptor
	Checked bool
}

// LevelOptions are a question's radios with the level chosen checked.
func LevelOptions(fw *assessments.Framework, q *assessments.Question, chosen string) []LevelOption {
	opts := make([]LevelOption, len(q.Levels))
	for i := range q.Levels {
		l := strconv.Itoa(i + 1)
		opts[i] = LevelOption{Level: i + 1, ID: "level-" + q.Code + "-" + l,
			Label: "Level " + l + ": " + fw.ScaleLabel(i+1), Hint: q.Levels[i], Checked: chosen == l}
	}
	return opts
}

// SectionPage is a board member's section.
type SectionPage struct {
	Cycle     models.MaturityCycle
	Framework *assessments.Framework
	Section   *assessments.Section
	Index     int
	Questions []QuestionAnswer
	Answered  int
	Next      *assessments.Section
	Locked    bool
	// LastPeriod is the previous cycle whose agreed levels are shown.
	LastPeriod string
	// UploadQuestion is the question chosen in the upload form.
	UploadQuestion string
	// assigned are the codes of the sections the member is assigned.
	assigned []string
	// respondent is the board member answering.
	respondent models.User
}

// AssignedSection opens the section code of a cycle for u, who must be
// assigned to it.
func (s *Service) AssignedSection(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, code string, u models.User) (SectionPage, error) {
	idx := slices.Index(fw.SectionCodes(), code)
	if idx < 0 {
		return SectionPage{}, ErrNoSection
	}
	mine, err := s.store.AssignedSections(ctx, cycle.ID, u.ID)
	if err != nil {
		return SectionPage{}, err
	}
	if !slices.Contains(mine, code) {
		return SectionPage{}, ErrNotAssigned
	}
	sec, _ := fw.Section(code)
	return SectionPage{Cycle: cycle, Framework: fw, Section: sec, Index: idx + 1, Locked: cycle.Locked(), assigned: mine, respondent: u}, nil
}

// FillAnswers puts the member's stored answers into the page.
func (s *Service) FillAnswers(ctx context.Context, p *SectionPage) error {
	sec := p.Section
	p.Questions, p.Answered = nil, 0
	answers, err := s.store.AnswersBy(ctx, p.Cycle.ID, p.respondent.ID)
	if err != nil {
		return err
	}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		qa := QuestionAnswer{Question: q, Number: i + 1}
		if a, ok := answers[q.Code]; ok {
			qa.Evidence = a.Evidence
			if a.Level != nil {
				qa.Level = strconv.Itoa(*a.Level)
			}
			if AnswerComplete(a) {
				p.Answered++
			}
		}
		p.Questions = append(p.Questions, qa)
	}
	return nil
}

// Complete finishes the page for showing: the next assigned section, each
// question's radios, and what the member sees beside each question: last
// cycle's agreed level (carried forward), this cycle's evidence documents
// and colleagues' advice.
func (s *Service) Complete(ctx context.Context, p *SectionPage) error {
	p.Next = nil
	for i := p.Index; i < len(p.Framework.Sections); i++ {
		if slices.Contains(p.assigned, p.Framework.Sections[i].Code) {
			p.Next = &p.Framework.Sections[i]
			break
		}
	}
	prev, err := s.store.PreviousSubmittedCycle(ctx, p.Cycle)
	var last map[string]models.AgreedAnswer
	switch {
	case err == nil:
		p.LastPeriod = prev.Period
		if last, err = s.store.AgreedIn(ctx, p.Cycle.OrganisationID, prev.ID); err != nil {
			return err
		}
	case !errors.Is(err, models.ErrNotFound):
		return err
	}
	docs, err := s.store.CycleEvidence(ctx, p.Cycle.OrganisationID, p.Cycle.ID)
	if err != nil {
		return err
	}
	advice, err := s.store.CycleAdvice(ctx, p.Cycle.ID)
	if err != nil {
		return err
	}
	for i := range p.Questions {
		qa := &p.Questions[i]
		code := qa.Question.Code
		qa.Options = LevelOptions(p.Framework, qa.Question, qa.Level)
		qa.LastAgreed, qa.Documents, qa.Advice = "", nil, nil
		if a, ok := last[code]; ok && a.Level != nil {
			qa.LastAgreed = LevelText(a.Level)
		}
		for _, d := range docs {
			if d.QuestionCode == code {
				qa.Documents = append(qa.Documents, d)
			}
		}
		for _, ad := range advice {
			if ad.QuestionCode == code && ad.Answered() {
				qa.Advice = append(qa.Advice, ad)
			}
		}
	}
	return nil
}

// Onward is where the member goes once the section is complete: the
// section next names, if the framework has it, else the cycle page.
func (p *SectionPage) Onward(next string) string {
	if _, ok := p.Framework.Section(next); ok && next != "" {
		return Path(p.Cycle, "/sections/", next)
	}
	return Path(p.Cycle)
}

// SectionForm is a section's answers as typed, by question code.
type SectionForm struct {
	Levels   map[string]string
	Evidence map[string]string
	// Later says the member will come back: an incomplete section is then
	// saved without asking for what is missing.
	Later bool
}

// ReadAnswers checks a section's answers as typed into the page, returning
// what would be stored. A question's Error says what is wrong with what
// was typed: a level that is not one, evidence breaking the input rule or
// too long (then cut to the longest allowed).
func (p *SectionPage) ReadAnswers(form SectionForm, check InputCheck) []models.MaturityAnswer {
	var answers []models.MaturityAnswer
	p.Questions = nil
	for i := range p.Section.Questions {
		q := &p.Section.Questions[i]
		qa := QuestionAnswer{Question: q, Number: i + 1, Level: form.Levels[q.Code], Evidence: form.Evidence[q.Code]}
		ans := models.MaturityAnswer{QuestionCode: q.Code, Evidence: qa.Evidence}
		if l, ok := level(qa.Level, q); ok {
			ans.Level = l
		} else {
			qa.Error = "Select a level from 1 to 5 for " + LowerFirst(q.Title)
			qa.Level = ""
		}
		if problem := check.problem("evidence-"+q.Code, "evidence for "+LowerFirst(q.Title)); problem != "" {
			qa.Error = problem
		} else if len([]rune(qa.Evidence)) > MaxEvidenceLength {
			qa.Error = fmt.Sprintf("Evidence for %s must be %d characters or fewer", LowerFirst(q.Title), MaxEvidenceLength)
			ans.Evidence = string([]rune(qa.Evidence)[:MaxEvidenceLength])
		}
		answers = append(answers, ans)
		p.Questions = append(p.Questions, qa)
	}
	return answers
}

// Errors are the page's questions' problems, for the error summary.
func (p *SectionPage) Errors() validation.Errors {
	var errs validation.Errors
	for _, qa := range p.Questions {
		if qa.Error != "" {
			errs.Add("level-"+qa.Question.Code+"-1", qa.Error)
		}
	}
	return errs
}

// SaveSection stores whatever was read into the page, complete or not, so
// nothing is ever lost; then, unless the member will come back later, it
// says what is still needed as validation.Errors. A complete section may
// tell the leads that every section is answered.
func (s *Service) SaveSection(ctx context.Context, p *SectionPage, answers []models.MaturityAnswer, later bool) error {
	err := s.store.SaveAnswers(ctx, p.Cycle, p.respondent, p.Section.Code, answers)
	if errors.Is(err, models.ErrCycleLocked) {
		p.Locked = true
		return validation.Errors{{Field: "status", Message: "This assessment has been submitted, so answers can no longer change"}}
	}
	if err != nil {
		return err
	}
	for i, a := range answers {
		qa := &p.Questions[i]
		if AnswerComplete(a) {
			p.Answered++
		}
		if qa.Error == "" && !later {
			switch {
			case a.Level == nil:
				qa.Error = "Select a level for " + LowerFirst(qa.Question.Title)
			case *a.Level >= 4 && a.Evidence == "":
				qa.Error = fmt.Sprintf("Describe the evidence for level %d for %s", *a.Level, LowerFirst(qa.Question.Title))
			}
		}
	}
	if errs := p.Errors(); len(errs) > 0 || later {
		return errs.OrNil()
	}
	return s.noticeAllAnswered(ctx, p.Cycle, p.Framework)
}
