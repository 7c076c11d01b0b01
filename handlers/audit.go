package handlers

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/audit"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// auditLog is the audit package's log with this server's frameworks.
func (s *Server) auditLog() *audit.Log { return &audit.Log{Store: s.store, Frameworks: s.frameworks} }

// readAuditForm reads the filter from the query.
func readAuditForm(c echo.Context) audit.Form {
	q := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return audit.Form{Person: q("person"), Kind: q("kind"),
		FromDay: q("from-day"), FromMonth: q("from-month"), FromYear: q("from-year"),
		ToDay: q("to-day"), ToMonth: q("to-month"), ToYear: q("to-year"), Organisation: q("organisation")}
}

func (s *Server) audit(c echo.Context) error {
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	form := readAuditForm(c)
	filter, errs := form.Filter(london)
	v := s.view(c, "Audit log")
	v.Form = form
	if len(errs) > 0 {
		v.Errors = errs
		v.Data = audit.Empty(org)
		return s.render(c, http.StatusUnprocessableEntity, "audit", v)
	}
	page, _ := strconv.Atoi(c.QueryParam("page"))
	if v.Data, err = s.auditLog().Page(c.Request().Context(), org, form, filter, page); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "audit", v)
}

// exportAuditCSV sends every event that matches the filter as CSV.
func (s *Server) exportAuditCSV(c echo.Context) error {
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	filter, errs := readAuditForm(c).Filter(london)
	if len(errs) > 0 {
		// The export link comes from a page that showed no errors, so
		// this is a hand-made address: show the log with the problem.
		return s.audit(c)
	}
	t := reports.Table{Name: "Audit log",
		Columns: []string{"When", "Who", "Email address", "Event", "What happened", "About", "Details"}}
	err = s.store.EachAuditEntry(c.Request().Context(), org.ID, filter, func(e models.AuditEntry) error {
		r := s.auditLog().Row(e)
		details := e.Details
		if r.HasChanges {
			details = audit.DescribeChanges(r.Changes)
		}
		t.Rows = append(t.Rows, []reports.Cell{reports.Text(e.CreatedAt.In(london).Format("2006-01-02 15:04:05")),
			reports.Text(r.Who), reports.Text(e.ActorEmail), reports.Text(e.Action), reports.Text(r.Description),
			reports.Text(e.Subject), reports.Text(details)})
		return nil
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reports.WriteCSV(&buf, s.exportTables(t)[0]); err != nil {
		return err
	}
	return sendFile(c, "text/csv; charset=utf-8", org.ODSCode+"-audit-log-"+time.Now().In(london).Format("2006-01-02")+".csv", buf.Bytes())
}
