package handlers

import (
	"errors"
	"html/template"
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/charts"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/skills"
	"nhs-digital-maturity/validation"
)

// skillsService is the self-assessment as this deployment runs it.
func (s *Server) skillsService() *skills.Service {
	return &skills.Service{Store: s.store, Frameworks: s.frameworks, Framework: s.framework,
		MinGroupSize: s.cfg.MinGroupSize, LearningCatalogueURL: s.cfg.LearningCatalogueURL, Location: london}
}

// skillsFramework is the framework staff are assessed against now.
func (s *Server) skillsFramework() (*assessments.Framework, error) {
	return s.skillsService().Current()
}

func (s *Server) skillsStart(c echo.Context) error {
	data, err := s.skillsService().Start(c.Request().Context(), mustUser(c))
	if err != nil {
		return err
	}
	v := s.view(c, "Your digital skills")
	v.Data = data
	return s.render(c, http.StatusOK, "skills_start", v)
}

// startSkills begins an attempt, or carries on with the open one.
func (s *Server) startSkills(c echo.Context) error {
	b, err := s.skillsService().Begin(c.Request().Context(), mustUser(c), c.FormValue("from") == "last")
	if err != nil {
		return err
	}
	if b.Afresh {
		s.setFlash(c, "Your last answers are on an earlier version of the self-assessment, so this attempt starts afresh.")
	}
	return redirect(c, "/skills/domains/"+b.Domain)
}

func (s *Server) skillsDomainPage(c echo.Context) error {
	data, err := s.skillsService().Domain(c.Request().Context(), mustUser(c).ID, c.Param("domain"))
	switch {
	case errors.Is(err, skills.ErrNoAttempt):
		// No attempt in progress (a bookmark, or after finishing): the
		// start page says what to do next.
		return redirect(c, "/skills")
	case errors.Is(err, skills.ErrUnknownDomain):
		return echo.ErrNotFound
	case err != nil:
		return err
	}
	data.FromCheck = c.QueryParam("from") == "check"
	return s.renderDomain(c, data, nil)
}

func (s *Server) renderDomain(c echo.Context, data skills.DomainPage, errs formErrors) error {
	v := s.view(c, data.Domain.Label)
	v.BackLink = "/skills"
	switch {
	case data.FromCheck:
		v.BackLink = "/skills/check"
	case data.Previous != nil:
		v.BackLink = "/skills/domains/" + data.Previous.Code
	}
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "skills_domain", v)
}

// saveSkillsDomain stores whatever was rated; "continue" then asks for any
// missing rating, "later" goes back to the start page.
func (s *Server) saveSkillsDomain(c echo.Context) error {
	later := c.FormValue("next") == "later"
	data, err := s.skillsService().SaveDomain(c.Request().Context(), mustUser(c).ID, c.Param("domain"), c.FormValue, later)
	data.FromCheck = c.FormValue("from") == "check"
	var fe validation.Errors
	switch {
	case errors.Is(err, skills.ErrSubmitted):
		// Nothing in progress: submitted in another tab, most likely.
		return s.skillsAlreadySubmitted(c)
	case errors.Is(err, skills.ErrUnknownDomain):
		return echo.ErrNotFound
	case errors.As(err, &fe):
		return s.renderDomain(c, data, fe)
	case err != nil:
		return err
	case later:
		s.setFlash(c, "Your answers have been saved. You can carry on where you left off at any time.")
		return redirect(c, "/skills")
	case data.Next != nil && !data.FromCheck:
		return redirect(c, "/skills/domains/"+data.Next.Code)
	}
	return redirect(c, "/skills/check")
}

// skillsAlreadySubmitted answers a save to an attempt that is no longer in
// progress: 409, with what happened and where to go, nothing saved.
func (s *Server) skillsAlreadySubmitted(c echo.Context) error {
	v := s.view(c, "Your answers on this page were not saved")
	v.BackLink = "/skills"
	return s.render(c, http.StatusConflict, "skills_submitted", v)
}

func (s *Server) skillsCheck(c echo.Context) error {
	data, err := s.skillsService().Check(c.Request().Context(), mustUser(c).ID)
	if errors.Is(err, skills.ErrNoAttempt) {
		return echo.NewHTTPError(http.StatusNotFound).SetInternal(err)
	}
	if err != nil {
		return err
	}
	v := s.view(c, "Check your answers")
	v.BackLink = "/skills"
	v.Data = data
	return s.render(c, http.StatusOK, "skills_check", v)
}

func (s *Server) submitSkills(c echo.Context) error {
	ctx := c.Request().Context()
	a, data, err := s.skillsService().Submit(ctx, mustUser(c), time.Now())
	var fe validation.Errors
	switch {
	case errors.Is(err, skills.ErrNoAttempt):
		return echo.NewHTTPError(http.StatusNotFound).SetInternal(err)
	case errors.Is(err, skills.ErrSubmitted):
		return redirect(c, "/skills/results")
	case errors.As(err, &fe):
		v := s.view(c, "Check your answers")
		v.BackLink = "/skills"
		v.Errors = fe
		v.Data = data
		return s.render(c, http.StatusUnprocessableEntity, "skills_check", v)
	case err != nil:
		return err
	}
	// Who completed, and when, is no page's to show (not even the audit
	// log's); the service's own log keeps it for a security investigation.
	s.log.InfoContext(ctx, "skills self-assessment completed", "user", mustUser(c).ID, "attempt", a.ID,
		"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	s.setFlash(c, "Your self-assessment is complete. Here are your results.")
	return redirect(c, "/skills/results")
}

// skillsResultsPage is a results page: the results and their chart.
type skillsResultsPage struct {
	skills.Results
	Chart template.HTML
}

func (s *Server) skillsResults(c echo.Context) error {
	a, ok, err := s.requestedAttempt(c, "You have not completed the self-assessment yet.")
	if !ok || err != nil {
		return err
	}
	res, err := s.skillsService().Results(c.Request().Context(), a)
	if err != nil {
		return err
	}
	v := s.view(c, "Your digital skills results")
	v.BackLink = "/skills"
	v.Data = skillsResultsPage{Results: res, Chart: skillsChart(res.Framework, res.Scores, "Your digital skills by domain")}
	return s.render(c, http.StatusOK, "skills_results", v)
}

// requestedAttempt is the signed-in person's completed attempt that a
// results page or report asks for: the one named in the path, or their
// latest. Someone else's attempt, or one in progress, is "not found". When
// the person has completed none, they are sent to the start page with
// noneMessage and ok is false.
func (s *Server) requestedAttempt(c echo.Context, noneMessage string) (a models.SkillsAssessment, ok bool, err error) {
	ctx, u := c.Request().Context(), mustUser(c)
	if c.Param("id") != "" {
		id, perr := pathID(c, "id")
		if perr != nil {
			return a, false, perr
		}
		a, err = s.skillsService().Attempt(ctx, u.ID, id)
		if errors.Is(err, skills.ErrAttemptNotFound) {
			err = echo.ErrNotFound
		}
		return a, err == nil, err
	}
	a, err = s.skillsService().Latest(ctx, u.ID)
	if errors.Is(err, skills.ErrNoneCompleted) {
		s.setFlash(c, noneMessage)
		return a, false, redirect(c, "/skills")
	}
	return a, err == nil, err
}

// skillsChart draws a person's now and need per domain.
func skillsChart(fw *assessments.Framework, scores []assessments.DomainScore, title string) template.HTML {
	return nowNeedChart(fw, scores, title, "Where I am now", "Where my role needs me to be")
}

// nowNeedChart draws now and need per domain, under the series names given.
func nowNeedChart(fw *assessments.Framework, scores []assessments.DomainScore, title, nowName, needName string) template.HTML {
	var cats []string
	now := charts.Series{Name: nowName, Kind: "now"}
	need := charts.Series{Name: needName, Kind: "need"}
	for i, sc := range scores {
		cats = append(cats, fw.Sections[i].Label)
		if sc.Scored {
			now.Values = append(now.Values, sc.Now)
			need.Values = append(need.Values, sc.Need)
		} else {
			now.Values = append(now.Values, math.NaN())
			need.Values = append(need.Values, math.NaN())
		}
	}
	return charts.Bars{Title: title, Desc: "Bar chart of the mean rating now and needed for each domain, on a scale of 1 to 4. The table gives the same numbers.",
		Categories: cats, Max: float64(len(fw.Scale)), Series: []charts.Series{now, need}}.SVG()
}

type skillsHistoryData struct {
	Attempts []models.SkillsAssessment
}

func (s *Server) skillsHistory(c echo.Context) error {
	attempts, err := s.skillsService().History(c.Request().Context(), mustUser(c).ID)
	if err != nil {
		return err
	}
	v := s.view(c, "Your attempts")
	v.BackLink = "/skills"
	v.Data = skillsHistoryData{Attempts: attempts}
	return s.render(c, http.StatusOK, "skills_history", v)
}
