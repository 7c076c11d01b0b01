package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

func importRows(n int) []models.ImportPerson {
	rows := make([]models.ImportPerson, n)
	for i := range rows {
		rows[i] = models.ImportPerson{Line: i + 2, Email: fmt.Sprintf("person%05d@trust.test", i), Name: fmt.Sprintf("Person %d", i),
			StaffGroup: models.StaffGroups()[i%len(models.StaffGroups())], PayBand: ptr("Band 5"), Department: ptr("Ward 1"), JobRole: ptr("Nurse")}
	}
	return rows
}

func ptr(s string) *string { return &s }

// leadRoles import in the tests, as a digital lead does.
var leadRoles = models.Roles{models.RoleLead}

// applyImport previews and applies rows as the handler does.
func applyImport(tb testing.TB, store *models.Store, org models.Organisation, rows []models.ImportPerson) (int, int, int) {
	tb.Helper()
	ctx := context.Background()
	imp, err := store.CreateStaffImport(ctx, org.ID, 0, "staff.csv", rows, nil)
	if err != nil {
		tb.Fatal(err)
	}
	changes, err := store.PlanStaffImport(ctx, org.ID, leadRoles, rows)
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	created, updated, unchanged, err := store.ApplyStaffImport(ctx, imp, changes, 0, leadRoles, time.Now().Add(time.Hour),
		func(string) string { n++; return fmt.Sprintf("hash-%d-%d", imp.ID, n) })
	if err != nil {
		tb.Fatal(err)
	}
	return created, updated, unchanged
}

func TestStaffImportCreatesOnceAndReimportChangesNothing(t *testing.T) {
	store := testdb.Open(t)
	org := testdb.Organisation(t, store, "Trust", "ABC")
	rows := importRows(3000)
	if c, u, n := applyImport(t, store, org, rows); c != 3000 || u != 0 || n != 0 {
		t.Fatalf("first import: %d created, %d updated, %d unchanged", c, u, n)
	}
	if c, u, n := applyImport(t, store, org, rows); c != 0 || u != 0 || n != 3000 {
		t.Fatalf("same file again: %d created, %d updated, %d unchanged", c, u, n)
	}
	rows[7].Department = ptr("Ward 2")
	if c, u, n := applyImport(t, store, org, rows); c != 0 || u != 1 || n != 2999 {
		t.Fatalf("one change: %d created, %d updated, %d unchanged", c, u, n)
	}
	// The people asked, as the next workforce release counts them.
	_, invited, err := store.WorkforceSource(context.Background(), time.Time{}, func(models.WorkforceGroup) {})
	n := int64(0)
	for _, v := range invited {
		if v.OrganisationID == org.ID {
			n += v.People
		}
	}
	if err != nil || n != 3000 {
		t.Errorf("invited %d, err %v", n, err)
	}
}

// BenchmarkStaffImport30000 imports a 30,000-person file, the size of the
// largest trusts, into an empty organisation: preview plan and apply.
func BenchmarkStaffImport30000(b *testing.B) {
	rows := importRows(30000)
	b.StopTimer() // each round's fresh database is not part of the figure
	for i := 0; i < b.N; i++ {
		store := testdb.Open(b)
		org := testdb.Organisation(b, store, "Trust", fmt.Sprintf("B%d", i))
		b.StartTimer()
		if c, _, _ := applyImport(b, store, org, rows); c != 30000 {
			b.Fatalf("%d created", c)
		}
		b.StopTimer()
	}
}
