package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/email"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reminders"
)

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

// Reminders is the reminders service with this server's settings; the
// app runs its SendDue on a schedule.
func (s *Server) Reminders() *reminders.Service {
	return &reminders.Service{Store: s.store, Mail: s.cfg.Mail, MinGroupSize: s.cfg.MinGroupSize, Gap: s.cfg.ReminderGap,
		BaseURL: s.cfg.BaseURL, Framework: s.framework,
		SectionAnswered: func(sec *assessments.Section, answers map[string]models.MaturityAnswer) bool {
			status, _ := sectionStatus(sec, answers)
			return status == sectionCompleted
		},
		SectionPath: func(cycle models.MaturityCycle, section string) string {
			return cyclePath(cycle, "/sections/", section)
		}}
}

type remindersData struct {
	Mail bool
	Runs []reminders.Run
	Kind string
}

func (s *Server) remindersPage(c echo.Context) error {
	return s.renderReminders(c, "", nil)
}

func (s *Server) renderReminders(c echo.Context, kind string, errs formErrors) error {
	runs, err := s.Reminders().Runs(c.Request().Context(), mustUser(c).OrganisationID, time.Now())
	if err != nil {
		return err
	}
	v := s.view(c, "Invitations and reminders")
	v.Errors = errs
	v.Data = remindersData{Mail: s.cfg.Mail, Runs: runs, Kind: kind}
	return s.renderForm(c, "reminders", v)
}

// sendReminders queues the run the lead chose.
func (s *Server) sendReminders(c echo.Context) error {
	kind := c.FormValue("kind")
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	flash, err := s.Reminders().Send(c.Request().Context(), mustUser(c), org, kind, c.FormValue("confirm") == "yes", time.Now())
	if fe := (formErrors{}); errors.As(err, &fe) {
		if !reminders.IsKind(kind) {
			kind = ""
		}
		return s.renderReminders(c, kind, fe)
	} else if err != nil {
		return err
	}
	s.setFlash(c, flash)
	return redirect(c, "/organisation/reminders")
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

// assignmentMessages are the messages for members newly given a section.
func (s *Server) assignmentMessages(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework,
	bySection map[string][]uint) ([]models.OutboxMessage, error) {
	if !s.cfg.Mail {
		return nil, nil
	}
	before, err := s.store.Assignments(ctx, cycle.ID)
	if err != nil {
		return nil, err
	}
	members, err := s.store.BoardMembers(ctx, cycle.OrganisationID)
	if err != nil {
		return nil, err
	}
	var msgs []models.OutboxMessage
	for _, code := range fw.SectionCodes() {
		sec, _ := fw.Section(code)
		for _, id := range bySection[code] {
			if slices.ContainsFunc(before, func(a models.Assignment) bool { return a.SectionCode == code && a.UserID == id }) {
				continue
			}
			i := slices.IndexFunc(members, func(m models.User) bool { return m.ID == id })
			if i < 0 {
				continue
			}
			m := email.SectionAssigned(members[i].Email, members[i].Name, cycle.Period, sec.Label,
				s.cfg.BaseURL+cyclePath(cycle, "/sections/", code), cycle.DueDate)
			m.OrganisationID = &cycle.OrganisationID
			msgs = append(msgs, m)
		}
	}
	return msgs, nil
}

// allAnswered says whether every section has members assigned and every
// assigned member has answered every question of their sections.
func (s *Server) allAnswered(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework) (bool, error) {
	assigned, err := s.store.Assignments(ctx, cycle.ID)
	if err != nil {
		return false, err
	}
	answers, err := s.store.CycleAnswers(ctx, cycle.ID)
	if err != nil {
		return false, err
	}
	byMember := map[uint]map[string]models.MaturityAnswer{}
	for _, a := range answers {
		if byMember[a.RespondentID] == nil {
			byMember[a.RespondentID] = map[string]models.MaturityAnswer{}
		}
		byMember[a.RespondentID][a.QuestionCode] = a.MaturityAnswer
	}
	for _, code := range fw.SectionCodes() {
		sec, _ := fw.Section(code)
		any := false
		for _, a := range assigned {
			if a.SectionCode != code {
				continue
			}
			any = true
			if status, _ := sectionStatus(sec, byMember[a.UserID]); status != sectionCompleted {
				return false, nil
			}
		}
		if !any {
			return false, nil
		}
	}
	return true, nil
}

// noticeAllAnswered tells the organisation's digital leads, once, when the
// last section is answered.
func (s *Server) noticeAllAnswered(ctx context.Context, cycle models.MaturityCycle, fw *assessments.Framework) error {
	if !s.cfg.Mail {
		return nil
	}
	done, err := s.allAnswered(ctx, cycle, fw)
	if err != nil || !done {
		return err
	}
	leads, err := s.store.OrganisationLeads(ctx, cycle.OrganisationID)
	if err != nil {
		return err
	}
	msgs := make([]models.OutboxMessage, len(leads))
	for i, l := range leads {
		msgs[i] = email.AllAnswered(l.Email, l.Name, cycle.Period, s.cfg.BaseURL+cyclePath(cycle))
		msgs[i].OrganisationID = &cycle.OrganisationID
	}
	_, err = s.store.NotifyAllAnswered(ctx, cycle, msgs)
	return err
}
