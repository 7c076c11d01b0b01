// Package reminders decides the service's reminders by email: the skills
// self-assessment's invitations and reminders a digital lead sends to
// their organisation's staff, and the reminders board members get of
// sections due soon. The messages are package email's; the queue and who
// receives them are package models'.
package reminders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/email"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// DefaultGap is the least time between two reminder runs of one kind in an
// organisation: staff are not pestered, and the counts of two runs close
// together cannot tell a lead who finished in between.
const DefaultGap = 7 * 24 * time.Hour

// SectionDueNotice is how long before a cycle's due date its members are
// reminded of sections they have not answered.
const SectionDueNotice = 7 * 24 * time.Hour

// Service is what the reminders need.
type Service struct {
	Store *models.Store
	// Mail says whether the service sends email; without it nothing is sent.
	Mail bool
	// MinGroupSize is the smallest group a count may describe.
	MinGroupSize int
	// Gap is the least time between two runs of one kind.
	Gap time.Duration
	// BaseURL starts the links in the messages.
	BaseURL string
	// Framework is the loaded framework with a database id.
	Framework func(id uint) (*assessments.Framework, error)
	// SectionPath is the address of a section of a cycle.
	SectionPath func(cycle models.MaturityCycle, section string) string
}

// Run is the last run of one kind, as the page shows it.
type Run struct {
	Kind, Label string
	Last        *models.ReminderRun
	// Count is the number sent, in words (CountText).
	Count   string
	NextAt  time.Time
	TooSoon bool
}

// IsKind says whether kind is a run a lead can send.
func IsKind(kind string) bool {
	return kind == models.RunSkillsInvite || kind == models.RunSkillsReminder
}

// CountText says how many messages went without saying more than a group
// of the minimum size would: a number below it is "fewer than N".
func (s *Service) CountText(n int) string {
	switch {
	case n == 0:
		return "no people"
	case n < s.MinGroupSize:
		return fmt.Sprintf("fewer than %d people", s.MinGroupSize)
	}
	// A live count of people who have not completed: rounded up to ten, as
	// the workforce release rounds the staff invited, so that the count
	// tells nobody how many completed between two runs.
	return fmt.Sprintf("about %d people", (n+9)/10*10)
}

// GapText is a gap between runs in words.
func GapText(d time.Duration) string {
	if days := int(d.Hours() / 24); days >= 1 {
		if days == 1 {
			return "1 day"
		}
		return strconv.Itoa(days) + " days"
	}
	return d.String()
}

// Runs are the organisation's last run of each kind, as at now.
func (s *Service) Runs(ctx context.Context, organisationID uint, now time.Time) ([]Run, error) {
	runs := []Run{
		{Kind: models.RunSkillsInvite, Label: "Invite every member of staff to take the self-assessment"},
		{Kind: models.RunSkillsReminder, Label: "Remind staff who have not completed it this year"},
	}
	for i := range runs {
		last, err := s.Store.LastReminderRun(ctx, organisationID, runs[i].Kind)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		runs[i].Last, runs[i].Count = &last, s.CountText(last.Sent)
		runs[i].NextAt = last.CreatedAt.Add(s.Gap)
		runs[i].TooSoon = now.Before(runs[i].NextAt)
	}
	return runs, nil
}

// Send queues the run of kind me chose for their organisation org, once
// confirmed, and returns what to tell them. Reminders go to staff who have
// not completed the self-assessment this year; the lead learns how many,
// never who: the list is made and used inside the store and goes nowhere
// else.
func (s *Service) Send(ctx context.Context, me models.User, org models.Organisation, kind string, confirmed bool, now time.Time) (string, error) {
	var errs validation.Errors
	if !s.Mail {
		errs.Add("kind", "This service is not set up to send email, so it cannot send invitations or reminders. Ask the service administrator to set SMTP_URL")
	} else if !IsKind(kind) {
		errs.Add("kind", "Select what to send")
	}
	if len(errs) == 0 && !confirmed {
		errs.Add("confirm", "Confirm that you want to send the messages now")
	}
	if len(errs) > 0 {
		return "", errs
	}
	link := s.BaseURL + "/skills"
	compose := func(p models.SkillsRecipient) models.OutboxMessage {
		if kind == models.RunSkillsInvite {
			return email.SkillsInvitation(p.Email, p.Name, org.Name, link)
		}
		return email.SkillsReminder(p.Email, p.Name, link)
	}
	n, err := s.Store.SendSkillsRun(ctx, org.ID, me.ID, kind, models.FinancialYear(now), s.Gap, compose)
	if errors.Is(err, models.ErrRunTooSoon) {
		return "", validation.Errors{{Field: "kind", Message: "These were sent less than " + GapText(s.Gap) + " ago. You can send them again once that time has passed"}}
	}
	if err != nil {
		return "", err
	}
	what := "Invitations"
	if kind == models.RunSkillsReminder {
		what = "Reminders"
	}
	return what + " are being sent to " + s.CountText(n) + ".", nil
}

// SendDue reminds board members of the sections they have not answered in
// cycles due within SectionDueNotice of now, once per assignment; run on
// a schedule. It returns how many reminders it queued.
func (s *Service) SendDue(ctx context.Context, now time.Time) (int, error) {
	if !s.Mail {
		return 0, nil
	}
	due, err := s.Store.AssignmentsDueBy(ctx, now, now.Add(SectionDueNotice))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		cycle, err := s.Store.CycleInOrganisation(ctx, d.OrganisationID, d.CycleID)
		if err != nil {
			return n, err
		}
		fw, err := s.Framework(cycle.FrameworkID)
		if err != nil {
			return n, err
		}
		sec, ok := fw.Section(d.SectionCode)
		if !ok {
			continue
		}
		answers, err := s.Store.AnswersBy(ctx, d.CycleID, d.UserID)
		if err != nil {
			return n, err
		}
		// An answered section is marked reminded, with no message.
		var msg *models.OutboxMessage
		if status, _ := maturity.SectionStatus(sec, answers); status != maturity.SectionCompleted {
			m := email.SectionDue(d.Email, d.Name, d.Period, sec.Label, s.BaseURL+s.SectionPath(cycle, d.SectionCode), d.DueDate)
			m.OrganisationID = &d.OrganisationID
			msg = &m
		}
		first, err := s.Store.RemindAssignment(ctx, d, msg)
		if err != nil {
			return n, err
		}
		if first && msg != nil {
			n++
		}
	}
	return n, nil
}
