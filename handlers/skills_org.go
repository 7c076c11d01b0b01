package handlers

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/workforce"
)

// orgSkillsData is the workforce view of one scope as a page shows it:
// the figures of the release, and their chart.
type orgSkillsData struct {
	workforce.Page
	Chart template.HTML
}

// ownOrganisation is the skills scope of the signed-in person's
// organisation: a digital lead's workforce view, report and exports.
func ownOrganisation(c echo.Context) models.SkillsScope {
	return models.OrganisationScope(mustUser(c).OrganisationID)
}

// organisationSkills is the digital lead's workforce view.
func (s *Server) organisationSkills(c echo.Context) error {
	return s.workforceSkillsPage(c, ownOrganisation(c), "Workforce digital skills")
}

// nationalSkills is the platform admins' workforce view over every
// organisation.
func (s *Server) nationalSkills(c echo.Context) error {
	return s.workforceSkillsPage(c, models.NationalScope(), "Workforce digital skills: all organisations")
}

// workforceSkillsPage renders the workforce view of scope for the filters
// and grouping in the query.
func (s *Server) workforceSkillsPage(c echo.Context, scope models.SkillsScope, title string) error {
	filter := workforce.Filter{StaffGroup: c.QueryParam("staff-group"), PayBand: c.QueryParam("band"), Department: c.QueryParam("department")}
	p, err := s.workforcePageData(c, scope, filter, c.QueryParam("by"))
	if err != nil {
		return err
	}
	data := orgSkillsData{Page: p}
	if p.Scores != nil {
		data.Chart = workforceChart(p.Framework, p.Scores)
	}
	v := s.view(c, title)
	v.Data = data
	return s.render(c, http.StatusOK, "organisation_skills", v)
}

// workforcePageData is the workforce view of scope for a filter and
// grouping, read from the latest release. The page, the board report and
// the exports all use it, so none can show what another does not.
func (s *Server) workforcePageData(c echo.Context, scope models.SkillsScope, filter workforce.Filter, dimension string) (workforce.Page, error) {
	fw, err := s.skillsFramework()
	if err != nil {
		return workforce.Page{}, err
	}
	pages := workforce.Pages{Publisher: s.workforce, Store: s.store, Skills: fw, MinGroupSize: s.cfg.MinGroupSize, Framework: s.framework}
	return pages.Page(c.Request().Context(), scope, filter, dimension)
}

// workforceChart draws the workforce's mean now and need per domain, from
// the published, rounded means.
func workforceChart(fw *assessments.Framework, scores []assessments.DomainScore) template.HTML {
	return nowNeedChart(fw, scores, "Workforce digital skills by domain", "Mean rating now", "Mean rating roles need")
}
