package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/email"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
)

// defaultReminderGap is the least time between two reminder runs of one
// kind in an organisation: staff are not pestered, and the counts of two
// runs close together cannot tell a lead who finished in between.
const defaultReminderGap = 7 * 24 * time.Hour

// sectionDueNotice is how long before a cycle's due date its members are
// reminded of sections they have not answered.
const sectionDueNotice = 7 * 24 * time.Hour

// ---- The administrator's view of the queue ----

func (s *Server) adminEmail(c echo.Context) error {
	sum, err := s.store.EmailQueueSummary(c.Request().Context())
	if err != nil {
		return err
	}
	v := s.view(c, "Email")
	v.Data = struct {
		Mail    bool
		Summary models.EmailQueueSummary
	}{s.cfg.Mail, sum}
	return s.render(c, http.StatusOK, "admin_email", v)
}

func (s *Server) retryFailedEmail(c echo.Context) error {
	n, err := s.store.RequeueFailedEmails(c.Request().Context())
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf("%d failed messages will be tried again.", n))
	return redirect(c, "/admin/email")
}

// ---- Skills invitations and reminders ----

// reminderRun is the last run of one kind, as the page shows it.
type reminderRun struct {
	Kind, Label string
	Last        *models.ReminderRun
	// Count is the number sent, in words: a number below the minimum
	// group size is shown as "fewer than N".
	Count   string
	NextAt  time.Time
	TooSoon bool
}

type remindersData struct {
	Mail bool
	Runs []reminderRun
	Kind string
}

// countText says how many messages went without saying more than a group
// of the minimum size would.
func (s *Server) countText(n int) string {
	switch {
	case n == 0:
		return "no people"
	case n < s.cfg.MinGroupSize:
		return fmt.Sprintf("fewer than %d people", s.cfg.MinGroupSize)
	}
	// A live count of people who have not completed: rounded up to ten, as
	// the workforce release rounds the staff invited, so that the count
	// tells nobody how many completed between two runs.
	return fmt.Sprintf("about %d people", (n+9)/10*10)
}

func (s *Server) reminderRuns(ctx context.Context, orgID uint) ([]reminderRun, error) {
	runs := []reminderRun{
		{Kind: models.RunSkillsInvite, Label: "Invite every member of staff to take the self-assessment"},
		{Kind: models.RunSkillsReminder, Label: "Remind staff who have not completed it this year"},
	}
	for i := range runs {
		last, err := s.store.LastReminderRun(ctx, orgID, runs[i].Kind)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		runs[i].Last, runs[i].Count = &last, s.countText(last.Sent)
		runs[i].NextAt = last.CreatedAt.Add(s.cfg.ReminderGap)
		runs[i].TooSoon = time.Now().Before(runs[i].NextAt)
	}
	return runs, nil
}

func (s *Server) remindersPage(c echo.Context) error {
	return s.renderReminders(c, "", nil)
}

func (s *Server) renderReminders(c echo.Context, kind string, errs formErrors) error {
	runs, err := s.reminderRuns(c.Request().Context(), mustUser(c).OrganisationID)
	if err != nil {
		return err
	}
	v := s.view(c, "Invitations and reminders")
	v.Errors = errs
	v.Data = remindersData{Mail: s.cfg.Mail, Runs: runs, Kind: kind}
	return s.renderForm(c, "reminders", v)
}

// sendReminders queues the chosen run. Reminders go to staff who have not
// completed the self-assessment this year; the lead learns how many, never
// who: the list is made and used inside the store and goes nowhere else.
func (s *Server) sendReminders(c echo.Context) error {
	me := mustUser(c)
	kind := c.FormValue("kind")
	var errs formErrors
	if !s.cfg.Mail {
		errs.Add("kind", "This service is not set up to send email, so it cannot send invitations or reminders. Ask the service administrator to set SMTP_URL")
	} else if kind != models.RunSkillsInvite && kind != models.RunSkillsReminder {
		errs.Add("kind", "Select what to send")
		kind = ""
	}
	if len(errs) == 0 && c.FormValue("confirm") != "yes" {
		errs.Add("confirm", "Confirm that you want to send the messages now")
	}
	if errs = withInputErrors(c, errs); len(errs) > 0 {
		return s.renderReminders(c, kind, errs)
	}
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	link := s.cfg.BaseURL + "/skills"
	compose := func(p models.SkillsRecipient) models.OutboxMessage {
		if kind == models.RunSkillsInvite {
			return email.SkillsInvitation(p.Email, p.Name, org.Name, link)
		}
		return email.SkillsReminder(p.Email, p.Name, link)
	}
	n, err := s.store.SendSkillsRun(c.Request().Context(), me.OrganisationID, me.ID, kind, models.FinancialYear(time.Now()), s.cfg.ReminderGap, compose)
	if errors.Is(err, models.ErrRunTooSoon) {
		return s.renderReminders(c, kind, formErrors{{Field: "kind", Message: "These were sent less than " + gapText(s.cfg.ReminderGap) + " ago. You can send them again once that time has passed"}})
	}
	if err != nil {
		return err
	}
	what := "Invitations"
	if kind == models.RunSkillsReminder {
		what = "Reminders"
	}
	s.setFlash(c, what+" are being sent to "+s.countText(n)+".")
	return redirect(c, "/organisation/reminders")
}

func gapText(d time.Duration) string {
	if days := int(d.Hours() / 24); days >= 1 {
		if days == 1 {
			return "1 day"
		}
		return strconv.Itoa(days) + " days"
	}
	return d.String()
}

// ---- A staff import's invitations by email ----

// emailImportInvitations sends each person of an applied import their
// invitation by email, instead of the lead downloading the links.
func (s *Server) emailImportInvitations(c echo.Context) error {
	imp, err := s.staffImport(c)
	if err != nil {
		return err
	}
	if imp.Status != models.ImportApplied {
		return echo.ErrNotFound
	}
	if !s.cfg.Mail {
		data, err := s.importPreview(c, imp)
		if err != nil {
			return err
		}
		return s.renderImportPreview(c, http.StatusUnprocessableEntity, data, formErrors{{Field: "send-email", Message: "This service is not set up to send email. Download the invitation links instead"}})
	}
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	tokens := map[string]string{}
	expires := time.Now().Add(s.cfg.InvitationLifetime).UTC()
	n, err := s.store.ReissueImportInvitationsByEmail(c.Request().Context(), imp, mustUser(c).ID, expires,
		func(address string) string {
			t := newToken()
			tokens[address] = t
			return s.tokenHash(t)
		},
		func(inv models.Invitation) models.OutboxMessage {
			return email.Invitation(inv.Email, inv.Name, org.Name, s.cfg.BaseURL+"/invitations/"+tokens[inv.Email], inv.ExpiresAt)
		})
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf("%d invitations are being sent by email. Links made earlier for them no longer work.", n))
	return redirect(c, importPath(imp))
}

// ---- The board maturity assessment ----

// SendDueReminders reminds board members of the sections they have not
// answered in cycles due within a week, once per assignment; run on a
// schedule by the service. It returns how many reminders it queued.
func (s *Server) SendDueReminders(ctx context.Context, now time.Time) (int, error) {
	if !s.cfg.Mail {
		return 0, nil
	}
	due, err := s.store.AssignmentsDueBy(ctx, now, now.Add(sectionDueNotice))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		cycle, err := s.store.CycleInOrganisation(ctx, d.OrganisationID, d.CycleID)
		if err != nil {
			return n, err
		}
		fw, err := s.framework(cycle.FrameworkID)
		if err != nil {
			return n, err
		}
		sec, ok := fw.Section(d.SectionCode)
		if !ok {
			continue
		}
		answers, err := s.store.AnswersBy(ctx, d.CycleID, d.UserID)
		if err != nil {
			return n, err
		}
		var msg *models.OutboxMessage
		if status, _ := maturity.SectionStatus(sec, answers); status != maturity.SectionCompleted {
			m := email.SectionDue(d.Email, d.Name, d.Period, sec.Label, s.cfg.BaseURL+cyclePath(cycle, "/sections/", d.SectionCode), d.DueDate)
			m.OrganisationID = &d.OrganisationID
			msg = &m
		}
		first, err := s.store.RemindAssignment(ctx, d, msg)
		if err != nil {
			return n, err
		}
		if first && msg != nil {
			n++
		}
	}
	return n, nil
}
