package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// organisationRows yields n organisations with ids from first.
func organisationRows(first int64, n int) models.RowSource {
	row := make([]any, 6)
	now := time.Now().UTC()
	i := 0
	return func() ([]any, bool, error) {
		if i == n {
			return nil, false, nil
		}
		id := first + int64(i)
		i++
		row[0], row[1], row[2], row[3], row[4], row[5] = id, fmt.Sprintf("Trust %d", id), fmt.Sprintf("C%05d", id), models.KindAcute, now, now
		return row, true, nil
	}
}

func organisationColumns() []string {
	return []string{"id", "name", "ods_code", "kind", "created_at", "updated_at"}
}

func TestCopyRowsWritesExplicitIDsAndMovesSequences(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	before := testdb.Organisation(t, store, "Before", "B1")
	// More rows than one SQLite statement takes, and not a multiple of it.
	const n = 2345
	err := store.Load(ctx, func(l *models.Loader) error {
		maxID, err := l.MaxID(ctx, "organisations")
		if err != nil {
			return err
		}
		if maxID != int64(before.ID) {
			t.Errorf("MaxID = %d, want %d", maxID, before.ID)
		}
		written, err := l.CopyRows(ctx, "organisations", organisationColumns(), organisationRows(maxID+1, n))
		if err != nil {
			return err
		}
		if written != n {
			t.Errorf("CopyRows wrote %d rows, want %d", written, n)
		}
		return l.SyncIDSequences(ctx, "organisations")
	})
	if err != nil {
		t.Fatal(err)
	}
	if count, err := store.CountOrganisations(ctx); err != nil || count != n+1 {
		t.Fatalf("%d organisations (%v), want %d", count, err, n+1)
	}
	last, err := store.OrganisationByODSCode(ctx, fmt.Sprintf("C%05d", int(before.ID)+n))
	if err != nil || last.Name != fmt.Sprintf("Trust %d", int(before.ID)+n) {
		t.Fatalf("last copied organisation: %+v, %v", last, err)
	}
	// The service's next insert takes the id after the copied ones.
	after := testdb.Organisation(t, store, "After", "A1")
	if after.ID != before.ID+n+1 {
		t.Errorf("next id %d, want %d", after.ID, before.ID+n+1)
	}
}

func TestLoadRollsBackEverything(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	failed := errors.New("stop")
	err := store.Load(ctx, func(l *models.Loader) error {
		o := models.Organisation{Name: "Made with GORM", ODSCode: "G1", Kind: models.KindAcute}
		if err := l.CreateOrganisation(ctx, &o, 0); err != nil {
			return err
		}
		if _, err := l.CopyRows(ctx, "organisations", organisationColumns(), organisationRows(1000, 10)); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("Load returned %v, want the error of its function", err)
	}
	if n, err := store.CountOrganisations(ctx); err != nil || n != 0 {
		t.Errorf("%d organisations after a failed load (%v), want none", n, err)
	}
}

// A row that refers to nothing fails the load, although PostgreSQL checks
// foreign keys after the copy rather than row by row; the keys are all
// there again afterwards.
func TestCopyRowsChecksForeignKeys(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	countKeys := func() int64 {
		var n int64
		if store.Dialect() != models.Postgres {
			return 0
		}
		if err := store.Query(ctx, &n, "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'users'::regclass"); err != nil {
			t.Fatal(err)
		}
		return n
	}
	keysBefore := countKeys()
	now := time.Now().UTC()
	err := store.Load(ctx, func(l *models.Loader) error {
		sent := false
		_, err := l.CopyRows(ctx, "users", []string{"id", "organisation_id", "email", "name", "created_at", "updated_at"},
			func() ([]any, bool, error) {
				if sent {
					return nil, false, nil
				}
				sent = true
				return []any{1, 4242, "nobody@example.test", "Nobody", now, now}, true, nil
			})
		return err
	})
	if err == nil {
		t.Fatal("a user of an organisation that does not exist was loaded")
	}
	if keysAfter := countKeys(); keysAfter != keysBefore {
		t.Errorf("users has %d foreign keys after the load, %d before", keysAfter, keysBefore)
	}
	var n int64
	if err := store.Query(ctx, &n, "SELECT COUNT(*) FROM users"); err != nil || n != 0 {
		t.Errorf("%d users after a failed load (%v)", n, err)
	}
}

func TestCopyRowsRefusesOddNames(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	none := func() ([]any, bool, error) { return nil, false, nil }
	err := store.Load(ctx, func(l *models.Loader) error {
		for _, tc := range []struct {
			table   string
			columns []string
		}{
			{"users; DROP TABLE users", []string{"id"}},
			{"users", []string{"id", "name) VALUES (1); --"}},
			{"users", nil},
		} {
			if _, err := l.CopyRows(ctx, tc.table, tc.columns, none); err == nil {
				t.Errorf("CopyRows(%q, %q) accepted", tc.table, tc.columns)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
