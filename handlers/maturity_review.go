package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// ---- The digital lead's review of one section ----

type memberAnswer struct {
	Name     string
	Level    *int
	Evidence string
}

type reviewQuestion struct {
	Question *assessments.Question
	Number   int
	Members  []memberAnswer
	Spread   assessments.Spread
	// Answered counts the assigned board members who chose a level;
	// Waiting names the assigned members who have not yet. Quorum is
	// the cycle's: a level can be agreed once Answered reaches it.
	Answered int
	Waiting  []string
	Quorum   int
	// Advice is what colleagues asked were told: shown beside the
	// members' answers, never part of the spread or the quorum.
	Advice   []models.Advice
	Evidence []models.Evidence
	Level    string // the agreed level as typed: "", "0" or "1".."5"
	Note     string
	Version  int64
	Conflict string
	Error    string
}

type reviewData struct {
	Cycle     models.MaturityCycle
	Framework *assessments.Framework
	Section   *assessments.Section
	Index     int
	Questions []reviewQuestion
	Target    string
	// TargetVersion is the stored target's version (0: none stored), and
	// TargetConflict says what a colleague saved first.
	TargetVersion  int64
	TargetConflict string
	Locked         bool
	Previous       *assessments.Section
	Next           *assessments.Section
}

func (s *Server) reviewSection(c echo.Context) (models.MaturityCycle, *assessments.Framework, *assessments.Section, int, error) {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return cycle, nil, nil, 0, err
	}
	sec, ok := fw.Section(c.Param("section"))
	if !ok {
		return cycle, nil, nil, 0, echo.ErrNotFound
	}
	return cycle, fw, sec, slices.Index(fw.SectionCodes(), sec.Code) + 1, nil
}

// loadReview fills the members' answers, their spread and the stored
// agreed levels of one section.
func (s *Server) loadReview(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework, sec *assessments.Section, idx int) (reviewData, error) {
	src, err := s.reviewSources(c, cycle)
	if err != nil {
		return reviewData{}, err
	}
	return buildReview(cycle, fw, sec, idx, src), nil
}

// cycleReviewSources are everything the review of any section reads: the
// board report and the export read them once for all seven sections.
type cycleReviewSources struct {
	assignments []models.Assignment
	advice      []models.Advice
	evidence    []models.Evidence
	answers     []models.RespondentAnswer
	agreed      map[string]models.AgreedAnswer
	targets     map[string]int
	targetRows  map[string]models.MaturityTarget
}

func (s *Server) reviewSources(c echo.Context, cycle models.MaturityCycle) (cycleReviewSources, error) {
	ctx := c.Request().Context()
	var src cycleReviewSources
	var err error
	if src.answers, err = s.store.CycleAnswers(ctx, cycle.ID); err != nil {
		return src, err
	}
	if src.assignments, err = s.store.Assignments(ctx, cycle.ID); err != nil {
		return src, err
	}
	if src.advice, err = s.store.CycleAdvice(ctx, cycle.ID); err != nil {
		return src, err
	}
	if src.evidence, err = s.store.CycleEvidence(ctx, cycle.OrganisationID, cycle.ID); err != nil {
		return src, err
	}
	if src.agreed, err = s.store.Agreed(ctx, cycle.ID); err != nil {
		return src, err
	}
	if src.targetRows, err = s.store.TargetRows(ctx, cycle.ID); err != nil {
		return src, err
	}
	src.targets = map[string]int{}
	for code, t := range src.targetRows {
		if t.Target > 0 {
			src.targets[code] = t.Target
		}
	}
	return src, nil
}

// buildReview puts one section's review together from the cycle's sources.
func buildReview(cycle models.MaturityCycle, fw *assessments.Framework, sec *assessments.Section, idx int, src cycleReviewSources) reviewData {
	answers, agreed, targets := src.answers, src.agreed, src.targets
	data := reviewData{Cycle: cycle, Framework: fw, Section: sec, Index: idx, Locked: cycle.Locked()}
	if t := targets[sec.Code]; t > 0 {
		data.Target = strconv.Itoa(t)
	}
	data.TargetVersion = src.targetRows[sec.Code].Version
	if idx > 1 {
		data.Previous = &fw.Sections[idx-2]
	}
	if idx < len(fw.Sections) {
		data.Next = &fw.Sections[idx]
	}
	assigned := map[uint]string{}
	var assignedOrder []uint
	for _, a := range src.assignments {
		if a.SectionCode == sec.Code {
			assigned[a.UserID] = a.Name
			assignedOrder = append(assignedOrder, a.UserID)
		}
	}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		rq := reviewQuestion{Question: q, Number: i + 1, Quorum: cycle.Quorum}
		var levels []int
		answeredBy := map[uint]bool{}
		for _, a := range answers {
			if a.QuestionCode != q.Code || (a.Level == nil && a.Evidence == "") {
				continue
			}
			rq.Members = append(rq.Members, memberAnswer{Name: a.RespondentName, Level: a.Level, Evidence: a.Evidence})
			if a.Level != nil {
				levels = append(levels, *a.Level)
				if _, ok := assigned[a.RespondentID]; ok {
					answeredBy[a.RespondentID] = true
				}
			}
		}
		rq.Spread = assessments.SpreadOf(levels)
		rq.Answered = len(answeredBy)
		for _, id := range assignedOrder {
			if !answeredBy[id] {
				rq.Waiting = append(rq.Waiting, assigned[id])
			}
		}
		for _, ad := range src.advice {
			if ad.QuestionCode == q.Code {
				rq.Advice = append(rq.Advice, ad)
			}
		}
		for _, ev := range src.evidence {
			if ev.QuestionCode == q.Code {
				rq.Evidence = append(rq.Evidence, ev)
			}
		}
		if a, ok := agreed[q.Code]; ok {
			rq.Note, rq.Version = a.Note, a.Version
			if a.Level != nil {
				rq.Level = strconv.Itoa(*a.Level)
			}
		}
		data.Questions = append(data.Questions, rq)
	}
	return data
}

func (s *Server) reviewPage(c echo.Context) error {
	cycle, fw, sec, idx, err := s.reviewSection(c)
	if err != nil {
		return err
	}
	data, err := s.loadReview(c, cycle, fw, sec, idx)
	if err != nil {
		return err
	}
	return s.renderReview(c, data, nil)
}

func (s *Server) renderReview(c echo.Context, data reviewData, errs formErrors) error {
	v := s.view(c, "Review: "+data.Section.Label)
	v.BackLink = cyclePath(data.Cycle)
	v.Errors = errs
	v.Data = data
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
		for _, q := range data.Questions {
			if q.Conflict != "" {
				status = http.StatusConflict
			}
		}
		if data.TargetConflict != "" {
			status = http.StatusConflict
		}
	}
	return s.render(c, status, "maturity_review", v)
}

// saveReview stores the agreed levels, notes and target of one section,
// in one transaction. If someone else saved any of them first, nothing is
// saved: the page comes back showing, for each such value, what this
// person chose and what is stored now, with what is stored pre-filled so
// that saving again does not undo the colleague's change unknowingly.
func (s *Server) saveReview(c echo.Context) error {
	ctx := c.Request().Context()
	cycle, fw, sec, idx, err := s.reviewSection(c)
	if err != nil {
		return err
	}
	data, err := s.loadReview(c, cycle, fw, sec, idx)
	if err != nil {
		return err
	}
	if cycle.Locked() {
		return s.renderReview(c, data, formErrors{{Field: "status", Message: "This assessment has been submitted, so it cannot be changed. Reopen it to make changes"}})
	}
	var (
		errs    formErrors
		changes []models.AgreedChange
	)
	for i := range data.Questions {
		rq := &data.Questions[i]
		rq.Level = c.FormValue("agreed-" + rq.Question.Code)
		rq.Note = strings.TrimSpace(c.FormValue("note-" + rq.Question.Code))
		version, _ := strconv.ParseInt(c.FormValue("version-"+rq.Question.Code), 10, 64)
		rq.Version = version
		ch := models.AgreedChange{SectionCode: sec.Code, QuestionCode: rq.Question.Code, Note: rq.Note, Version: version}
		switch level, convErr := strconv.Atoi(rq.Level); {
		case rq.Level == "":
		case convErr != nil || level < 0 || level > 5 || (level == assessments.NotApplicable && !rq.Question.AllowNotApplicable):
			rq.Error = "Select an agreed level for " + lowerFirst(rq.Question.Title)
		default:
			ch.Level = &level
		}
		if p := textRule(c, "note-"+rq.Question.Code, "the note for "+lowerFirst(rq.Question.Title)); p != "" {
			rq.Error = p
		} else if len([]rune(rq.Note)) > maxEvidenceLength {
			rq.Error = fmt.Sprintf("The note for %s must be %d characters or fewer", lowerFirst(rq.Question.Title), maxEvidenceLength)
		}
		if rq.Error != "" {
			errs.Add("agreed-"+rq.Question.Code+"-none", rq.Error)
		}
		changes = append(changes, ch)
	}
	target := c.FormValue("target")
	targetLevel, convErr := strconv.Atoi(target)
	if target != "" && (convErr != nil || targetLevel < 1 || targetLevel > 5) {
		errs.Add("target", "Select a target level from 1 to 5, or no target")
	}
	if target == "" {
		targetLevel = 0
	}
	targetVersion, _ := strconv.ParseInt(c.FormValue("target-version"), 10, 64)
	data.Target, data.TargetVersion = target, targetVersion
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		return s.renderReview(c, data, errs)
	}

	err = s.store.SaveReview(ctx, cycle, changes, &models.TargetChange{SectionCode: sec.Code, Target: targetLevel, Version: targetVersion}, mustUser(c).ID)
	var conflict *models.ConflictError
	if errors.As(err, &conflict) {
		fresh, loadErr := s.loadReview(c, cycle, fw, sec, idx)
		if loadErr != nil {
			return loadErr
		}
		for i := range data.Questions {
			rq := &data.Questions[i]
			now := fresh.Questions[i]
			if !slices.Contains(conflict.Questions, rq.Question.Code) {
				continue
			}
			rq.Conflict = fmt.Sprintf("Someone else saved this agreed level while you were editing. It is now: %s%s. "+
				"You chose: %s%s. Nothing on this page has been saved. What is stored now is selected below: "+
				"if yours should replace it, choose it again and save.",
				agreedText(now.Level), noteText(now.Note), agreedText(rq.Level), noteText(rq.Note))
			rq.Level, rq.Note, rq.Version = now.Level, now.Note, now.Version
			errs.Add("agreed-"+rq.Question.Code+"-none", "Someone else changed "+lowerFirst(rq.Question.Title)+" while you were editing: check it and save again")
		}
		if conflict.Target {
			data.TargetConflict = fmt.Sprintf("Someone else changed the target while you were editing. It is now: %s. "+
				"You chose: %s. Nothing on this page has been saved. The stored target is selected below: "+
				"if yours should replace it, choose it again and save.", targetText(fresh.Target), targetText(target))
			data.Target, data.TargetVersion = fresh.Target, fresh.TargetVersion
			errs.Add("target", "Someone else changed the target for "+sec.Label+" while you were editing: check it and save again")
		}
		return s.renderReview(c, data, errs)
	}
	var short *models.QuorumError
	if errors.As(err, &short) {
		// Nothing was saved; what was typed stays on the page.
		for i := range data.Questions {
			rq := &data.Questions[i]
			if !slices.Contains(short.Questions, rq.Question.Code) {
				continue
			}
			rq.Error = quorumMessage(*rq)
			errs.Add("agreed-"+rq.Question.Code+"-none", rq.Error)
		}
		return s.renderReview(c, data, errs)
	}
	if errors.Is(err, models.ErrCycleLocked) {
		data.Locked = true
		return s.renderReview(c, data, formErrors{{Field: "status", Message: "This assessment has been submitted, so it cannot be changed"}})
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "Agreed levels for "+sec.Label+" have been saved.")
	if c.FormValue("next") == "continue" && data.Next != nil {
		return redirect(c, cyclePath(cycle, "/review/", data.Next.Code))
	}
	return redirect(c, cyclePath(cycle, "/review/", sec.Code))
}

// quorumMessage says why a question's level cannot be agreed yet.
func quorumMessage(rq reviewQuestion) string {
	msg := fmt.Sprintf("You cannot agree a level for %s yet: %d of the %d board members needed %s answered it",
		lowerFirst(rq.Question.Title), rq.Answered, max(rq.Quorum, 1), map[bool]string{true: "has", false: "have"}[rq.Answered == 1])
	if len(rq.Waiting) > 0 {
		msg += ". Still to answer: " + strings.Join(rq.Waiting, ", ")
	} else {
		msg += ". Assign more board members to this section"
	}
	return msg
}

func targetText(target string) string {
	if target == "" {
		return "no target"
	}
	return "level " + target
}

func agreedText(level string) string {
	switch level {
	case "":
		return "not agreed yet"
	case "0":
		return "not applicable"
	}
	return "level " + level
}

func noteText(note string) string {
	if note == "" {
		return ""
	}
	return `, with the note "` + note + `"`
}

// ---- Submitting and reopening ----

// errCycleIncomplete is a submission whose agreed levels, read inside the
// submitting transaction, miss a question.
var errCycleIncomplete = errors.New("cycle has questions without an agreed level")

// cycleScorer scores a cycle's agreed levels, inside the transaction that
// submits it.
func cycleScorer(fw *assessments.Framework) models.CycleScorer {
	return func(agreed map[string]models.AgreedAnswer) (map[string]float64, *float64, error) {
		for _, sec := range fw.Sections {
			for _, q := range sec.Questions {
				if agreed[q.Code].Level == nil {
					return nil, nil, errCycleIncomplete
				}
			}
		}
		scored := assessments.ScoreFramework(fw, agreedLevels(agreed))
		sections := map[string]float64{}
		for _, sc := range scored.Sections {
			if sc.Scored {
				sections[sc.Code] = sc.Score
			}
		}
		if !scored.OverallScored {
			return sections, nil, nil
		}
		overall := scored.Overall
		return sections, &overall, nil
	}
}

// ---- The sign-off: a confirmation page before submitting ----

// signOffForm is what the confirmation page asks: the board meeting that
// approved the assessment and who signed it off.
type signOffForm struct {
	Version  string
	Day      string
	Month    string
	Year     string
	Name     string
	Role     string
	Reviewed bool
}

// weakPoint is one thing the board should know it is signing off.
type weakPoint struct {
	Section  *assessments.Section
	Question *assessments.Question // nil for a measure without a target
	Text     string
}

type submitData struct {
	Cycle     models.MaturityCycle
	Framework *assessments.Framework
	// SingleAnswer, WideSpread and NoTarget list what is weak.
	SingleAnswer []weakPoint
	WideSpread   []weakPoint
	NoTarget     []weakPoint
	Missing      []missingQuestion
}

// submitSources lists what is weak in a cycle: questions only one
// assigned board member answered, spreads of two levels or more agreed
// without a note, and measures without a target.
func (s *Server) submitSources(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) (submitData, error) {
	src, err := s.reviewSources(c, cycle)
	if err != nil {
		return submitData{}, err
	}
	d := submitData{Cycle: cycle, Framework: fw}
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		review := buildReview(cycle, fw, sec, i+1, src)
		for _, rq := range review.Questions {
			if rq.Level == "" {
				d.Missing = append(d.Missing, missingQuestion{Section: sec, Question: rq.Question})
			}
			if rq.Answered == 1 {
				d.SingleAnswer = append(d.SingleAnswer, weakPoint{Section: sec, Question: rq.Question,
					Text: "answered by one board member only"})
			}
			if rq.Spread.Flagged && strings.TrimSpace(rq.Note) == "" {
				d.WideSpread = append(d.WideSpread, weakPoint{Section: sec, Question: rq.Question,
					Text: fmt.Sprintf("board members answered from %d to %d, and the agreed level has no note", rq.Spread.Min, rq.Spread.Max)})
			}
		}
		if src.targets[sec.Code] == 0 {
			d.NoTarget = append(d.NoTarget, weakPoint{Section: sec, Text: "no target level"})
		}
	}
	return d, nil
}

func (s *Server) submitPage(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	if cycle.Locked() {
		return redirect(c, cyclePath(cycle, "/results"))
	}
	d, err := s.submitSources(c, cycle, fw)
	if err != nil {
		return err
	}
	return s.renderSubmit(c, d, signOffForm{Version: strconv.FormatInt(cycle.Version, 10)}, nil)
}

func (s *Server) renderSubmit(c echo.Context, d submitData, form signOffForm, errs formErrors) error {
	v := s.view(c, "Sign off and submit: "+d.Cycle.Period)
	v.BackLink = cyclePath(d.Cycle)
	v.Form = form
	v.Errors = errs
	v.Data = d
	return s.renderForm(c, "maturity_submit", v)
}

func (s *Server) submitCycle(c echo.Context) error {
	ctx := c.Request().Context()
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	data, err := s.cycleData(c, cycle, fw)
	if err != nil {
		return err
	}
	if cycle.Locked() {
		return s.renderCycle(c, data, formErrors{{Field: "status", Message: "This assessment has already been submitted"}})
	}
	if len(data.Missing) > 0 {
		var errs formErrors
		for _, m := range data.Missing {
			errs.Add("missing-"+m.Question.Code, fmt.Sprintf("Agree a level for %s (%s), or mark it not applicable", lowerFirst(m.Question.Title), m.Section.Label))
		}
		return s.renderCycle(c, data, errs)
	}
	form := signOffForm{Version: c.FormValue("version"),
		Day: strings.TrimSpace(c.FormValue("meeting-day")), Month: strings.TrimSpace(c.FormValue("meeting-month")),
		Year: strings.TrimSpace(c.FormValue("meeting-year")), Name: strings.TrimSpace(c.FormValue("signed-off-by")),
		Role: strings.TrimSpace(c.FormValue("signed-off-role")), Reviewed: c.FormValue("reviewed") == "yes"}
	var errs formErrors
	meeting, problem := parseDate(form.Day, form.Month, form.Year, "date of the board meeting")
	if problem == "" && meeting.After(time.Now()) {
		problem = "The date of the board meeting must be today or in the past"
	}
	if problem != "" {
		errs.Add("meeting-day", problem)
	}
	if p := textFieldProblem(c, "signed-off-by", form.Name, "the name of who signed the assessment off", true, validation.MaxNameLength); p != "" {
		errs.Add("signed-off-by", p)
	}
	if p := textFieldProblem(c, "signed-off-role", form.Role, "their role", true, validation.MaxNameLength); p != "" {
		errs.Add("signed-off-role", p)
	}
	if !form.Reviewed {
		errs.Add("reviewed", "Confirm that the board has seen what is listed as weak")
	}
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		d, err := s.submitSources(c, cycle, fw)
		if err != nil {
			return err
		}
		return s.renderSubmit(c, d, form, errs)
	}
	if v, err := strconv.ParseInt(form.Version, 10, 64); err == nil {
		cycle.Version = v
	}
	err = s.store.SubmitCycle(ctx, cycle, cycleScorer(fw), models.SignOff{MeetingOn: meeting, Name: form.Name, Role: form.Role}, mustUser(c).ID)
	if errors.Is(err, models.ErrConflict) || errors.Is(err, errCycleIncomplete) {
		// The page the lead submitted from is out of date: show it again
		// as it is now, with nothing submitted.
		fresh, _, ferr := s.maturityCycle(c)
		if ferr != nil {
			return ferr
		}
		if data, err = s.cycleData(c, fresh, fw); err != nil {
			return err
		}
		v := s.view(c, "Board maturity assessment "+data.Cycle.Period)
		v.BackLink = "/maturity/cycles"
		v.Errors = formErrors{{Field: "status", Message: "Someone else changed this assessment while you were looking at it (an agreed level, a target, an action or its status), so it has not been submitted. Check the page and submit again"}}
		v.Data = data
		return s.render(c, http.StatusConflict, "maturity_cycle", v)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "The "+cycle.Period+" assessment has been signed off and submitted. It is now read-only.")
	return redirect(c, cyclePath(cycle, "/results"))
}

// maxReasonLength bounds a reason for reopening.
const maxReasonLength = 2000

func (s *Server) reopenCycle(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	if v, err := strconv.ParseInt(c.FormValue("version"), 10, 64); err == nil {
		cycle.Version = v
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if p := textFieldProblem(c, "reason", reason, "why the assessment is being reopened", true, maxReasonLength); p != "" {
		data, derr := s.cycleData(c, cycle, fw)
		if derr != nil {
			return derr
		}
		data.Reason = reason
		return s.renderCycle(c, data, withInputErrors(c, formErrors{{Field: "reason", Message: p}}))
	}
	err = s.store.ReopenCycle(c.Request().Context(), cycle, reason, mustUser(c).ID)
	if errors.Is(err, models.ErrConflict) {
		data, derr := s.cycleData(c, cycle, fw)
		if derr != nil {
			return derr
		}
		data.Reason = reason
		return s.renderCycle(c, data, formErrors{{Field: "status", Message: "This assessment is not submitted, or someone else changed it first. Check the page and try again"}})
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "The "+cycle.Period+" assessment has been reopened. Submit it again when the changes are made.")
	return redirect(c, cyclePath(cycle))
}

// ---- Actions ----

type actionForm struct {
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

type actionsData struct {
	Cycle     models.MaturityCycle
	Framework *assessments.Framework
	Actions   []models.Action
	Sections  []option
	Statuses  []option
	Now       time.Time
}

func (s *Server) actionsPage(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	return s.renderActions(c, cycle, fw, actionForm{Status: models.ActionNotStarted}, nil)
}

func actionOptions(fw *assessments.Framework) ([]option, []option) {
	var sections, statuses []option
	for _, sec := range fw.Sections {
		sections = append(sections, option{sec.Code, sec.Label})
	}
	for _, st := range models.ActionStatuses() {
		statuses = append(statuses, option{st.Code, st.Label})
	}
	return sections, statuses
}

func (s *Server) renderActions(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework, form actionForm, errs formErrors) error {
	actions, err := s.store.CycleActions(c.Request().Context(), cycle.OrganisationID, cycle.ID)
	if err != nil {
		return err
	}
	data := actionsData{Cycle: cycle, Framework: fw, Actions: actions, Now: time.Now()}
	data.Sections, data.Statuses = actionOptions(fw)
	v := s.view(c, "Actions: "+cycle.Period)
	v.BackLink = cyclePath(cycle)
	v.Form = form
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "maturity_actions", v)
}

// readActionForm binds and validates an action.
func readActionForm(c echo.Context, fw *assessments.Framework) (actionForm, *time.Time, formErrors) {
	form := actionForm{
		Section:  c.FormValue("section"),
		Title:    strings.TrimSpace(c.FormValue("title")),
		Owner:    strings.TrimSpace(c.FormValue("owner")),
		DueDay:   strings.TrimSpace(c.FormValue("due-day")),
		DueMonth: strings.TrimSpace(c.FormValue("due-month")),
		DueYear:  strings.TrimSpace(c.FormValue("due-year")),
		Status:   c.FormValue("status"),
		Progress: strings.TrimSpace(c.FormValue("progress")),
	}
	var errs formErrors
	if _, ok := fw.Section(form.Section); !ok {
		errs.Add("section", "Select the success measure this action improves")
	}
	if p := textFieldProblem(c, "title", form.Title, "what will be done", true, 200); p != "" {
		errs.Add("title", p)
	}
	if p := textFieldProblem(c, "owner", form.Owner, "who owns the action", true, validation.MaxNameLength); p != "" {
		errs.Add("owner", p)
	}
	var due *time.Time
	if form.DueDay != "" || form.DueMonth != "" || form.DueYear != "" {
		d, problem := parseDate(form.DueDay, form.DueMonth, form.DueYear, "due date")
		if problem != "" {
			errs.Add("due-day", problem)
		} else {
			due = &d
		}
	}
	if models.ActionStatusLabel(form.Status) == form.Status {
		errs.Add("status", "Select the action's status")
	}
	if p := textFieldProblem(c, "progress", form.Progress, "the progress note", false, maxEvidenceLength); p != "" {
		errs.Add("progress", p)
	}
	return form, due, withInputErrors(c, errs)
}

func (s *Server) createAction(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	form, due, errs := readActionForm(c, fw)
	if len(errs) > 0 {
		return s.renderActions(c, cycle, fw, form, errs)
	}
	a := models.Action{OrganisationID: cycle.OrganisationID, CycleID: &cycle.ID, SectionCode: form.Section, Title: form.Title,
		Owner: form.Owner, DueDate: due, Status: form.Status, Progress: form.Progress}
	if err := s.store.SaveAction(c.Request().Context(), &a, mustUser(c).ID); err != nil {
		return err
	}
	s.setFlash(c, "Action added: "+a.Title)
	return redirect(c, cyclePath(cycle, "/actions"))
}

type actionEditData struct {
	Cycle    models.MaturityCycle
	Sections []option
	Statuses []option
}

func (s *Server) cycleAction(c echo.Context, cycle models.MaturityCycle) (models.Action, error) {
	id, err := pathID(c, "action")
	if err != nil {
		return models.Action{}, err
	}
	a, err := s.store.ActionInOrganisation(c.Request().Context(), cycle.OrganisationID, id)
	if err != nil {
		return a, err
	}
	if a.CycleID == nil || *a.CycleID != cycle.ID {
		return a, echo.ErrNotFound
	}
	return a, nil
}

func (s *Server) actionPage(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	a, err := s.cycleAction(c, cycle)
	if err != nil {
		return err
	}
	return s.renderAction(c, cycle, fw, storedActionForm(a), nil)
}

// storedActionForm is the edit form of an action as stored.
func storedActionForm(a models.Action) actionForm {
	form := actionForm{ID: a.ID, Version: a.Version, Section: a.SectionCode, Title: a.Title, Owner: a.Owner, Status: a.Status, Progress: a.Progress}
	if a.DueDate != nil {
		form.DueDay, form.DueMonth, form.DueYear = strconv.Itoa(a.DueDate.Day()), strconv.Itoa(int(a.DueDate.Month())), strconv.Itoa(a.DueDate.Year())
	}
	return form
}

// actionSummary says in one line what an action form holds.
func actionSummary(fw *assessments.Framework, f actionForm) string {
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

func (s *Server) renderAction(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework, form actionForm, errs formErrors) error {
	data := actionEditData{Cycle: cycle}
	data.Sections, data.Statuses = actionOptions(fw)
	v := s.view(c, "Change action")
	v.BackLink = cyclePath(cycle, "/actions")
	v.Form = form
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "maturity_action", v)
}

func (s *Server) updateAction(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	a, err := s.cycleAction(c, cycle)
	if err != nil {
		return err
	}
	form, due, errs := readActionForm(c, fw)
	form.ID = a.ID
	form.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	if len(errs) > 0 {
		return s.renderAction(c, cycle, fw, form, errs)
	}
	a.SectionCode, a.Title, a.Owner, a.DueDate, a.Status, a.Progress = form.Section, form.Title, form.Owner, due, form.Status, form.Progress
	a.Version = form.Version
	err = s.store.SaveAction(c.Request().Context(), &a, mustUser(c).ID)
	if errors.Is(err, models.ErrConflict) {
		// Show both; pre-fill what is stored, so that saving again does not
		// undo the colleague's change unknowingly.
		stored, serr := s.cycleAction(c, cycle)
		if serr != nil {
			return serr
		}
		fresh := storedActionForm(stored)
		fresh.Conflict = "Someone else changed this action while you were editing. It is now: " + actionSummary(fw, fresh) +
			". You entered: " + actionSummary(fw, form) + ". Nothing has been saved. The form below shows what is stored now: make your changes again and save."
		data := actionEditData{Cycle: cycle}
		data.Sections, data.Statuses = actionOptions(fw)
		v := s.view(c, "Change action")
		v.BackLink = cyclePath(cycle, "/actions")
		v.Form = fresh
		v.Errors = formErrors{{Field: "title", Message: "Someone else changed this action while you were editing: check it and save again"}}
		v.Data = data
		return s.render(c, http.StatusConflict, "maturity_action", v)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "Action saved: "+a.Title)
	return redirect(c, cyclePath(cycle, "/actions"))
}
