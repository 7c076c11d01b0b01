package handlers

import (
	"io"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
	"nhs-digital-maturity/workforce"
)

// exportTables are the tables of an export as sent: while the service holds
// demo data, each with a first column saying so on every row.
func (s *Server) exportTables(tables ...reports.Table) []reports.Table {
	if !s.cfg.Demo {
		return tables
	}
	out := make([]reports.Table, len(tables))
	for i, t := range tables {
		out[i] = reports.MarkDemo(t)
	}
	return out
}

func (s *Server) exportCycleResultsCSV(c echo.Context) error {
	return s.exportCycle(c, "results", "csv")
}

func (s *Server) exportCycleActionsCSV(c echo.Context) error {
	return s.exportCycle(c, "actions", "csv")
}

func (s *Server) exportCycleXLSX(c echo.Context) error {
	return s.exportCycle(c, "", "xlsx")
}

// exportCycle sends a cycle's results or actions as CSV, or both as the
// sheets of one workbook.
func (s *Server) exportCycle(c echo.Context, which, format string) error {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return err
	}
	org, err := s.cycleOrganisation(c, cycle)
	if err != nil {
		return err
	}
	ctx, svc := c.Request().Context(), s.maturityService()
	results, err := svc.ResultsTable(ctx, cycle, fw, org)
	if err != nil {
		return err
	}
	actions, err := svc.ActionsTable(ctx, cycle, fw, time.Now())
	if err != nil {
		return err
	}
	if format == "xlsx" {
		return s.sendXLSX(c, reportFileName(org.ODSCode, cycle.Period, "digital-maturity", "xlsx"), results, actions)
	}
	t := results
	if which == "actions" {
		t = actions
	}
	return s.sendCSV(c, reportFileName(org.ODSCode, cycle.Period, "digital-maturity-"+which, "csv"), t)
}

// sendCSV sends t, marked while the service holds demo data, as a CSV file.
func (s *Server) sendCSV(c echo.Context, name string, t reports.Table) error {
	return sendWritten(c, "text/csv; charset=utf-8", name, func(w io.Writer) error { return reports.WriteCSV(w, s.exportTables(t)[0]) })
}

// sendXLSX sends the tables, marked while the service holds demo data, as
// the sheets of one workbook.
func (s *Server) sendXLSX(c echo.Context, name string, tables ...reports.Table) error {
	return sendWritten(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
		func(w io.Writer) error { return reports.WriteXLSX(w, s.exportTables(tables...)...) })
}

// workforceTable is the workforce figures of the latest release by group
// and domain, as the exports carry them.
func (s *Server) workforceTable(c echo.Context, dimension string) (reports.Table, error) {
	p, err := s.workforcePageData(c, ownOrganisation(c), workforce.Filter{}, dimension)
	if err != nil {
		return reports.Table{}, err
	}
	return p.Table(london), nil
}

func (s *Server) exportWorkforceCSV(c echo.Context) error {
	t, err := s.workforceTable(c, workforce.StaffGroup)
	if err != nil {
		return err
	}
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	return s.sendCSV(c, reportFileName(org.ODSCode, models.FinancialYear(time.Now()), "workforce-skills", "csv"), t)
}

func (s *Server) exportWorkforceXLSX(c echo.Context) error {
	var tables []reports.Table
	for _, dim := range []string{workforce.StaffGroup, workforce.PayBand, workforce.Department} {
		t, err := s.workforceTable(c, dim)
		if err != nil {
			return err
		}
		tables = append(tables, t)
	}
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	return s.sendXLSX(c, reportFileName(org.ODSCode, models.FinancialYear(time.Now()), "workforce-skills", "xlsx"), tables...)
}
