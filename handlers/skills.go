package handlers

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// strongFrom is the "now" mean from which a domain counts as a strength:
// level 3 of 4, "on my own".
const strongFrom = 3.0

// skillsFramework is the framework staff are assessed against now.
func (s *Server) skillsFramework() (*assessments.Framework, error) {
	fw, ok := s.frameworks.Latest(assessments.KindSkills)
	if !ok {
		return nil, errors.New("no skills framework is loaded")
	}
	return fw, nil
}

// attemptFramework is the framework an attempt was taken against.
func (s *Server) attemptFramework(c echo.Context, a models.SkillsAssessment) (*assessments.Framework, error) {
	fw, err := s.framework(a.FrameworkID)
	if err != nil {
		return nil, fmt.Errorf("skills attempt %d: %w", a.ID, err)
	}
	return fw, nil
}

// ---- Start page ----

type skillsStartData struct {
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

func (s *Server) skillsStart(c echo.Context) error {
	ctx := c.Request().Context()
	u := mustUser(c)
	fw, err := s.skillsFramework()
	if err != nil {
		return err
	}
	data := skillsStartData{Framework: fw, MinGroupSize: s.cfg.MinGroupSize,
		ProfileComplete: u.ProfileComplete()}
	open, err := s.store.OpenSkillsAssessment(ctx, u.ID)
	switch {
	case err == nil:
		data.Open = &open
		afw, err := s.attemptFramework(c, open)
		if err != nil {
			return err
		}
		data.Framework = afw
		if sec, ok := afw.Section(open.CurrentDomain); ok {
			data.ResumeDomain = sec
		} else {
			data.ResumeDomain = &afw.Sections[0]
		}
	case !errors.Is(err, models.ErrNotFound):
		return err
	}
	attempts, err := s.store.SkillsAssessments(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, a := range attempts {
		if a.Completed() {
			data.Completed++
		}
	}
	if data.Open == nil {
		if _, err := s.lastAnswersAttempt(c, u, fw); err == nil {
			data.CanStartFromLast = true
		} else if !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	v := s.view(c, "Your digital skills")
	v.Data = data
	return s.render(c, http.StatusOK, "skills_start", v)
}

// startSkills begins an attempt, or carries on with the open one.
func (s *Server) startSkills(c echo.Context) error {
	ctx := c.Request().Context()
	u := mustUser(c)
	open, err := s.store.OpenSkillsAssessment(ctx, u.ID)
	if err == nil {
		fw, err := s.attemptFramework(c, open)
		if err != nil {
			return err
		}
		return redirect(c, "/skills/domains/"+firstOr(open.CurrentDomain, fw.Sections[0].Code))
	}
	if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	fw, err := s.skillsFramework()
	if err != nil {
		return err
	}
	fv, err := s.store.FrameworkVersionByCode(ctx, fw.Code, fw.Version)
	if err != nil {
		return err
	}
	// Another tab may have started one a moment ago: then this is it.
	var a models.SkillsAssessment
	if c.FormValue("from") == "last" {
		last, lerr := s.lastAnswersAttempt(c, u, fw)
		if errors.Is(lerr, models.ErrNotFound) {
			// The offer no longer holds (a new framework version): say so.
			s.setFlash(c, "Your last answers are on an earlier version of the self-assessment, so this attempt starts afresh.")
			a, err = s.store.StartSkillsAssessment(ctx, u, fv.ID)
		} else if lerr != nil {
			return lerr
		} else {
			a, err = s.store.StartSkillsAssessmentFrom(ctx, u, fv.ID, last.ID)
		}
	} else {
		a, err = s.store.StartSkillsAssessment(ctx, u, fv.ID)
	}
	if err != nil {
		return err
	}
	if afw, err := s.attemptFramework(c, a); err == nil {
		fw = afw
	}
	return redirect(c, "/skills/domains/"+firstOr(a.CurrentDomain, fw.Sections[0].Code))
}

// lastAnswersAttempt is the person's latest completed attempt when it is on
// the framework version fw that a new attempt would use; ErrNotFound when
// there is none, or it is on another version.
func (s *Server) lastAnswersAttempt(c echo.Context, u models.User, fw *assessments.Framework) (models.SkillsAssessment, error) {
	ctx := c.Request().Context()
	last, err := s.store.LatestCompletedSkills(ctx, u.ID)
	if err != nil {
		return last, err
	}
	fv, err := s.store.FrameworkVersionByCode(ctx, fw.Code, fw.Version)
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

// ---- One domain per page ----

type statementRating struct {
	Statement *assessments.Question
	Number    int
	Now       string
	Need      string
	Error     string
}

type domainData struct {
	Framework  *assessments.Framework
	Domain     *assessments.Section
	Index      int
	Statements []statementRating
	Previous   *assessments.Section
	Next       *assessments.Section
	// FromCheck: opened with "Change" on check your answers, so saving
	// goes back there.
	FromCheck bool
}

// openAttemptDomain loads the signed-in person's attempt in progress and
// the domain in the path.
func (s *Server) openAttemptDomain(c echo.Context) (models.SkillsAssessment, *assessments.Framework, *assessments.Section, int, error) {
	open, err := s.store.OpenSkillsAssessment(c.Request().Context(), mustUser(c).ID)
	if errors.Is(err, models.ErrNotFound) {
		return open, nil, nil, 0, echo.NewHTTPError(http.StatusNotFound).SetInternal(err)
	}
	if err != nil {
		return open, nil, nil, 0, err
	}
	fw, err := s.attemptFramework(c, open)
	if err != nil {
		return open, nil, nil, 0, err
	}
	idx := slices.Index(fw.SectionCodes(), c.Param("domain"))
	if idx < 0 {
		return open, nil, nil, 0, echo.ErrNotFound
	}
	return open, fw, &fw.Sections[idx], idx + 1, nil
}

func (s *Server) newDomainData(fw *assessments.Framework, domain *assessments.Section, idx int) domainData {
	d := domainData{Framework: fw, Domain: domain, Index: idx}
	if idx > 1 {
		d.Previous = &fw.Sections[idx-2]
	}
	if idx < len(fw.Sections) {
		d.Next = &fw.Sections[idx]
	}
	return d
}

func ratingText(r *int) string {
	if r == nil {
		return ""
	}
	return strconv.Itoa(*r)
}

func (s *Server) skillsDomainPage(c echo.Context) error {
	a, fw, domain, idx, err := s.openAttemptDomain(c)
	var he *echo.HTTPError
	if errors.As(err, &he) && errors.Is(he.Internal, models.ErrNotFound) {
		// No attempt in progress (a bookmark, or after finishing): the
		// start page says what to do next.
		return redirect(c, "/skills")
	}
	if err != nil {
		return err
	}
	answers, err := s.store.SkillsAnswers(c.Request().Context(), a.ID)
	if err != nil {
		return err
	}
	data := s.newDomainData(fw, domain, idx)
	data.FromCheck = c.QueryParam("from") == "check"
	for i := range domain.Questions {
		q := &domain.Questions[i]
		ans := answers[q.Code]
		data.Statements = append(data.Statements, statementRating{Statement: q, Number: i + 1, Now: ratingText(ans.Now), Need: ratingText(ans.Need)})
	}
	return s.renderDomain(c, data, nil)
}

func (s *Server) renderDomain(c echo.Context, data domainData, errs formErrors) error {
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

// saveSkillsDomain stores whatever was rated; "continue" then asks for any
// missing rating, "later" goes back to the start page.
func (s *Server) saveSkillsDomain(c echo.Context) error {
	ctx := c.Request().Context()
	a, fw, domain, idx, err := s.openAttemptDomain(c)
	var he *echo.HTTPError
	if errors.As(err, &he) && errors.Is(he.Internal, models.ErrNotFound) {
		// Nothing in progress: submitted in another tab, most likely.
		return s.skillsAlreadySubmitted(c)
	}
	if err != nil {
		return err
	}
	max := len(fw.Scale)
	data := s.newDomainData(fw, domain, idx)
	data.FromCheck = c.FormValue("from") == "check"
	var answers []models.SkillsAnswer
	var errs formErrors
	later := c.FormValue("next") == "later"
	complete := true
	for i := range domain.Questions {
		q := &domain.Questions[i]
		sr := statementRating{Statement: q, Number: i + 1, Now: c.FormValue("now-" + q.Code), Need: c.FormValue("need-" + q.Code)}
		now, okNow := parseRating(sr.Now, max)
		need, okNeed := parseRating(sr.Need, max)
		if !okNow {
			sr.Now = ""
		}
		if !okNeed {
			sr.Need = ""
		}
		answers = append(answers, models.SkillsAnswer{StatementCode: q.Code, Now: now, Need: need})
		complete = complete && now != nil && need != nil
		switch {
		case later:
		case now == nil && need == nil:
			sr.Error = "Choose where you are now and where your role needs you to be for: " + q.Title
		case now == nil:
			sr.Error = "Choose where you are now for: " + q.Title
		case need == nil:
			sr.Error = "Choose where your role needs you to be for: " + q.Title
		}
		if sr.Error != "" {
			field := "now-" + q.Code + "-1"
			if now != nil {
				field = "need-" + q.Code + "-1"
			}
			errs.Add(field, sr.Error)
		}
		data.Statements = append(data.Statements, sr)
	}
	// Resume at this domain until it is complete, then at the next one.
	current := domain.Code
	if complete {
		current = s.firstIncompleteDomain(c, a, fw, domain.Code, answers)
	}
	err = s.store.SaveSkillsAnswers(ctx, a, answers, current)
	if errors.Is(err, models.ErrConflict) {
		return s.skillsAlreadySubmitted(c)
	}
	if err != nil {
		return err
	}
	if later {
		s.setFlash(c, "Your answers have been saved. You can carry on where you left off at any time.")
		return redirect(c, "/skills")
	}
	if len(errs) > 0 {
		return s.renderDomain(c, data, errs)
	}
	if data.Next != nil && !data.FromCheck {
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

// firstIncompleteDomain finds where the person should resume, counting the
// domain just saved with its new answers.
func (s *Server) firstIncompleteDomain(c echo.Context, a models.SkillsAssessment, fw *assessments.Framework, saved string, fresh []models.SkillsAnswer) string {
	stored, err := s.store.SkillsAnswers(c.Request().Context(), a.ID)
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

type checkDomain struct {
	Domain     *assessments.Section
	Statements []statementRating
	Missing    int
}

type checkData struct {
	Framework *assessments.Framework
	Domains   []checkDomain
	Missing   int
}

func (s *Server) skillsCheckData(c echo.Context) (models.SkillsAssessment, *assessments.Framework, checkData, error) {
	open, err := s.store.OpenSkillsAssessment(c.Request().Context(), mustUser(c).ID)
	if errors.Is(err, models.ErrNotFound) {
		return open, nil, checkData{}, echo.NewHTTPError(http.StatusNotFound).SetInternal(err)
	}
	if err != nil {
		return open, nil, checkData{}, err
	}
	fw, err := s.attemptFramework(c, open)
	if err != nil {
		return open, nil, checkData{}, err
	}
	answers, err := s.store.SkillsAnswers(c.Request().Context(), open.ID)
	if err != nil {
		return open, nil, checkData{}, err
	}
	data := checkData{Framework: fw}
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		cd := checkDomain{Domain: sec}
		for qi := range sec.Questions {
			q := &sec.Questions[qi]
			ans := answers[q.Code]
			cd.Statements = append(cd.Statements, statementRating{Statement: q, Number: qi + 1, Now: ratingText(ans.Now), Need: ratingText(ans.Need)})
			if ans.Now == nil || ans.Need == nil {
				cd.Missing++
			}
		}
		data.Missing += cd.Missing
		data.Domains = append(data.Domains, cd)
	}
	return open, fw, data, nil
}

func (s *Server) skillsCheck(c echo.Context) error {
	_, _, data, err := s.skillsCheckData(c)
	if err != nil {
		return err
	}
	v := s.view(c, "Check your answers")
	v.BackLink = "/skills"
	v.Data = data
	return s.render(c, http.StatusOK, "skills_check", v)
}

// errSkillsIncomplete is a submission whose stored answers, read inside the
// completing transaction, lack a rating.
var errSkillsIncomplete = errors.New("skills attempt has statements without both ratings")

// skillsScorer scores an attempt's answers against its framework, inside
// the transaction that completes it, refusing answers with a gap.
func skillsScorer(fw *assessments.Framework) models.SkillsScorer {
	return func(answers map[string]models.SkillsAnswer) ([]models.SkillsDomainScore, error) {
		ratings := map[string]assessments.SkillsRating{}
		for _, sec := range fw.Sections {
			for _, q := range sec.Questions {
				ans := answers[q.Code]
				if ans.Now == nil || ans.Need == nil {
					return nil, errSkillsIncomplete
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

func (s *Server) submitSkills(c echo.Context) error {
	ctx := c.Request().Context()
	a, fw, data, err := s.skillsCheckData(c)
	if err != nil {
		return err
	}
	if data.Missing > 0 {
		return s.renderSkillsMissing(c, data)
	}
	err = s.store.CompleteSkillsAssessment(ctx, a, mustUser(c), models.FinancialYear(time.Now()), skillsScorer(fw))
	if errors.Is(err, models.ErrConflict) {
		return redirect(c, "/skills/results")
	}
	if errors.Is(err, errSkillsIncomplete) {
		// Another tab cleared a rating after this page was read: show the
		// check page again with what is stored now.
		if _, _, data, err = s.skillsCheckData(c); err != nil {
			return err
		}
		return s.renderSkillsMissing(c, data)
	}
	if err != nil {
		return err
	}
	// Who completed, and when, is no page's to show (not even the audit
	// log's); the service's own log keeps it for a security investigation.
	s.log.InfoContext(ctx, "skills self-assessment completed", "user", mustUser(c).ID, "attempt", a.ID,
		"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	s.setFlash(c, "Your self-assessment is complete. Here are your results.")
	return redirect(c, "/skills/results")
}

// renderSkillsMissing shows the check page again with an error for each
// domain that still has statements without both ratings.
func (s *Server) renderSkillsMissing(c echo.Context, data checkData) error {
	var errs formErrors
	for _, d := range data.Domains {
		if d.Missing > 0 {
			errs.Add("domain-"+d.Domain.Code, fmt.Sprintf("Rate all the statements in %s: %d still need an answer", d.Domain.Label, d.Missing))
		}
	}
	if len(errs) == 0 {
		errs.Add("domain-"+data.Framework.Sections[0].Code, "Your answers changed in another tab or window: check them and submit again")
	}
	v := s.view(c, "Check your answers")
	v.BackLink = "/skills"
	v.Errors = errs
	v.Data = data
	return s.render(c, http.StatusUnprocessableEntity, "skills_check", v)
}

// ---- Results and history ----

type domainResult struct {
	Domain   *assessments.Section
	Score    assessments.DomainScore
	Change   assessments.DomainChange
	Learning []learningItem
	Level    int
}

type learningItem struct {
	assessments.Suggestion
	Link string
}

type skillsResultsData struct {
	Attempt    models.SkillsAssessment
	Framework  *assessments.Framework
	Domains    []domainResult
	Strengths  []domainResult
	Priorities []domainResult
	Previous   *models.SkillsAssessment
	Chart      template.HTML
	Latest     bool
}

func (s *Server) skillsResults(c echo.Context) error {
	a, ok, err := s.requestedAttempt(c, "You have not completed the self-assessment yet.")
	if !ok || err != nil {
		return err
	}
	data, err := s.skillsResultsData(c, a)
	if err != nil {
		return err
	}
	v := s.view(c, "Your digital skills results")
	v.BackLink = "/skills"
	v.Data = data
	return s.render(c, http.StatusOK, "skills_results", v)
}

// requestedAttempt is the signed-in person's completed attempt that a
// results page or report asks for: the one named in the path, or their
// latest. Someone else's attempt, or one in progress, is "not found". When
// the person has completed none, they are sent to the start page with
// noneMessage and ok is false.
func (s *Server) requestedAttempt(c echo.Context, noneMessage string) (a models.SkillsAssessment, ok bool, err error) {
	u := mustUser(c)
	if raw := c.Param("id"); raw != "" {
		id, perr := pathID(c, "id")
		if perr != nil {
			return a, false, perr
		}
		a, err = s.store.SkillsAssessmentOf(c.Request().Context(), u.ID, id)
		if err == nil && !a.Completed() {
			err = echo.ErrNotFound
		}
		return a, err == nil, err
	}
	a, err = s.latestCompletedSkills(c, u)
	if errors.Is(err, models.ErrNotFound) {
		s.setFlash(c, noneMessage)
		return a, false, redirect(c, "/skills")
	}
	return a, err == nil, err
}

func (s *Server) latestCompletedSkills(c echo.Context, u models.User) (models.SkillsAssessment, error) {
	attempts, err := s.store.SkillsAssessments(c.Request().Context(), u.ID)
	if err != nil {
		return models.SkillsAssessment{}, err
	}
	for _, a := range attempts {
		if a.Completed() {
			return a, nil
		}
	}
	return models.SkillsAssessment{}, models.ErrNotFound
}

// storedDomainScores turns an attempt's stored rows into scores in
// framework order.
func storedDomainScores(fw *assessments.Framework, rows []models.SkillsDomainScore) []assessments.DomainScore {
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

func (s *Server) skillsResultsData(c echo.Context, a models.SkillsAssessment) (skillsResultsData, error) {
	ctx := c.Request().Context()
	fw, err := s.attemptFramework(c, a)
	if err != nil {
		return skillsResultsData{}, err
	}
	rows, err := s.store.SkillsDomainScores(ctx, a.ID)
	if err != nil {
		return skillsResultsData{}, err
	}
	scores := storedDomainScores(fw, rows)
	data := skillsResultsData{Attempt: a, Framework: fw}
	var changes []assessments.DomainChange
	prev, err := s.store.PreviousCompletedSkills(ctx, a)
	switch {
	case err == nil:
		data.Previous = &prev
		prevRows, err := s.store.SkillsDomainScores(ctx, prev.ID)
		if err != nil {
			return data, err
		}
		pfw, err := s.attemptFramework(c, prev)
		if err != nil {
			return data, err
		}
		changes = assessments.SkillsChange(scores, storedDomainScores(pfw, prevRows))
	case !errors.Is(err, models.ErrNotFound):
		return data, err
	}
	byCode := map[string]domainResult{}
	for i, sc := range scores {
		sec := &fw.Sections[i]
		r := domainResult{Domain: sec, Score: sc}
		for _, ch := range changes {
			if ch.Code == sc.Code {
				r.Change = ch
			}
		}
		if sc.Scored {
			r.Level = assessments.LearningLevel(sc.Now, len(fw.Scale))
			r.Learning = s.learningFor(sec, r.Level)
		}
		byCode[sc.Code] = r
		data.Domains = append(data.Domains, r)
	}
	for _, d := range assessments.Strengths(scores, strongFrom, 3) {
		data.Strengths = append(data.Strengths, byCode[d.Code])
	}
	for _, d := range assessments.SkillsPriorities(scores, 3) {
		data.Priorities = append(data.Priorities, byCode[d.Code])
	}
	data.Chart = skillsChart(fw, scores, "Your digital skills by domain")
	latest, err := s.latestCompletedSkills(c, mustUser(c))
	data.Latest = err == nil && latest.ID == a.ID
	return data, nil
}

// learningFor lists a domain's suggestions for a level, with links only
// where the deployment has its own learning catalogue.
func (s *Server) learningFor(sec *assessments.Section, level int) []learningItem {
	var items []learningItem
	for _, l := range sec.Learning {
		if l.Level != level {
			continue
		}
		for _, sg := range l.Suggestions {
			item := learningItem{Suggestion: sg}
			if s.cfg.LearningCatalogueURL != "" && sg.CataloguePath != "" {
				item.Link = strings.TrimRight(s.cfg.LearningCatalogueURL, "/") + "/" + strings.TrimLeft(sg.CataloguePath, "/")
			}
			items = append(items, item)
		}
	}
	return items
}

// skillsChart draws a person's now and need per domain.
func skillsChart(fw *assessments.Framework, scores []assessments.DomainScore, title string) template.HTML {
	return nowNeedChart(fw, scores, title, "Where I am now", "Where my role needs me to be")
}

// nowNeedChart draws now and need per domain, under the series names given.
func nowNeedChart(fw *assessments.Framework, scores []assessments.DomainScore, title, nowName, needName string) template.HTML {
	var cats []string
	now := barSeries{Name: nowName, Kind: "now"}
	need := barSeries{Name: needName, Kind: "need"}
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
	return barChart(title, "Bar chart of the mean rating now and needed for each domain, on a scale of 1 to 4. The table gives the same numbers.",
		cats, float64(len(fw.Scale)), []barSeries{now, need})
}

type skillsHistoryData struct {
	Attempts []models.SkillsAssessment
}

func (s *Server) skillsHistory(c echo.Context) error {
	attempts, err := s.store.SkillsAssessments(c.Request().Context(), mustUser(c).ID)
	if err != nil {
		return err
	}
	v := s.view(c, "Your attempts")
	v.BackLink = "/skills"
	v.Data = skillsHistoryData{Attempts: attempts}
	return s.render(c, http.StatusOK, "skills_history", v)
}
