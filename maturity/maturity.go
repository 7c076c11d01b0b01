// Package maturity is the board maturity assessment: opening a cycle, a
// board member's task list and sections, the digital lead's review of the
// members' answers, sign-off and submission, reopening, the cycle's actions
// and its results, evidence documents and a colleague's advice. It holds
// the rules and composes what each page shows; it knows nothing of HTTP.
// Refusals of what a person typed come back as validation.Errors, with the
// messages the pages show.
package maturity

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/evidence"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// Config is what the service needs beyond the store.
type Config struct {
	// Framework finds a cycle's framework by its database id.
	Framework func(id uint) (*assessments.Framework, error)
	// Mail says whether the service sends email; BaseURL starts the links
	// in it.
	Mail    bool
	BaseURL string
	// EvidenceDir is the folder evidence documents are kept in; empty
	// keeps them in the database.
	EvidenceDir string
}

// Service runs the maturity assessment on a store.
type Service struct {
	store    *models.Store
	cfg      Config
	evidence evidence.Storage
}

// New returns the service.
func New(store *models.Store, cfg Config) *Service {
	return &Service{store: store, cfg: cfg, evidence: evidence.Storage{Dir: cfg.EvidenceDir}}
}

// Named errors of the service.
var (
	// ErrNoSection is a section code the cycle's framework does not have.
	ErrNoSection = errors.New("maturity: no such section in the framework")
	// ErrNoQuestion is a question code the cycle's framework does not have.
	ErrNoQuestion = errors.New("maturity: no such question in the framework")
	// ErrNotAssigned is a section the board member is not assigned.
	ErrNotAssigned = errors.New("maturity: section not assigned to this board member")
	// ErrChanged is a change refused because someone else changed the
	// cycle (or the action) first: nothing was stored.
	ErrChanged = errors.New("maturity: changed by someone else first")
	// ErrLocked is a change to a submitted cycle.
	ErrLocked = models.ErrCycleLocked
	// errIncomplete is a submission whose agreed levels, read inside the
	// submitting transaction, miss a question.
	errIncomplete = errors.New("maturity: cycle has questions without an agreed level")
)

// Section statuses on a board member's task list.
const (
	SectionNotStarted = "Not started"
	SectionInProgress = "In progress"
	SectionCompleted  = "Completed"
)

// Limits of what people type.
const (
	// MaxEvidenceLength bounds evidence, notes and progress notes.
	MaxEvidenceLength = 4000
	// MaxQuorum is the largest quorum a cycle may ask for: more than a
	// board has members would make every question impossible to agree.
	MaxQuorum = 20
	// MaxReasonLength bounds a reason for reopening.
	MaxReasonLength = 2000
	// MinBenchmarkOrganisations is the fewest other organisations a
	// benchmark may rest on, so that no single organisation's score can be
	// inferred.
	MinBenchmarkOrganisations = 5
)

// InputCheck is the service's input rule for one typed value: the problem
// with the value sent for field, in words using label, or "". Handlers pass
// the request's; nil finds no problem.
type InputCheck func(field, label string) string

func (check InputCheck) problem(field, label string) string {
	if check == nil {
		return ""
	}
	return check(field, label)
}

// Path is the address of a cycle's page, or of one below it.
func Path(cycle models.MaturityCycle, rest ...string) string {
	return "/maturity/cycles/" + strconv.FormatUint(uint64(cycle.ID), 10) + strings.Join(rest, "")
}

// AnswerComplete says whether an answer counts as given: a level chosen,
// with evidence where the level is 4 or 5.
func AnswerComplete(a models.MaturityAnswer) bool {
	return a.Level != nil && (*a.Level < 4 || strings.TrimSpace(a.Evidence) != "")
}

// SectionStatus is a member's status on a section, with how many of its
// questions they have answered completely.
func SectionStatus(sec *assessments.Section, answers map[string]models.MaturityAnswer) (string, int) {
	complete, started := 0, false
	for _, q := range sec.Questions {
		a, ok := answers[q.Code]
		if !ok {
			continue
		}
		if a.Level != nil || a.Evidence != "" {
			started = true
		}
		if AnswerComplete(a) {
			complete++
		}
	}
	switch {
	case complete == len(sec.Questions):
		return SectionCompleted, complete
	case started:
		return SectionInProgress, complete
	}
	return SectionNotStarted, complete
}

// AgreedLevels keeps the questions with an agreed level (or not
// applicable), as the scoring functions take them.
func AgreedLevels(agreed map[string]models.AgreedAnswer) map[string]int {
	levels := map[string]int{}
	for code, a := range agreed {
		if a.Level != nil {
			levels[code] = *a.Level
		}
	}
	return levels
}

// Periods are the financial years a new cycle may cover, around now, as
// "2026/27".
func Periods(now time.Time) []string {
	var out []string
	for _, years := range []int{-1, 0, 1} {
		out = append(out, models.FinancialYear(now.AddDate(years, 0, 0)))
	}
	return out
}

// maxLevel is the top of the maturity scale.
const maxLevel = 5

// level reads a level as a radio sends it: "" is no level, "0" not
// applicable where the question allows it, else 1 to the framework's 5.
func level(raw string, q *assessments.Question) (l *int, ok bool) {
	if raw == "" {
		return nil, true
	}
	if raw == strconv.Itoa(assessments.NotApplicable) && q.AllowNotApplicable {
		na := assessments.NotApplicable
		return &na, true
	}
	n, ok := validation.Level(raw, maxLevel)
	if !ok {
		return nil, false
	}
	return &n, true
}

// LowerFirst lowers a title's first letter for use inside a sentence,
// leaving acronyms and names as they are.
func LowerFirst(s string) string {
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

// LevelText is a level as a sentence or page names it: nil is "No answer",
// 0 "Not applicable".
func LevelText(l *int) string {
	switch {
	case l == nil:
		return "No answer"
	case *l == assessments.NotApplicable:
		return "Not applicable"
	}
	return "Level " + strconv.Itoa(*l)
}
