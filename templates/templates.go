// Package templates embeds the page templates and parses them once at
// start: one set per page, each cloned from the layout and partials so
// that every page's blocks stay its own.
package templates

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed layouts/*.html partials/*.html pages/*.html
var files embed.FS

// markup returns the helpers the partials themselves need, whoever renders.
func markup() template.FuncMap {
	return template.FuncMap{
		// columns lists a table's column headers for the "table_head" partial.
		"columns": func(labels ...string) []string { return labels },
	}
}

// Set holds one parsed template per page, keyed by the page's file name
// without its extension ("sign_in" for pages/sign_in.html).
type Set struct {
	pages map[string]*template.Template
}

// Parse reads the layout, the partials and every page. funcs are the
// helpers the templates call; they must be given here because templates
// check function names when parsed.
func Parse(funcs template.FuncMap) (*Set, error) {
	base, err := template.New("layout").Funcs(markup()).Funcs(funcs).ParseFS(files, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout and partials: %w", err)
	}
	names, err := fs.Glob(files, "pages/*.html")
	if err != nil {
		return nil, err
	}
	set := &Set{pages: map[string]*template.Template{}}
	for _, name := range names {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(files, name); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		set.pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return set, nil
}

// Require returns an error naming every page in names that does not exist,
// so that a missing template stops the start instead of failing a request.
func (s *Set) Require(names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := s.pages[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("missing page templates: %s", strings.Join(missing, ", "))
	}
	return nil
}

// Render writes page name with data, starting from the layout.
func (s *Set) Render(w io.Writer, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	return t.ExecuteTemplate(w, "layout.html", data)
}
