package maturity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// MemberAnswer is one board member's answer to a question under review.
type MemberAnswer struct {
	Name     string
	Level    *int
	Evidence string
}

// ReviewQuestion is one question of the digital lead's review.
type ReviewQuestion struct {
	Question *assessments.Question
	Number   int
	Members  []MemberAnswer
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

// Review is the digital lead's review of one section.
type Review struct {
	Cycle     models.MaturityCycle
	Framework *assessments.Framework
	Section   *assessments.Section
	Index     int
	Questions []ReviewQuestion
	Target    string
	// TargetVersion is the stored target's version (0: none stored), and
	// TargetConflict says what a colleague saved first.
	TargetVersion  int64
	TargetConflict string
	Locked         bool
	Previous       *assessments.Section
	Next           *assessments.Section
}

// Conflicted says whether a colleague's change refused the save.
func (r Review) Conflicted() bool {
	return r.TargetConflict != "" || slices.ContainsFunc(r.Questions, func(q ReviewQuestion) bool { return q.Conflict != "" })
}

// Sources are everything the review of any section reads: the board
// report and the export read them once for all the sections.
type Sources struct {
	assignments []models.Assignment
	advice      []models.Advice
	evidence    []models.Evidence
	answers     []models.RespondentAnswer
	agreed      map[string]models.AgreedAnswer
	targets     map[string]int
	targetRows  map[string]models.MaturityTarget
}

// Sources reads what the reviews of a cycle are built from.
func (s *Service) Sources(ctx context.Context, cycle models.MaturityCycle) (Sources, error) {
	var src Sources
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

// ReviewOf reads one section's review; ErrNoSection if the framework has no
// section code.
func (s *Service) ReviewOf(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, code string) (Review, error) {
	sec, ok := fw.Section(code)
	if !ok {
		return Review{}, ErrNoSection
	}
	src, err := s.Sources(ctx, cycle)
	if err != nil {
		return Review{}, err
	}
	return BuildReview(cycle, fw, sec, slices.Index(fw.SectionCodes(), sec.Code)+1, src), nil
}

// BuildReview puts one section's review together from the cycle's
// sources: the members' answers, their spread, the quorum and the stored
// agreed levels. idx is the section's number, from 1.
func BuildReview(cycle models.MaturityCycle, fw *assessments.Framework, sec *assessments.Section, idx int, src Sources) Review {
	data := Review{Cycle: cycle, Framework: fw, Section: sec, Index: idx, Locked: cycle.Locked()}
	if t := src.targets[sec.Code]; t > 0 {
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
		rq := ReviewQuestion{Question: q, Number: i + 1, Quorum: cycle.Quorum}
		var levels []int
		answeredBy := map[uint]bool{}
		for _, a := range src.answers {
			if a.QuestionCode != q.Code || (a.Level == nil && a.Evidence == "") {
				continue
			}
			rq.Members = append(rq.Members, MemberAnswer{Name: a.RespondentName, Level: a.Level, Evidence: a.Evidence})
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
		if a, ok := src.agreed[q.Code]; ok {
			rq.Note, rq.Version = a.Note, a.Version
			if a.Level != nil {
				rq.Level = strconv.Itoa(*a.Level)
			}
		}
		data.Questions = append(data.Questions, rq)
	}
	return data
}

// ReviewForm is a section's review as typed, by question code.
type ReviewForm struct {
	Levels, Notes, Versions map[string]string
	Target, TargetVersion   string
}

// SaveReview stores the agreed levels, notes and target of the review's
// section in one transaction. Every refusal is validation.Errors with the
// page r ready to show again: what was typed, or, where a colleague saved
// first (r.Conflicted), both what this person chose and what is stored now,
// with what is stored pre-filled so that saving again does not undo the
// colleague's change unknowingly. Nothing is stored on a refusal. refused
// are the caller's problems with the request, which also store nothing.
func (s *Service) SaveReview(ctx context.Context, r *Review, form ReviewForm, check InputCheck, refused func(validation.Errors) validation.Errors, actorID uint) error {
	if r.Cycle.Locked() {
		return validation.Errors{{Field: "status", Message: "This assessment has been submitted, so it cannot be changed. Reopen it to make changes"}}
	}
	var (
		errs    validation.Errors
		changes []models.AgreedChange
	)
	for i := range r.Questions {
		rq := &r.Questions[i]
		code := rq.Question.Code
		rq.Level, rq.Note = form.Levels[code], form.Notes[code]
		rq.Version, _ = strconv.ParseInt(form.Versions[code], 10, 64)
		ch := models.AgreedChange{SectionCode: r.Section.Code, QuestionCode: code, Note: rq.Note, Version: rq.Version}
		if l, ok := level(rq.Level, rq.Question); ok {
			ch.Level = l
		} else {
			rq.Error = "Select an agreed level for " + LowerFirst(rq.Question.Title)
		}
		if problem := check.problem("note-"+code, "the note for "+LowerFirst(rq.Question.Title)); problem != "" {
			rq.Error = problem
		} else if len([]rune(rq.Note)) > MaxEvidenceLength {
			rq.Error = fmt.Sprintf("The note for %s must be %d characters or fewer", LowerFirst(rq.Question.Title), MaxEvidenceLength)
		}
		if rq.Error != "" {
			errs.Add("agreed-"+code+"-none", rq.Error)
		}
		changes = append(changes, ch)
	}
	targetLevel := 0
	if form.Target != "" {
		var ok bool
		if targetLevel, ok = validation.Level(form.Target, maxLevel); !ok {
			errs.Add("target", "Select a target level from 1 to 5, or no target")
		}
	}
	targetVersion, _ := strconv.ParseInt(form.TargetVersion, 10, 64)
	r.Target, r.TargetVersion = form.Target, targetVersion
	if refused != nil {
		errs = refused(errs)
	}
	if len(errs) > 0 {
		return errs
	}

	err := s.store.SaveReview(ctx, r.Cycle, changes, &models.TargetChange{SectionCode: r.Section.Code, Target: targetLevel, Version: targetVersion}, actorID)
	var conflict *models.ConflictError
	if errors.As(err, &conflict) {
		fresh, err := s.ReviewOf(ctx, r.Cycle, r.Framework, r.Section.Code)
		if err != nil {
			return err
		}
		return r.conflicts(conflict, fresh)
	}
	var short *models.QuorumError
	if errors.As(err, &short) {
		// Nothing was saved; what was typed stays on the page.
		for i := range r.Questions {
			rq := &r.Questions[i]
			if slices.Contains(short.Questions, rq.Question.Code) {
				rq.Error = quorumMessage(*rq)
				errs.Add("agreed-"+rq.Question.Code+"-none", rq.Error)
			}
		}
		return errs
	}
	if errors.Is(err, models.ErrCycleLocked) {
		r.Locked = true
		return validation.Errors{{Field: "status", Message: "This assessment has been submitted, so it cannot be changed"}}
	}
	return err
}

// conflicts shows, for each value a colleague saved first, theirs and this
// person's, with theirs selected.
func (r *Review) conflicts(conflict *models.ConflictError, fresh Review) validation.Errors {
	var errs validation.Errors
	for i := range r.Questions {
		rq := &r.Questions[i]
		now := fresh.Questions[i]
		if !slices.Contains(conflict.Questions, rq.Question.Code) {
			continue
		}
		rq.Conflict = fmt.Sprintf("Someone else saved this agreed level while you were editing. It is now: %s%s. "+
			"You chose: %s%s. Nothing on this page has been saved. What is stored now is selected below: "+
			"if yours should replace it, choose it again and save.",
			agreedText(now.Level), noteText(now.Note), agreedText(rq.Level), noteText(rq.Note))
		rq.Level, rq.Note, rq.Version = now.Level, now.Note, now.Version
		errs.Add("agreed-"+rq.Question.Code+"-none", "Someone else changed "+LowerFirst(rq.Question.Title)+" while you were editing: check it and save again")
	}
	if conflict.Target {
		r.TargetConflict = fmt.Sprintf("Someone else changed the target while you were editing. It is now: %s. "+
			"You chose: %s. Nothing on this page has been saved. The stored target is selected below: "+
			"if yours should replace it, choose it again and save.", targetText(fresh.Target), targetText(r.Target))
		r.Target, r.TargetVersion = fresh.Target, fresh.TargetVersion
		errs.Add("target", "Someone else changed the target for "+r.Section.Label+" while you were editing: check it and save again")
	}
	return errs
}

// quorumMessage says why a question's level cannot be agreed yet.
func quorumMessage(rq ReviewQuestion) string {
	msg := fmt.Sprintf("You cannot agree a level for %s yet: %d of the %d board members needed %s answered it",
		LowerFirst(rq.Question.Title), rq.Answered, max(rq.Quorum, 1), map[bool]string{true: "has", false: "have"}[rq.Answered == 1])
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
