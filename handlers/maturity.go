package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
)

// Section statuses on a board member's task list, as format.go tags them.
const (
	sectionInProgress = maturity.SectionInProgress
	sectionCompleted  = maturity.SectionCompleted
)

// The maturity package's page data, by the names the reports and exports use.
type (
	reviewData  = maturity.Review
	resultsData = maturity.Results
)

// maturityService is the board maturity assessment on the server's store.
func (s *Server) maturityService() *maturity.Service {
	return maturity.New(s.store, maturity.Config{Framework: s.framework, Mail: s.cfg.Mail, BaseURL: s.cfg.BaseURL,
		EvidenceDir: s.cfg.EvidenceDir})
}

// inputCheck is the request's input rule for one field, for the maturity
// package; inputRest adds the problems no field has reported.
func inputCheck(c echo.Context) maturity.InputCheck {
	return func(field, label string) string { return textRule(c, field, label) }
}

func inputRest(c echo.Context) func(formErrors) formErrors {
	return func(errs formErrors) formErrors { return withInputErrors(c, errs) }
}

// maturityCycle loads the cycle in the path, scoped to the signed-in
// person's organisation, with its framework.
func (s *Server) maturityCycle(c echo.Context) (models.MaturityCycle, *assessments.Framework, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.MaturityCycle{}, nil, err
	}
	return s.maturityService().Cycle(c.Request().Context(), mustUser(c), id)
}

// maturityRefusal maps the maturity package's named refusals of a path to
// HTTP errors: what is not there is 404, what is not the member's is 403.
func maturityRefusal(err error) error {
	switch {
	case errors.Is(err, maturity.ErrNoSection), errors.Is(err, maturity.ErrNoQuestion):
		return echo.ErrNotFound
	case errors.Is(err, maturity.ErrNotAssigned):
		return echo.ErrForbidden
	}
	return err
}

func cyclePath(cycle models.MaturityCycle, rest ...string) string {
	return maturity.Path(cycle, rest...)
}

func agreedLevels(agreed map[string]models.AgreedAnswer) map[string]int {
	return maturity.AgreedLevels(agreed)
}

func lowerFirst(s string) string { return maturity.LowerFirst(s) }

// ---- Cycle list and opening a cycle ----

func (s *Server) maturityCycles(c echo.Context) error {
	list, err := s.maturityService().Cycles(c.Request().Context(), mustUser(c))
	if err != nil {
		return err
	}
	return s.renderPage(c, "maturity_cycles", page{Title: "Board maturity assessments", Data: list})
}

// periods offers the financial years around today, as "2026/27".
func periods(now time.Time) []option { return stringOptions(maturity.Periods(now)) }

func (s *Server) newCyclePage(c echo.Context) error {
	form, choices := maturity.NewCycleForm(s.frameworks, time.Now())
	return s.renderCycleForm(c, form, choices, nil)
}

func (s *Server) renderCycleForm(c echo.Context, form maturity.CycleForm, choices maturity.CycleChoices, errs formErrors) error {
	return s.renderPage(c, "maturity_cycle_new", page{Title: "Open an assessment cycle", BackLink: "/maturity/cycles",
		Form: form, Errors: errs, Data: choices})
}

func (s *Server) createCycle(c echo.Context) error {
	u := mustUser(c)
	form := maturity.CycleForm{
		Period:    c.FormValue("period"),
		Framework: c.FormValue("framework"),
		DueDay:    strings.TrimSpace(c.FormValue("due-day")),
		DueMonth:  strings.TrimSpace(c.FormValue("due-month")),
		DueYear:   strings.TrimSpace(c.FormValue("due-year")),
		Quorum:    strings.TrimSpace(c.FormValue("quorum")),
	}
	cycle, err := s.maturityService().OpenCycle(c.Request().Context(), s.frameworks, form, u.OrganisationID, u.ID, time.Now(), withInputErrors(c, nil))
	return s.saved(c, err, func(fe formErrors) error {
		return s.renderCycleForm(c, form, maturity.Choices(s.frameworks, time.Now()), fe)
	}, "The "+cycle.Period+" cycle is open. Next, check who answers each section: the last cycle's assignments have been copied.", cyclePath(cycle))
}

// ---- The cycle page: the lead's overview and a board member's task list ----

func (s *Server) maturityCyclePage(c echo.Context) error {
	data, err := s.cycleOverview(c)
	if err != nil {
		return err
	}
	return s.renderCycle(c, data, nil)
}

// cycleOverview loads the cycle in the path as the signed-in person sees it.
func (s *Server) cycleOverview(c echo.Context) (maturity.Overview, error) {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return maturity.Overview{}, err
	}
	return s.maturityService().Overview(c.Request().Context(), cycle, fw, mustUser(c))
}

func (s *Server) renderCycle(c echo.Context, data maturity.Overview, errs formErrors) error {
	return s.renderCycleStatus(c, data, errs, http.StatusOK)
}

// renderCycleStatus shows the cycle page; a page with errors is 422 unless
// status says otherwise.
func (s *Server) renderCycleStatus(c echo.Context, data maturity.Overview, errs formErrors, status int) error {
	return s.renderPage(c, "maturity_cycle", page{Title: "Board maturity assessment " + data.Cycle.Period, BackLink: "/maturity/cycles",
		Errors: errs, Data: data, Status: status})
}

func (s *Server) saveAssignments(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.ErrBadRequest
	}
	chosen := map[string][]string{}
	for _, code := range fw.SectionCodes() {
		chosen[code] = form["assign-"+code]
	}
	err = s.maturityService().SaveAssignments(c.Request().Context(), cycle, fw, chosen, mustUser(c).ID)
	if errors.Is(err, maturity.ErrLocked) {
		data, err := s.maturityService().Overview(c.Request().Context(), cycle, fw, mustUser(c))
		if err != nil {
			return err
		}
		return s.renderCycle(c, data, formErrors{{Field: "status", Message: "This assessment has been submitted, so it cannot be changed. A digital lead can reopen it"}})
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "Assignments saved. Board members see their sections on their home page.")
	return redirect(c, cyclePath(cycle))
}

// ---- A board member's section ----

// assignedSection loads the section in the path if the signed-in member is
// assigned to it.
func (s *Server) assignedSection(c echo.Context) (maturity.SectionPage, error) {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return maturity.SectionPage{}, err
	}
	data, err := s.maturityService().AssignedSection(c.Request().Context(), cycle, fw, c.Param("section"), mustUser(c))
	return data, maturityRefusal(err)
}

func (s *Server) sectionPage(c echo.Context) error {
	data, err := s.assignedSection(c)
	if err != nil {
		return err
	}
	if err := s.fillSection(c, &data); err != nil {
		return err
	}
	return s.renderSection(c, data, nil)
}

// fillSection puts the member's stored answers into the section's page.
func (s *Server) fillSection(c echo.Context, data *maturity.SectionPage) error {
	return s.maturityService().FillAnswers(c.Request().Context(), data)
}

func (s *Server) renderSection(c echo.Context, data maturity.SectionPage, errs formErrors) error {
	if err := s.maturityService().Complete(c.Request().Context(), &data); err != nil {
		return err
	}
	return s.renderPage(c, "maturity_section", page{Title: data.Section.Label, BackLink: cyclePath(data.Cycle), Errors: errs, Data: data})
}

// saveSection stores whatever was entered, complete or not, so nothing is
// ever lost; then, unless the member chose to come back later, it lists
// what is still needed.
func (s *Server) saveSection(c echo.Context) error {
	data, err := s.assignedSection(c)
	if err != nil {
		return err
	}
	form := maturity.SectionForm{Levels: map[string]string{}, Evidence: map[string]string{}, Later: c.FormValue("next") == "later"}
	for _, q := range data.Section.Questions {
		form.Levels[q.Code] = c.FormValue("level-" + q.Code)
		form.Evidence[q.Code] = strings.TrimSpace(c.FormValue("evidence-" + q.Code))
	}
	answers := data.ReadAnswers(form, inputCheck(c))
	// Text that breaks the input rule stores nothing of the section.
	if hasBadInput(c) {
		return s.renderSection(c, data, withInputErrors(c, data.Errors()))
	}
	err = s.maturityService().SaveSection(c.Request().Context(), &data, answers, form.Later)
	flash, to := data.Section.Label+" is complete.", data.Onward(c.FormValue("continue-to"))
	if form.Later {
		flash, to = "Your answers to "+data.Section.Label+" have been saved. You can come back to them at any time.", cyclePath(data.Cycle)
	}
	return s.saved(c, err, func(fe formErrors) error { return s.renderSection(c, data, fe) }, flash, to)
}
