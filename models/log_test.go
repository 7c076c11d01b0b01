package models_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// openLogged opens the test database with its log written to buf.
func openLogged(t *testing.T, buf *bytes.Buffer, level slog.Level) *models.Store {
	t.Helper()
	url := testdb.URL()
	if url == "" {
		url = filepath.Join(t.TempDir(), "log.db")
	}
	store, err := models.Open(url, slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: level})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

const secretValue = "jane.secret@example.nhs.uk"

// TestFailedQueriesLogNoValues: the log line of a failed query names the
// statement, never the values people typed, also with --log-sql (debug
// level), whose own "sql" lines keep the values as documented.
func TestFailedQueriesLogNoValues(t *testing.T) {
	ctx := context.Background()
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var buf bytes.Buffer
		store := openLogged(t, &buf, level)
		if err := store.Exec(ctx, "INSERT INTO no_such_table (email) VALUES (?)", secretValue); err == nil {
			t.Fatal("insert into a missing table did not fail")
		}
		if store.Dialect() == models.Postgres {
			// PostgreSQL quotes a value it cannot convert in its message.
			if err := store.Exec(ctx, "SELECT CAST(? AS integer)", secretValue); err == nil {
				t.Fatal("cast did not fail")
			}
		}
		var failed []string
		for _, line := range strings.Split(buf.String(), "\n") {
			if strings.Contains(line, "level=ERROR") {
				failed = append(failed, line)
			}
		}
		if len(failed) == 0 {
			t.Fatalf("level %s: no error logged:\n%s", level, buf.String())
		}
		for _, line := range failed {
			if strings.Contains(line, "jane.secret") {
				t.Errorf("level %s: a failed query's log line holds the value: %s", level, line)
			}
			if level == slog.LevelInfo && !strings.Contains(line, "no_such_table") && !strings.Contains(line, "CAST") {
				t.Errorf("level %s: the line does not name the statement: %s", level, line)
			}
		}
		if level == slog.LevelDebug {
			if err := store.Exec(ctx, "SELECT ?", secretValue); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "msg=sql sql=") || !strings.Contains(buf.String(), secretValue) {
				t.Errorf("--log-sql no longer logs statements with their values:\n%s", buf.String())
			}
		}
	}
}
