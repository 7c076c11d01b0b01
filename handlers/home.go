package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
)

type homeData struct {
	IsStaff, IsBoard, IsLead, IsAdmin bool
	ProfileComplete                   bool
	PendingInvitations                int
	Accounts                          int
	Organisations                     int
	MinGroupSize                      int
}

// home shows each role what to do next; a person with several roles sees
// each part.
func (s *Server) home(c echo.Context) error {
	ctx := c.Request().Context()
	u := mustUser(c)
	data := homeData{
		IsStaff: u.Has(models.RoleStaff), IsBoard: u.Has(models.RoleBoard),
		IsLead: u.Has(models.RoleLead), IsAdmin: u.Has(models.RoleAdmin),
		MinGroupSize:    s.cfg.MinGroupSize,
		ProfileComplete: u.StaffGroup != "" && u.PayBand != "" && u.Department != "" && u.JobRole != "",
	}
	if data.IsLead || data.IsAdmin {
		users, err := s.store.UsersInOrganisation(ctx, u.OrganisationID)
		if err != nil {
			return err
		}
		invitations, err := s.store.PendingInvitations(ctx, u.OrganisationID)
		if err != nil {
			return err
		}
		data.Accounts, data.PendingInvitations = len(users), len(invitations)
	}
	if data.IsAdmin {
		n, err := s.store.CountOrganisations(ctx)
		if err != nil {
			return err
		}
		data.Organisations = int(n)
	}
	v := s.view(c, "Home")
	v.Data = data
	return s.render(c, http.StatusOK, "home", v)
}

type auditData struct {
	Organisation models.Organisation
	Entries      []models.AuditEntry
}

func (s *Server) audit(c echo.Context) error {
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	entries, err := s.store.AuditLog(c.Request().Context(), org.ID, 200)
	if err != nil {
		return err
	}
	v := s.view(c, "Audit log")
	v.Data = auditData{Organisation: org, Entries: entries}
	return s.render(c, http.StatusOK, "audit", v)
}
