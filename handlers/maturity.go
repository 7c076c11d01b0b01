package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// Section statuses on a board member's task list.
const (
	sectionNotStarted = "Not started"
	sectionInProgress = "In progress"
	sectionCompleted  = "Completed"
)

// maturityCycle loads the cycle in the path, scoped to the signed-in
// person's organisation, with its framework.
func (s *Server) maturityCycle(c echo.Context) (models.MaturityCycle, *assessments.Framework, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.MaturityCycle{}, nil, err
	}
	ctx := c.Request().Context()
	cycle, err := s.store.CycleInOrganisation(ctx, mustUser(c).OrganisationID, id)
	if err != nil {
		return cycle, nil, err
	}
	fw, err := s.cycleFramework(c, cycle)
	return cycle, fw, err
}

func (s *Server) cycleFramework(c echo.Context, cycle models.MaturityCycle) (*assessments.Framework, error) {
	fw, err := s.framework(cycle.FrameworkID)
	if err != nil {
		return nil, fmt.Errorf("cycle %d: %w", cycle.ID, err)
	}
	return fw, nil
}

func cyclePath(cycle models.MaturityCycle, rest ...string) string {
	return "/maturity/cycles/" + strconv.FormatUint(uint64(cycle.ID), 10) + strings.Join(rest, "")
}

// ---- Cycle list and opening a cycle ----

type cyclesData struct {
	Cycles []models.MaturityCycle
	IsLead bool
}

func (s *Server) maturityCycles(c echo.Context) error {
	ctx := c.Request().Context()
	u := mustUser(c)
	var (
		cycles []models.MaturityCycle
		err    error
	)
	if u.Has(models.RoleLead) {
		cycles, err = s.store.Cycles(ctx, u.OrganisationID)
	} else {
		cycles, err = s.store.CyclesAssignedTo(ctx, u.OrganisationID, u.ID)
	}
	if err != nil {
		return err
	}
	v := s.view(c, "Board maturity assessments")
	v.Data = cyclesData{Cycles: cycles, IsLead: u.Has(models.RoleLead)}
	return s.render(c, http.StatusOK, "maturity_cycles", v)
}

type cycleForm struct {
	Period    string
	Framework string
	Quorum    string
	DueDay    string
	DueMonth  string
	DueYear   string
}

type cycleFormData struct {
	Periods    []option
	Frameworks []option
}

// periods offers the financial years around today, as "2026/27".
func periods(now time.Time) []option {
	var opts []option
	for _, years := range []int{-1, 0, 1} {
		p := models.FinancialYear(now.AddDate(years, 0, 0))
		opts = append(opts, option{p, p})
	}
	return opts
}

func (s *Server) newCyclePage(c echo.Context) error {
	form := cycleForm{Period: periods(time.Now())[1].Value, Quorum: strconv.Itoa(models.DefaultQuorum)}
	if fw, ok := s.frameworks.Latest(assessments.KindMaturity); ok {
		form.Framework = fw.Code + "@" + fw.Version
	}
	return s.renderCycleForm(c, form, nil)
}

func (s *Server) renderCycleForm(c echo.Context, form cycleForm, errs formErrors) error {
	data := cycleFormData{Periods: periods(time.Now())}
	for _, fw := range s.frameworks.All() {
		if fw.Kind == assessments.KindMaturity {
			data.Frameworks = append(data.Frameworks, option{fw.Code + "@" + fw.Version,
				fmt.Sprintf("%s, version %s (%d questions)", fw.Title, fw.Version, fw.QuestionCount())})
		}
	}
	v := s.view(c, "Open an assessment cycle")
	v.BackLink = "/maturity/cycles"
	v.Form = form
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "maturity_cycle_new", v)
}

func (s *Server) createCycle(c echo.Context) error {
	ctx := c.Request().Context()
	u := mustUser(c)
	form := cycleForm{
		Period:    c.FormValue("period"),
		Framework: c.FormValue("framework"),
		DueDay:    strings.TrimSpace(c.FormValue("due-day")),
		DueMonth:  strings.TrimSpace(c.FormValue("due-month")),
		DueYear:   strings.TrimSpace(c.FormValue("due-year")),
		Quorum:    strings.TrimSpace(c.FormValue("quorum")),
	}
	var errs formErrors
	if !slices.ContainsFunc(periods(time.Now()), func(o option) bool { return o.Value == form.Period }) {
		errs.Add("period", "Select the period the assessment covers")
	}
	code, version, _ := strings.Cut(form.Framework, "@")
	fw, ok := s.frameworks.Get(code, version)
	if !ok || fw.Kind != assessments.KindMaturity {
		errs.Add("framework", "Select a framework version")
	}
	due, problem := parseDate(form.DueDay, form.DueMonth, form.DueYear, "due date")
	if problem == "" && due.Before(time.Now().Truncate(24*time.Hour)) {
		problem = "Due date must be today or in the future"
	}
	if problem != "" {
		errs.Add("due-day", problem)
	}
	quorum, qerr := strconv.Atoi(form.Quorum)
	switch {
	case form.Quorum == "":
		errs.Add("quorum", "Enter how many board members must answer a question before its level can be agreed")
	case qerr != nil || quorum < 1 || quorum > maxQuorum:
		errs.Add("quorum", fmt.Sprintf("The quorum must be a whole number from 1 to %d", maxQuorum))
	}
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		return s.renderCycleForm(c, form, errs)
	}
	fv, err := s.store.FrameworkVersionByCode(ctx, fw.Code, fw.Version)
	if err != nil {
		return err
	}
	cycle := models.MaturityCycle{OrganisationID: u.OrganisationID, FrameworkID: fv.ID, Period: form.Period,
		DueDate: due, CreatedByID: &u.ID, Quorum: quorum}
	err = s.store.CreateCycle(ctx, &cycle, u.ID)
	if errors.Is(err, models.ErrDuplicate) {
		return s.renderCycleForm(c, form, formErrors{{Field: "period", Message: "Your organisation already has a cycle for " + form.Period + ". Open it from the list"}})
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "The "+cycle.Period+" cycle is open. Next, check who answers each section: the last cycle's assignments have been copied.")
	return redirect(c, cyclePath(cycle))
}

// maxQuorum is the largest quorum a cycle may ask for: more than a board
// has members would make every question impossible to agree.
const maxQuorum = 20

// parseDate reads the three boxes of an NHS date input.
func parseDate(day, month, year, label string) (time.Time, string) {
	if day == "" && month == "" && year == "" {
		return time.Time{}, "Enter the " + label
	}
	d, errD := strconv.Atoi(day)
	m, errM := strconv.Atoi(month)
	y, errY := strconv.Atoi(year)
	if errD != nil || errM != nil || errY != nil || len(year) != 4 {
		return time.Time{}, strings.ToUpper(label[:1]) + label[1:] + " must be a real date, like 31 3 2027"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m || y < 2000 || y > 2100 {
		return time.Time{}, strings.ToUpper(label[:1]) + label[1:] + " must be a real date, like 31 3 2027"
	}
	return t, ""
}

// ---- The cycle page: the lead's overview and a board member's task list ----

type sectionRow struct {
	Section  *assessments.Section
	Index    int
	Members  []memberProgress
	Agreed   int
	Target   int
	Mine     bool
	MyStatus string
	Answered int
}

type memberProgress struct {
	UserID   uint
	Name     string
	Status   string
	Answered int
}

type cycleData struct {
	Cycle        models.MaturityCycle
	Framework    *assessments.Framework
	Sections     []sectionRow
	BoardMembers []models.User
	Assigned     map[string]map[uint]bool
	IsLead       bool
	IsBoard      bool
	AgreedTotal  int
	Missing      []missingQuestion
	ActionsCount int
	// Reason is a reason for reopening as typed; Reopenings the earlier ones.
	Reason     string
	Reopenings []models.Reopening
}

type missingQuestion struct {
	Section  *assessments.Section
	Question *assessments.Question
}

func (s *Server) maturityCyclePage(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	data, err := s.cycleData(c, cycle, fw)
	if err != nil {
		return err
	}
	return s.renderCycle(c, data, nil)
}

func (s *Server) renderCycle(c echo.Context, data cycleData, errs formErrors) error {
	v := s.view(c, "Board maturity assessment "+data.Cycle.Period)
	v.BackLink = "/maturity/cycles"
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "maturity_cycle", v)
}

// cycleData gathers the cycle page: who is assigned where, each member's
// progress, how many agreed levels each section has.
func (s *Server) cycleData(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) (cycleData, error) {
	ctx := c.Request().Context()
	u := mustUser(c)
	assignments, err := s.store.Assignments(ctx, cycle.ID)
	if err != nil {
		return cycleData{}, err
	}
	answers, err := s.store.CycleAnswers(ctx, cycle.ID)
	if err != nil {
		return cycleData{}, err
	}
	agreed, err := s.store.Agreed(ctx, cycle.ID)
	if err != nil {
		return cycleData{}, err
	}
	targets, err := s.store.Targets(ctx, cycle.ID)
	if err != nil {
		return cycleData{}, err
	}
	byMember := map[uint]map[string]models.MaturityAnswer{}
	for _, a := range answers {
		if byMember[a.RespondentID] == nil {
			byMember[a.RespondentID] = map[string]models.MaturityAnswer{}
		}
		byMember[a.RespondentID][a.QuestionCode] = a.MaturityAnswer
	}
	data := cycleData{Cycle: cycle, Framework: fw, IsLead: u.Has(models.RoleLead), IsBoard: u.Has(models.RoleBoard),
		Assigned: map[string]map[uint]bool{}}
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		row := sectionRow{Section: sec, Index: i + 1, Target: targets[sec.Code]}
		for _, a := range assignments {
			if a.SectionCode != sec.Code {
				continue
			}
			if data.Assigned[sec.Code] == nil {
				data.Assigned[sec.Code] = map[uint]bool{}
			}
			data.Assigned[sec.Code][a.UserID] = true
			status, answered := sectionStatus(sec, byMember[a.UserID])
			row.Members = append(row.Members, memberProgress{UserID: a.UserID, Name: a.Name, Status: status, Answered: answered})
			if a.UserID == u.ID {
				row.Mine, row.MyStatus, row.Answered = true, status, answered
			}
		}
		for qi := range sec.Questions {
			q := &sec.Questions[qi]
			if a, ok := agreed[q.Code]; ok && a.Level != nil {
				row.Agreed++
			} else {
				data.Missing = append(data.Missing, missingQuestion{Section: sec, Question: q})
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

// answerComplete says whether an answer counts as given: a level chosen,
// with evidence where the level is 4 or 5.
func answerComplete(a models.MaturityAnswer) bool {
	return a.Level != nil && (*a.Level < 4 || strings.TrimSpace(a.Evidence) != "")
}

func sectionStatus(sec *assessments.Section, answers map[string]models.MaturityAnswer) (string, int) {
	complete, started := 0, false
	for _, q := range sec.Questions {
		a, ok := answers[q.Code]
		if !ok {
			continue
		}
		if a.Level != nil || a.Evidence != "" {
			started = true
		}
		if answerComplete(a) {
			complete++
		}
	}
	switch {
	case complete == len(sec.Questions):
		return sectionCompleted, complete
	case started:
		return sectionInProgress, complete
	}
	return sectionNotStarted, complete
}

func (s *Server) saveAssignments(c echo.Context) error {
	ctx := c.Request().Context()
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	if cycle.Locked() {
		return s.lockedCycle(c, cycle, fw)
	}
	members, err := s.store.BoardMembers(ctx, cycle.OrganisationID)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.ErrBadRequest
	}
	bySection := map[string][]uint{}
	for _, code := range fw.SectionCodes() {
		ids := []uint{}
		for _, raw := range form["assign-"+code] {
			id, err := strconv.ParseUint(raw, 10, 64)
			if err != nil {
				continue
			}
			// Only the organisation's own board members can be assigned.
			if slices.ContainsFunc(members, func(m models.User) bool { return m.ID == uint(id) }) {
				ids = append(ids, uint(id))
			}
		}
		bySection[code] = ids
	}
	// Members given a new section are told by email, when the service
	// sends email, in the transaction that assigns them.
	msgs, err := s.assignmentMessages(ctx, cycle, fw, bySection)
	if err != nil {
		return err
	}
	if err := s.store.SetAssignmentsNotifying(ctx, cycle, bySection, mustUser(c).ID, msgs); err != nil {
		return err
	}
	s.setFlash(c, "Assignments saved. Board members see their sections on their home page.")
	return redirect(c, cyclePath(cycle))
}

// lockedCycle answers a change to a submitted cycle.
func (s *Server) lockedCycle(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) error {
	data, err := s.cycleData(c, cycle, fw)
	if err != nil {
		return err
	}
	return s.renderCycle(c, data, formErrors{{Field: "status", Message: "This assessment has been submitted, so it cannot be changed. A digital lead can reopen it"}})
}

// ---- A board member's section ----

type questionAnswer struct {
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
	Options []levelOption
}

// levelOption is one radio of a question.
type levelOption struct {
	Level   int
	ID      string // level-CODE-N
	Label   string // Level N: scale label
	Hint    string // the level's descriptor
	Checked bool
}

// withOptions fills in the question's radios for the level chosen.
func (qa questionAnswer) withOptions(fw *assessments.Framework) questionAnswer {
	q := qa.Question
	qa.Options = make([]levelOption, len(q.Levels))
	for i := range q.Levels {
		level := strconv.Itoa(i + 1)
		qa.Options[i] = levelOption{Level: i + 1, ID: "level-" + q.Code + "-" + level,
			Label: "Level " + level + ": " + fw.ScaleLabel(i+1), Hint: q.Levels[i], Checked: qa.Level == level}
	}
	return qa
}

type sectionData struct {
	Cycle     models.MaturityCycle
	Framework *assessments.Framework
	Section   *assessments.Section
	Index     int
	Questions []questionAnswer
	Answered  int
	Next      *assessments.Section
	Locked    bool
	// LastPeriod is the previous cycle whose agreed levels are shown.
	LastPeriod string
	// UploadQuestion is the question chosen in the upload form.
	UploadQuestion string
	// assigned are the codes of the sections the member is assigned.
	assigned []string
}

// assignedSection loads the section in the path if the signed-in member is
// assigned to it.
func (s *Server) assignedSection(c echo.Context) (sectionData, error) {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return sectionData{}, err
	}
	code := c.Param("section")
	idx := slices.Index(fw.SectionCodes(), code)
	if idx < 0 {
		return sectionData{}, echo.ErrNotFound
	}
	mine, err := s.store.AssignedSections(c.Request().Context(), cycle.ID, mustUser(c).ID)
	if err != nil {
		return sectionData{}, err
	}
	if !slices.Contains(mine, code) {
		return sectionData{}, echo.ErrForbidden
	}
	sec, _ := fw.Section(code)
	return sectionData{Cycle: cycle, Framework: fw, Section: sec, Index: idx + 1, Locked: cycle.Locked(), assigned: mine}, nil
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
func (s *Server) fillSection(c echo.Context, data *sectionData) error {
	sec := data.Section
	data.Questions, data.Answered = nil, 0
	answers, err := s.store.AnswersBy(c.Request().Context(), data.Cycle.ID, mustUser(c).ID)
	if err != nil {
		return err
	}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		qa := questionAnswer{Question: q, Number: i + 1}
		if a, ok := answers[q.Code]; ok {
			qa.Evidence = a.Evidence
			if a.Level != nil {
				qa.Level = strconv.Itoa(*a.Level)
			}
			if answerComplete(a) {
				data.Answered++
			}
		}
		data.Questions = append(data.Questions, qa)
	}
	return nil
}

// sectionExtras adds what the member sees beside each question: last
// cycle's agreed level (carried forward), this cycle's evidence documents
// and colleagues' advice.
func (s *Server) sectionExtras(c echo.Context, data *sectionData) error {
	ctx := c.Request().Context()
	prev, err := s.store.PreviousSubmittedCycle(ctx, data.Cycle)
	var last map[string]models.AgreedAnswer
	switch {
	case err == nil:
		data.LastPeriod = prev.Period
		if last, err = s.store.AgreedIn(ctx, data.Cycle.OrganisationID, prev.ID); err != nil {
			return err
		}
	case !errors.Is(err, models.ErrNotFound):
		return err
	}
	docs, err := s.store.CycleEvidence(ctx, data.Cycle.OrganisationID, data.Cycle.ID)
	if err != nil {
		return err
	}
	advice, err := s.store.CycleAdvice(ctx, data.Cycle.ID)
	if err != nil {
		return err
	}
	for i := range data.Questions {
		qa := &data.Questions[i]
		code := qa.Question.Code
		qa.LastAgreed, qa.Documents, qa.Advice = "", nil, nil
		if a, ok := last[code]; ok && a.Level != nil {
			qa.LastAgreed = formatLevel(a.Level)
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

func (s *Server) renderSection(c echo.Context, data sectionData, errs formErrors) error {
	data.Next = nil
	for i := data.Index; i < len(data.Framework.Sections); i++ {
		if slices.Contains(data.assigned, data.Framework.Sections[i].Code) {
			data.Next = &data.Framework.Sections[i]
			break
		}
	}
	for i := range data.Questions {
		data.Questions[i] = data.Questions[i].withOptions(data.Framework)
	}
	if err := s.sectionExtras(c, &data); err != nil {
		return err
	}
	v := s.view(c, data.Section.Label)
	v.BackLink = cyclePath(data.Cycle)
	v.Errors = errs
	v.Data = data
	return s.renderForm(c, "maturity_section", v)
}

// saveSection stores whatever was entered, complete or not, so nothing is
// ever lost; then, unless the member chose to come back later, it lists
// what is still needed.
func (s *Server) saveSection(c echo.Context) error {
	ctx := c.Request().Context()
	data, err := s.assignedSection(c)
	if err != nil {
		return err
	}
	cycle, fw, sec := data.Cycle, data.Framework, data.Section
	u := mustUser(c)
	var (
		errs    formErrors
		answers []models.MaturityAnswer
	)
	for i := range sec.Questions {
		q := &sec.Questions[i]
		qa := questionAnswer{Question: q, Number: i + 1, Level: c.FormValue("level-" + q.Code),
			Evidence: strings.TrimSpace(c.FormValue("evidence-" + q.Code))}
		ans := models.MaturityAnswer{QuestionCode: q.Code, Evidence: qa.Evidence}
		switch level, convErr := strconv.Atoi(qa.Level); {
		case qa.Level == "":
		case convErr != nil || level < 0 || level > 5 || (level == assessments.NotApplicable && !q.AllowNotApplicable):
			qa.Error = "Select a level from 1 to 5 for " + lowerFirst(q.Title)
			qa.Level = ""
		default:
			ans.Level = &level
		}
		if p := textRule(c, "evidence-"+q.Code, "evidence for "+lowerFirst(q.Title)); p != "" {
			qa.Error = p
		} else if len([]rune(qa.Evidence)) > maxEvidenceLength {
			qa.Error = fmt.Sprintf("Evidence for %s must be %d characters or fewer", lowerFirst(q.Title), maxEvidenceLength)
			ans.Evidence = string([]rune(qa.Evidence)[:maxEvidenceLength])
		}
		answers = append(answers, ans)
		data.Questions = append(data.Questions, qa)
	}
	// Text that breaks the input rule stores nothing of the section.
	if hasBadInput(c) {
		for _, qa := range data.Questions {
			if qa.Error != "" {
				errs.Add("level-"+qa.Question.Code+"-1", qa.Error)
			}
		}
		return s.renderSection(c, data, withInputErrors(c, errs))
	}
	err = s.store.SaveAnswers(ctx, cycle, u, sec.Code, answers)
	if errors.Is(err, models.ErrCycleLocked) {
		data.Locked = true
		return s.renderSection(c, data, formErrors{{Field: "status", Message: "This assessment has been submitted, so answers can no longer change"}})
	}
	if err != nil {
		return err
	}
	later := c.FormValue("next") == "later"
	for i, qa := range data.Questions {
		a := answers[i]
		if answerComplete(a) {
			data.Answered++
		}
		if qa.Error == "" && !later {
			switch {
			case a.Level == nil:
				qa.Error = "Select a level for " + lowerFirst(qa.Question.Title)
			case *a.Level >= 4 && a.Evidence == "":
				qa.Error = fmt.Sprintf("Describe the evidence for level %d for %s", *a.Level, lowerFirst(qa.Question.Title))
			}
			data.Questions[i] = qa
		}
		if data.Questions[i].Error != "" {
			errs.Add("level-"+qa.Question.Code+"-1", data.Questions[i].Error)
		}
	}
	if len(errs) > 0 {
		return s.renderSection(c, data, errs)
	}
	if later {
		s.setFlash(c, "Your answers to "+sec.Label+" have been saved. You can come back to them at any time.")
		return redirect(c, cyclePath(cycle))
	}
	if err := s.noticeAllAnswered(ctx, cycle, fw); err != nil {
		return err
	}
	s.setFlash(c, sec.Label+" is complete.")
	if next := c.FormValue("continue-to"); next != "" && slices.Contains(fw.SectionCodes(), next) {
		return redirect(c, cyclePath(cycle, "/sections/", next))
	}
	return redirect(c, cyclePath(cycle))
}

const maxEvidenceLength = 4000

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	// Keep acronyms such as "NHS App" as they are.
	if len(r) > 1 && unicode.IsUpper(r[1]) {
		return s
	}
	// And names such as "Data Security and Protection Toolkit": a second
	// word with a capital means the first begins a name.
	if words := strings.Fields(s); len(words) > 1 {
		if second := []rune(words[1]); unicode.IsUpper(second[0]) {
			return s
		}
	}
	return strings.ToLower(string(r[:1])) + string(r[1:])
}
