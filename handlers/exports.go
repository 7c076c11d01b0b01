package handlers

import (
	"bytes"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
	"nhs-digital-maturity/workforce"
)

// cycleResultsTable is the agreed results of a cycle, one row a question:
// the export analysts asked for.
func (s *Server) cycleResultsTable(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) (reports.Table, error) {
	res, err := s.computeResults(c, cycle, fw)
	if err != nil {
		return reports.Table{}, err
	}
	src, err := s.reviewSources(c, cycle)
	if err != nil {
		return reports.Table{}, err
	}
	t := reports.Table{Name: "Agreed results " + cycle.Period, Columns: []string{
		"Success measure", "Success measure score", "Rating", "Section target", "Question code", "Question",
		"Agreed level", "Not applicable", "Board members answering", "Lowest answer", "Highest answer", "Mean answer",
		"Spread of 2 or more", "Lead's note", "Evidence", "Evidence documents"}}
	for i := range res.Sections {
		sr := res.Sections[i]
		review := buildReview(cycle, fw, sr.Section, i+1, src)
		for _, q := range review.Questions {
			row := []reports.Cell{reports.Text(sr.Section.Label), reports.Empty(), reports.Text(""), reports.Empty(),
				reports.Text(q.Question.Code), reports.Text(q.Question.Title), reports.Empty(), reports.Text("No"),
				reports.Number(float64(q.Spread.Answers + q.Spread.NotApplicable)), reports.Empty(), reports.Empty(), reports.Empty(),
				reports.Text("No"), reports.Text(q.Note), reports.Text(memberEvidence(q)), reports.Text(evidenceDocuments(q))}
			if sr.Score.Scored {
				row[1], row[2] = reports.Number(sr.Shown), reports.Text(sr.RAG.Label())
			}
			if sr.Target > 0 {
				row[3] = reports.Number(float64(sr.Target))
			}
			switch q.Level {
			case "":
			case "0":
				row[7] = reports.Text("Yes")
			default:
				row[6] = reports.Number(float64(q.Level[0] - '0'))
			}
			if q.Spread.Answers > 0 {
				row[9], row[10], row[11] = reports.Number(float64(q.Spread.Min)), reports.Number(float64(q.Spread.Max)), reports.Number(assessments.Round1(q.Spread.Mean))
			}
			if q.Spread.Flagged {
				row[12] = reports.Text("Yes")
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t, nil
}

func memberEvidence(q reviewQuestion) string {
	var parts []string
	for _, m := range q.Members {
		if m.Evidence != "" {
			parts = append(parts, m.Name+": "+m.Evidence)
		}
	}
	return strings.Join(parts, "\n")
}

// evidenceDocuments names a question's evidence documents, one a line.
func evidenceDocuments(q reviewQuestion) string {
	var names []string
	for _, d := range q.Evidence {
		names = append(names, d.FileName+" ("+d.UploadedBy+")")
	}
	return strings.Join(names, "\n")
}

func (s *Server) cycleActionsTable(c echo.Context, cycle models.MaturityCycle, fw *assessments.Framework) (reports.Table, error) {
	actions, err := s.store.CycleActions(c.Request().Context(), cycle.OrganisationID, cycle.ID)
	if err != nil {
		return reports.Table{}, err
	}
	t := reports.Table{Name: "Actions " + cycle.Period, Columns: []string{"Action", "Success measure", "Owner", "Due date", "Status", "Overdue", "Progress"}}
	for _, a := range actions {
		section := a.SectionCode
		if sec, ok := fw.Section(a.SectionCode); ok {
			section = sec.Label
		}
		due := reports.Empty()
		if a.DueDate != nil {
			due = reports.Date(*a.DueDate)
		}
		overdue := "No"
		if a.Overdue(time.Now()) {
			overdue = "Yes"
		}
		t.Rows = append(t.Rows, []reports.Cell{reports.Text(a.Title), reports.Text(section), reports.Text(a.Owner), due,
			reports.Text(a.StatusLabel()), reports.Text(overdue), reports.Text(a.Progress)})
	}
	return t, nil
}

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
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	results, err := s.cycleResultsTable(c, cycle, fw)
	if err != nil {
		return err
	}
	actions, err := s.cycleActionsTable(c, cycle, fw)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if format == "xlsx" {
		if err := reports.WriteXLSX(&buf, s.exportTables(results, actions)...); err != nil {
			return err
		}
		return sendFile(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			reportFileName(org.ODSCode, cycle.Period, "digital-maturity", "xlsx"), buf.Bytes())
	}
	t := results
	if which == "actions" {
		t = actions
	}
	if err := reports.WriteCSV(&buf, s.exportTables(t)[0]); err != nil {
		return err
	}
	return sendFile(c, "text/csv; charset=utf-8", reportFileName(org.ODSCode, cycle.Period, "digital-maturity-"+which, "csv"), buf.Bytes())
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
	var buf bytes.Buffer
	if err := reports.WriteCSV(&buf, s.exportTables(t)[0]); err != nil {
		return err
	}
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	return sendFile(c, "text/csv; charset=utf-8", reportFileName(org.ODSCode, models.FinancialYear(time.Now()), "workforce-skills", "csv"), buf.Bytes())
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
	var buf bytes.Buffer
	if err := reports.WriteXLSX(&buf, s.exportTables(tables...)...); err != nil {
		return err
	}
	org, _ := c.Get(ctxOrganisation).(models.Organisation)
	return sendFile(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		reportFileName(org.ODSCode, models.FinancialYear(time.Now()), "workforce-skills", "xlsx"), buf.Bytes())
}
