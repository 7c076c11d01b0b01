package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
)

// ---- The digital lead's review of one section ----

// loadReview loads the review of the cycle and section in the path.
func (s *Server) loadReview(c echo.Context) (reviewData, error) {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return reviewData{}, err
	}
	data, err := s.maturityService().ReviewOf(c.Request().Context(), cycle, fw, c.Param("section"))
	return data, maturityRefusal(err)
}

func (s *Server) reviewPage(c echo.Context) error {
	data, err := s.loadReview(c)
	if err != nil {
		return err
	}
	return s.renderReview(c, data, nil)
}

func (s *Server) renderReview(c echo.Context, data reviewData, errs formErrors) error {
	status := http.StatusOK
	if len(errs) > 0 && data.Conflicted() {
		status = http.StatusConflict
	}
	return s.renderPage(c, "maturity_review", page{Title: "Review: " + data.Section.Label, BackLink: cyclePath(data.Cycle),
		Errors: errs, Data: data, Status: status})
}

// saveReview stores the agreed levels, notes and target of one section, in
// one transaction; a refusal shows the page again (409 when a colleague
// saved first).
func (s *Server) saveReview(c echo.Context) error {
	data, err := s.loadReview(c)
	if err != nil {
		return err
	}
	form := maturity.ReviewForm{Levels: map[string]string{}, Notes: map[string]string{}, Versions: map[string]string{},
		Target: c.FormValue("target"), TargetVersion: c.FormValue("target-version")}
	for _, q := range data.Section.Questions {
		form.Levels[q.Code] = c.FormValue("agreed-" + q.Code)
		form.Notes[q.Code] = strings.TrimSpace(c.FormValue("note-" + q.Code))
		form.Versions[q.Code] = c.FormValue("version-" + q.Code)
	}
	err = s.maturityService().SaveReview(c.Request().Context(), &data, form, inputCheck(c), inputRest(c), mustUser(c).ID)
	to := cyclePath(data.Cycle, "/review/", data.Section.Code)
	if c.FormValue("next") == "continue" && data.Next != nil {
		to = cyclePath(data.Cycle, "/review/", data.Next.Code)
	}
	return s.saved(c, err, func(fe formErrors) error { return s.renderReview(c, data, fe) },
		"Agreed levels for "+data.Section.Label+" have been saved.", to)
}

// ---- Sign-off, submitting and reopening ----

func (s *Server) submitPage(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	if cycle.Locked() {
		return redirect(c, cyclePath(cycle, "/results"))
	}
	return s.renderSubmit(c, cycle, fw, maturity.SignOffForm{Version: strconv.FormatInt(cycle.Version, 10)}, nil)
}

func (s *Server) renderSubmit(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework, form maturity.SignOffForm, errs formErrors) error {
	d, err := s.maturityService().SignOffCheck(c.Request().Context(), cycle, fw)
	if err != nil {
		return err
	}
	return s.renderPage(c, "maturity_submit", page{Title: "Sign off and submit: " + d.Cycle.Period, BackLink: cyclePath(d.Cycle),
		Form: form, Errors: errs, Data: d})
}

func (s *Server) submitCycle(c echo.Context) error {
	data, err := s.cycleOverview(c)
	if err != nil {
		return err
	}
	cycle, fw := data.Cycle, data.Framework
	if errs := data.SubmitProblems(); len(errs) > 0 {
		return s.renderCycle(c, data, errs)
	}
	form := maturity.SignOffForm{Version: c.FormValue("version"),
		Day: strings.TrimSpace(c.FormValue("meeting-day")), Month: strings.TrimSpace(c.FormValue("meeting-month")),
		Year: strings.TrimSpace(c.FormValue("meeting-year")), Name: strings.TrimSpace(c.FormValue("signed-off-by")),
		Role: strings.TrimSpace(c.FormValue("signed-off-role")), Reviewed: c.FormValue("reviewed") == "yes"}
	signOff, errs := maturity.ReadSignOff(form, time.Now(), inputCheck(c))
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		return s.renderSubmit(c, cycle, fw, form, errs)
	}
	if v, err := strconv.ParseInt(form.Version, 10, 64); err == nil {
		cycle.Version = v
	}
	err = s.maturityService().Submit(c.Request().Context(), cycle, fw, signOff, mustUser(c).ID)
	if errors.Is(err, maturity.ErrChanged) {
		// The page the lead submitted from is out of date: show it again
		// as it is now, with nothing submitted.
		if data, err = s.cycleOverview(c); err != nil {
			return err
		}
		return s.renderCycleStatus(c, data, formErrors{{Field: "status", Message: "Someone else changed this assessment while you were looking at it (an agreed level, a target, an action or its status), so it has not been submitted. Check the page and submit again"}}, http.StatusConflict)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "The "+cycle.Period+" assessment has been signed off and submitted. It is now read-only.")
	return redirect(c, cyclePath(cycle, "/results"))
}

func (s *Server) reopenCycle(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	if v, err := strconv.ParseInt(c.FormValue("version"), 10, 64); err == nil {
		cycle.Version = v
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	err = s.maturityService().Reopen(c.Request().Context(), cycle, reason, inputCheck(c), mustUser(c).ID)
	fe := formErrors{}
	switch {
	case errors.As(err, &fe):
		fe = withInputErrors(c, fe)
	case errors.Is(err, maturity.ErrChanged):
		fe = formErrors{{Field: "status", Message: "This assessment is not submitted, or someone else changed it first. Check the page and try again"}}
	case err != nil:
		return err
	default:
		s.setFlash(c, "The "+cycle.Period+" assessment has been reopened. Submit it again when the changes are made.")
		return redirect(c, cyclePath(cycle))
	}
	data, err := s.maturityService().Overview(c.Request().Context(), cycle, fw, mustUser(c))
	if err != nil {
		return err
	}
	data.Reason = reason
	return s.renderCycle(c, data, fe)
}

// ---- Actions ----

func (s *Server) actionsPage(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	return s.renderActions(c, cycle, fw, maturity.ActionForm{Status: models.ActionNotStarted}, nil)
}

func (s *Server) renderActions(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework, form maturity.ActionForm, errs formErrors) error {
	data, err := s.maturityService().Actions(c.Request().Context(), cycle, fw, time.Now())
	if err != nil {
		return err
	}
	return s.renderPage(c, "maturity_actions", page{Title: "Actions: " + cycle.Period, BackLink: cyclePath(cycle),
		Form: form, Errors: errs, Data: data})
}

// readActionForm binds an action.
func readActionForm(c echo.Context) maturity.ActionForm {
	return maturity.ActionForm{
		Section:  c.FormValue("section"),
		Title:    strings.TrimSpace(c.FormValue("title")),
		Owner:    strings.TrimSpace(c.FormValue("owner")),
		DueDay:   strings.TrimSpace(c.FormValue("due-day")),
		DueMonth: strings.TrimSpace(c.FormValue("due-month")),
		DueYear:  strings.TrimSpace(c.FormValue("due-year")),
		Status:   c.FormValue("status"),
		Progress: strings.TrimSpace(c.FormValue("progress")),
	}
}

func (s *Server) createAction(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	var a models.Action
	form, err := s.maturityService().SaveAction(c.Request().Context(), cycle, fw, &a, readActionForm(c), inputCheck(c), inputRest(c), mustUser(c).ID)
	return s.saved(c, err, func(fe formErrors) error { return s.renderActions(c, cycle, fw, form, fe) },
		"Action added: "+a.Title, cyclePath(cycle, "/actions"))
}

// cycleAction loads the cycle and the action of it in the path.
func (s *Server) cycleAction(c echo.Context) (models.MaturityCycle, *assessments.Framework, models.Action, error) {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return cycle, fw, models.Action{}, err
	}
	id, err := pathID(c, "action")
	if err != nil {
		return cycle, fw, models.Action{}, err
	}
	a, err := s.maturityService().Action(c.Request().Context(), cycle, id)
	return cycle, fw, a, err
}

func (s *Server) actionPage(c echo.Context) error {
	cycle, fw, a, err := s.cycleAction(c)
	if err != nil {
		return err
	}
	return s.renderAction(c, cycle, fw, maturity.StoredActionForm(a), nil, http.StatusOK)
}

func (s *Server) renderAction(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework, form maturity.ActionForm, errs formErrors, status int) error {
	return s.renderPage(c, "maturity_action", page{Title: "Change action", BackLink: cyclePath(cycle, "/actions"),
		Form: form, Errors: errs, Data: maturity.ActionChoices(cycle, fw, time.Now()), Status: status})
}

func (s *Server) updateAction(c echo.Context) error {
	cycle, fw, a, err := s.cycleAction(c)
	if err != nil {
		return err
	}
	form := readActionForm(c)
	form.ID = a.ID
	form.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	form, err = s.maturityService().SaveAction(c.Request().Context(), cycle, fw, &a, form, inputCheck(c), inputRest(c), mustUser(c).ID)
	if errors.Is(err, maturity.ErrChanged) {
		// Both are shown; what is stored is pre-filled, so that saving
		// again does not undo the colleague's change unknowingly.
		return s.renderAction(c, cycle, fw, form, formErrors{{Field: "title", Message: "Someone else changed this action while you were editing: check it and save again"}}, http.StatusConflict)
	}
	return s.saved(c, err, func(fe formErrors) error { return s.renderAction(c, cycle, fw, form, fe, http.StatusOK) },
		"Action saved: "+a.Title, cyclePath(cycle, "/actions"))
}
