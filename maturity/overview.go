package maturity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/email"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// ---- Opening a cycle ----

// CycleForm is the form that opens a cycle, as typed.
type CycleForm struct {
	Period    string
	Framework string // code@version
	Quorum    string
	DueDay    string
	DueMonth  string
	DueYear   string
}

// OpenCycle opens a cycle for the organisation, copying the last cycle's
// assignments. Refused input (and refused, the caller's own problems with
// the request, which store nothing) come back as validation.Errors.
func (s *Service) OpenCycle(ctx context.Context, lib *assessments.Library, form CycleForm, organisationID, actorID uint,
	now time.Time, refused validation.Errors) (models.MaturityCycle, error) {
	var errs validation.Errors
	if !slices.Contains(Periods(now), form.Period) {
		errs.Add("period", "Select the period the assessment covers")
	}
	code, version, _ := strings.Cut(form.Framework, "@")
	fw, ok := lib.Get(code, version)
	if !ok || fw.Kind != assessments.KindMaturity {
		errs.Add("framework", "Select a framework version")
	}
	due, problem := validation.Date(form.DueDay, form.DueMonth, form.DueYear, "due date")
	if problem == "" && due.Before(now.Truncate(24*time.Hour)) {
		problem = "Due date must be today or in the future"
	}
	if problem != "" {
		errs.Add("due-day", problem)
	}
	quorum, qerr := strconv.Atoi(form.Quorum)
	switch {
	case form.Quorum == "":
		errs.Add("quorum", "Enter how many board members must answer a question before its level can be agreed")
	case qerr != nil || quorum < 1 || quorum > MaxQuorum:
		errs.Add("quorum", fmt.Sprintf("The quorum must be a whole number from 1 to %d", MaxQuorum))
	}
	if errs = append(errs, refused...); len(errs) > 0 {
		return models.MaturityCycle{}, errs
	}
	fv, err := s.store.FrameworkVersionByCode(ctx, fw.Code, fw.Version)
	if err != nil {
		return models.MaturityCycle{}, err
	}
	cycle := models.MaturityCycle{OrganisationID: organisationID, FrameworkID: fv.ID, Period: form.Period,
		DueDate: due, CreatedByID: &actorID, Quorum: quorum}
	err = s.store.CreateCycle(ctx, &cycle, actorID)
	if errors.Is(err, models.ErrDuplicate) {
		return cycle, validation.Errors{{Field: "period", Message: "Your organisation already has a cycle for " + form.Period + ". Open it from the list"}}
	}
	return cycle, err
}

// ---- The cycle page: the lead's overview and a board member's task list ----

// SectionRow is one section of the cycle page.
type SectionRow struct {
	Section  *assessments.Section
	Index    int
	Members  []MemberProgress
	Agreed   int
	Target   int
	Mine     bool
	MyStatus string
	Answered int
}

// MemberProgress is one assigned member's status on a section.
type MemberProgress struct {
	UserID   uint
	Name     string
	Status   string
	Answered int
}

// MissingQuestion is a question without an agreed level.
type MissingQuestion struct {
	Section  *assessments.Section
	Question *assessments.Question
}

// Overview is the cycle page.
type Overview struct {
	Cycle        models.MaturityCycle
	Framework    *assessments.Framework
	Sections     []SectionRow
	BoardMembers []models.User
	Assigned     map[string]map[uint]bool
	IsLead       bool
	IsBoard      bool
	AgreedTotal  int
	Missing      []MissingQuestion
	ActionsCount int
	// Reason is a reason for reopening as typed; Reopenings the earlier ones.
	Reason     string
	Reopenings []models.Reopening
}

// answersByMember groups a cycle's answers by respondent and question.
func answersByMember(answers []models.RespondentAnswer) map[uint]map[string]models.MaturityAnswer {
	byMember := map[uint]map[string]models.MaturityAnswer{}
	for _, a := range answers {
		if byMember[a.RespondentID] == nil {
			byMember[a.RespondentID] = map[string]models.MaturityAnswer{}
		}
		byMember[a.RespondentID][a.QuestionCode] = a.MaturityAnswer
	}
	return byMember
}

// Overview gathers the cycle page for u: who is assigned where, each
// member's progress, how many agreed levels each section has; for a lead,
// the board members to assign and the number of actions.
func (s *Service) Overview(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, u models.User) (Overview, error) {
	assignments, err := s.store.Assignments(ctx, cycle.ID)
	if err != nil {
		return Overview{}, err
	}
	answers, err := s.store.CycleAnswers(ctx, cycle.ID)
	if err != nil {
		return Overview{}, err
	}
	agreed, targets, err := s.agreedAndTargets(ctx, cycle.ID)
	if err != nil {
		return Overview{}, err
	}
	byMember := answersByMember(answers)
	data := Overview{Cycle: cycle, Framework: fw, IsLead: u.Has(models.RoleLead), IsBoard: u.Has(models.RoleBoard),
		Assigned: map[string]map[uint]bool{}}
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		row := SectionRow{Section: sec, Index: i + 1, Target: targets[sec.Code]}
		for _, a := range assignments {
			if a.SectionCode != sec.Code {
				continue
			}
			if data.Assigned[sec.Code] == nil {
				data.Assigned[sec.Code] = map[uint]bool{}
			}
			data.Assigned[sec.Code][a.UserID] = true
			status, answered := SectionStatus(sec, byMember[a.UserID])
			row.Members = append(row.Members, MemberProgress{UserID: a.UserID, Name: a.Name, Status: status, Answered: answered})
			if a.UserID == u.ID {
				row.Mine, row.MyStatus, row.Answered = true, status, answered
			}
		}
		for qi := range sec.Questions {
			q := &sec.Questions[qi]
			if a, ok := agreed[q.Code]; ok && a.Level != nil {
				row.Agreed++
			} else {
				data.Missing = append(data.Missing, MissingQuestion{Section: sec, Question: q})
			}
		}
		data.AgreedTotal += row.Agreed
		data.Sections = append(data.Sections, row)
	}
	if data.IsLead {
		if data.BoardMembers, err = s.store.BoardMembers(ctx, cycle.OrganisationID); err != nil {
			return data, err
		}
		actions, err := s.store.CycleActions(ctx, cycle.OrganisationID, cycle.ID)
		if err != nil {
			return data, err
		}
		data.ActionsCount = len(actions)
	}
	if data.Reopenings, err = s.store.Reopenings(ctx, cycle.ID); err != nil {
		return data, err
	}
	return data, nil
}

// SubmitProblems are why the cycle cannot be submitted as it stands: it
// has been already, or questions have no agreed level.
func (o Overview) SubmitProblems() validation.Errors {
	if o.Cycle.Locked() {
		return validation.Errors{{Field: "status", Message: "This assessment has already been submitted"}}
	}
	var errs validation.Errors
	for _, m := range o.Missing {
		errs.Add("missing-"+m.Question.Code, fmt.Sprintf("Agree a level for %s (%s), or mark it not applicable", LowerFirst(m.Question.Title), m.Section.Label))
	}
	return errs
}

// ---- A board member's home page ----

// BoardTask is one open cycle on a board member's home page.
type BoardTask struct {
	Cycle              models.MaturityCycle
	Sections, Complete int
}

// BoardTasks lists the cycles still being answered in which u has
// sections, with how many of them u has completed.
func (s *Service) BoardTasks(ctx context.Context, u models.User) ([]BoardTask, error) {
	cycles, err := s.store.CyclesAssignedTo(ctx, u.OrganisationID, u.ID)
	if err != nil {
		return nil, err
	}
	var tasks []BoardTask
	for _, cycle := range cycles {
		if cycle.Locked() {
			continue
		}
		fw, err := s.cfg.Framework(cycle.FrameworkID)
		if err != nil {
			return nil, fmt.Errorf("cycle %d: %w", cycle.ID, err)
		}
		mine, err := s.store.AssignedSections(ctx, cycle.ID, u.ID)
		if err != nil {
			return nil, err
		}
		answers, err := s.store.AnswersBy(ctx, cycle.ID, u.ID)
		if err != nil {
			return nil, err
		}
		task := BoardTask{Cycle: cycle, Sections: len(mine)}
		for _, code := range mine {
			if sec, ok := fw.Section(code); ok {
				if status, _ := SectionStatus(sec, answers); status == SectionCompleted {
					task.Complete++
				}
			}
		}
		tasks = append(tasks, task)
	}
	return tasks, nil
}

// ---- Assignments ----

// SaveAssignments assigns the sections, keeping only the organisation's
// own board members. Members given a new section are told by email, when
// the service sends email, in the transaction that assigns them.
func (s *Service) SaveAssignments(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework,
	chosen map[string][]string, actorID uint) error {
	if cycle.Locked() {
		return ErrLocked
	}
	members, err := s.store.BoardMembers(ctx, cycle.OrganisationID)
	if err != nil {
		return err
	}
	bySection := map[string][]uint{}
	for _, code := range fw.SectionCodes() {
		ids := []uint{}
		for _, raw := range chosen[code] {
			id, err := strconv.ParseUint(raw, 10, 64)
			if err != nil {
				continue
			}
			if slices.ContainsFunc(members, func(m models.User) bool { return m.ID == uint(id) }) {
				ids = append(ids, uint(id))
			}
		}
		bySection[code] = ids
	}
	msgs, err := s.assignmentMessages(ctx, cycle, fw, bySection, members)
	if err != nil {
		return err
	}
	return s.store.SetAssignmentsNotifying(ctx, cycle, bySection, actorID, msgs)
}

// assignmentMessages are the messages for members newly given a section.
func (s *Service) assignmentMessages(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework,
	bySection map[string][]uint, members []models.User) ([]models.OutboxMessage, error) {
	if !s.cfg.Mail {
		return nil, nil
	}
	before, err := s.store.Assignments(ctx, cycle.ID)
	if err != nil {
		return nil, err
	}
	var msgs []models.OutboxMessage
	for _, code := range fw.SectionCodes() {
		sec, _ := fw.Section(code)
		for _, id := range bySection[code] {
			if slices.ContainsFunc(before, func(a models.Assignment) bool { return a.SectionCode == code && a.UserID == id }) {
				continue
			}
			i := slices.IndexFunc(members, func(m models.User) bool { return m.ID == id })
			if i < 0 {
				continue
			}
			m := email.SectionAssigned(members[i].Email, members[i].Name, cycle.Period, sec.Label,
				s.cfg.BaseURL+Path(cycle, "/sections/", code), cycle.DueDate)
			m.OrganisationID = &cycle.OrganisationID
			msgs = append(msgs, m)
		}
	}
	return msgs, nil
}

// AllAnswered says whether every section has members assigned and every
// assigned member has answered every question of their sections.
func (s *Service) AllAnswered(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework) (bool, error) {
	assigned, err := s.store.Assignments(ctx, cycle.ID)
	if err != nil {
		return false, err
	}
	answers, err := s.store.CycleAnswers(ctx, cycle.ID)
	if err != nil {
		return false, err
	}
	byMember := answersByMember(answers)
	for _, code := range fw.SectionCodes() {
		sec, _ := fw.Section(code)
		any := false
		for _, a := range assigned {
			if a.SectionCode != code {
				continue
			}
			any = true
			if status, _ := SectionStatus(sec, byMember[a.UserID]); status != SectionCompleted {
				return false, nil
			}
		}
		if !any {
			return false, nil
		}
	}
	return true, nil
}

// noticeAllAnswered tells the organisation's digital leads, once, when the
// last section is answered.
func (s *Service) noticeAllAnswered(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework) error {
	if !s.cfg.Mail {
		return nil
	}
	done, err := s.AllAnswered(ctx, cycle, fw)
	if err != nil || !done {
		return err
	}
	leads, err := s.store.OrganisationLeads(ctx, cycle.OrganisationID)
	if err != nil {
		return err
	}
	msgs := make([]models.OutboxMessage, len(leads))
	for i, l := range leads {
		msgs[i] = email.AllAnswered(l.Email, l.Name, cycle.Period, s.cfg.BaseURL+Path(cycle))
		msgs[i].OrganisationID = &cycle.OrganisationID
	}
	_, err = s.store.NotifyAllAnswered(ctx, cycle, msgs)
	return err
}

// Option is one choice of a select or radios.
type Option struct{ Value, Label string }

// CycleChoices are what the form that opens a cycle offers.
type CycleChoices struct {
	Periods    []Option
	Frameworks []Option
}

// NewCycleForm is the form that opens a cycle, filled in with this
// financial year, the default quorum and the latest maturity framework,
// and what it offers.
func NewCycleForm(lib *assessments.Library, now time.Time) (CycleForm, CycleChoices) {
	form := CycleForm{Period: Periods(now)[1], Quorum: strconv.Itoa(models.DefaultQuorum)}
	if fw, ok := lib.Latest(assessments.KindMaturity); ok {
		form.Framework = fw.Code + "@" + fw.Version
	}
	return form, Choices(lib, now)
}

// Choices are the periods and framework versions a cycle may be opened for.
func Choices(lib *assessments.Library, now time.Time) CycleChoices {
	var choices CycleChoices
	for _, p := range Periods(now) {
		choices.Periods = append(choices.Periods, Option{p, p})
	}
	for _, fw := range lib.All() {
		if fw.Kind == assessments.KindMaturity {
			choices.Frameworks = append(choices.Frameworks, Option{fw.Code + "@" + fw.Version,
				fmt.Sprintf("%s, version %s (%d questions)", fw.Title, fw.Version, fw.QuestionCount())})
		}
	}
	return choices
}

// Cycle is cycle id of u's organisation, with its framework;
// models.ErrNotFound for another organisation's.
func (s *Service) Cycle(ctx context.Context, u models.User, id uint) (models.MaturityCycle, *assessments.Framework, error) {
	cycle, err := s.store.CycleInOrganisation(ctx, u.OrganisationID, id)
	if err != nil {
		return cycle, nil, err
	}
	fw, err := s.cfg.Framework(cycle.FrameworkID)
	if err != nil {
		return cycle, nil, fmt.Errorf("cycle %d: %w", cycle.ID, err)
	}
	return cycle, fw, nil
}

// CycleList is the list of cycles a person sees.
type CycleList struct {
	Cycles []models.MaturityCycle
	// IsLead says the list is the whole organisation's, and that the
	// person may open a new cycle.
	IsLead bool
}

// Cycles are the cycles u sees listed: a digital lead every cycle of the
// organisation, anyone else those they have sections in.
func (s *Service) Cycles(ctx context.Context, u models.User) (CycleList, error) {
	list := CycleList{IsLead: u.Has(models.RoleLead)}
	var err error
	if list.IsLead {
		list.Cycles, err = s.store.Cycles(ctx, u.OrganisationID)
	} else {
		list.Cycles, err = s.store.CyclesAssignedTo(ctx, u.OrganisationID, u.ID)
	}
	return list, err
}
