package assessments

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
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

// A skills framework has a four-level scale, used for both "where I am now"
// and "where my role needs me to be", and the six digital literacy domains,
// each with four to six "I can ..." statements and 24 to 36 in all: enough
// to cover each domain, few enough for anyone to finish in one sitting.
// Each domain suggests one to three pieces of learning for each level.
const (
	skillsLevels              = 4
	skillsMinSectionQuestions = 4
	skillsMaxSectionQuestions = 6
	skillsMinQuestions        = 24
	skillsMaxQuestions        = 36
	skillsMinSuggestions      = 1
	skillsMaxSuggestions      = 3
	skillsStatementPrefix     = "I can "
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
		return validateSkills(f)
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
	checkQ := func(section string, q Question) error {
		return checkQuestion(f.File, section, q, maturityLevels)
	}
	err := checkSections(f, MaturitySectionCodes(), maturityMinSectionQuestions, maturityMaxSectionQuestions, "question", checkQ)
	if err != nil {
		return err
	}
	// Learning suggestions are shown to a person by the level they reached;
	// a board's maturity results never show them, so any here are a mistake.
	for _, s := range f.Sections {
		if len(s.Learning) > 0 {
			return invalid(f.File, "section "+s.Code, "learning suggestions are for skills frameworks only")
		}
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

func validateSkills(f *Framework) error {
	if err := checkScale(f, skillsLevels); err != nil {
		return err
	}
	if err := checkRAG(f, skillsLevels); err != nil {
		return err
	}
	checkQ := func(section string, q Question) error {
		return checkStatement(f.File, section, q)
	}
	err := checkSections(f, SkillsSectionCodes(), skillsMinSectionQuestions, skillsMaxSectionQuestions, "statement", checkQ)
	if err != nil {
		return err
	}
	for _, s := range f.Sections {
		if err := checkLearning(f.File, s, skillsLevels); err != nil {
			return err
		}
	}
	if n := f.QuestionCount(); n < skillsMinQuestions || n > skillsMaxQuestions {
		return invalid(f.File, "framework", "has %d statements, want %d to %d", n, skillsMinQuestions, skillsMaxQuestions)
	}
	// Domain scores are compared across people, groups and attempts, so
	// every skills framework must have every domain.
	for _, code := range SkillsSectionCodes() {
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
// no code used twice, a label, minQ to maxQ questions, each with a code used
// once and passing checkQ. noun names a question in messages: "question"
// (maturity) or "statement" (skills).
func checkSections(f *Framework, known []string, minQ, maxQ int, noun string, checkQ func(section string, q Question) error) error {
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
			return invalid(f.File, where, "has %d %ss, want %d to %d", len(s.Questions), noun, minQ, maxQ)
		}
		sections[s.Code] = true
		for j, q := range s.Questions {
			if blank(q.Code) {
				return invalid(f.File, where, "%s %d has no code", noun, j+1)
			}
			if questions[q.Code] {
				return invalid(f.File, noun+" "+q.Code, "duplicate %s code %s", noun, q.Code)
			}
			questions[q.Code] = true
			if err := checkQ(s.Code, q); err != nil {
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

// checkStatement checks one skills "I can ..." statement. Both of its
// ratings use the framework's scale, so it has no level descriptors of its
// own; every statement applies to everyone, so none may be skipped as not
// applicable; and staff rate themselves without evidence, so it has no
// evidence prompt.
func checkStatement(file, section string, q Question) error {
	where := "statement " + q.Code
	switch {
	case !strings.HasPrefix(q.Code, section+"-"):
		return invalid(file, where, "code does not start with %s-", section)
	case blank(q.Title):
		return invalid(file, where, "missing title")
	case !strings.HasPrefix(q.Title, skillsStatementPrefix):
		return invalid(file, where, "statement must start with %q", strings.TrimSpace(skillsStatementPrefix))
	case blank(q.Guidance):
		return invalid(file, where, "missing guidance")
	case len(q.Levels) > 0:
		return invalid(file, where, "skills statements have no level descriptors")
	case q.AllowNotApplicable:
		return invalid(file, where, "allow_not_applicable must be false for skills statements")
	case !blank(q.EvidencePrompt):
		return invalid(file, where, "skills statements have no evidence_prompt")
	}
	return nil
}

// checkLearning requires exactly one learning entry for each level 1 to
// levels of a skills domain, in any order, each with one to three
// suggestions that have a title and a summary and, if any, a catalogue_path
// relative to the deployment's learning catalogue address.
func checkLearning(file string, s Section, levels int) error {
	where := "section " + s.Code
	seen := make(map[int]bool)
	for _, l := range s.Learning {
		switch {
		case l.Level < 1 || l.Level > levels:
			return invalid(file, where, "learning level %d is outside the scale 1 to %d", l.Level, levels)
		case seen[l.Level]:
			return invalid(file, where, "duplicate learning for level %d", l.Level)
		case len(l.Suggestions) < skillsMinSuggestions || len(l.Suggestions) > skillsMaxSuggestions:
			return invalid(file, where, "learning for level %d has %d suggestions, want %d to %d",
				l.Level, len(l.Suggestions), skillsMinSuggestions, skillsMaxSuggestions)
		}
		seen[l.Level] = true
		for i, sg := range l.Suggestions {
			n := i + 1
			switch {
			case blank(sg.Title):
				return invalid(file, where, "suggestion %d for level %d has no title", n, l.Level)
			case blank(sg.Summary):
				return invalid(file, where, "suggestion %d for level %d has no summary", n, l.Level)
			}
			if fault := checkCataloguePath(sg.CataloguePath); fault != "" {
				return invalid(file, where, "suggestion %d for level %d: %s", n, l.Level, fault)
			}
		}
	}
	for level := 1; level <= levels; level++ {
		if !seen[level] {
			return invalid(file, where, "missing learning for level %d", level)
		}
	}
	return nil
}

// checkCataloguePath returns what is wrong with a suggestion's
// catalogue_path, or "" when it is empty or fine. The path is appended to
// the deployment's own catalogue address, so a full address (a scheme such
// as "https:" or a leading "//") would make a broken or foreign link, and a
// space would break the link.
func checkCataloguePath(p string) string {
	if p == "" {
		return ""
	}
	lower := strings.ToLower(p)
	scheme, _, hasColon := strings.Cut(lower, ":")
	switch {
	case strings.HasPrefix(lower, "http") || strings.HasPrefix(p, "//") ||
		(hasColon && !strings.Contains(scheme, "/")):
		return "catalogue_path must be a path relative to the learning catalogue address, not a full address"
	case strings.ContainsFunc(p, unicode.IsSpace):
		return "catalogue_path must not contain spaces"
	}
	return ""
}

func blank(s string) bool {
	return strings.TrimSpace(s) == ""
}
