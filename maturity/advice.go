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

// AdviceRequest is the page on which a board member or the lead asks a
// colleague's advice on one question.
type AdviceRequest struct {
	Cycle    models.MaturityCycle
	Section  *assessments.Section
	Question *assessments.Question
	// Colleagues are the people who may be asked.
	Colleagues []Option
	// BackLink is the page the request was made from, and returns to: the
	// lead's review of the section, or the member's section.
	BackLink string
	Form     AdviceRequestForm
	asker    models.User
}

// AdviceRequestForm is the colleague chosen, by user id.
type AdviceRequestForm struct{ Adviser string }

// AdviceRequest opens the request page for question code, if u may ask
// about it: the lead any question, a board member those of the sections
// they answer (else ErrNotAssigned). ErrNoQuestion if the framework has no
// such question.
func (s *Service) AdviceRequest(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, code string, u models.User) (AdviceRequest, error) {
	q, sec, ok := fw.Question(code)
	if !ok {
		return AdviceRequest{}, ErrNoQuestion
	}
	back := Path(cycle, "/review/", sec.Code)
	if !u.Has(models.RoleLead) {
		mine, err := s.store.AssignedSections(ctx, cycle.ID, u.ID)
		if err != nil {
			return AdviceRequest{}, err
		}
		if !slices.Contains(mine, sec.Code) {
			return AdviceRequest{}, ErrNotAssigned
		}
		back = Path(cycle, "/sections/", sec.Code)
	}
	people, err := s.colleagues(ctx, cycle.OrganisationID, u.ID)
	if err != nil {
		return AdviceRequest{}, err
	}
	return AdviceRequest{Cycle: cycle, Section: sec, Question: q, Colleagues: people, BackLink: back, asker: u}, nil
}

// colleagues are the people who may be asked: active accounts of the
// organisation who are not on the board, other than the person asking.
func (s *Service) colleagues(ctx context.Context, organisationID, asker uint) ([]Option, error) {
	users, err := s.store.UsersInOrganisation(ctx, organisationID)
	if err != nil {
		return nil, err
	}
	var opts []Option
	for _, u := range users {
		if !u.Active || u.Has(models.RoleBoard) || u.ID == asker {
			continue
		}
		label := u.Name
		if u.JobRole != "" {
			label += ", " + u.JobRole
		}
		opts = append(opts, Option{strconv.FormatUint(uint64(u.ID), 10), label})
	}
	return opts, nil
}

// RequestAdvice asks the colleague chosen in form. A refusal is
// validation.Errors with r ready to show again; refused are the caller's
// problems with the request, which also store nothing.
func (s *Service) RequestAdvice(ctx context.Context, r *AdviceRequest, form AdviceRequestForm, refused func(validation.Errors) validation.Errors) error {
	r.Form = form
	var errs validation.Errors
	if !slices.ContainsFunc(r.Colleagues, func(o Option) bool { return o.Value == form.Adviser }) {
		errs.Add("adviser", "Select the colleague to ask")
	}
	if refused != nil {
		errs = refused(errs)
	}
	if len(errs) > 0 {
		return errs
	}
	id, _ := strconv.ParseUint(form.Adviser, 10, 64)
	a := models.Advice{QuestionCode: r.Question.Code, AdviserID: uint(id), RequestedByID: r.asker.ID}
	err := s.store.RequestAdvice(ctx, r.Cycle, &a)
	if errors.Is(err, models.ErrCycleLocked) {
		return validation.Errors{{Field: "adviser", Message: "This assessment has been submitted, so advice can no longer be asked for"}}
	}
	return err
}

// AdvicePage is the colleague's page for one request made of them.
type AdvicePage struct {
	Advice    models.Advice
	Question  *assessments.Question
	Framework *assessments.Framework
	Period    string
	Locked    bool
	Form      AdviceForm
	// Options are the question's radios, with Form.Level checked.
	Options []LevelOption
}

// AdviceForm is the colleague's advice as typed.
type AdviceForm struct{ Level, Comment string }

// Advice opens request id for u, the colleague it was made of; anyone
// else, even on the board, gets models.ErrNotFound. The colleague sees only
// that question. The form holds what they have already given.
func (s *Service) Advice(ctx context.Context, u models.User, id uint) (AdvicePage, error) {
	a, err := s.store.AdviceFor(ctx, u.OrganisationID, u.ID, id)
	if err != nil {
		return AdvicePage{}, err
	}
	cycle, fw, err := s.Cycle(ctx, u, a.CycleID)
	if err != nil {
		return AdvicePage{}, err
	}
	q, _, ok := fw.Question(a.QuestionCode)
	if !ok {
		return AdvicePage{}, fmt.Errorf("advice %d: question %s not in the framework", a.ID, a.QuestionCode)
	}
	p := AdvicePage{Advice: a, Question: q, Framework: fw, Period: cycle.Period, Locked: cycle.Locked()}
	form := AdviceForm{Comment: a.Comment}
	if a.Level != nil {
		form.Level = strconv.Itoa(*a.Level)
	}
	p.show(form)
	return p, nil
}

func (p *AdvicePage) show(form AdviceForm) {
	p.Form = form
	p.Options = LevelOptions(p.Framework, p.Question, form.Level)
}

// GiveAdvice stores the colleague's level and comment, once, while the
// cycle is open. A refusal is validation.Errors with p ready to show again
// (a level that is not one dropped); refused are the caller's problems with
// the request, which also store nothing.
func (s *Service) GiveAdvice(ctx context.Context, p *AdvicePage, form AdviceForm, check InputCheck, refused func(validation.Errors) validation.Errors) error {
	var errs validation.Errors
	if p.Advice.Answered() {
		errs.Add("level", "You have already given your advice on this question")
	}
	l, ok := level(form.Level, p.Question)
	if !ok || l == nil {
		errs.Add("level-"+p.Question.Code+"-1", "Select the level you think describes the organisation")
		form.Level = ""
	}
	if problem := textProblem(check, "comment", form.Comment, "your comment", true, MaxEvidenceLength); problem != "" {
		errs.Add("comment", problem)
	}
	p.show(form)
	if refused != nil {
		errs = refused(errs)
	}
	if len(errs) > 0 {
		return errs
	}
	err := s.store.GiveAdvice(ctx, p.Advice, *l, form.Comment)
	switch {
	case errors.Is(err, models.ErrAnswered):
		return validation.Errors{{Field: "level", Message: "You have already given your advice on this question"}}
	case errors.Is(err, models.ErrCycleLocked):
		return validation.Errors{{Field: "level", Message: "The board has submitted this assessment, so advice can no longer be given"}}
	}
	return err
}
