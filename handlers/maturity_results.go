package handlers

import (
	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// computeResults works out every number of the results page (see
// maturity.Results), with the sign-off worded for the page.
func (s *Server) computeResults(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) (resultsData, error) {
	org, err := s.cycleOrganisation(c, cycle)
	if err != nil {
		return resultsData{}, err
	}
	data, err := s.maturityService().Results(c.Request().Context(), cycle, fw, org)
	if err == nil && cycle.Locked() {
		data.SignOff = signOffText(cycle)
	}
	return data, err
}

// cycleOrganisation is the organisation a cycle belongs to. Cycles are
// looked up within the signed-in person's organisation, which loadSession
// has already loaded, so this is a query only for another organisation's.
func (s *Server) cycleOrganisation(c echo.Context, cycle models.MaturityCycle) (models.Organisation, error) {
	if org, ok := c.Get(ctxOrganisation).(models.Organisation); ok && org.ID == cycle.OrganisationID {
		return org, nil
	}
	return s.store.OrganisationByID(c.Request().Context(), cycle.OrganisationID)
}

func (s *Server) resultsPage(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	data, err := s.computeResults(c, cycle, fw)
	if err != nil {
		return err
	}
	data.Radar = data.RadarChart().SVG()
	data.TrendChart = trendChart(data)
	u := mustUser(c)
	data.CanDownload = u.Has(models.RoleLead) || u.Has(models.RoleAdmin)
	data.CanReport = canReadReport(u, cycle)
	data.CanPlan = u.Has(models.RoleLead)
	return s.renderPage(c, "maturity_results", page{Title: "Results: " + cycle.Period, BackLink: cyclePath(cycle), Data: data})
}
