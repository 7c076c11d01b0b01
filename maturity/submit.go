package maturity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// WeakPoint is one thing the board should know it is signing off.
type WeakPoint struct {
	Section  *assessments.Section
	Question *assessments.Question // nil for a measure without a target
	Text     string
}

// SignOffCheck is the confirmation page before submitting: what is weak.
type SignOffCheck struct {
	Cycle     models.MaturityCycle
	Framework *assessments.Framework
	// SingleAnswer, WideSpread and NoTarget list what is weak.
	SingleAnswer []WeakPoint
	WideSpread   []WeakPoint
	NoTarget     []WeakPoint
	Missing      []MissingQuestion
}

// SignOffCheck lists what is weak in a cycle: questions only one assigned
// board member answered, spreads of two levels or more agreed without a
// note, and measures without a target.
func (s *Service) SignOffCheck(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework) (SignOffCheck, error) {
	src, err := s.Sources(ctx, cycle)
	if err != nil {
		return SignOffCheck{}, err
	}
	d := SignOffCheck{Cycle: cycle, Framework: fw}
	for i := range fw.Sections {
		sec := &fw.Sections[i]
		review := BuildReview(cycle, fw, sec, i+1, src)
		for _, rq := range review.Questions {
			if rq.Level == "" {
				d.Missing = append(d.Missing, MissingQuestion{Section: sec, Question: rq.Question})
			}
			if rq.Answered == 1 {
				d.SingleAnswer = append(d.SingleAnswer, WeakPoint{Section: sec, Question: rq.Question,
					Text: "answered by one board member only"})
			}
			if rq.Spread.Flagged && strings.TrimSpace(rq.Note) == "" {
				d.WideSpread = append(d.WideSpread, WeakPoint{Section: sec, Question: rq.Question,
					Text: fmt.Sprintf("board members answered from %d to %d, and the agreed level has no note", rq.Spread.Min, rq.Spread.Max)})
			}
		}
		if src.targets[sec.Code] == 0 {
			d.NoTarget = append(d.NoTarget, WeakPoint{Section: sec, Text: "no target level"})
		}
	}
	return d, nil
}

// SignOffForm is what the confirmation page asks: the board meeting that
// approved the assessment and who signed it off.
type SignOffForm struct {
	Version  string
	Day      string
	Month    string
	Year     string
	Name     string
	Role     string
	Reviewed bool
}

// ReadSignOff checks the sign-off as typed. check is the input rule of the
// request.
func ReadSignOff(form SignOffForm, now time.Time, check InputCheck) (models.SignOff, validation.Errors) {
	var errs validation.Errors
	meeting, problem := validation.Date(form.Day, form.Month, form.Year, "date of the board meeting")
	if problem == "" && meeting.After(now) {
		problem = "The date of the board meeting must be today or in the past"
	}
	if problem != "" {
		errs.Add("meeting-day", problem)
	}
	if p := textProblem(check, "signed-off-by", form.Name, "the name of who signed the assessment off", true, validation.MaxNameLength); p != "" {
		errs.Add("signed-off-by", p)
	}
	if p := textProblem(check, "signed-off-role", form.Role, "their role", true, validation.MaxNameLength); p != "" {
		errs.Add("signed-off-role", p)
	}
	if !form.Reviewed {
		errs.Add("reviewed", "Confirm that the board has seen what is listed as weak")
	}
	return models.SignOff{MeetingOn: meeting, Name: form.Name, Role: form.Role}, errs
}

// textProblem checks a free-text field: the input rule first, then its
// length.
func textProblem(check InputCheck, field, value, label string, required bool, max int) string {
	if p := check.problem(field, label); p != "" {
		return p
	}
	return validation.TextProblem(value, label, required, max)
}

// Submit signs off and submits the cycle in one transaction, scoring its
// agreed levels as read inside it. cycle.Version is the version the lead
// saw: ErrChanged if anyone changed the cycle since (an agreed level, a
// target, an action or its status) or a question has lost its agreed level;
// nothing is then submitted.
func (s *Service) Submit(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework, signOff models.SignOff, actorID uint) error {
	err := s.store.SubmitCycle(ctx, cycle, scorer(fw), signOff, actorID)
	if errors.Is(err, models.ErrConflict) || errors.Is(err, errIncomplete) {
		return fmt.Errorf("%w: %w", ErrChanged, err)
	}
	return err
}

// scorer scores a cycle's agreed levels, inside the transaction that
// submits it.
func scorer(fw *assessments.Framework) models.CycleScorer {
	return func(agreed map[string]models.AgreedAnswer) (map[string]float64, *float64, error) {
		for _, sec := range fw.Sections {
			for _, q := range sec.Questions {
				if agreed[q.Code].Level == nil {
					return nil, nil, errIncomplete
				}
			}
		}
		scored := assessments.ScoreFramework(fw, AgreedLevels(agreed))
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

// Reopen reopens a submitted cycle for the reason given. cycle.Version is
// the version the lead saw: ErrChanged if the cycle is not submitted or
// someone changed it first. A missing or unusable reason is
// validation.Errors.
func (s *Service) Reopen(ctx context.Context, cycle models.MaturityCycle, reason string, check InputCheck, actorID uint) error {
	if p := textProblem(check, "reason", reason, "why the assessment is being reopened", true, MaxReasonLength); p != "" {
		return validation.Errors{{Field: "reason", Message: p}}
	}
	err := s.store.ReopenCycle(ctx, cycle, reason, actorID)
	if errors.Is(err, models.ErrConflict) {
		return fmt.Errorf("%w: %w", ErrChanged, err)
	}
	return err
}
