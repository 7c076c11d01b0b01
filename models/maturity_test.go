package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

func TestUsedFrameworkVersionMayNotChange(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	fv := models.FrameworkVersion{Code: "wgll-maturity", Kind: "maturity", Version: "2026.1", Title: "T", ContentHash: "aaa"}
	stored, err := store.RegisterFramework(ctx, fv)
	if err != nil {
		t.Fatal(err)
	}
	// Registering the same content again is fine.
	if _, err := store.RegisterFramework(ctx, fv); err != nil {
		t.Fatalf("same content refused: %v", err)
	}
	// Changed content is accepted while nothing refers to the version...
	fv.ContentHash = "bbb"
	if _, err := store.RegisterFramework(ctx, fv); err != nil {
		t.Fatalf("unused version refused: %v", err)
	}
	// ...and refused once a cycle uses it.
	org := testdb.Organisation(t, store, "Trust", "ABC")
	cycle := models.MaturityCycle{OrganisationID: org.ID, FrameworkID: stored.ID, Period: "2026/27", DueDate: time.Now()}
	if err := store.CreateCycle(ctx, &cycle, 0); err != nil {
		t.Fatal(err)
	}
	fv.ContentHash = "ccc"
	_, err = store.RegisterFramework(ctx, fv)
	if !errors.Is(err, models.ErrFrameworkChanged) {
		t.Fatalf("changed used version: err %v, want ErrFrameworkChanged", err)
	}
	want := "framework content changed without a new version: wgll-maturity version 2026.1 is used by saved answers, so its file may not change; give the changed file a new version number"
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant\n%s", err, want)
	}
}
