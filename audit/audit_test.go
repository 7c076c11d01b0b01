package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/audit"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

func newLog(t *testing.T) *audit.Log {
	t.Helper()
	lib, err := assessments.Load()
	if err != nil {
		t.Fatal(err)
	}
	return &audit.Log{Store: testdb.Open(t), Frameworks: lib}
}

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	return loc
}

func TestFilterReadsTheForm(t *testing.T) {
	loc := london(t)
	f, errs := audit.Form{Person: "amy", Kind: "accounts", FromDay: "1", FromMonth: "7", FromYear: "2026", ToDay: "31", ToMonth: "7", ToYear: "2026"}.Filter(loc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	// Days are UK days: British Summer Time starts them an hour before UTC.
	if want := time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC); !f.From.Equal(want) {
		t.Errorf("from %v, want %v", f.From.UTC(), want)
	}
	if want := time.Date(2026, 7, 31, 23, 0, 0, 0, time.UTC); !f.Until.Equal(want) {
		t.Errorf("until %v, want %v", f.Until.UTC(), want)
	}
	if f.Person != "amy" || len(f.Actions) == 0 || f.Actions[0] != "invitation.create" {
		t.Errorf("filter %+v", f)
	}

	_, errs = audit.Form{Kind: "nonsense", FromDay: "2", FromMonth: "7", FromYear: "2026", ToDay: "1", ToMonth: "7", ToYear: "2026"}.Filter(loc)
	if errs.For("kind") != "Select a kind of event from the list" || errs.For("to-day") != "End date must be the same as or after the start date" {
		t.Errorf("problems %v", errs)
	}
	_, errs = audit.Form{ToDay: "31", ToMonth: "2", ToYear: "2026"}.Filter(loc)
	if errs.For("to-day") != "End date must be a real date, like 31 3 2027" {
		t.Errorf("problems %v", errs)
	}
}

func TestEveryKindIsDescribedInWords(t *testing.T) {
	l := newLog(t)
	for _, k := range audit.Kinds() {
		for _, action := range k.Actions {
			got := l.Describe(models.AuditEntry{AuditEvent: models.AuditEvent{Action: action, Subject: "2026/27 well-led"}}, nil)
			if strings.Contains(got, action) {
				t.Errorf("%s is described by its code: %q", action, got)
			}
		}
	}
	if got := l.Describe(models.AuditEntry{AuditEvent: models.AuditEvent{Action: "something.new", Subject: "x"}}, nil); got != "something.new: x" {
		t.Errorf("unknown event: %q", got)
	}
	if got := l.Describe(models.AuditEntry{AuditEvent: models.AuditEvent{Action: "maturity.target.save", Subject: "2026/27 well-led"}},
		[]models.AuditField{{Field: "Target", After: "3"}}); got != "Set the target for Well led in 2026/27" {
		t.Errorf("a new target: %q", got)
	}
}

func TestDescribeChanges(t *testing.T) {
	got := audit.DescribeChanges([]models.AuditField{{Field: "Name", After: "Amy"}, {Field: "Band", Before: "5"}, {Field: "Role", Before: "Nurse", After: "Sister"}})
	if want := "Name: set to Amy; Band: was 5, now cleared; Role: was Nurse, now Sister"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPageOfTheLog(t *testing.T) {
	l := newLog(t)
	ctx := context.Background()
	org := testdb.Organisation(t, l.Store, "Riverside Trust", "RVT")
	for i := range audit.PageSize {
		if err := l.Store.Audit(ctx, models.AuditEvent{OrganisationID: &org.ID, Action: "invitation.create", Subject: fmt.Sprintf("p%d@riverside.nhs.uk", i)}); err != nil {
			t.Fatal(err)
		}
	}
	// Creating the organisation was audited too: one more than a page.
	form := audit.Form{Organisation: fmt.Sprint(org.ID)}
	filter, _ := form.Filter(time.UTC)
	p, err := l.Page(ctx, org, form, filter, 5)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != audit.PageSize+1 || p.Page != 2 || p.Pages != 2 || len(p.Rows) != 1 || p.First != audit.PageSize+1 || p.Filtered {
		t.Errorf("page %d of %d, total %d, %d rows from %d, filtered %v", p.Page, p.Pages, p.Total, len(p.Rows), p.First, p.Filtered)
	}
	q := fmt.Sprintf("organisation=%d", org.ID)
	if p.PrevPage != "/audit?"+q || p.NextPage != "" || p.ExportLink != "/audit.csv?"+q {
		t.Errorf("links %q %q %q", p.PrevPage, p.NextPage, p.ExportLink)
	}
	if r := p.Rows[0]; r.Who != "The service" {
		t.Errorf("row %+v", r)
	}
	form.Kind = "sign-in"
	filter, _ = form.Filter(time.UTC)
	if p, err = l.Page(ctx, org, form, filter, 1); err != nil || p.Total != 0 || !p.Filtered {
		t.Errorf("filtered: total %d, filtered %v: %v", p.Total, p.Filtered, err)
	}
}
