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
	// BoardTasks are the open cycles with sections for this board member.
	BoardTasks []boardTask
	// LatestCycle is the lead's newest cycle, if any.
	LatestCycle *models.MaturityCycle
	// SkillsOpen and SkillsCompleted say where the person is with their
	// own skills self-assessment.
	SkillsOpen, SkillsCompleted bool
	// AdviceAsked are colleagues' requests for this person's advice.
	AdviceAsked []models.Advice
}

// boardTask is one open cycle on a board member's home page.
type boardTask struct {
	Cycle              models.MaturityCycle
	Sections, Complete int
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
		ProfileComplete: u.ProfileComplete(),
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
		if data.BoardTasks, err = s.boardTasks(c, u); err != nil {
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

// boardTasks lists the cycles still being answered in which u has
// sections, with how many of them u has completed.
func (s *Server) boardTasks(c echo.Context, u models.User) ([]boardTask, error) {
	ctx := c.Request().Context()
	cycles, err := s.store.CyclesAssignedTo(ctx, u.OrganisationID, u.ID)
	if err != nil {
		return nil, err
	}
	var tasks []boardTask
	for _, cycle := range cycles {
		if cycle.Locked() {
			continue
		}
		fw, err := s.cycleFramework(c, cycle)
		if err != nil {
			return nil, err
		}
		mine, err := s.store.AssignedSections(ctx, cycle.ID, u.ID)
		if err != nil {
			return nil, err
		}
		answers, err := s.store.AnswersBy(ctx, cycle.ID, u.ID)
		if err != nil {
			return nil, err
		}
		task := boardTask{Cycle: cycle, Sections: len(mine)}
		for _, code := range mine {
			if sec, ok := fw.Section(code); ok {
				if status, _ := sectionStatus(sec, answers); status == sectionCompleted {
					task.Complete++
				}
			}
		}
		tasks = append(tasks, task)
	}
	return tasks, nil
}
