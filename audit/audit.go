// Package audit describes the audit log for people: what each kind of
// event means in plain English, the kinds the log can be filtered by, the
// filter as typed, and the pages of the log. The events themselves are
// written and kept by package models.
package audit

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// PageSize is the number of events on one page of the log.
const PageSize = 50

// Kind is a kind of event people can filter the log by.
type Kind struct {
	Value, Label string
	Actions      []string
}

// Kinds lists every event the service writes, by kind. An event not
// listed still shows in the unfiltered log, under its code.
func Kinds() []Kind {
	return []Kind{
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
}

// Form is the log's filter as typed, kept to show it again.
type Form struct {
	Person, Kind                 string
	FromDay, FromMonth, FromYear string
	ToDay, ToMonth, ToYear       string
	// Organisation is the organisation an administrator looks at, as asked.
	Organisation string
}

// Filter reads the form into the store's filter; dates are days in loc
// (the UK), from the start of the first to the end of the last. The
// problems come in the order of the form's fields.
func (f Form) Filter(loc *time.Location) (models.AuditFilter, validation.Errors) {
	filter := models.AuditFilter{Person: f.Person}
	var errs validation.Errors
	if f.Kind != "" {
		found := false
		for _, k := range Kinds() {
			if k.Value == f.Kind {
				filter.Actions, found = k.Actions, true
			}
		}
		if !found {
			errs.Add("kind", "Select a kind of event from the list")
		}
	}
	var from, to time.Time
	if f.FromDay+f.FromMonth+f.FromYear != "" {
		d, problem := validation.Date(f.FromDay, f.FromMonth, f.FromYear, "start date")
		if problem != "" {
			errs.Add("from-day", problem)
		}
		from = d
	}
	if f.ToDay+f.ToMonth+f.ToYear != "" {
		d, problem := validation.Date(f.ToDay, f.ToMonth, f.ToYear, "end date")
		if problem != "" {
			errs.Add("to-day", problem)
		}
		to = d
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs.Add("to-day", "End date must be the same as or after the start date")
	}
	if !from.IsZero() {
		filter.From = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	}
	if !to.IsZero() {
		filter.Until = time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	}
	return filter, errs
}

// Query is the filter as a query, for links.
func (f Form) Query() url.Values {
	q := url.Values{}
	for name, value := range map[string]string{"person": f.Person, "kind": f.Kind,
		"from-day": f.FromDay, "from-month": f.FromMonth, "from-year": f.FromYear,
		"to-day": f.ToDay, "to-month": f.ToMonth, "to-year": f.ToYear, "organisation": f.Organisation} {
		if value != "" {
			q.Set(name, value)
		}
	}
	return q
}

// Link is the log (or its export) at path with the filter and a page.
func Link(path string, query url.Values, page int) string {
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

// Log reads the audit log for people.
type Log struct {
	Store *models.Store
	// Frameworks name the sections maturity events are about.
	Frameworks *assessments.Library
}

// Row is one event as the log shows it.
type Row struct {
	models.AuditEntry
	Who         string
	Description string
	Changes     []models.AuditField
	HasChanges  bool
}

// Row describes one event.
func (l *Log) Row(e models.AuditEntry) Row {
	r := Row{AuditEntry: e, Who: e.ActorName}
	if e.ActorID == nil {
		r.Who = "The service"
	} else if r.Who == "" {
		r.Who = e.ActorEmail
	}
	r.Changes, r.HasChanges = e.Changes()
	r.Description = l.Describe(e, r.Changes)
	return r
}

// Page is one page of an organisation's log.
type Page struct {
	Organisation models.Organisation
	Kinds        []Kind
	Rows         []Row
	Total        int64
	Page, Pages  int
	First, Last  int64
	PrevPage     string
	NextPage     string
	ExportLink   string
	// Filtered: the form asks for more than an organisation.
	Filtered bool
}

// Empty is the page with no events, shown with the filter's problems.
func Empty(org models.Organisation) Page { return Page{Organisation: org, Kinds: Kinds(), Page: 1} }

// Page composes page number page of org's events that match the form; a
// page past the end (the filter narrowed, or a stale link) is the last one.
func (l *Log) Page(ctx context.Context, org models.Organisation, f Form, filter models.AuditFilter, page int) (Page, error) {
	p := Empty(org)
	query := f.Query()
	p.Filtered = len(query) > 0 && !(len(query) == 1 && f.Organisation != "")
	p.Page = max(1, page)
	entries, total, err := l.Store.AuditPage(ctx, org.ID, filter, (p.Page-1)*PageSize, PageSize)
	if err != nil {
		return Page{}, err
	}
	p.Total = total
	p.Pages = max(1, int((total+PageSize-1)/PageSize))
	if p.Page > p.Pages {
		p.Page = p.Pages
		if entries, _, err = l.Store.AuditPage(ctx, org.ID, filter, (p.Page-1)*PageSize, PageSize); err != nil {
			return Page{}, err
		}
	}
	for _, e := range entries {
		p.Rows = append(p.Rows, l.Row(e))
	}
	p.First = int64((p.Page-1)*PageSize) + 1
	p.Last = p.First + int64(len(entries)) - 1
	if p.Page > 1 {
		p.PrevPage = Link("/audit", query, p.Page-1)
	}
	if p.Page < p.Pages {
		p.NextPage = Link("/audit", query, p.Page+1)
	}
	p.ExportLink = Link("/audit.csv", query, 1)
	return p, nil
}

// DescribeChanges is the changes on one line, for the export.
func DescribeChanges(fields []models.AuditField) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Field + ": " + ChangeText(f)
	}
	return strings.Join(parts, "; ")
}

// ChangeText says how one value changed.
func ChangeText(f models.AuditField) string {
	switch {
	case f.Before == "":
		return "set to " + f.After
	case f.After == "":
		return "was " + f.Before + ", now cleared"
	}
	return "was " + f.Before + ", now " + f.After
}

// Describe says in plain English what an event records.
func (l *Log) Describe(e models.AuditEntry, changes []models.AuditField) string {
	// Maturity events are about "period section-or-question".
	period, part, _ := strings.Cut(e.Subject, " ")
	section := part
	if fw, ok := l.Frameworks.Latest(assessments.KindMaturity); ok {
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
