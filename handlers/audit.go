package handlers

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reports"
)

// auditPageSize is the number of events on one page of the audit log.
const auditPageSize = 50

// auditKind is a kind of event people can filter the log by.
type auditKind struct {
	Value, Label string
	Actions      []string
}

// auditKinds lists every event the service writes, by kind. An event not
// listed still shows in the unfiltered log, under its code.
var auditKinds = []auditKind{
	{"sign-in", "Signing in and out", []string{"sign-in", "sign-in.sso", "sign-out"}},
	{"accounts", "Accounts and invitations", []string{"invitation.create", "invitation.accept", "account.roles",
		"account.deactivate", "account.reactivate", "account.password", "account.password.reset", "profile.update",
		"account.create-admin", "account.sso.create"}},
	{"staff-import", "Staff imports", []string{"staff.import", "staff.import.update", "staff.import.email"}},
	{"maturity", "Board maturity assessment", []string{"maturity.cycle.open", "maturity.assign", "maturity.answers.save",
		"maturity.agreed.save", "maturity.target.save", "maturity.cycle.submit", "maturity.cycle.reopen",
		"maturity.advice.request", "maturity.advice.give", "maturity.evidence.add"}},
	{"skills", "Skills invitations and reminders", []string{"skills." + models.RunSkillsInvite, "skills." + models.RunSkillsReminder}},
	{"sso", "Single sign-on settings", []string{"sso.settings"}},
	{"actions", "Actions", []string{"action.create", "action.update"}},
	{"organisation", "Organisation details", []string{"organisation.create", "organisation.update"}},
	{"service", "Data loaded into the service", []string{"demo.seed", "synthetic.seed"}},
}

// auditForm is the log's filter as typed, kept to show it again.
type auditForm struct {
	Person, Kind                 string
	FromDay, FromMonth, FromYear string
	ToDay, ToMonth, ToYear       string
	filter                       models.AuditFilter
	query                        url.Values // the filter as a query, for links
	organisationParam            string
}

type auditRow struct {
	models.AuditEntry
	Who         string
	Description string
	Changes     []models.AuditField
	HasChanges  bool
}

type auditData struct {
	Organisation models.Organisation
	Kinds        []option
	Rows         []auditRow
	Total        int64
	Page, Pages  int
	First, Last  int64
	PrevPage     string
	NextPage     string
	ExportLink   string
	Filtered     bool
}

// readAuditForm reads the filter from the query; it returns the problems
// in the order of the form's fields.
func readAuditForm(c echo.Context) (auditForm, formErrors) {
	q := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	f := auditForm{Person: q("person"), Kind: q("kind"),
		FromDay: q("from-day"), FromMonth: q("from-month"), FromYear: q("from-year"),
		ToDay: q("to-day"), ToMonth: q("to-month"), ToYear: q("to-year"),
		organisationParam: q("organisation")}
	var errs formErrors
	f.filter.Person = f.Person
	if f.Kind != "" {
		found := false
		for _, k := range auditKinds {
			if k.Value == f.Kind {
				f.filter.Actions, found = k.Actions, true
			}
		}
		if !found {
			errs.Add("kind", "Select a kind of event from the list")
		}
	}
	var from, to time.Time
	if f.FromDay+f.FromMonth+f.FromYear != "" {
		d, problem := parseDate(f.FromDay, f.FromMonth, f.FromYear, "start date")
		if problem != "" {
			errs.Add("from-day", problem)
		}
		from = d
	}
	if f.ToDay+f.ToMonth+f.ToYear != "" {
		d, problem := parseDate(f.ToDay, f.ToMonth, f.ToYear, "end date")
		if problem != "" {
			errs.Add("to-day", problem)
		}
		to = d
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs.Add("to-day", "End date must be the same as or after the start date")
	}
	// Dates are days in the UK: from the start of the first to the end of the last.
	if !from.IsZero() {
		f.filter.From = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, london)
	}
	if !to.IsZero() {
		f.filter.Until = time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, london)
	}
	f.query = url.Values{}
	for name, value := range map[string]string{"person": f.Person, "kind": f.Kind,
		"from-day": f.FromDay, "from-month": f.FromMonth, "from-year": f.FromYear,
		"to-day": f.ToDay, "to-month": f.ToMonth, "to-year": f.ToYear, "organisation": f.organisationParam} {
		if value != "" {
			f.query.Set(name, value)
		}
	}
	return f, errs
}

// auditLink is the log (or its export) with the filter and a page.
func auditLink(path string, query url.Values, page int) string {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func (s *Server) audit(c echo.Context) error {
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	form, errs := readAuditForm(c)
	data := auditData{Organisation: org, Page: 1}
	for _, k := range auditKinds {
		data.Kinds = append(data.Kinds, option{Value: k.Value, Label: k.Label})
	}
	v := s.view(c, "Audit log")
	v.Form = form
	if len(errs) > 0 {
		v.Errors = errs
		v.Data = data
		return s.render(c, http.StatusUnprocessableEntity, "audit", v)
	}
	data.Filtered = len(form.query) > 0 && !(len(form.query) == 1 && form.organisationParam != "")
	if p, err := strconv.Atoi(c.QueryParam("page")); err == nil && p > 1 {
		data.Page = p
	}
	entries, total, err := s.store.AuditPage(c.Request().Context(), org.ID, form.filter, (data.Page-1)*auditPageSize, auditPageSize)
	if err != nil {
		return err
	}
	data.Total = total
	data.Pages = max(1, int((total+auditPageSize-1)/auditPageSize))
	if data.Page > data.Pages {
		// A page past the end (the filter narrowed, or a stale link): the last one.
		data.Page = data.Pages
		if entries, _, err = s.store.AuditPage(c.Request().Context(), org.ID, form.filter, (data.Page-1)*auditPageSize, auditPageSize); err != nil {
			return err
		}
	}
	for _, e := range entries {
		data.Rows = append(data.Rows, s.auditRow(e))
	}
	data.First = int64((data.Page-1)*auditPageSize) + 1
	data.Last = data.First + int64(len(entries)) - 1
	if data.Page > 1 {
		data.PrevPage = auditLink("/audit", form.query, data.Page-1)
	}
	if data.Page < data.Pages {
		data.NextPage = auditLink("/audit", form.query, data.Page+1)
	}
	data.ExportLink = auditLink("/audit.csv", form.query, 1)
	v.Data = data
	return s.render(c, http.StatusOK, "audit", v)
}

// exportAuditCSV sends every event that matches the filter as CSV.
func (s *Server) exportAuditCSV(c echo.Context) error {
	org, err := s.managedOrganisation(c)
	if err != nil {
		return err
	}
	form, errs := readAuditForm(c)
	if len(errs) > 0 {
		// The export link comes from a page that showed no errors, so
		// this is a hand-made address: show the log with the problem.
		return s.audit(c)
	}
	t := reports.Table{Name: "Audit log",
		Columns: []string{"When", "Who", "Email address", "Event", "What happened", "About", "Details"}}
	err = s.store.EachAuditEntry(c.Request().Context(), org.ID, form.filter, func(e models.AuditEntry) error {
		r := s.auditRow(e)
		details := e.Details
		if r.HasChanges {
			details = describeChanges(r.Changes)
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

func (s *Server) auditRow(e models.AuditEntry) auditRow {
	r := auditRow{AuditEntry: e, Who: e.ActorName}
	if e.ActorID == nil {
		r.Who = "The service"
	} else if r.Who == "" {
		r.Who = e.ActorEmail
	}
	r.Changes, r.HasChanges = e.Changes()
	r.Description = s.describeAudit(e, r.Changes)
	return r
}

// describeChanges is the changes on one line, for the export.
func describeChanges(fields []models.AuditField) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Field + ": " + changeText(f)
	}
	return strings.Join(parts, "; ")
}

// changeText says how one value changed.
func changeText(f models.AuditField) string {
	switch {
	case f.Before == "":
		return "set to " + f.After
	case f.After == "":
		return "was " + f.Before + ", now cleared"
	}
	return "was " + f.Before + ", now " + f.After
}

// describeAudit says in plain English what an event records.
func (s *Server) describeAudit(e models.AuditEntry, changes []models.AuditField) string {
	// Maturity events are about "period section-or-question".
	period, part, _ := strings.Cut(e.Subject, " ")
	section := part
	if fw, ok := s.frameworks.Latest(assessments.KindMaturity); ok {
		if sec, ok := fw.Section(part); ok {
			section = sec.Label
		}
	}
	recorded := len(changes) > 0 && changes[0].Before == ""
	switch e.Action {
	case "sign-in":
		return "Signed in"
	case "sign-in.sso":
		return "Signed in with single sign-on"
	case "sign-out":
		return "Signed out"
	case "account.password.reset":
		return "Set a new password with a reset link"
	case "account.sso.create":
		return "Created their account by signing in with single sign-on"
	case "staff.import.email":
		return "Sent the invitations of a staff import by email"
	case "sso.settings":
		return "Changed the single sign-on settings"
	case "maturity.advice.request":
		return "Asked a colleague for advice on question " + part + " in " + period
	case "maturity.advice.give":
		return "Gave advice on question " + e.Subject
	case "maturity.evidence.add":
		return "Added an evidence document to question " + part + " in " + period
	case "skills." + models.RunSkillsInvite:
		return "Sent invitations to the skills self-assessment"
	case "skills." + models.RunSkillsReminder:
		return "Sent reminders about the skills self-assessment"
	case "profile.update":
		return "Changed their profile"
	case "account.password":
		return "Changed their password"
	case "account.roles":
		return "Changed the roles of " + e.Subject
	case "account.deactivate":
		return "Deactivated the account of " + e.Subject
	case "account.reactivate":
		return "Reactivated the account of " + e.Subject
	case "account.create-admin":
		return "Created the administrator account " + e.Subject
	case "invitation.create":
		return "Invited " + e.Subject
	case "invitation.accept":
		return "Accepted an invitation and created their account"
	case "staff.import":
		return "Imported staff from a file"
	case "staff.import.update":
		return "Updated the account of " + e.Subject + " from a staff import"
	case "organisation.create":
		return "Created the organisation " + e.Subject
	case "organisation.update":
		return "Changed the details of the organisation " + e.Subject
	case "maturity.cycle.open":
		return "Opened the board maturity assessment for " + e.Subject
	case "maturity.assign":
		return "Assigned board members to " + section + " in " + period
	case "maturity.answers.save":
		return "Saved answers to " + section + " in " + period
	case "maturity.agreed.save":
		if recorded {
			return "Recorded the agreed level of question " + part + " in " + period
		}
		return "Changed the agreed level of question " + part + " in " + period
	case "maturity.target.save":
		if recorded {
			return "Set the target for " + section + " in " + period
		}
		return "Changed the target for " + section + " in " + period
	case "maturity.cycle.submit":
		return "Submitted the board maturity assessment for " + e.Subject
	case "maturity.cycle.reopen":
		return "Reopened the board maturity assessment for " + e.Subject
	case "action.create":
		return "Added the action “" + e.Subject + "”"
	case "action.update":
		return "Changed the action “" + e.Subject + "”"
	case "demo.seed":
		return "Loaded demo data"
	case "synthetic.seed":
		return "Loaded synthetic data"
	}
	if e.Subject != "" {
		return e.Action + ": " + e.Subject
	}
	return e.Action
}
