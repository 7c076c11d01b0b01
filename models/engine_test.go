package models_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
)

// The embedded SQLite engine is kept current: 3.41 (2023) was pinned by an
// old driver. This opens its own SQLite file, so it runs under both test runs.
func TestSQLiteEngineIsCurrent(t *testing.T) {
	store, err := models.Open(filepath.Join(t.TempDir(), "engine.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	v, err := store.EngineVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SQLite %s", v)
	parts := strings.Split(v, ".")
	major, _ := strconv.Atoi(parts[0])
	minor := 0
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	if major < 3 || (major == 3 && minor < 53) {
		t.Fatalf("sqlite_version() = %s, want 3.53 or newer", v)
	}
}
