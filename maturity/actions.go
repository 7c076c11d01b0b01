package maturity

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// ActionForm is an action of a cycle as typed, or as stored.
type ActionForm struct {
	ID       uint
	Version  int64
	Conflict string // what a colleague saved first, after a conflict
	Section  string
	Title    string
	Owner    string
	DueDay   string
	DueMonth string
	DueYear  string
	Status   string
	Progress string
}

// maxActionTitle bounds what an action says will be done.
const maxActionTitle = 200

// SaveAction checks the form and stores it as a (its ID 0) the cycle's
// new action or a change to action a, its version the one the lead saw.
// Refused input is validation.Errors, with refused (the caller's own
// problems with the request) after the form's; ErrChanged is a colleague's
// change saved first: the returned form is then what is stored now, with
// Conflict saying both.
func (s *Service) SaveAction(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, a *models.Action, form ActionForm,
	check InputCheck, refused func(validation.Errors) validation.Errors, actorID uint) (ActionForm, error) {
	var errs validation.Errors
	if _, ok := fw.Section(form.Section); !ok {
		errs.Add("section", "Select the success measure this action improves")
	}
	if p := textProblem(check, "title", form.Title, "what will be done", true, maxActionTitle); p != "" {
		errs.Add("title", p)
	}
	if p := textProblem(check, "owner", form.Owner, "who owns the action", true, validation.MaxNameLength); p != "" {
		errs.Add("owner", p)
	}
	a.DueDate = nil
	if form.DueDay != "" || form.DueMonth != "" || form.DueYear != "" {
		d, problem := validation.Date(form.DueDay, form.DueMonth, form.DueYear, "due date")
		if problem != "" {
			errs.Add("due-day", problem)
		} else {
			a.DueDate = &d
		}
	}
	if models.ActionStatusLabel(form.Status) == form.Status {
		errs.Add("status", "Select the action's status")
	}
	if p := textProblem(check, "progress", form.Progress, "the progress note", false, MaxEvidenceLength); p != "" {
		errs.Add("progress", p)
	}
	if refused != nil {
		errs = refused(errs)
	}
	if len(errs) > 0 {
		return form, errs
	}
	a.OrganisationID, a.CycleID = cycle.OrganisationID, &cycle.ID
	a.SectionCode, a.Title, a.Owner, a.Status, a.Progress = form.Section, form.Title, form.Owner, form.Status, form.Progress
	a.Version = form.Version
	err := s.store.SaveAction(ctx, a, actorID)
	if !errors.Is(err, models.ErrConflict) {
		return form, err
	}
	stored, err := s.Action(ctx, cycle, a.ID)
	if err != nil {
		return form, err
	}
	fresh := StoredActionForm(stored)
	fresh.Conflict = "Someone else changed this action while you were editing. It is now: " + actionSummary(fw, fresh) +
		". You entered: " + actionSummary(fw, form) + ". Nothing has been saved. The form below shows what is stored now: make your changes again and save."
	return fresh, ErrChanged
}

// Action is an action of the cycle; models.ErrNotFound if the cycle has no
// action id.
func (s *Service) Action(ctx context.Context, cycle models.MaturityCycle, id uint) (models.Action, error) {
	a, err := s.store.ActionInOrganisation(ctx, cycle.OrganisationID, id)
	if err != nil {
		return a, err
	}
	if a.CycleID == nil || *a.CycleID != cycle.ID {
		return a, models.ErrNotFound
	}
	return a, nil
}

// StoredActionForm is the edit form of an action as stored.
func StoredActionForm(a models.Action) ActionForm {
	form := ActionForm{ID: a.ID, Version: a.Version, Section: a.SectionCode, Title: a.Title, Owner: a.Owner, Status: a.Status, Progress: a.Progress}
	if a.DueDate != nil {
		form.DueDay, form.DueMonth, form.DueYear = strconv.Itoa(a.DueDate.Day()), strconv.Itoa(int(a.DueDate.Month())), strconv.Itoa(a.DueDate.Year())
	}
	return form
}

// actionSummary says in one line what an action form holds.
func actionSummary(fw *assessments.Framework, f ActionForm) string {
	section := f.Section
	if sec, ok := fw.Section(f.Section); ok {
		section = sec.Label
	}
	due := "no due date"
	if f.DueDay != "" {
		due = "due " + f.DueDay + "/" + f.DueMonth + "/" + f.DueYear
	}
	progress := "no progress note"
	if f.Progress != "" {
		progress = `progress "` + f.Progress + `"`
	}
	return fmt.Sprintf(`"%s" (%s), owner %s, %s, %s, %s`, f.Title, section, f.Owner, models.ActionStatusLabel(f.Status), due, progress)
}

// ActionsPage is a cycle's actions with what their form offers.
type ActionsPage struct {
	Cycle     models.MaturityCycle
	Framework *assessments.Framework
	Actions   []models.Action
	Sections  []Option
	Statuses  []Option
	Now       time.Time
}

// ActionChoices is what an action's form offers, without the list.
func ActionChoices(cycle models.MaturityCycle, fw *assessments.Framework, now time.Time) ActionsPage {
	p := ActionsPage{Cycle: cycle, Framework: fw, Now: now}
	for _, sec := range fw.Sections {
		p.Sections = append(p.Sections, Option{sec.Code, sec.Label})
	}
	for _, st := range models.ActionStatuses() {
		p.Statuses = append(p.Statuses, Option{st.Code, st.Label})
	}
	return p
}

// Actions is the cycle's actions page.
func (s *Service) Actions(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, now time.Time) (ActionsPage, error) {
	p := ActionChoices(cycle, fw, now)
	var err error
	p.Actions, err = s.store.CycleActions(ctx, cycle.OrganisationID, cycle.ID)
	return p, err
}
