package models_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

func TestTableOf(t *testing.T) {
	store := testdb.Open(t)
	for _, tc := range []struct {
		table func(*models.Store) (string, error)
		want  string
	}{
		{models.TableOf[models.User], "users"},
		{models.TableOf[models.SkillsAnswer], "skills_answers"},
		{models.TableOf[models.AgreedAnswer], "maturity_agreed"},
	} {
		if got, err := tc.table(store); err != nil || got != tc.want {
			t.Errorf("TableOf = %q, %v; want %q", got, err, tc.want)
		}
	}
}

// Every field of the model is written as the service's own insert writes
// it, with the ids given; a nil pointer is NULL.
func TestCopyModelsWritesEveryField(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	org := testdb.Organisation(t, store, "Trust", "T1")
	at := func(day int) time.Time { return time.Date(2026, 5, day, 9, 30, 15, 123000, time.UTC) }
	signIn, own, left := at(3), at(4), at(5)
	var want []models.User
	err := store.Load(ctx, func(l *models.Loader) error {
		base, err := l.MaxID(ctx, "users")
		if err != nil {
			return err
		}
		for i := range 3 {
			u := models.User{ID: uint(base) + uint(i) + 10, OrganisationID: org.ID, Email: fmt.Sprintf("p%d@example.nhs.uk", i),
				Name: fmt.Sprintf("Person %d", i), PasswordHash: "hash", RoleCodes: "staff", Active: i != 1,
				StaffGroup: "Students", PayBand: "Band 5", Department: "Ward 1", JobRole: "Nurse", CreatedAt: at(1), UpdatedAt: at(2)}
			if i == 0 {
				u.LastSignInAt, u.OwnSignInAt, u.LeftAt = &signIn, &own, &left
			}
			want = append(want, u)
		}
		i := 0
		n, err := models.CopyModels(ctx, l, true, func(u *models.User) (bool, error) {
			if *u != (models.User{}) {
				t.Errorf("row %d: the value is not zeroed: %+v", i, *u)
			}
			if i == len(want) {
				return false, nil
			}
			*u = want[i]
			i++
			return true, nil
		})
		if err != nil || n != int64(len(want)) {
			t.Errorf("CopyModels wrote %d users, %v; want %d", n, err, len(want))
		}
		return l.SyncIDSequences(ctx, "users")
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		got, err := store.UserByID(ctx, w.ID)
		if err != nil {
			t.Fatalf("user %d: %v", w.ID, err)
		}
		for _, p := range []**time.Time{&got.LastSignInAt, &got.OwnSignInAt, &got.LeftAt} {
			if *p != nil {
				utc := (*p).UTC()
				*p = &utc
			}
		}
		got.CreatedAt, got.UpdatedAt = got.CreatedAt.UTC(), got.UpdatedAt.UTC()
		if !reflect.DeepEqual(got, w) {
			t.Errorf("user %d:\n got %+v\nwant %+v", w.ID, got, w)
		}
	}
}

// Without ids the database numbers the rows.
func TestCopyModelsWithoutIDs(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	org := testdb.Organisation(t, store, "Trust", "T1")
	due := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	err := store.Load(ctx, func(l *models.Loader) error {
		i := 0
		_, err := models.CopyModels(ctx, l, false, func(a *models.Action) (bool, error) {
			if i == 4 {
				return false, nil
			}
			*a = models.Action{ID: 99, OrganisationID: org.ID, SectionCode: "s", Title: fmt.Sprintf("Action %d", i), Status: "not-started",
				Version: 1, CreatedAt: due, UpdatedAt: due}
			if i%2 == 0 {
				a.DueDate = &due
			}
			i++
			return true, nil
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID      uint
		Title   string
		DueDate *time.Time
	}
	if err := store.Query(ctx, &rows, "SELECT id, title, due_date FROM actions ORDER BY id"); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d actions, want 4", len(rows))
	}
	for i, r := range rows {
		if r.ID == 99 || (i > 0 && r.ID <= rows[i-1].ID) || r.Title != fmt.Sprintf("Action %d", i) || (r.DueDate != nil) != (i%2 == 0) {
			t.Errorf("action %d: %+v", i, r)
		}
	}
	next := models.Action{OrganisationID: org.ID, SectionCode: "s", Title: "Next", Status: "not-started"}
	if err := store.SaveAction(ctx, &next, 0); err != nil || next.ID <= rows[3].ID {
		t.Errorf("next action id %d after %d, error %v", next.ID, rows[3].ID, err)
	}
}
