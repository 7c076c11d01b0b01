package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/maturity"
)

type homeData struct {
	accounts.Home
	// BoardTasks are the open cycles with sections for this board member.
	BoardTasks []maturity.BoardTask
}

// home shows each role what to do next; a person with several roles sees
// each part.
func (s *Server) home(c echo.Context) error {
	u := mustUser(c)
	var data homeData
	var err error
	ctx := c.Request().Context()
	if data.Home, err = s.people().Home(ctx, u, s.cfg.MinGroupSize); err != nil {
		return err
	}
	if data.IsBoard {
		if data.BoardTasks, err = s.maturityService().BoardTasks(ctx, u); err != nil {
			return err
		}
	}
	v := s.view(c, "Home")
	v.Data = data
	return s.render(c, http.StatusOK, "home", v)
}
