package assessments

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed frameworks/*.yaml
var embedded embed.FS

// ErrNoFrameworks is returned when no file matches the pattern: an empty
// library would only fail later, further from the cause.
var ErrNoFrameworks = errors.New("assessments: no framework files")

// ValidationError says what is wrong with a framework file and where.
type ValidationError struct {
	File  string // e.g. "frameworks/wgll-maturity-2026.1.yaml"
	Where string // e.g. "question well-led-3", "section well-led", "scale", "rag" or "framework"
	Fault string // e.g. "missing level 4 descriptor"
}

func (e *ValidationError) Error() string {
	return e.File + ": " + e.Where + ": " + e.Fault
}

func invalid(file, where, format string, args ...any) error {
	return &ValidationError{File: file, Where: where, Fault: fmt.Sprintf(format, args...)}
}

// Library holds every loaded framework version.
type Library struct {
	frameworks []*Framework // sorted by code, then version
}

// Load reads the frameworks embedded in the binary, so a running service
// always has the exact files its answers were given against.
func Load() (*Library, error) {
	return LoadFS(embedded, "frameworks/*.yaml")
}

// LoadFS reads and validates every file of fsys matching pattern. The first
// error wins: a service with one bad framework file should not start.
func LoadFS(fsys fs.FS, pattern string) (*Library, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("assessments: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w match %s", ErrNoFrameworks, pattern)
	}
	lib := &Library{}
	seen := make(map[[2]string]string) // code, version -> file
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("assessments: %w", err)
		}
		f, err := Parse(name, data)
		if err != nil {
			return nil, err
		}
		// Two files claiming one version would make Get depend on file order.
		key := [2]string{f.Code, f.Version}
		if other, ok := seen[key]; ok {
			return nil, invalid(name, "framework", "%s version %s is also in %s", f.Code, f.Version, other)
		}
		seen[key] = name
		lib.frameworks = append(lib.frameworks, f)
	}
	slices.SortFunc(lib.frameworks, func(a, b *Framework) int {
		return cmp.Or(strings.Compare(a.Code, b.Code), compareVersions(a.Version, b.Version))
	})
	return lib, nil
}

// Parse decodes one framework file, records its name and hash, and
// validates it.
func Parse(file string, data []byte) (*Framework, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	// A misspelt field would otherwise be dropped without a word.
	dec.KnownFields(true)
	var f Framework
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, invalid(file, "framework", "empty file")
		}
		return nil, invalid(file, "framework", "%s", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, invalid(file, "framework", "more than one YAML document")
	}
	sum := sha256.Sum256(data)
	f.File = file
	f.Hash = hex.EncodeToString(sum[:])
	if err := validate(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

// Get returns one version of one framework.
func (l *Library) Get(code, version string) (*Framework, bool) {
	for _, f := range l.frameworks {
		if f.Code == code && f.Version == version {
			return f, true
		}
	}
	return nil, false
}

// Latest returns the highest version of the given kind, for new cycles.
// Should two codes share a kind and a version, the first code wins.
func (l *Library) Latest(kind string) (*Framework, bool) {
	var latest *Framework
	for _, f := range l.frameworks {
		if f.Kind == kind && (latest == nil || compareVersions(f.Version, latest.Version) > 0) {
			latest = f
		}
	}
	return latest, latest != nil
}

// All returns every framework, sorted by code then version.
func (l *Library) All() []*Framework {
	return slices.Clone(l.frameworks)
}

// Section returns the section with the given code.
func (f *Framework) Section(code string) (*Section, bool) {
	for i := range f.Sections {
		if f.Sections[i].Code == code {
			return &f.Sections[i], true
		}
	}
	return nil, false
}

// Question returns the question with the given code and its section.
func (f *Framework) Question(code string) (*Question, *Section, bool) {
	for i := range f.Sections {
		s := &f.Sections[i]
		for j := range s.Questions {
			if s.Questions[j].Code == code {
				return &s.Questions[j], s, true
			}
		}
	}
	return nil, nil, false
}

// QuestionCount is the number of questions in all sections.
func (f *Framework) QuestionCount() int {
	n := 0
	for _, s := range f.Sections {
		n += len(s.Questions)
	}
	return n
}

// ScaleLabel returns the label of a level of the scale, or "" when the
// scale has no such level (not applicable included).
func (f *Framework) ScaleLabel(level int) string {
	for _, l := range f.Scale {
		if l.Level == level {
			return l.Label
		}
	}
	return ""
}

// SectionCodes returns the section codes in file order.
func (f *Framework) SectionCodes() []string {
	codes := make([]string, len(f.Sections))
	for i, s := range f.Sections {
		codes[i] = s.Code
	}
	return codes
}

// parseVersion splits a dotted version such as "2026.1" into its numbers.
func parseVersion(v string) ([]int, bool) {
	parts := strings.Split(v, ".")
	nums := make([]int, len(parts))
	for i, p := range parts {
		// Digits only, as Atoi alone would accept a sign, and no leading
		// zero, so that each version has one spelling ("2026.1", not "2026.01").
		if p == "" || strings.Trim(p, "0123456789") != "" || (len(p) > 1 && p[0] == '0') {
			return nil, false
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		nums[i] = n
	}
	return nums, true
}

// compareVersions compares dotted versions number by number, so "2026.10"
// comes after "2026.9"; a missing part counts as lower ("2026" < "2026.0").
// Versions are validated on load; an invalid one compares as text.
func compareVersions(a, b string) int {
	x, okA := parseVersion(a)
	y, okB := parseVersion(b)
	if !okA || !okB {
		return strings.Compare(a, b)
	}
	return slices.Compare(x, y)
}
