package assessments

import (
	"fmt"
	"slices"
	"strings"
)

// A maturity framework has a five-level scale and the seven success
// measures, each with five to seven questions and 35 to 45 in all: enough
// to cover each measure, few enough for a board to answer in one cycle.
const (
	maturityLevels              = 5
	maturityMinSectionQuestions = 5
	maturityMaxSectionQuestions = 7
	maturityMinQuestions        = 35
	maturityMaxQuestions        = 45
)

// validate returns the first fault of a decoded framework, as a
// *ValidationError, or nil.
func validate(f *Framework) error {
	switch {
	case blank(f.Code):
		return invalid(f.File, "framework", "missing code")
	case blank(f.Version):
		return invalid(f.File, "framework", "missing version")
	case blank(f.Title):
		return invalid(f.File, "framework", "missing title")
	}
	// Latest compares versions number by number, so they must be numbers.
	if _, ok := parseVersion(f.Version); !ok {
		return invalid(f.File, "framework", "version %s is not dotted numbers such as 2026.1", f.Version)
	}
	switch f.Kind {
	case KindMaturity:
		return validateMaturity(f)
	case KindSkills:
		// The skills rules (a four-level scale, the six domains of
		// SkillsSectionCodes) go here, in a validateSkills, when the
		// skills framework is written.
		return invalid(f.File, "framework", "unsupported kind %s", f.Kind)
	case "":
		return invalid(f.File, "framework", "missing kind")
	default:
		return invalid(f.File, "framework", "unknown kind %s", f.Kind)
	}
}

func validateMaturity(f *Framework) error {
	if err := checkScale(f, maturityLevels); err != nil {
		return err
	}
	if err := checkRAG(f, maturityLevels); err != nil {
		return err
	}
	err := checkSections(f, MaturitySectionCodes(), maturityMinSectionQuestions, maturityMaxSectionQuestions, maturityLevels)
	if err != nil {
		return err
	}
	if n := f.QuestionCount(); n < maturityMinQuestions || n > maturityMaxQuestions {
		return invalid(f.File, "framework", "has %d questions, want %d to %d", n, maturityMinQuestions, maturityMaxQuestions)
	}
	// Scores are compared section by section across organisations and
	// cycles, so every framework must have every section.
	for _, code := range MaturitySectionCodes() {
		if _, ok := f.Section(code); !ok {
			return invalid(f.File, "framework", "missing section %s", code)
		}
	}
	return nil
}

// checkScale requires exactly the levels 1 to levels, in order, each labelled.
func checkScale(f *Framework, levels int) error {
	if len(f.Scale) != levels {
		return invalid(f.File, "scale", "has %d levels, want %d", len(f.Scale), levels)
	}
	for i, l := range f.Scale {
		if l.Level != i+1 {
			return invalid(f.File, "scale", "entry %d is level %d, want levels 1 to %d in order", i+1, l.Level, levels)
		}
		if blank(l.Label) {
			return invalid(f.File, "scale", "level %d has no label", l.Level)
		}
	}
	return nil
}

// checkRAG requires both thresholds on the scale 1 to levels, amber below green.
func checkRAG(f *Framework, levels int) error {
	thresholds := []struct {
		name  string
		value float64
	}{
		{"amber_from", f.RAG.AmberFrom},
		{"green_from", f.RAG.GreenFrom},
	}
	for _, t := range thresholds {
		// Written so that NaN (".nan" in YAML) fails too.
		if !(t.value >= 1 && t.value <= float64(levels)) {
			return invalid(f.File, "rag", "rag threshold %s %g is outside the scale 1 to %d", t.name, t.value, levels)
		}
	}
	if f.RAG.AmberFrom >= f.RAG.GreenFrom {
		return invalid(f.File, "rag", "rag thresholds out of order: amber_from %g must be below green_from %g",
			f.RAG.AmberFrom, f.RAG.GreenFrom)
	}
	return nil
}

// checkSections checks each section and its questions: known section codes,
// no code used twice, minQ to maxQ questions, levels descriptors each.
func checkSections(f *Framework, known []string, minQ, maxQ, levels int) error {
	sections := make(map[string]bool)
	questions := make(map[string]bool)
	for i, s := range f.Sections {
		where := "section " + s.Code
		switch {
		case blank(s.Code):
			return invalid(f.File, fmt.Sprintf("section %d", i+1), "missing code")
		case !slices.Contains(known, s.Code):
			return invalid(f.File, where, "unknown section code %s", s.Code)
		case sections[s.Code]:
			return invalid(f.File, where, "duplicate section code %s", s.Code)
		case blank(s.Label):
			return invalid(f.File, where, "missing label")
		case len(s.Questions) < minQ || len(s.Questions) > maxQ:
			return invalid(f.File, where, "has %d questions, want %d to %d", len(s.Questions), minQ, maxQ)
		}
		sections[s.Code] = true
		for j, q := range s.Questions {
			if blank(q.Code) {
				return invalid(f.File, where, "question %d has no code", j+1)
			}
			if questions[q.Code] {
				return invalid(f.File, "question "+q.Code, "duplicate question code %s", q.Code)
			}
			questions[q.Code] = true
			if err := checkQuestion(f.File, s.Code, q, levels); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkQuestion(file, section string, q Question, levels int) error {
	where := "question " + q.Code
	switch {
	case !strings.HasPrefix(q.Code, section+"-"):
		return invalid(file, where, "code does not start with %s-", section)
	case blank(q.Title):
		return invalid(file, where, "missing title")
	case blank(q.Guidance):
		return invalid(file, where, "missing guidance")
	case blank(q.EvidencePrompt):
		return invalid(file, where, "missing evidence_prompt")
	case len(q.Levels) > levels:
		return invalid(file, where, "has %d level descriptors, want %d", len(q.Levels), levels)
	}
	for i := range levels {
		if i >= len(q.Levels) || blank(q.Levels[i]) {
			return invalid(file, where, "missing level %d descriptor", i+1)
		}
	}
	return nil
}

func blank(s string) bool {
	return strings.TrimSpace(s) == ""
}
