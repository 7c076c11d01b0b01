package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// layers are the rows of the package picture in docs/architecture.md: a
// package may import only packages of a later row. Packages of one row never
// import each other, so features stay apart and handlers stays the only
// place they meet.
var layers = [][]string{
	{"app"},
	{"handlers"},
	{"reminders"},
	{"maturity", "skills", "workforce", "staffimport", "accounts", "audit", "sso"},
	{"reports", "evidence"},
	{"charts"},
	{"email"},
	{"models", "assessments", "validation", "static", "templates"},
}

const module = "nhs-digital-maturity/"

// importsOf lists, for each top-level package of the module, the module's
// packages its non-test files import.
func importsOf(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		top := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if strings.HasPrefix(p, module) {
				out[top] = append(out[top], strings.SplitN(strings.TrimPrefix(p, module), "/", 2)[0])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// layerProblems says which imports go up or across the picture.
func layerProblems(imports map[string][]string) []string {
	row := map[string]int{}
	for i, names := range layers {
		for _, n := range names {
			row[n] = i
		}
	}
	var problems []string
	for pkg, imps := range imports {
		from, known := row[pkg]
		if !known {
			if pkg != "bench" {
				problems = append(problems, pkg+" is not in the package picture")
			}
			continue
		}
		for _, imp := range imps {
			if imp == pkg {
				continue // a package's own sub-package, like models/testdb
			}
			if to, ok := row[imp]; !ok || to <= from {
				problems = append(problems, pkg+" imports "+imp)
			}
		}
	}
	return problems
}

func TestImportsGoOneWay(t *testing.T) {
	imports := importsOf(t, "..")
	if len(imports["handlers"]) == 0 || len(imports["maturity"]) == 0 {
		t.Fatalf("read no imports: %v", imports)
	}
	for _, p := range layerProblems(imports) {
		t.Error(p)
	}
	// Positive control: the same check finds a feature importing another
	// feature, and storage importing a feature.
	bad := map[string][]string{"skills": {"maturity"}, "models": {"workforce"}, "maturity": {"models"}}
	if got := layerProblems(bad); len(got) != 2 {
		t.Errorf("the check missed an import against the picture: %v", got)
	}
}

// handlersMustNot are what the HTTP layer leaves to the packages below it:
// storage, drawing, export formats and the workforce rules. Each is an
// import or a piece of text a reader could grep for.
var handlersMustNot = []struct{ what, text string }{
	{"SQL", `"gorm.io/`}, {"SQL", `"database/sql"`}, {"SQL", `"github.com/jackc/`},
	{"SQL", "SELECT "}, {"SQL", "INSERT INTO"}, {"SQL", "DELETE FROM"}, {"SQL", ".Raw("}, {"SQL", ".Exec("},
	{"PDF drawing", `"codeberg.org/go-pdf/fpdf"`}, {"spreadsheets", `"github.com/xuri/excelize`}, {"CSV writing", `"encoding/csv"`},
	{"SVG drawing", "<svg"}, {"SVG drawing", "<polygon"}, {"SVG drawing", "<rect"}, {"SVG drawing", "<circle"},
	{"scoring", "assessments.Score"}, {"scoring", "assessments.Benchmark"}, {"scoring", "assessments.Round1"},
	{"suppression", "workforce.Build("}, {"suppression", "workforce.Audit("},
}

// handlersProblems lists which of handlersMustNot each file holds.
func handlersProblems(files map[string]string) []string {
	var problems []string
	for name, text := range files {
		for _, m := range handlersMustNot {
			if strings.Contains(text, m.text) {
				problems = append(problems, name+" holds "+m.what+" ("+m.text+")")
			}
		}
	}
	return problems
}

func TestHandlersHoldNoSQLScoringSuppressionOrDrawing(t *testing.T) {
	names, err := filepath.Glob("../handlers/*.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(name)] = string(b)
	}
	if len(files) < 10 {
		t.Fatalf("read only %d files of handlers", len(files))
	}
	for _, p := range handlersProblems(files) {
		t.Error(p)
	}
	// Positive control: the check finds a query and a chart drawn by hand.
	bad := map[string]string{"x.go": "db.Raw(\"SELECT 1\")\nfmt.Fprintf(&b, `<svg viewBox=\"0 0 1 1\">`)"}
	if got := handlersProblems(bad); len(got) != 3 {
		t.Errorf("the check missed what it looks for: %v", got)
	}
}
