package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/models"
)

type homeData struct {
	accounts.Home
	// BoardTasks are the open cycles with sections for this board member.
	BoardTasks []boardTask
}

// boardTask is one open cycle on a board member's home page.
type boardTask struct {
	Cycle              models.MaturityCycle
	Sections, Complete int
}

// home shows each role what to do next.
func (s *Server) home(c echo.Context) error {
	u := mustUser(c)
	var data homeData
	var err error
	if data.Home, err = s.people().Home(c.Request().Context(), u, s.cfg.MinGroupSize); err != nil {
		return err
	}
	if data.IsBoard {
		if data.BoardTasks, err = s.boardTasks(c, u); err != nil {
			return err
		}
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
