package models

import (
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// answerRows is a source of skills answers like a load's: thirty for each
// attempt, with its id and time, statement codes from a table.
func answerRows(tb testing.TB) RowSource {
	store, err := Open(filepath.Join(tb.TempDir(), "rows.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	t, err := store.modelTable(new(SkillsAnswer))
	if err != nil {
		tb.Fatal(err)
	}
	codes := make([]string, 30)
	for i := range codes {
		codes[i] = string(rune('a'+i%26)) + "-statement"
	}
	ratings := []int{1, 2, 3, 4}
	start := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	src, err := modelRows(t.fields, func(v *SkillsAnswer) (bool, error) {
		*v = SkillsAnswer{AssessmentID: uint(1000 + i/30), StatementCode: codes[i%30], Now: &ratings[i%4], Need: &ratings[(i+1)%4],
			UpdatedAt: start.Add(time.Duration(i/30) * time.Minute)}
		i++
		return true, nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return src
}

func TestModelRowsReadTheFields(t *testing.T) {
	src := answerRows(t)
	for range 31 {
		src()
	}
	row, ok, err := src() // the second statement of the second attempt
	if !ok || err != nil {
		t.Fatalf("ok %v, error %v", ok, err)
	}
	want := []any{int64(1001), "b-statement", int64(4), int64(1), time.Date(2026, 4, 1, 0, 1, 0, 0, time.UTC)}
	if len(row) != len(want) {
		t.Fatalf("row %v, want %v", row, want)
	}
	for i := range want {
		if row[i] != want[i] {
			t.Errorf("column %d: %#v, want %#v", i, row[i], want[i])
		}
	}
}

// Values repeated from row to row are not boxed again: a national load
// makes 48 million rows.
func TestModelRowsRefuseOtherFieldTypes(t *testing.T) {
	type odd struct{ M map[string]int }
	if _, err := modelRows([]modelField{{0, reflect.TypeFor[map[string]int]()}}, func(*odd) (bool, error) { return false, nil }); err == nil {
		t.Error("a map field was accepted")
	}
}

// BenchmarkModelRows measures a repeated row, which should allocate nothing
// (allocs/op 0): values are boxed again only when they change.
func BenchmarkModelRows(b *testing.B) {
	src := answerRows(b)
	b.ReportAllocs()
	for b.Loop() {
		src()
	}
}
