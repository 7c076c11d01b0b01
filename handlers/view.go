package handlers

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/validation"
)

// view is what every page template receives: the parts the layout needs and
// the page's own Form and Data.
type view struct {
	Title        string
	ServiceName  string
	User         *models.User
	Organisation *models.Organisation
	CSRF         string
	Demo         bool
	// Mail says whether the service sends email.
	Mail      bool
	Nav       []navItem
	Flash     string
	BackLink  string
	Errors    formErrors
	Form      any
	Data      any
	RequestID string
}

type navItem struct {
	Label, Href string
	Current     bool
}

// formErrors are the problems a form is answered with; feature packages
// return the same type.
type formErrors = validation.Errors

// pathID reads a record's id from the path. A path whose id is not a
// whole number names nothing, so it is "not found" like a missing record.
func pathID(c echo.Context, name string) (uint, error) {
	id, err := strconv.ParseUint(c.Param(name), 10, 64)
	if err != nil || id == 0 {
		return 0, echo.ErrNotFound
	}
	return uint(id), nil
}

// view builds the common part of a page for the current request.
func (s *Server) view(c echo.Context, title string) view {
	v := view{
		Title:       title,
		ServiceName: ServiceName,
		CSRF:        csrfToken(c),
		Demo:        s.cfg.Demo,
		Mail:        s.cfg.Mail,
		RequestID:   c.Response().Header().Get(echo.HeaderXRequestID),
		Flash:       s.takeFlash(c),
	}
	if u, ok := currentUser(c); ok {
		v.User = &u
		if o, ok := c.Get(ctxOrganisation).(models.Organisation); ok {
			v.Organisation = &o
		}
		v.Nav = navigation(u, c.Path())
	}
	return v
}

// navigation lists the sections a person's roles give them.
func navigation(u models.User, path string) []navItem {
	items := []navItem{{Label: "Home", Href: "/"}}
	if u.Has(models.RoleLead) || u.Has(models.RoleBoard) {
		items = append(items, navItem{Label: "Maturity assessment", Href: "/maturity/cycles"})
	}
	if u.Has(models.RoleStaff) {
		items = append(items, navItem{Label: "Your digital skills", Href: "/skills"})
	}
	if u.Has(models.RoleLead) {
		items = append(items, navItem{Label: "Workforce skills", Href: "/organisation/skills"},
			navItem{Label: "Reminders", Href: "/organisation/reminders"})
	}
	if u.Has(models.RoleLead) || u.Has(models.RoleAdmin) {
		items = append(items, navItem{Label: "Accounts", Href: "/accounts"}, navItem{Label: "Audit log", Href: "/audit"})
	}
	if u.Has(models.RoleAdmin) {
		items = append(items, navItem{Label: "Organisations", Href: "/admin/organisations"}, navItem{Label: "Email", Href: "/admin/email"})
	}
	items = append(items, navItem{Label: "Your profile", Href: "/profile"})
	for i := range items {
		href := items[i].Href
		items[i].Current = path == href || (href != "/" && len(path) > len(href) && path[:len(href)+1] == href+"/")
	}
	return items
}

// pageBuffers keeps the buffers pages are rendered into between requests:
// a page is tens of kilobytes, and growing a fresh buffer to that size
// on every request was much of a page's allocation.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a page. Rendering into a buffer first means a template
// error becomes a clean error page, never half a page.
func (s *Server) render(c echo.Context, status int, page string, v view) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := s.pages.Render(buf, page, v); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	// With the length known, net/http sends the page as it is rather than
	// in chunks.
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	// HTMLBlob has written the bytes out by the time it returns, so the
	// buffer can go back to the pool.
	return c.HTMLBlob(status, buf.Bytes())
}

func putPageBuffer(buf *bytes.Buffer) {
	// A buffer grown by an unusually large page is left to the collector.
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	pageBuffers.Put(buf)
}

// renderForm re-renders a form page with its errors, status 422 when the
// input was refused.
func (s *Server) renderForm(c echo.Context, page string, v view) error {
	status := http.StatusOK
	if len(v.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, page, v)
}

// page is the part of a view a page chooses for itself.
type page struct {
	Title, BackLink string
	Form, Data      any
	Errors          formErrors
	// Status is the response's status; none is 200, or 422 when the page
	// has problems.
	Status int
}

// renderPage shows a page with the common part of the view.
func (s *Server) renderPage(c echo.Context, name string, p page) error {
	v := s.view(c, p.Title)
	v.BackLink, v.Form, v.Data, v.Errors = p.BackLink, p.Form, p.Data, p.Errors
	status := p.Status
	if status == 0 {
		status = http.StatusOK
	}
	if len(p.Errors) > 0 && status == http.StatusOK {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, name, v)
}

// saved finishes a form post: a refusal of the person's input shows the
// form again with its problems, any other error is the service's, and
// success leaves the flash message and redirects.
func (s *Server) saved(c echo.Context, err error, again func(formErrors) error, flash, to string) error {
	if fe := (formErrors{}); errors.As(err, &fe) {
		return again(fe)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, flash)
	return redirect(c, to)
}

const flashCookie = "flash"

// setFlash leaves a one-line success message for the next page.
func (s *Server) setFlash(c echo.Context, message string) {
	s.setCookie(c, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(message)), MaxAge: 60})
}

func (s *Server) takeFlash(c echo.Context) string {
	ck, err := c.Cookie(s.cookieName(flashCookie))
	if err != nil || ck.Value == "" {
		return ""
	}
	s.clearCookie(c, flashCookie)
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return ""
	}
	return string(b)
}

// redirect answers a successful POST with 303 See Other.
func redirect(c echo.Context, to string) error { return c.Redirect(http.StatusSeeOther, to) }

// field builds the argument of the form partials from key and value pairs.
func field(pairs ...any) map[string]any {
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		if k, ok := pairs[i].(string); ok {
			m[k] = pairs[i+1]
		}
	}
	return m
}

// option is one choice of a select list.
type option struct{ Value, Label string }

func stringOptions(values []string) []option {
	opts := make([]option, len(values))
	for i, v := range values {
		opts[i] = option{v, v}
	}
	return opts
}

var london = mustLoadLondon()

func mustLoadLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}

func formatDate(t any) string { return formatTime(t, "2 January 2006") }

func formatDateTime(t any) string { return formatTime(t, "2 January 2006 at 3:04pm") }

// formatTime shows a time or a *time.Time in UK time; nil shows nothing.
func formatTime(t any, layout string) string {
	switch v := t.(type) {
	case time.Time:
		return v.In(london).Format(layout)
	case *time.Time:
		if v != nil {
			return v.In(london).Format(layout)
		}
	}
	return ""
}
