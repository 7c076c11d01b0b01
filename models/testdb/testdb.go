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

// Organisation creates an acute trust in store, for tests that need one.
func Organisation(t testing.TB, store *models.Store, name, odsCode string) models.Organisation {
	t.Helper()
	return OrganisationOfKind(t, store, name, odsCode, models.KindAcute)
}

// OrganisationOfKind creates an organisation of the given kind in store.
func OrganisationOfKind(t testing.TB, store *models.Store, name, odsCode, kind string) models.Organisation {
	t.Helper()
	o := models.Organisation{Name: name, ODSCode: odsCode, Kind: kind}
	if err := store.CreateOrganisation(context.Background(), &o, 0); err != nil {
		t.Fatalf("create organisation %s: %v", odsCode, err)
	}
	return o
}

// SkillsFramework registers a skills framework version under code, for
// tests that store attempts without reading a framework file.
func SkillsFramework(t testing.TB, store *models.Store, code string) models.FrameworkVersion {
	t.Helper()
	fv, err := store.RegisterFramework(context.Background(), models.FrameworkVersion{Code: code, Kind: "skills", Version: "1", Title: "Skills", ContentHash: "x"})
	if err != nil {
		t.Fatalf("register framework %s: %v", code, err)
	}
	return fv
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

	schemaURL := NewSchema(t, URL())
	store, err := models.Open(schemaURL, log)
	if err != nil {
		t.Fatalf("open postgres schema: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// NewSchema creates a fresh schema in the PostgreSQL database at baseURL,
// dropped when the test ends, and returns baseURL with search_path set to
// it, for tests that connect themselves (such as through a proxy).
func NewSchema(t testing.TB, baseURL string) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	admin, err := models.Open(baseURL, log)
	if err != nil {
		t.Fatalf("open postgres %s: %v", baseURL, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if err := admin.Exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	// Registered first, so it runs after the cleanups of whatever uses it.
	t.Cleanup(func() {
		if err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatalf("parse %s: %v", baseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// DefaultPostgresURL is the PostgreSQL that `make test` uses.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// RequirePostgres returns the address of a reachable PostgreSQL for a test
// that needs one whichever database the run is on: TEST_DATABASE_URL, or
// DefaultPostgresURL in the SQLite run. Without one the test is skipped
// with a message, except with CI=true, where it fails.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	u := URL()
	if u == "" {
		u = DefaultPostgresURL
	}
	store, err := models.Open(u, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil {
		err = store.Ping(context.Background())
		store.Close()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is not reachable: CI requires it: %v", u, err)
		}
		t.Skipf("PostgreSQL at %s is not reachable (set TEST_DATABASE_URL): %v", u, err)
	}
	return u
}
