package handlers

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
	"nhs-digital-maturity/workforce"
)

// reportFileName is like "RXA-digital-maturity-2026-27.pdf".
func reportFileName(ods, period, what, ext string) string {
	return fmt.Sprintf("%s-%s-%s.%s", ods, what, strings.ReplaceAll(period, "/", "-"), ext)
}

// sendWritten sends what write produces as a download; nothing is sent
// when writing fails.
func sendWritten(c echo.Context, contentType, name string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	return sendFile(c, contentType, name, buf.Bytes())
}

func sendFile(c echo.Context, contentType, name string, body []byte) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, contentType, body)
}

// boardReportPDF is the board report of one cycle, built from the same
// results as the results page.
func (s *Server) boardReportPDF(c echo.Context) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	if !canReadReport(mustUser(c), cycle) {
		return echo.ErrForbidden
	}
	org, err := s.cycleOrganisation(c, cycle)
	if err != nil {
		return err
	}
	wf, err := s.workforcePage(c)
	if err != nil {
		return err
	}
	r, err := s.maturityService().BoardReport(c.Request().Context(), cycle, fw, org,
		maturity.BoardOptions{Date: ukDate, Workforce: wf, MinGroupSize: s.cfg.MinGroupSize, Now: time.Now()})
	if err != nil {
		return err
	}
	r.Demo = s.cfg.Demo
	return sendWritten(c, "application/pdf", reportFileName(r.ODSCode, cycle.Period, "digital-maturity", "pdf"),
		func(w io.Writer) error { return reports.BoardPDF(w, r) })
}

// workforcePage is the skills part of the board report: the same figures,
// hidden the same way, as the workforce view.
func (s *Server) workforcePage(c echo.Context) (*reports.Workforce, error) {
	p, err := s.workforcePageData(c, ownOrganisation(c), workforce.Filter{}, workforce.StaffGroup)
	if err != nil {
		return nil, err
	}
	return p.Report(london), nil
}

// ---- The personal report ----

func (s *Server) personalReportPDF(c echo.Context) error {
	a, ok, err := s.requestedAttempt(c, "You have not completed the self-assessment yet, so there is no report to download.")
	if !ok || err != nil {
		return err
	}
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	r, err := s.skillsService().PersonalReport(c.Request().Context(), mustUser(c), org.Name, a)
	if err != nil {
		return err
	}
	r.Demo = s.cfg.Demo
	return sendWritten(c, "application/pdf", "digital-skills-results-"+a.CompletedAt.Format("2006-01-02")+".pdf",
		func(w io.Writer) error { return reports.PersonalPDF(w, r) })
}
