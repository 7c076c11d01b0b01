package handlers

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/charts"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
)

const minBenchmarkOrganisations = maturity.MinBenchmarkOrganisations

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

// resultsRadar draws this cycle, the last one, the targets and the peer
// median on one radar chart.
func (s *Server) resultsRadar(d resultsData) template.HTML {
	axes := make([]string, len(d.Sections))
	current := charts.Series{Name: "This cycle (" + d.Cycle.Period + ")", Kind: "current"}
	previous := charts.Series{Name: "Previous cycle", Kind: "previous"}
	target := charts.Series{Name: "Target", Kind: "target"}
	peer := charts.Series{Name: "Median of similar organisations", Kind: "peer"}
	hasPrev, hasTarget, hasPeer := false, false, false
	for i, r := range d.Sections {
		axes[i] = r.Section.Label
		current.Values = append(current.Values, charts.ValueIf(r.Score.Scored, r.Shown))
		previous.Values = append(previous.Values, charts.ValueIf(r.HasPrevious, r.Previous))
		target.Values = append(target.Values, charts.ValueIf(r.Target > 0, float64(r.Target)))
		peer.Values = append(peer.Values, charts.ValueIf(r.Peers.Shown, r.Peers.Median))
		hasPrev, hasTarget, hasPeer = hasPrev || r.HasPrevious, hasTarget || r.Target > 0, hasPeer || r.Peers.Shown
	}
	series := []charts.Series{current}
	if hasPrev {
		series = append(series, previous)
	}
	if hasTarget {
		series = append(series, target)
	}
	if hasPeer {
		series = append(series, peer)
	}
	return charts.Radar{Title: "Digital maturity by success measure, " + d.Cycle.Period,
		Desc: "Radar chart of the score of each success measure from 0 to 5. The table below gives the same numbers.",
		Axes: axes, Max: 5, Series: series}.SVG()
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
	data.Radar = s.resultsRadar(data)
	data.TrendChart = trendChart(data)
	u := mustUser(c)
	data.CanDownload = u.Has(models.RoleLead) || u.Has(models.RoleAdmin)
	data.CanReport = canReadReport(u, cycle)
	data.CanPlan = u.Has(models.RoleLead)
	v := s.view(c, "Results: "+cycle.Period)
	v.BackLink = cyclePath(cycle)
	v.Data = data
	return s.render(c, http.StatusOK, "maturity_results", v)
}
