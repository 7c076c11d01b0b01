package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

type adviceRequestData struct {
	Cycle      models.MaturityCycle
	Section    *assessments.Section
	Question   *assessments.Question
	Colleagues []option
	BackLink   string
}

// adviceQuestion loads the question named in the form or query, if the
// signed-in person may ask about it: the lead any question, a board member
// those of the sections they answer.
func (s *Server) adviceQuestion(c echo.Context, code string) (models.MaturityCycle, *assessments.Section, *assessments.Question, error) {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return cycle, nil, nil, err
	}
	q, sec, ok := fw.Question(code)
	if !ok {
		return cycle, nil, nil, echo.ErrNotFound
	}
	u := mustUser(c)
	if !u.Has(models.RoleLead) {
		mine, err := s.store.AssignedSections(c.Request().Context(), cycle.ID, u.ID)
		if err != nil {
			return cycle, nil, nil, err
		}
		if !slices.Contains(mine, sec.Code) {
			return cycle, nil, nil, echo.ErrForbidden
		}
	}
	return cycle, sec, q, nil
}

// colleagues are the people who may be asked: active accounts of the
// organisation who are not on the board, other than the person asking.
func (s *Server) colleagues(c echo.Context, orgID uint) ([]option, error) {
	users, err := s.store.UsersInOrganisation(c.Request().Context(), orgID)
	if err != nil {
		return nil, err
	}
	me := mustUser(c).ID
	var opts []option
	for _, u := range users {
		if !u.Active || u.Has(models.RoleBoard) || u.ID == me {
			continue
		}
		label := u.Name
		if u.JobRole != "" {
			label += ", " + u.JobRole
		}
		opts = append(opts, option{strconv.FormatUint(uint64(u.ID), 10), label})
	}
	return opts, nil
}

func (s *Server) adviceRequestPage(c echo.Context) error {
	cycle, sec, q, err := s.adviceQuestion(c, c.QueryParam("question"))
	if err != nil {
		return err
	}
	return s.renderAdviceRequest(c, cycle, sec, q, "", nil)
}

func (s *Server) renderAdviceRequest(c echo.Context, cycle models.MaturityCycle, sec *assessments.Section, q *assessments.Question, adviser string, errs formErrors) error {
	people, err := s.colleagues(c, cycle.OrganisationID)
	if err != nil {
		return err
	}
	back := cyclePath(cycle, "/sections/", sec.Code)
	if mustUser(c).Has(models.RoleLead) {
		back = cyclePath(cycle, "/review/", sec.Code)
	}
	v := s.view(c, "Ask a colleague for advice")
	v.BackLink = back
	v.Form = map[string]string{"Adviser": adviser}
	v.Errors = errs
	v.Data = adviceRequestData{Cycle: cycle, Section: sec, Question: q, Colleagues: people, BackLink: back}
	return s.renderForm(c, "maturity_advice_request", v)
}

func (s *Server) requestAdvice(c echo.Context) error {
	cycle, sec, q, err := s.adviceQuestion(c, c.FormValue("question"))
	if err != nil {
		return err
	}
	adviser := c.FormValue("adviser")
	people, err := s.colleagues(c, cycle.OrganisationID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(people, func(o option) bool { return o.Value == adviser }) {
		return s.renderAdviceRequest(c, cycle, sec, q, adviser, withInputErrors(c, formErrors{{Field: "adviser", Message: "Select the colleague to ask"}}))
	}
	id, _ := strconv.ParseUint(adviser, 10, 64)
	a := models.Advice{QuestionCode: q.Code, AdviserID: uint(id), RequestedByID: mustUser(c).ID}
	err = s.store.RequestAdvice(c.Request().Context(), cycle, &a)
	if errors.Is(err, models.ErrCycleLocked) {
		return s.renderAdviceRequest(c, cycle, sec, q, adviser, formErrors{{Field: "adviser", Message: "This assessment has been submitted, so advice can no longer be asked for"}})
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "Your colleague has been asked. They see the request when they sign in; their advice will appear beside the board's answers.")
	if mustUser(c).Has(models.RoleLead) {
		return redirect(c, cyclePath(cycle, "/review/", sec.Code))
	}
	return redirect(c, cyclePath(cycle, "/sections/", sec.Code))
}

type adviceData struct {
	Advice    models.Advice
	Question  *assessments.Question
	Framework *assessments.Framework
	Period    string
	Locked    bool
	Options   []levelOption
}

// adviceFor loads a request made of the signed-in person: anyone else,
// even on the board, gets 404. The colleague sees only that question.
func (s *Server) adviceFor(c echo.Context) (adviceData, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return adviceData{}, err
	}
	u := mustUser(c)
	a, err := s.store.AdviceFor(c.Request().Context(), u.OrganisationID, u.ID, id)
	if err != nil {
		return adviceData{}, err
	}
	cycle, err := s.store.CycleInOrganisation(c.Request().Context(), u.OrganisationID, a.CycleID)
	if err != nil {
		return adviceData{}, err
	}
	fw, err := s.cycleFramework(c, cycle)
	if err != nil {
		return adviceData{}, err
	}
	q, _, ok := fw.Question(a.QuestionCode)
	if !ok {
		return adviceData{}, fmt.Errorf("advice %d: question %s not in the framework", a.ID, a.QuestionCode)
	}
	return adviceData{Advice: a, Question: q, Framework: fw, Period: cycle.Period, Locked: cycle.Locked()}, nil
}

func (s *Server) advicePage(c echo.Context) error {
	d, err := s.adviceFor(c)
	if err != nil {
		return err
	}
	level := ""
	if d.Advice.Level != nil {
		level = strconv.Itoa(*d.Advice.Level)
	}
	return s.renderAdvice(c, d, level, d.Advice.Comment, nil)
}

func (s *Server) renderAdvice(c echo.Context, d adviceData, level, comment string, errs formErrors) error {
	qa := questionAnswer{Question: d.Question, Level: level}.withOptions(d.Framework)
	d.Options = qa.Options
	v := s.view(c, "Your advice: "+d.Question.Title)
	v.BackLink = "/"
	v.Form = map[string]string{"Level": level, "Comment": comment}
	v.Errors = errs
	v.Data = d
	return s.renderForm(c, "advice", v)
}

func (s *Server) giveAdvice(c echo.Context) error {
	d, err := s.adviceFor(c)
	if err != nil {
		return err
	}
	level := c.FormValue("level")
	comment := strings.TrimSpace(c.FormValue("comment"))
	var errs formErrors
	if d.Advice.Answered() {
		errs.Add("level", "You have already given your advice on this question")
	}
	n, convErr := strconv.Atoi(level)
	if convErr != nil || n < 0 || n > 5 || (n == assessments.NotApplicable && !d.Question.AllowNotApplicable) {
		errs.Add("level-"+d.Question.Code+"-1", "Select the level you think describes the organisation")
		level = ""
	}
	if p := textFieldProblem(c, "comment", comment, "your comment", true, maxEvidenceLength); p != "" {
		errs.Add("comment", p)
	}
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		return s.renderAdvice(c, d, level, comment, errs)
	}
	err = s.store.GiveAdvice(c.Request().Context(), d.Advice, n, comment)
	switch {
	case errors.Is(err, models.ErrAnswered):
		return s.renderAdvice(c, d, level, comment, formErrors{{Field: "level", Message: "You have already given your advice on this question"}})
	case errors.Is(err, models.ErrCycleLocked):
		return s.renderAdvice(c, d, level, comment, formErrors{{Field: "level", Message: "The board has submitted this assessment, so advice can no longer be given"}})
	case err != nil:
		return err
	}
	s.setFlash(c, "Thank you: your advice has been passed to the board.")
	return c.Redirect(http.StatusSeeOther, "/advice/"+c.Param("id"))
}
