package staffimport_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/staffimport"
	"nhs-digital-maturity/validation"
)

var lead = models.Roles{models.RoleLead}

func TestPeopleLeavingDatesAndMissingColumns(t *testing.T) {
	today := time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	rows := []staffimport.Row{
		{Line: 2, Email: "a@example.nhs.uk", Name: "A", StaffGroup: "Students", PayBand: "Band 5", Department: "Ward 1", JobRole: "Nurse"},
		{Line: 3, Email: "b@example.nhs.uk", Name: "B", StaffGroup: "Students", LeavingDate: day(30),
			Missing: []staffimport.Column{staffimport.ColPayBand, staffimport.ColDepartment, staffimport.ColJobRole}},
		{Line: 4, Email: "c@example.nhs.uk", Name: "C", StaffGroup: "Students", LeavingDate: day(31)},
		{Line: 5, Email: "d@example.nhs.uk", Name: "D", StaffGroup: "Students", LeavingDate: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{Line: 6, Email: "e@example.nhs.uk", Name: "E", StaffGroup: "Students", Leaver: true},
	}
	problems := []staffimport.Problem{{Line: 7, Email: "bad", Reason: "Email address is missing"}}
	people, refused := staffimport.People(rows, problems, today)
	if len(people) != len(rows) {
		t.Fatalf("%d people from %d rows", len(people), len(rows))
	}
	for i, want := range []bool{false, true, true, false, true} {
		if people[i].Leaver != want {
			t.Errorf("line %d: leaver %v, want %v", people[i].Line, people[i].Leaver, want)
		}
	}
	if p := people[0]; p.PayBand == nil || *p.PayBand != "Band 5" || p.Department == nil || *p.Department != "Ward 1" || p.JobRole == nil || *p.JobRole != "Nurse" {
		t.Errorf("given columns: %+v", p)
	}
	if p := people[1]; p.PayBand != nil || p.Department != nil || p.JobRole != nil {
		t.Errorf("missing columns should give no value: %+v", p)
	}
	if p := people[2]; p.PayBand == nil || *p.PayBand != "" {
		t.Errorf("an empty value of a column the file has is a value: %+v", p)
	}
	if len(refused) != 1 || refused[0] != (models.ImportProblem{Line: 7, Email: "bad", Reason: "Email address is missing"}) {
		t.Errorf("refused %+v", refused)
	}
}

func newOrganisation(t *testing.T, store *models.Store) models.Organisation {
	t.Helper()
	return testdb.Organisation(t, store, "Trust", "ABC")
}

func TestCreateRefusesFiles(t *testing.T) {
	store := testdb.Open(t)
	org := newOrganisation(t, store)
	im := staffimport.Importer{Store: store}
	for _, tt := range []struct {
		name, file string
		size       int64
		want       string
	}{
		{"empty", "", 0, "The file is empty. Upload a CSV file"},
		{"too large", "email,name,staff group\n", staffimport.MaxBytes + 1, "The file must be smaller than 20 MB"},
		{"workbook", "PK\x03\x04rest", 8, "This looks like an Excel file"},
		{"no staff", "email,name,staff group\n", 23, "The file has no rows of staff"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := im.Create(context.Background(), org.ID, 0,
				staffimport.Upload{FileName: "staff.csv", Size: tt.size, Body: strings.NewReader(tt.file)}, time.Now())
			var fe validation.Errors
			if !errors.As(err, &fe) || !strings.HasPrefix(fe.For("file"), tt.want) {
				t.Fatalf("error %v, want the file refused with %q", err, tt.want)
			}
		})
	}
}

func TestPreviewAndConfirm(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	org := newOrganisation(t, store)
	kept := models.User{OrganisationID: org.ID, Email: "kept@example.nhs.uk", Name: "Kept Person", RoleCodes: "staff", Active: true,
		StaffGroup: "Students", PayBand: "Band 5"}
	moved := models.User{OrganisationID: org.ID, Email: "moved@example.nhs.uk", Name: "Moved Person", RoleCodes: "staff", Active: true,
		StaffGroup: "Students", PayBand: "Band 5"}
	leaving := models.User{OrganisationID: org.ID, Email: "leaving@example.nhs.uk", Name: "Leaving Person", RoleCodes: "staff", Active: true,
		StaffGroup: "Students"}
	for _, u := range []*models.User{&kept, &moved, &leaving} {
		if err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	var file strings.Builder
	file.WriteString("email,name,staff group,band,leaver\n")
	file.WriteString("kept@example.nhs.uk,Kept Person,Students,Band 5,\n")
	file.WriteString("moved@example.nhs.uk,Moved Person,Students,Band 6,\n")
	file.WriteString("leaving@example.nhs.uk,Leaving Person,Students,,yes\n")
	file.WriteString("not-an-address,Nobody,Students,,\n")
	for i := range staffimport.PreviewRows + 1 {
		fmt.Fprintf(&file, "new%03d@example.nhs.uk,New %d,Students,Band 3,\n", i, i)
	}
	im := staffimport.Importer{Store: store}
	imp, err := im.Create(ctx, org.ID, 0, staffimport.Upload{FileName: "uploads/staff.csv", Size: int64(file.Len()),
		Body: strings.NewReader(file.String())}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if imp.FileName != "staff.csv" {
		t.Errorf("file name %q, want the base name only", imp.FileName)
	}

	p, err := im.Preview(ctx, imp, lead, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Create != staffimport.PreviewRows+1 || p.Update != 1 || p.Unchanged != 1 || p.Deactivate != 1 || p.Protected != 0 {
		t.Errorf("counts: %d create, %d update, %d unchanged, %d deactivate, %d protected",
			p.Create, p.Update, p.Unchanged, p.Deactivate, p.Protected)
	}
	if len(p.Problems) != 1 || p.Problems[0].Line != 5 {
		t.Errorf("problems %+v", p.Problems)
	}
	// Listed: every change but the unchanged account, over two pages.
	listed := staffimport.PreviewRows + 3
	if p.Page != 1 || p.Pages != 2 || len(p.Shown) != staffimport.PreviewRows || p.First != 1 || p.Last != staffimport.PreviewRows {
		t.Errorf("first page: page %d of %d, %d shown, %d to %d", p.Page, p.Pages, len(p.Shown), p.First, p.Last)
	}
	if p.Shown[0].Person.Email != "moved@example.nhs.uk" || p.Shown[1].Person.Email != "leaving@example.nhs.uk" {
		t.Errorf("first changes %+v, %+v", p.Shown[0], p.Shown[1])
	}
	p2, err := im.Preview(ctx, imp, lead, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p2.Page != 2 || len(p2.Shown) != listed-staffimport.PreviewRows || p2.First != staffimport.PreviewRows+1 || p2.Last != listed {
		t.Errorf("second page: page %d, %d shown, %d to %d", p2.Page, len(p2.Shown), p2.First, p2.Last)
	}
	if p2.Plan != p.Plan {
		t.Error("the plan's digest depends on the page")
	}
	if p3, _ := im.Preview(ctx, imp, lead, 3); p3.Page != 1 {
		t.Errorf("a page past the end gives page %d, want 1", p3.Page)
	}

	confirm := func(p staffimport.Preview, plan string) (staffimport.Result, error) {
		return im.Confirm(ctx, staffimport.Confirmation{Preview: p, Plan: plan, Importer: lead, Expires: time.Now().Add(time.Hour),
			TokenHash: func(email string) string { return "hash-" + email }})
	}
	// The accounts change after the preview: the plan the lead saw is refused.
	kept.PayBand = "Band 7"
	if err := store.UpdateProfile(ctx, &kept); err != nil {
		t.Fatal(err)
	}
	now, err := im.Preview(ctx, imp, lead, 1)
	if err != nil {
		t.Fatal(err)
	}
	if now.Plan == p.Plan {
		t.Fatal("the plan's digest did not change with the accounts")
	}
	if _, err := confirm(now, p.Plan); !errors.Is(err, staffimport.ErrPlanChanged) {
		t.Fatalf("confirming an old plan: %v, want ErrPlanChanged", err)
	}
	res, err := confirm(now, now.Plan)
	if err != nil {
		t.Fatal(err)
	}
	want := staffimport.Result{Created: staffimport.PreviewRows + 1, Updated: 2, Deactivated: 1, Unchanged: 0}
	if res != want {
		t.Errorf("result %+v, want %+v", res, want)
	}
	if got := res.Summary(); got != "Import complete: 201 people added, 2 updated, 1 deactivated as leavers, 0 unchanged." {
		t.Errorf("summary %q", got)
	}
	if _, err := confirm(now, now.Plan); !errors.Is(err, staffimport.ErrApplied) {
		t.Errorf("confirming twice: %v, want ErrApplied", err)
	}
	applied, err := store.StaffImportInOrganisation(ctx, org.ID, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if done, err := im.Preview(ctx, applied, lead, 1); err != nil || !done.Applied || len(done.Changes) != 0 || len(done.Problems) != 1 {
		t.Errorf("applied import's preview %+v, error %v", done, err)
	}
	if _, err := confirm(staffimport.Preview{Import: applied, Applied: true}, now.Plan); !errors.Is(err, staffimport.ErrApplied) {
		t.Errorf("confirming an applied import: %v, want ErrApplied", err)
	}
}

func TestResultSummaryWithoutLeavers(t *testing.T) {
	got := staffimport.Result{Created: 3, Updated: 1, Unchanged: 5}.Summary()
	if got != "Import complete: 3 people added, 1 updated, 5 unchanged." {
		t.Errorf("summary %q", got)
	}
}
