// Package testdb gives each test its own migrated database: an SQLite file
// in the test's temporary folder, or, when TEST_DATABASE_URL names a
// PostgreSQL database, a fresh schema in it that is dropped afterwards.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"nhs-digital-maturity/models"
)

// URL returns the PostgreSQL address tests run against, or "" for SQLite.
func URL() string { return os.Getenv("TEST_DATABASE_URL") }

// Open returns a migrated store for one test.
func Open(t testing.TB) *models.Store {
	t.Helper()
	store := OpenEmpty(t)
	if _, err := store.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return store
}

// OpenEmpty returns a store for one test with no tables at all.
func OpenEmpty(t testing.TB) *models.Store {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if URL() == "" {
		store, err := models.Open(filepath.Join(t.TempDir(), "test.db"), log)
		if err != nil {
			t.Fatalf("open sqlite: %v", err)
		}
		t.Cleanup(func() { store.Close() })
		return store
	}

	admin, err := models.Open(URL(), log)
	if err != nil {
		t.Fatalf("open postgres %s: %v", URL(), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if err := admin.Exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	u, err := url.Parse(URL())
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	store, err := models.Open(u.String(), log)
	if err != nil {
		t.Fatalf("open postgres schema: %v", err)
	}
	t.Cleanup(func() {
		store.Close()
		if err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	return store
}
