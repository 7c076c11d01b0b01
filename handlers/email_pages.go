package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

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
