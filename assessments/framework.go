// Package assessments holds the frameworks as versioned data files, their
// loader and validator, and the scoring: pure functions with no database
// and no HTTP, so every number the service shows can be worked out by hand.
package assessments

// Kinds of framework.
const (
	KindMaturity = "maturity"
	KindSkills   = "skills"
)

// NotApplicable is the stored level of a "not applicable" answer.
const NotApplicable = 0

// Framework is one version of a framework file. Once any answer refers to
// a version, its content may not change without a new version number.
type Framework struct {
	Code    string `yaml:"code"`    // stable, e.g. "wgll-maturity"
	Kind    string `yaml:"kind"`    // KindMaturity or KindSkills
	Version string `yaml:"version"` // e.g. "2026.1"
	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`

	// Scale names the levels 1 to 5 (maturity) or 1 to 4 (skills) in
	// general terms; each question's own descriptors say what they mean for it.
	Scale []ScaleLevel `yaml:"scale"`
	// RAG gives the thresholds of red, amber and green for a mean score.
	RAG RAGThresholds `yaml:"rag"`

	Sections []Section `yaml:"sections"`

	// File and Hash are set by the loader: the embedded file's name and the
	// SHA-256 of its bytes, used to refuse silent edits of a used version.
	File string `yaml:"-"`
	Hash string `yaml:"-"`
}

// ScaleLevel is one level of the framework's scale.
type ScaleLevel struct {
	Level int    `yaml:"level"`
	Label string `yaml:"label"` // e.g. "Developing"
}

// RAGThresholds: below AmberFrom is red; from AmberFrom to below GreenFrom
// is amber; GreenFrom and above is green.
type RAGThresholds struct {
	AmberFrom float64 `yaml:"amber_from"` // 2.5 for maturity
	GreenFrom float64 `yaml:"green_from"` // 3.5 for maturity
}

// Section is a success measure (maturity) or a domain (skills).
type Section struct {
	Code      string     `yaml:"code"`  // one of the codes in SectionCodes for the kind
	Label     string     `yaml:"label"` // display label, may change without breaking data
	Summary   string     `yaml:"summary"`
	Questions []Question `yaml:"questions"`
	// Learning (skills domains only) holds suggestions for each level of
	// the scale: what to learn next for someone who is at that level now.
	Learning []LevelLearning `yaml:"learning"`
}

// LevelLearning is the learning suggested to someone at one level of a
// skills domain.
type LevelLearning struct {
	Level       int          `yaml:"level"`
	Suggestions []Suggestion `yaml:"suggestions"`
}

// Suggestion is one piece of learning: a title and a sentence. When the
// deployment configures its own learning catalogue address, CataloguePath
// is appended to it to make a link; otherwise no link is shown.
type Suggestion struct {
	Title         string `yaml:"title"`
	Summary       string `yaml:"summary"`
	CataloguePath string `yaml:"catalogue_path"`
}

// Question is one maturity question, or one skills "I can ..." statement.
// Skills statements use Code, Title (the statement) and Guidance (examples
// from everyday NHS work); they have no Levels of their own, because both
// ratings use the framework's Scale.
type Question struct {
	Code     string `yaml:"code"`     // unique in the framework, e.g. "well-led-1"
	Title    string `yaml:"title"`    // short title, or the "I can ..." statement
	Guidance string `yaml:"guidance"` // "what good looks like" paragraph, or examples
	// Levels holds one descriptor per level, in order: five for maturity
	// (levels 1 to 5), each saying concretely what is in place.
	Levels             []string `yaml:"levels"`
	AllowNotApplicable bool     `yaml:"allow_not_applicable"`
	EvidencePrompt     string   `yaml:"evidence_prompt"`
}

// MaturitySectionCodes are the seven "What Good Looks Like" success
// measures, in the order they are shown.
func MaturitySectionCodes() []string {
	return []string{"well-led", "smart-foundations", "safe-practice", "support-people",
		"empower-citizens", "improve-care", "healthy-populations"}
}

// SkillsSectionCodes are the six digital literacy domains.
func SkillsSectionCodes() []string {
	return []string{"data-information", "teaching-learning", "communication", "technical-proficiency",
		"creation-innovation", "identity-wellbeing-safety"}
}
