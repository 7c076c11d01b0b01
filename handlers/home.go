package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
)

type homeData struct {
	IsStaff, IsBoard, IsLead, IsAdmin bool
	ProfileComplete                   bool
	PendingInvitations                int
	Accounts                          int
	Organisations                     int
	MinGroupSize                      int
	// BoardTasks are the open cycles with sections for this board member.
	BoardTasks []maturity.BoardTask
	// LatestCycle is the lead's newest cycle, if any.
	LatestCycle *models.MaturityCycle
	// SkillsOpen and SkillsCompleted say where the person is with their
	// own skills self-assessment.
	SkillsOpen, SkillsCompleted bool
	// AdviceAsked are colleagues' requests for this person's advice.
	AdviceAsked []models.Advice
}

// home shows each role what to do next; a person with several roles sees
// each part.
func (s *Server) home(c echo.Context) error {
	ctx := c.Request().Context()
	u := mustUser(c)
	var err error
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
	if data.IsStaff {
		attempts, err := s.store.SkillsAssessments(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, a := range attempts {
			data.SkillsOpen = data.SkillsOpen || !a.Completed()
			data.SkillsCompleted = data.SkillsCompleted || a.Completed()
		}
	}
	if data.AdviceAsked, err = s.store.AdviceAskedOf(ctx, u.OrganisationID, u.ID); err != nil {
		return err
	}
	if data.IsBoard {
		if data.BoardTasks, err = s.maturityService().BoardTasks(ctx, u); err != nil {
			return err
		}
	}
	if data.IsLead {
		cycles, err := s.store.Cycles(ctx, u.OrganisationID)
		if err != nil {
			return err
		}
		if len(cycles) > 0 {
			data.LatestCycle = &cycles[0]
		}
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
