package assessments

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// The test files are built from small parts, so that each bad file is the
// valid one with one visible edit.

const testHeader = `code: test-maturity
kind: maturity
version: "1.0"
title: Test maturity
summary: A small framework for the tests.
scale:
  - level: 1
    label: One
  - level: 2
    label: Two
  - level: 3
    label: Three
  - level: 4
    label: Four
  - level: 5
    label: Five
rag:
  amber_from: 2.5
  green_from: 3.5
sections:
`

func questionYAML(code string) string {
	return fmt.Sprintf(`      - code: %[1]s
        title: Title of %[1]s
        guidance: Guidance of %[1]s.
        levels:
          - %[1]s level 1.
          - %[1]s level 2.
          - %[1]s level 3.
          - %[1]s level 4.
          - %[1]s level 5.
        allow_not_applicable: false
        evidence_prompt: Evidence of %[1]s.
`, code)
}

func sectionYAML(code string, questions int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  - code: %[1]s\n    label: Label of %[1]s\n    summary: Summary of %[1]s.\n    questions:\n", code)
	for i := 1; i <= questions; i++ {
		b.WriteString(questionYAML(fmt.Sprintf("%s-%d", code, i)))
	}
	return b.String()
}

func frameworkYAML(sections []string, questions int) string {
	var b strings.Builder
	b.WriteString(testHeader)
	for _, code := range sections {
		b.WriteString(sectionYAML(code, questions))
	}
	return b.String()
}

// validYAML has the seven sections with six questions each: 7 × 6 = 42.
func validYAML() string {
	return frameworkYAML(MaturitySectionCodes(), 6)
}

// edit replaces old, which must occur exactly once, with new.
func edit(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times, want 1", old, n)
	}
	return strings.Replace(s, old, new, 1)
}

const testFile = "frameworks/test.yaml"

func TestParseValid(t *testing.T) {
	data := []byte(validYAML())
	f, err := Parse(testFile, data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	sum := sha256.Sum256(data)
	if want := hex.EncodeToString(sum[:]); f.Hash != want {
		t.Errorf("Hash = %s, want %s", f.Hash, want)
	}
	if f.File != testFile {
		t.Errorf("File = %q, want %q", f.File, testFile)
	}
	if f.Code != "test-maturity" || f.Kind != KindMaturity || f.Version != "1.0" {
		t.Errorf("Code, Kind, Version = %q, %q, %q", f.Code, f.Kind, f.Version)
	}
	if f.RAG != (RAGThresholds{AmberFrom: 2.5, GreenFrom: 3.5}) {
		t.Errorf("RAG = %+v", f.RAG)
	}
	// 7 sections × 6 questions = 42.
	if n := f.QuestionCount(); n != 42 {
		t.Errorf("QuestionCount = %d, want 42", n)
	}
	if got := f.SectionCodes(); !slices.Equal(got, MaturitySectionCodes()) {
		t.Errorf("SectionCodes = %v, want %v", got, MaturitySectionCodes())
	}
	q := f.Sections[2].Questions[3]
	if q.Code != "safe-practice-4" || q.Title != "Title of safe-practice-4" ||
		q.Guidance != "Guidance of safe-practice-4." || q.EvidencePrompt != "Evidence of safe-practice-4." ||
		len(q.Levels) != 5 || q.Levels[4] != "safe-practice-4 level 5." {
		t.Errorf("question 4 of section 3 = %+v", q)
	}
}

func TestParseChangesHash(t *testing.T) {
	// A comment changes no field, but it is still an edit of the file.
	a, err := Parse(testFile, []byte(validYAML()))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(testFile, []byte("# edited\n"+validYAML()))
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash == b.Hash {
		t.Errorf("same hash %s for different bytes", a.Hash)
	}
}

func TestFrameworkLookups(t *testing.T) {
	f, err := Parse(testFile, []byte(validYAML()))
	if err != nil {
		t.Fatal(err)
	}

	sections := []struct {
		code string
		ok   bool
	}{
		{"well-led", true},
		{"healthy-populations", true},
		{"well-lead", false},
		{"", false},
	}
	for _, tt := range sections {
		s, ok := f.Section(tt.code)
		if ok != tt.ok || (ok && s.Code != tt.code) {
			t.Errorf("Section(%q) = %v, %v; want ok %v", tt.code, s, ok, tt.ok)
		}
	}
	// Section returns the framework's own section, not a copy.
	if s, _ := f.Section("well-led"); s != &f.Sections[0] {
		t.Errorf("Section(well-led) is not &f.Sections[0]")
	}

	questions := []struct {
		code, section string
		ok            bool
	}{
		{"well-led-1", "well-led", true},
		{"improve-care-6", "improve-care", true},
		{"improve-care-7", "", false},
		{"well-led", "", false},
	}
	for _, tt := range questions {
		q, s, ok := f.Question(tt.code)
		if ok != tt.ok {
			t.Errorf("Question(%q) ok = %v, want %v", tt.code, ok, tt.ok)
			continue
		}
		if ok && (q.Code != tt.code || s.Code != tt.section) {
			t.Errorf("Question(%q) = %q in %q, want in %q", tt.code, q.Code, s.Code, tt.section)
		}
		if !ok && (q != nil || s != nil) {
			t.Errorf("Question(%q) = %v, %v, want nil, nil", tt.code, q, s)
		}
	}

	labels := []struct {
		level int
		want  string
	}{
		{1, "One"},
		{3, "Three"},
		{5, "Five"},
		{NotApplicable, ""},
		{6, ""},
		{-1, ""},
	}
	for _, tt := range labels {
		if got := f.ScaleLabel(tt.level); got != tt.want {
			t.Errorf("ScaleLabel(%d) = %q, want %q", tt.level, got, tt.want)
		}
	}
}

func TestParseFaults(t *testing.T) {
	valid := validYAML()
	codes := MaturitySectionCodes()
	tests := []parseFault{
		// Duplicate codes.
		{
			"duplicate question code",
			edit(t, valid, "code: well-led-2\n", "code: well-led-1\n"),
			"frameworks/test.yaml: question well-led-1: duplicate question code well-led-1",
		},
		{
			"duplicate question code in another section",
			edit(t, valid, "code: smart-foundations-1\n", "code: well-led-1\n"),
			"frameworks/test.yaml: question well-led-1: duplicate question code well-led-1",
		},
		{
			"duplicate section code",
			edit(t, valid, "code: smart-foundations\n", "code: well-led\n"),
			"frameworks/test.yaml: section well-led: duplicate section code well-led",
		},

		// Level descriptors.
		{
			"empty level descriptor",
			edit(t, valid, "- well-led-3 level 4.\n", "- \"\"\n"),
			"frameworks/test.yaml: question well-led-3: missing level 4 descriptor",
		},
		{
			"blank level descriptor",
			edit(t, valid, "- well-led-3 level 2.\n", "- \"  \"\n"),
			"frameworks/test.yaml: question well-led-3: missing level 2 descriptor",
		},
		{
			"four level descriptors",
			edit(t, valid, "          - well-led-3 level 5.\n", ""),
			"frameworks/test.yaml: question well-led-3: missing level 5 descriptor",
		},
		{
			"six level descriptors",
			edit(t, valid, "          - well-led-3 level 5.\n",
				"          - well-led-3 level 5.\n          - well-led-3 level 6.\n"),
			"frameworks/test.yaml: question well-led-3: has 6 level descriptors, want 5",
		},
		{
			"no level descriptors",
			edit(t, valid, "        levels:\n"+
				"          - well-led-3 level 1.\n"+
				"          - well-led-3 level 2.\n"+
				"          - well-led-3 level 3.\n"+
				"          - well-led-3 level 4.\n"+
				"          - well-led-3 level 5.\n", ""),
			"frameworks/test.yaml: question well-led-3: missing level 1 descriptor",
		},

		// RAG thresholds.
		{
			"thresholds out of order",
			edit(t, valid, "  amber_from: 2.5\n  green_from: 3.5\n", "  amber_from: 3.5\n  green_from: 2.5\n"),
			"frameworks/test.yaml: rag: rag thresholds out of order: amber_from 3.5 must be below green_from 2.5",
		},
		{
			"thresholds equal",
			edit(t, valid, "  amber_from: 2.5\n", "  amber_from: 3.5\n"),
			"frameworks/test.yaml: rag: rag thresholds out of order: amber_from 3.5 must be below green_from 3.5",
		},
		{
			"amber_from below the scale",
			edit(t, valid, "  amber_from: 2.5\n", "  amber_from: 0.5\n"),
			"frameworks/test.yaml: rag: rag threshold amber_from 0.5 is outside the scale 1 to 5",
		},
		{
			"green_from above the scale",
			edit(t, valid, "  green_from: 3.5\n", "  green_from: 5.5\n"),
			"frameworks/test.yaml: rag: rag threshold green_from 5.5 is outside the scale 1 to 5",
		},
		{
			"green_from not a number",
			edit(t, valid, "  green_from: 3.5\n", "  green_from: .nan\n"),
			"frameworks/test.yaml: rag: rag threshold green_from NaN is outside the scale 1 to 5",
		},
		{
			// Both thresholds decode as 0; amber_from is checked first.
			"no rag",
			edit(t, valid, "rag:\n  amber_from: 2.5\n  green_from: 3.5\n", ""),
			"frameworks/test.yaml: rag: rag threshold amber_from 0 is outside the scale 1 to 5",
		},

		// Sections.
		{
			"unknown section code",
			edit(t, valid, "code: well-led\n", "code: well-lead\n"),
			"frameworks/test.yaml: section well-lead: unknown section code well-lead",
		},
		{
			"section without code",
			edit(t, valid, "code: well-led\n", "code: \"\"\n"),
			"frameworks/test.yaml: section 1: missing code",
		},
		{
			"section without label",
			edit(t, valid, "label: Label of support-people\n", "label: \"\"\n"),
			"frameworks/test.yaml: section support-people: missing label",
		},
		{
			// 6 - 2 = 4 questions; 42 - 2 = 40 in all, still within 35 to 45.
			"section with 4 questions",
			edit(t, valid, questionYAML("well-led-5")+questionYAML("well-led-6"), ""),
			"frameworks/test.yaml: section well-led: has 4 questions, want 5 to 7",
		},
		{
			// 6 + 2 = 8 questions; 42 + 2 = 44 in all, still within 35 to 45.
			"section with 8 questions",
			edit(t, valid, questionYAML("well-led-6"),
				questionYAML("well-led-6")+questionYAML("well-led-7")+questionYAML("well-led-8")),
			"frameworks/test.yaml: section well-led: has 8 questions, want 5 to 7",
		},
		{
			// 6 sections × 5 = 30.
			"30 questions",
			frameworkYAML(codes[:6], 5),
			"frameworks/test.yaml: framework: has 30 questions, want 35 to 45",
		},
		{
			// 7 sections × 7 = 49.
			"49 questions",
			frameworkYAML(codes, 7),
			"frameworks/test.yaml: framework: has 49 questions, want 35 to 45",
		},
		{
			// 6 sections × 6 = 36 questions, within 35 to 45.
			"missing section",
			frameworkYAML(codes[:6], 6),
			"frameworks/test.yaml: framework: missing section healthy-populations",
		},
		{
			// 6 sections × 6 = 36 questions, within 35 to 45.
			"missing first section",
			frameworkYAML(codes[1:], 6),
			"frameworks/test.yaml: framework: missing section well-led",
		},

		// Questions.
		{
			"question without code",
			edit(t, valid, "code: well-led-2\n", "code: \"\"\n"),
			"frameworks/test.yaml: section well-led: question 2 has no code",
		},
		{
			"question code without its section's prefix",
			edit(t, valid, "code: smart-foundations-2\n", "code: foundations-2\n"),
			"frameworks/test.yaml: question foundations-2: code does not start with smart-foundations-",
		},
		{
			"question code with its section's code but no dash",
			edit(t, valid, "code: well-led-2\n", "code: well-led2\n"),
			"frameworks/test.yaml: question well-led2: code does not start with well-led-",
		},
		{
			"question without title",
			edit(t, valid, "title: Title of well-led-3\n", "title: \"\"\n"),
			"frameworks/test.yaml: question well-led-3: missing title",
		},
		{
			"question without guidance",
			edit(t, valid, "        guidance: Guidance of well-led-3.\n", ""),
			"frameworks/test.yaml: question well-led-3: missing guidance",
		},
		{
			"question with blank evidence_prompt",
			edit(t, valid, "evidence_prompt: Evidence of well-led-3.\n", "evidence_prompt: \" \"\n"),
			"frameworks/test.yaml: question well-led-3: missing evidence_prompt",
		},

		// Scale.
		{
			"scale of 4 levels",
			edit(t, valid, "  - level: 5\n    label: Five\n", ""),
			"frameworks/test.yaml: scale: has 4 levels, want 5",
		},
		{
			"scale of 6 levels",
			edit(t, valid, "    label: Five\n", "    label: Five\n  - level: 6\n    label: Six\n"),
			"frameworks/test.yaml: scale: has 6 levels, want 5",
		},
		{
			"scale level numbered twice",
			edit(t, valid, "  - level: 4\n", "  - level: 5\n"),
			"frameworks/test.yaml: scale: entry 4 is level 5, want levels 1 to 5 in order",
		},
		{
			"scale from 0",
			edit(t, valid, "  - level: 1\n", "  - level: 0\n"),
			"frameworks/test.yaml: scale: entry 1 is level 0, want levels 1 to 5 in order",
		},
		{
			"scale level without label",
			edit(t, valid, "label: Three\n", "label: \"\"\n"),
			"frameworks/test.yaml: scale: level 3 has no label",
		},

		// The framework itself.
		{
			"unknown kind",
			edit(t, valid, "kind: maturity\n", "kind: survey\n"),
			"frameworks/test.yaml: framework: unknown kind survey",
		},
		{
			"missing kind",
			edit(t, valid, "kind: maturity\n", ""),
			"frameworks/test.yaml: framework: missing kind",
		},
		{
			"empty code",
			edit(t, valid, "code: test-maturity\n", "code: \"\"\n"),
			"frameworks/test.yaml: framework: missing code",
		},
		{
			"empty version",
			edit(t, valid, "version: \"1.0\"\n", "version: \"\"\n"),
			"frameworks/test.yaml: framework: missing version",
		},
		{
			"empty title",
			edit(t, valid, "title: Test maturity\n", ""),
			"frameworks/test.yaml: framework: missing title",
		},
		{
			"version not dotted numbers",
			edit(t, valid, "version: \"1.0\"\n", "version: \"2026-1\"\n"),
			"frameworks/test.yaml: framework: version 2026-1 is not dotted numbers such as 2026.1",
		},
		{
			"version with a sign",
			edit(t, valid, "version: \"1.0\"\n", "version: \"1.-0\"\n"),
			"frameworks/test.yaml: framework: version 1.-0 is not dotted numbers such as 2026.1",
		},
		{
			// "2026.01" would be a second spelling of "2026.1".
			"version with a leading zero",
			edit(t, valid, "version: \"1.0\"\n", "version: \"2026.01\"\n"),
			"frameworks/test.yaml: framework: version 2026.01 is not dotted numbers such as 2026.1",
		},
		{
			"version with an empty part",
			edit(t, valid, "version: \"1.0\"\n", "version: \"2026.\"\n"),
			"frameworks/test.yaml: framework: version 2026. is not dotted numbers such as 2026.1",
		},
		{
			// colour is the 5th line: code, kind, version, title, colour.
			"unknown field",
			edit(t, valid, "title: Test maturity\n", "title: Test maturity\ncolour: blue\n"),
			"frameworks/test.yaml: framework: yaml: unmarshal errors:\n  line 5: field colour not found in type assessments.Framework",
		},
		{
			// Lines: 1-5 code to summary, 6 scale, 7-16 five levels of two
			// lines, 17-19 rag, 20 sections, 21-24 the section's code, label,
			// summary, questions, 25-26 well-led-1's code and title, 27 notes.
			"unknown field in a question",
			edit(t, valid, "        title: Title of well-led-1\n",
				"        title: Title of well-led-1\n        notes: draft\n"),
			"frameworks/test.yaml: framework: yaml: unmarshal errors:\n  line 27: field notes not found in type assessments.Question",
		},
		{
			"empty file",
			"",
			"frameworks/test.yaml: framework: empty file",
		},
		{
			"two documents",
			valid + "---\n" + valid,
			"frameworks/test.yaml: framework: more than one YAML document",
		},
	}
	checkParseFaults(t, tests)
}

// parseFault is a file Parse must refuse, and the whole message it must
// give: "<file>: <where>: <fault>".
type parseFault struct {
	name string
	file string
	want string
}

// checkParseFaults parses each file and wants its message, as a
// *ValidationError.
func checkParseFaults(t *testing.T, tests []parseFault) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(testFile, []byte(tt.file))
			if err == nil {
				t.Fatalf("Parse = %s %s, want error %q", f.Code, f.Version, tt.want)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %q is a %T, want *ValidationError", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tt.want)
			}
		})
	}
}

func TestValidationErrorFields(t *testing.T) {
	_, err := Parse(testFile, []byte(edit(t, validYAML(), "- well-led-3 level 4.\n", "- \"\"\n")))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	want := ValidationError{File: testFile, Where: "question well-led-3", Fault: "missing level 4 descriptor"}
	if *ve != want {
		t.Errorf("error = %+v, want %+v", *ve, want)
	}
}

// versionYAML is the valid test file with another code and version.
func versionYAML(t *testing.T, code, version string) []byte {
	t.Helper()
	s := edit(t, validYAML(), "code: test-maturity\n", "code: "+code+"\n")
	return []byte(edit(t, s, "version: \"1.0\"\n", "version: \""+version+"\"\n"))
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"frameworks/a.yaml":   {Data: versionYAML(t, "test-maturity", "2026.9")},
		"frameworks/b.yaml":   {Data: versionYAML(t, "test-maturity", "2026.10")},
		"frameworks/c.yaml":   {Data: versionYAML(t, "test-maturity", "2026.2")},
		"frameworks/d.yaml":   {Data: versionYAML(t, "another-maturity", "2027.1")},
		"frameworks/e.yaml":   {Data: versionYAML(t, "other-maturity", "1.0")},
		"frameworks/notes.md": {Data: []byte("not a framework")},
	}
	lib, err := LoadFS(fsys, "frameworks/*.yaml")
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}

	// By code, then version as numbers: 2026.2 < 2026.9 < 2026.10.
	var got []string
	for _, f := range lib.All() {
		got = append(got, f.Code+" "+f.Version+" "+f.File)
	}
	want := []string{
		"another-maturity 2027.1 frameworks/d.yaml",
		"other-maturity 1.0 frameworks/e.yaml",
		"test-maturity 2026.2 frameworks/c.yaml",
		"test-maturity 2026.9 frameworks/a.yaml",
		"test-maturity 2026.10 frameworks/b.yaml",
	}
	if !slices.Equal(got, want) {
		t.Errorf("All =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// All returns a copy: reordering it leaves the library alone.
	all := lib.All()
	all[0], all[1] = all[1], all[0]
	if lib.All()[0].Code != "another-maturity" {
		t.Errorf("All shares its slice with the library")
	}

	gets := []struct {
		code, version, file string
		ok                  bool
	}{
		{"test-maturity", "2026.9", "frameworks/a.yaml", true},
		{"test-maturity", "2026.10", "frameworks/b.yaml", true},
		{"other-maturity", "1.0", "frameworks/e.yaml", true},
		{"test-maturity", "2026.09", "", false}, // versions are looked up as written
		{"test-maturity", "1.0", "", false},
		{"no-such", "2026.9", "", false},
	}
	for _, tt := range gets {
		f, ok := lib.Get(tt.code, tt.version)
		if ok != tt.ok || (ok && f.File != tt.file) {
			t.Errorf("Get(%q, %q) = %v, %v; want %s, %v", tt.code, tt.version, f, ok, tt.file, tt.ok)
		}
	}

	// All five are maturity; 2027.1 is the highest version.
	if f, ok := lib.Latest(KindMaturity); !ok || f.Code != "another-maturity" || f.Version != "2027.1" {
		t.Errorf("Latest(maturity) = %v, %v; want another-maturity 2027.1", f, ok)
	}
	if f, ok := lib.Latest(KindSkills); ok || f != nil {
		t.Errorf("Latest(skills) = %v, %v; want nil, false", f, ok)
	}
}

func TestLatestComparesVersionsAsNumbers(t *testing.T) {
	// "2026.10" sorts before "2026.9" as text; as numbers 10 > 9.
	fsys := fstest.MapFS{
		"f/a.yaml": {Data: versionYAML(t, "test-maturity", "2026.9")},
		"f/b.yaml": {Data: versionYAML(t, "test-maturity", "2026.10")},
	}
	lib, err := LoadFS(fsys, "f/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := lib.Latest(KindMaturity); !ok || f.Version != "2026.10" {
		t.Errorf("Latest(maturity) = %v, %v; want 2026.10", f, ok)
	}
}

func TestLoadFSErrors(t *testing.T) {
	valid := []byte(validYAML())
	bad := []byte(edit(t, validYAML(), "- well-led-3 level 4.\n", "- \"\"\n"))
	badKind := []byte(edit(t, validYAML(), "kind: maturity\n", "kind: survey\n"))
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{
			"same code and version twice",
			fstest.MapFS{"f/a.yaml": {Data: valid}, "f/b.yaml": {Data: valid}},
			"f/b.yaml: framework: test-maturity version 1.0 is also in f/a.yaml",
		},
		{
			"first error wins",
			fstest.MapFS{"f/a.yaml": {Data: valid}, "f/b.yaml": {Data: bad}, "f/c.yaml": {Data: badKind}},
			"f/b.yaml: question well-led-3: missing level 4 descriptor",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib, err := LoadFS(tt.fsys, "f/*.yaml")
			if err == nil {
				t.Fatalf("LoadFS = %v, want error %q", lib, tt.want)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("error %q is a %T, want *ValidationError", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tt.want)
			}
		})
	}
}

func TestLoadFSNoFiles(t *testing.T) {
	fsys := fstest.MapFS{"f/a.yml": {Data: []byte(validYAML())}}
	_, err := LoadFS(fsys, "f/*.yaml")
	if !errors.Is(err, ErrNoFrameworks) {
		t.Errorf("LoadFS error = %v, want ErrNoFrameworks", err)
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2026.1", "2026.1", 0},
		{"2026.10", "2026.9", 1},
		{"2026.9", "2026.10", -1},
		{"2027.1", "2026.12", 1},
		{"2026", "2026.0", -1}, // a missing part counts as lower
	}
	for _, tt := range tests {
		if got := compareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// embeddedLatest loads the framework files built into the binary and returns
// the library with its latest framework of kind.
func embeddedLatest(tb testing.TB, kind string) (*Library, *Framework) {
	tb.Helper()
	lib, err := Load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	f, ok := lib.Latest(kind)
	if !ok {
		tb.Fatalf("no %s framework embedded", kind)
	}
	return lib, f
}

// TestLoadEmbedded loads the real framework files built into the binary.
func TestLoadEmbedded(t *testing.T) {
	lib, f := embeddedLatest(t, KindMaturity)
	if got, ok := lib.Get(f.Code, f.Version); !ok || got != f {
		t.Errorf("Get(%q, %q) does not return the latest maturity framework", f.Code, f.Version)
	}
	if !strings.HasPrefix(f.File, "frameworks/") || len(f.Hash) != 64 {
		t.Errorf("File, Hash = %q, %q", f.File, f.Hash)
	}
	if got := f.SectionCodes(); !slices.Equal(got, MaturitySectionCodes()) {
		t.Errorf("sections = %v, want %v", got, MaturitySectionCodes())
	}
	if n := f.QuestionCount(); n < 35 || n > 45 {
		t.Errorf("QuestionCount = %d, want 35 to 45", n)
	}
	if f.RAG != (RAGThresholds{AmberFrom: 2.5, GreenFrom: 3.5}) {
		t.Errorf("RAG = %+v, want amber_from 2.5, green_from 3.5", f.RAG)
	}
	for _, fw := range lib.All() {
		if fw.Kind == KindMaturity && fw.Code == f.Code {
			t.Logf("%s %s: %d sections, %d questions, %s", fw.File, fw.Version, len(fw.Sections), fw.QuestionCount(), fw.Hash)
		}
	}
}
