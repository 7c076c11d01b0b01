package assessments

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// As in load_test.go, the skills test files are built from small parts, so
// that each bad file is the valid one with one visible edit.

const skillsTestHeader = `code: test-skills
kind: skills
version: "1.0"
title: Test skills
summary: A small skills framework for the tests.
scale:
  - level: 1
    label: Not done
  - level: 2
    label: With help
  - level: 3
    label: On my own
  - level: 4
    label: Could show others
rag:
  amber_from: 2.0
  green_from: 3.0
sections:
`

func statementYAML(code string) string {
	return fmt.Sprintf(`      - code: %[1]s
        title: I can do %[1]s
        guidance: For example, %[1]s at work.
        allow_not_applicable: false
`, code)
}

// learningEntryYAML is the learning for one level of a domain. Level 1 has
// two suggestions, the first with a catalogue_path; the others have one.
func learningEntryYAML(code string, level int) string {
	if level == 1 {
		return fmt.Sprintf(`      - level: 1
        suggestions:
          - title: First step for %[1]s
            summary: First summary for %[1]s.
            catalogue_path: skills/%[1]s/first
          - title: Second step for %[1]s
            summary: Second summary for %[1]s.
`, code)
	}
	return fmt.Sprintf(`      - level: %[2]d
        suggestions:
          - title: Level %[2]d step for %[1]s
            summary: Level %[2]d summary for %[1]s.
`, code, level)
}

func skillsSectionYAML(code string, statements int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  - code: %[1]s\n    label: Label of %[1]s\n    summary: Summary of %[1]s.\n    questions:\n", code)
	for i := 1; i <= statements; i++ {
		b.WriteString(statementYAML(fmt.Sprintf("%s-%d", code, i)))
	}
	b.WriteString("    learning:\n")
	for level := 1; level <= 4; level++ {
		b.WriteString(learningEntryYAML(code, level))
	}
	return b.String()
}

func skillsFrameworkYAML(sections []string, statements int) string {
	var b strings.Builder
	b.WriteString(skillsTestHeader)
	for _, code := range sections {
		b.WriteString(skillsSectionYAML(code, statements))
	}
	return b.String()
}

// validSkillsYAML has the six domains with four statements each: 6 × 4 = 24,
// the fewest allowed.
func validSkillsYAML() string {
	return skillsFrameworkYAML(SkillsSectionCodes(), 4)
}

func TestParseSkillsValid(t *testing.T) {
	f, err := Parse(testFile, []byte(validSkillsYAML()))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if f.Code != "test-skills" || f.Kind != KindSkills || f.Version != "1.0" {
		t.Errorf("Code, Kind, Version = %q, %q, %q", f.Code, f.Kind, f.Version)
	}
	if len(f.Scale) != 4 || f.ScaleLabel(4) != "Could show others" {
		t.Errorf("Scale = %+v", f.Scale)
	}
	if f.RAG != (RAGThresholds{AmberFrom: 2, GreenFrom: 3}) {
		t.Errorf("RAG = %+v", f.RAG)
	}
	if n := f.QuestionCount(); n != 24 {
		t.Errorf("QuestionCount = %d, want 24", n)
	}
	if got := f.SectionCodes(); !slices.Equal(got, SkillsSectionCodes()) {
		t.Errorf("SectionCodes = %v, want %v", got, SkillsSectionCodes())
	}
	s, _ := f.Section("communication")
	want := []Suggestion{
		{Title: "First step for communication", Summary: "First summary for communication.", CataloguePath: "skills/communication/first"},
		{Title: "Second step for communication", Summary: "Second summary for communication."},
	}
	if len(s.Learning) != 4 || s.Learning[0].Level != 1 || !slices.Equal(s.Learning[0].Suggestions, want) {
		t.Errorf("communication learning = %+v", s.Learning)
	}
	q := s.Questions[1]
	if q.Code != "communication-2" || q.Title != "I can do communication-2" || q.Guidance != "For example, communication-2 at work." ||
		q.Levels != nil || q.AllowNotApplicable || q.EvidencePrompt != "" {
		t.Errorf("statement 2 of communication = %+v", q)
	}
}

// TestParseSkillsValidVariants are files that differ from the valid one
// and must still load.
func TestParseSkillsValidVariants(t *testing.T) {
	valid := validSkillsYAML()
	code := "data-information"
	tests := []struct {
		name string
		file string
	}{
		{
			// 6 + 5 × 4 = 26 statements.
			"a domain with 6 statements",
			edit(t, valid, statementYAML("data-information-4"),
				statementYAML("data-information-4")+statementYAML("data-information-5")+statementYAML("data-information-6")),
		},
		{
			// 6 × 6 = 36, the most allowed.
			"36 statements",
			skillsFrameworkYAML(SkillsSectionCodes(), 6),
		},
		{
			// Domains are matched by code, not position.
			"domains in another order",
			skillsFrameworkYAML(reversed(SkillsSectionCodes()), 4),
		},
		{
			// Levels are matched by number, not position.
			"learning in reverse level order",
			edit(t, valid,
				learningEntryYAML(code, 1)+learningEntryYAML(code, 2)+learningEntryYAML(code, 3)+learningEntryYAML(code, 4),
				learningEntryYAML(code, 4)+learningEntryYAML(code, 3)+learningEntryYAML(code, 2)+learningEntryYAML(code, 1)),
		},
		{
			"three suggestions",
			edit(t, valid, "            summary: Level 2 summary for communication.\n",
				"            summary: Level 2 summary for communication.\n"+
					"          - title: Another\n            summary: Another summary.\n"+
					"          - title: And another\n            summary: And another summary.\n"),
		},
		{
			"catalogue_path with a leading slash and a query",
			edit(t, valid, "catalogue_path: skills/communication/first\n", "catalogue_path: /courses/42?lang=en-GB\n"),
		},
		{
			"empty catalogue_path",
			edit(t, valid, "catalogue_path: skills/communication/first\n", "catalogue_path: \"\"\n"),
		},
		{
			"evidence_prompt given as empty",
			edit(t, valid, "        guidance: For example, communication-2 at work.\n",
				"        guidance: For example, communication-2 at work.\n        evidence_prompt: \"\"\n"),
		},
		{
			"allow_not_applicable left out",
			edit(t, valid, "        guidance: For example, communication-2 at work.\n        allow_not_applicable: false\n",
				"        guidance: For example, communication-2 at work.\n"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(testFile, []byte(tt.file)); err != nil {
				t.Errorf("Parse: %v", err)
			}
		})
	}
}

func reversed(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

func TestParseSkillsFaults(t *testing.T) {
	valid := validSkillsYAML()
	codes := SkillsSectionCodes()
	// A misspelt field in a suggestion is refused, like any other; the
	// decoder names its line.
	unknownField := edit(t, valid, "catalogue_path: skills/communication/first\n",
		"catalogue_path: skills/communication/first\n            url: https://example.org\n")
	unknownLine := strings.Count(unknownField[:strings.Index(unknownField, "            url:")], "\n") + 1
	tests := []parseFault{
		// Scale and RAG thresholds: the shared checks, on 1 to 4.
		{
			"scale of 5 levels",
			edit(t, valid, "    label: Could show others\n", "    label: Could show others\n  - level: 5\n    label: Expert\n"),
			"frameworks/test.yaml: scale: has 5 levels, want 4",
		},
		{
			"scale of 3 levels",
			edit(t, valid, "  - level: 4\n    label: Could show others\n", ""),
			"frameworks/test.yaml: scale: has 3 levels, want 4",
		},
		{
			"scale out of order",
			edit(t, valid, "  - level: 2\n    label: With help\n  - level: 3\n",
				"  - level: 3\n    label: With help\n  - level: 2\n"),
			"frameworks/test.yaml: scale: entry 2 is level 3, want levels 1 to 4 in order",
		},
		{
			"scale level without label",
			edit(t, valid, "label: With help\n", "label: \"\"\n"),
			"frameworks/test.yaml: scale: level 2 has no label",
		},
		{
			// 4.5 would be inside a maturity scale of 1 to 5.
			"green_from above the scale",
			edit(t, valid, "  green_from: 3.0\n", "  green_from: 4.5\n"),
			"frameworks/test.yaml: rag: rag threshold green_from 4.5 is outside the scale 1 to 4",
		},
		{
			"amber_from below the scale",
			edit(t, valid, "  amber_from: 2.0\n", "  amber_from: 0.5\n"),
			"frameworks/test.yaml: rag: rag threshold amber_from 0.5 is outside the scale 1 to 4",
		},
		{
			"thresholds out of order",
			edit(t, valid, "  amber_from: 2.0\n  green_from: 3.0\n", "  amber_from: 3.0\n  green_from: 2.0\n"),
			"frameworks/test.yaml: rag: rag thresholds out of order: amber_from 3 must be below green_from 2",
		},

		// Domains.
		{
			// A maturity success measure is not a skills domain.
			"unknown section code",
			edit(t, valid, "  - code: communication\n", "  - code: well-led\n"),
			"frameworks/test.yaml: section well-led: unknown section code well-led",
		},
		{
			"section without code",
			edit(t, valid, "  - code: data-information\n", "  - code: \"\"\n"),
			"frameworks/test.yaml: section 1: missing code",
		},
		{
			"duplicate section code",
			edit(t, valid, "  - code: communication\n", "  - code: data-information\n"),
			"frameworks/test.yaml: section data-information: duplicate section code data-information",
		},
		{
			"section without label",
			edit(t, valid, "label: Label of technical-proficiency\n", "label: \"\"\n"),
			"frameworks/test.yaml: section technical-proficiency: missing label",
		},
		{
			// 4 - 1 = 3 statements.
			"section with 3 statements",
			edit(t, valid, statementYAML("communication-4"), ""),
			"frameworks/test.yaml: section communication: has 3 statements, want 4 to 6",
		},
		{
			// 4 + 3 = 7 statements; 24 + 3 = 27 in all, still within 24 to 36.
			"section with 7 statements",
			edit(t, valid, statementYAML("communication-4"),
				statementYAML("communication-4")+statementYAML("communication-5")+
					statementYAML("communication-6")+statementYAML("communication-7")),
			"frameworks/test.yaml: section communication: has 7 statements, want 4 to 6",
		},
		{
			// 5 domains × 4 = 20.
			"20 statements",
			skillsFrameworkYAML(codes[:5], 4),
			"frameworks/test.yaml: framework: has 20 statements, want 24 to 36",
		},
		{
			// 5 domains × 5 = 25 statements, within 24 to 36.
			"missing section",
			skillsFrameworkYAML(codes[:5], 5),
			"frameworks/test.yaml: framework: missing section identity-wellbeing-safety",
		},
		{
			// 5 domains × 6 = 30 statements, within 24 to 36.
			"missing first section",
			skillsFrameworkYAML(codes[1:], 6),
			"frameworks/test.yaml: framework: missing section data-information",
		},

		// Statements.
		{
			"statement without code",
			edit(t, valid, "code: data-information-2\n", "code: \"\"\n"),
			"frameworks/test.yaml: section data-information: statement 2 has no code",
		},
		{
			"duplicate statement code",
			edit(t, valid, "code: data-information-2\n", "code: data-information-1\n"),
			"frameworks/test.yaml: statement data-information-1: duplicate statement code data-information-1",
		},
		{
			"duplicate statement code in another section",
			edit(t, valid, "code: communication-1\n", "code: data-information-1\n"),
			"frameworks/test.yaml: statement data-information-1: duplicate statement code data-information-1",
		},
		{
			"statement code without its section's prefix",
			edit(t, valid, "code: communication-2\n", "code: comms-2\n"),
			"frameworks/test.yaml: statement comms-2: code does not start with communication-",
		},
		{
			"statement without title",
			edit(t, valid, "title: I can do communication-2\n", "title: \"\"\n"),
			"frameworks/test.yaml: statement communication-2: missing title",
		},
		{
			"statement not starting with I can",
			edit(t, valid, "title: I can do communication-2\n", "title: Doing communication-2\n"),
			"frameworks/test.yaml: statement communication-2: statement must start with \"I can\"",
		},
		{
			"statement starting with lower-case i can",
			edit(t, valid, "title: I can do communication-2\n", "title: i can do communication-2\n"),
			"frameworks/test.yaml: statement communication-2: statement must start with \"I can\"",
		},
		{
			"statement starting with I cannot",
			edit(t, valid, "title: I can do communication-2\n", "title: I cannot do communication-2\n"),
			"frameworks/test.yaml: statement communication-2: statement must start with \"I can\"",
		},
		{
			"statement without guidance",
			edit(t, valid, "        guidance: For example, communication-2 at work.\n", ""),
			"frameworks/test.yaml: statement communication-2: missing guidance",
		},
		{
			"statement with level descriptors",
			edit(t, valid, "        guidance: For example, communication-2 at work.\n",
				"        guidance: For example, communication-2 at work.\n        levels:\n"+
					"          - One.\n          - Two.\n          - Three.\n          - Four.\n"),
			"frameworks/test.yaml: statement communication-2: skills statements have no level descriptors",
		},
		{
			"statement allowing not applicable",
			edit(t, valid, "guidance: For example, communication-2 at work.\n        allow_not_applicable: false\n",
				"guidance: For example, communication-2 at work.\n        allow_not_applicable: true\n"),
			"frameworks/test.yaml: statement communication-2: allow_not_applicable must be false for skills statements",
		},
		{
			"statement with an evidence prompt",
			edit(t, valid, "        guidance: For example, communication-2 at work.\n",
				"        guidance: For example, communication-2 at work.\n        evidence_prompt: Show your certificate.\n"),
			"frameworks/test.yaml: statement communication-2: skills statements have no evidence_prompt",
		},

		// Learning.
		{
			"missing learning for a level",
			edit(t, valid, learningEntryYAML("communication", 3), ""),
			"frameworks/test.yaml: section communication: missing learning for level 3",
		},
		{
			"no learning at all",
			edit(t, valid, "    learning:\n"+learningEntryYAML("communication", 1)+learningEntryYAML("communication", 2)+
				learningEntryYAML("communication", 3)+learningEntryYAML("communication", 4), ""),
			"frameworks/test.yaml: section communication: missing learning for level 1",
		},
		{
			// Level 3 numbered 2: level 2 twice (and 3 missing).
			"duplicate learning for a level",
			edit(t, valid, "      - level: 3\n        suggestions:\n          - title: Level 3 step for communication\n",
				"      - level: 2\n        suggestions:\n          - title: Level 3 step for communication\n"),
			"frameworks/test.yaml: section communication: duplicate learning for level 2",
		},
		{
			"learning level above the scale",
			edit(t, valid, learningEntryYAML("communication", 4),
				learningEntryYAML("communication", 4)+strings.ReplaceAll(learningEntryYAML("communication", 4), "4", "5")),
			"frameworks/test.yaml: section communication: learning level 5 is outside the scale 1 to 4",
		},
		{
			"learning level 0",
			edit(t, valid, "      - level: 4\n        suggestions:\n          - title: Level 4 step for communication\n",
				"      - level: 0\n        suggestions:\n          - title: Level 4 step for communication\n"),
			"frameworks/test.yaml: section communication: learning level 0 is outside the scale 1 to 4",
		},
		{
			"learning with no suggestions",
			edit(t, valid, learningEntryYAML("communication", 2), "      - level: 2\n        suggestions: []\n"),
			"frameworks/test.yaml: section communication: learning for level 2 has 0 suggestions, want 1 to 3",
		},
		{
			"learning with 4 suggestions",
			edit(t, valid, "            summary: Level 2 summary for communication.\n",
				"            summary: Level 2 summary for communication.\n"+
					"          - title: B\n            summary: B.\n"+
					"          - title: C\n            summary: C.\n"+
					"          - title: D\n            summary: D.\n"),
			"frameworks/test.yaml: section communication: learning for level 2 has 4 suggestions, want 1 to 3",
		},
		{
			"suggestion without title",
			edit(t, valid, "title: Level 3 step for communication\n", "title: \" \"\n"),
			"frameworks/test.yaml: section communication: suggestion 1 for level 3 has no title",
		},
		{
			"suggestion without summary",
			edit(t, valid, "            summary: Second summary for communication.\n", ""),
			"frameworks/test.yaml: section communication: suggestion 2 for level 1 has no summary",
		},
		{
			"catalogue_path a full address",
			edit(t, valid, "catalogue_path: skills/communication/first\n",
				"catalogue_path: https://learning.example.nhs.uk/courses/42\n"),
			"frameworks/test.yaml: section communication: suggestion 1 for level 1: " +
				"catalogue_path must be a path relative to the learning catalogue address, not a full address",
		},
		{
			"catalogue_path starting with http",
			edit(t, valid, "catalogue_path: skills/communication/first\n", "catalogue_path: HTTP-courses/42\n"),
			"frameworks/test.yaml: section communication: suggestion 1 for level 1: " +
				"catalogue_path must be a path relative to the learning catalogue address, not a full address",
		},
		{
			"catalogue_path without a scheme",
			edit(t, valid, "catalogue_path: skills/communication/first\n", "catalogue_path: //learning.example.nhs.uk/42\n"),
			"frameworks/test.yaml: section communication: suggestion 1 for level 1: " +
				"catalogue_path must be a path relative to the learning catalogue address, not a full address",
		},
		{
			"catalogue_path with another scheme",
			edit(t, valid, "catalogue_path: skills/communication/first\n", "catalogue_path: \"javascript:alert(1)\"\n"),
			"frameworks/test.yaml: section communication: suggestion 1 for level 1: " +
				"catalogue_path must be a path relative to the learning catalogue address, not a full address",
		},
		{
			"catalogue_path with a space",
			edit(t, valid, "catalogue_path: skills/communication/first\n", "catalogue_path: skills/data security\n"),
			"frameworks/test.yaml: section communication: suggestion 1 for level 1: catalogue_path must not contain spaces",
		},

		// The framework itself.
		{
			// The maturity test file, relabelled: its 5-level scale is the
			// first thing wrong with it as a skills framework.
			"a maturity file labelled skills",
			edit(t, validYAML(), "kind: maturity\n", "kind: skills\n"),
			"frameworks/test.yaml: scale: has 5 levels, want 4",
		},
		{
			// The skills test file, relabelled: its 4-level scale is the
			// first thing wrong with it as a maturity framework.
			"a skills file labelled maturity",
			edit(t, valid, "kind: skills\n", "kind: maturity\n"),
			"frameworks/test.yaml: scale: has 4 levels, want 5",
		},
		{
			"unknown field in a suggestion",
			unknownField,
			fmt.Sprintf("frameworks/test.yaml: framework: yaml: unmarshal errors:\n"+
				"  line %d: field url not found in type assessments.Suggestion", unknownLine),
		},
	}
	checkParseFaults(t, tests)
}

func TestParseMaturityLearningFaults(t *testing.T) {
	valid := validYAML()
	learning := "    learning:\n      - level: 1\n        suggestions:\n          - title: A course\n            summary: A summary.\n"
	tests := []parseFault{
		{
			"learning in a maturity section",
			edit(t, valid, "    summary: Summary of improve-care.\n", "    summary: Summary of improve-care.\n"+learning),
			"frameworks/test.yaml: section improve-care: learning suggestions are for skills frameworks only",
		},
		{
			// The maturity rules are unchanged: evidence prompts are still
			// required there, though skills statements must not have one.
			"maturity question still needs an evidence_prompt",
			edit(t, valid, "        evidence_prompt: Evidence of well-led-3.\n", ""),
			"frameworks/test.yaml: question well-led-3: missing evidence_prompt",
		},
	}
	checkParseFaults(t, tests)

	// An empty list is no learning at all.
	empty := edit(t, valid, "    summary: Summary of improve-care.\n", "    summary: Summary of improve-care.\n    learning: []\n")
	if _, err := Parse(testFile, []byte(empty)); err != nil {
		t.Errorf("maturity file with learning: []: %v", err)
	}
}

func TestLatestBothKinds(t *testing.T) {
	skills := func(version string) []byte {
		return []byte(edit(t, validSkillsYAML(), "version: \"1.0\"\n", "version: \""+version+"\"\n"))
	}
	fsys := fstest.MapFS{
		"f/m1.yaml": {Data: versionYAML(t, "test-maturity", "2026.9")},
		"f/m2.yaml": {Data: versionYAML(t, "test-maturity", "2026.10")},
		"f/s1.yaml": {Data: skills("2026.10")},
		"f/s2.yaml": {Data: skills("2026.2")},
		"f/s3.yaml": {Data: skills("2027.1")},
	}
	lib, err := LoadFS(fsys, "f/*.yaml")
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	if f, ok := lib.Latest(KindMaturity); !ok || f.Kind != KindMaturity || f.Version != "2026.10" {
		t.Errorf("Latest(maturity) = %v, %v; want test-maturity 2026.10", f, ok)
	}
	if f, ok := lib.Latest(KindSkills); !ok || f.Kind != KindSkills || f.Code != "test-skills" || f.Version != "2027.1" {
		t.Errorf("Latest(skills) = %v, %v; want test-skills 2027.1", f, ok)
	}
	if f, ok := lib.Latest("survey"); ok || f != nil {
		t.Errorf("Latest(survey) = %v, %v; want nil, false", f, ok)
	}
}

// TestLoadEmbeddedSkills loads the real skills framework built into the
// binary.
func TestLoadEmbeddedSkills(t *testing.T) {
	lib, f := embeddedLatest(t, KindSkills)
	if f.Code != "digital-skills" || f.Version != "2026.1" || f.File != "frameworks/digital-skills-2026.1.yaml" {
		t.Errorf("Latest(skills) = %s %s in %s, want digital-skills 2026.1 in frameworks/digital-skills-2026.1.yaml",
			f.Code, f.Version, f.File)
	}
	if got, ok := lib.Get(f.Code, f.Version); !ok || got != f {
		t.Errorf("Get(%q, %q) does not return the latest skills framework", f.Code, f.Version)
	}
	if len(f.Hash) != 64 || blank(f.Title) || blank(f.Summary) {
		t.Errorf("Hash, Title, Summary = %q, %q, %q", f.Hash, f.Title, f.Summary)
	}
	// Both kinds load side by side.
	if m, ok := lib.Latest(KindMaturity); !ok || m.Kind != KindMaturity {
		t.Errorf("Latest(maturity) = %v, %v", m, ok)
	}

	if len(f.Scale) != 4 {
		t.Fatalf("scale has %d levels, want 4", len(f.Scale))
	}
	if f.ScaleLabel(1) != "I have not done this" || f.ScaleLabel(4) != "I could show others" {
		t.Errorf("scale = %+v", f.Scale)
	}
	if f.RAG != (RAGThresholds{AmberFrom: 2, GreenFrom: 3}) {
		t.Errorf("RAG = %+v, want amber_from 2, green_from 3", f.RAG)
	}

	if got := f.SectionCodes(); !slices.Equal(got, SkillsSectionCodes()) {
		t.Errorf("domains = %v, want %v", got, SkillsSectionCodes())
	}
	labels := []string{
		"Data, information and content",
		"Teaching, learning and self-development",
		"Communication, collaboration and participation",
		"Technical proficiency",
		"Creation, innovation and research",
		"Digital identity, wellbeing, safety and security",
	}
	if n := f.QuestionCount(); n != 30 {
		t.Errorf("QuestionCount = %d, want 30", n)
	}
	for i, s := range f.Sections {
		if i < len(labels) && s.Label != labels[i] {
			t.Errorf("domain %s label %q, want %q", s.Code, s.Label, labels[i])
		}
		if blank(s.Summary) {
			t.Errorf("domain %s has no summary", s.Code)
		}
		if len(s.Questions) != 5 {
			t.Errorf("domain %s has %d statements, want 5", s.Code, len(s.Questions))
		}
		for j, q := range s.Questions {
			if want := fmt.Sprintf("%s-%d", s.Code, j+1); q.Code != want {
				t.Errorf("statement %d of %s has code %s, want %s", j+1, s.Code, q.Code, want)
			}
			// Short enough to read at a glance, and shown in HTML as is.
			if n := utf8.RuneCountInString(q.Title); n > 110 {
				t.Errorf("statement %s is %d characters, want at most 110", q.Code, n)
			}
			if !strings.HasPrefix(q.Guidance, "For example, ") {
				t.Errorf("statement %s guidance does not start with \"For example, \": %q", q.Code, q.Guidance)
			}
		}
		var levels []int
		for _, l := range s.Learning {
			levels = append(levels, l.Level)
			for _, sg := range l.Suggestions {
				// Left for a deployment to map to its own catalogue.
				if sg.CataloguePath != "" {
					t.Errorf("domain %s level %d: %q has catalogue_path %q, want none", s.Code, l.Level, sg.Title, sg.CataloguePath)
				}
			}
		}
		if !slices.Equal(levels, []int{1, 2, 3, 4}) {
			t.Errorf("domain %s has learning for levels %v, want 1 to 4", s.Code, levels)
		}
	}
}
