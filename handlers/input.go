package handlers

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// maxFormFields is more fields than any form of the service has (the
// largest, a cycle's assignments, has one per section and board member). A
// body with more is refused as too large before it is parsed.
const maxFormFields = 1000

// multipartMemory is how much of a multipart body is kept in memory; the
// rest of a file goes to a temporary file (net/http's default).
const multipartMemory = 32 << 20

// readForm parses the body of an unsafe request once, before anything reads
// it, so that a body cut short is answered 400 and one too large or with too
// many fields 413. Read later through FormValue, the parse error would be
// swallowed and the request refused as a missing CSRF token.
func (s *Server) readForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		ctype, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
		switch ctype {
		case echo.MIMEApplicationForm:
			// Read here, under the body limit, to tell a short body from a
			// long one and to count the fields before parsing them.
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return bodyError(err)
			}
			if bytes.Count(body, []byte("&")) >= maxFormFields {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "too many form fields")
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			if err := req.ParseForm(); err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "malformed form").SetInternal(err)
			}
		case echo.MIMEMultipartForm:
			if err := req.ParseMultipartForm(multipartMemory); err != nil {
				return bodyError(err)
			}
			if n := len(req.MultipartForm.Value) + len(req.MultipartForm.File); n > maxFormFields {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "too many form fields")
			}
		}
		return next(c)
	}
}

// bodyError is the answer to a body that could not be read: 413 when it
// went over a limit, 400 when it was cut short or malformed.
func bodyError(err error) error {
	var he *echo.HTTPError
	if (errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge) || errors.Is(err, multipart.ErrMessageTooLarge) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "request body too large").SetInternal(err)
	}
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "request body too large").SetInternal(err)
	}
	return echo.NewHTTPError(http.StatusBadRequest, "request body cut short or malformed").SetInternal(err)
}

// The ways a value breaks the input rule.
const (
	problemNUL   = "nul"   // a NUL byte
	problemUTF8  = "utf8"  // bytes that are not UTF-8
	problemTwice = "twice" // the same value twice for one field
)

// badValue is one form or query value that broke the input rule, or that
// was sent twice.
type badValue struct {
	Field    string // the form field (its name, made valid text)
	Problem  string // problemNUL, problemUTF8 or problemTwice
	reported bool   // a handler has shown it by its field
}

// badInput is what inputRule found in one request.
type badInput struct{ values []*badValue }

const ctxBadInput = "bad_input"

// fieldForms are the forms whose handlers show a value that breaks the input
// rule beside its field, keeping what was typed (textRule, withInputErrors).
// Every other request with such a value is refused by inputRule itself.
var fieldForms = map[string]bool{
	"POST /sign-in":                               true,
	"POST /invitations/:token":                    true,
	"POST /profile":                               true,
	"POST /password":                              true,
	"POST /accounts/invite":                       true,
	"POST /admin/organisations":                   true,
	"POST /admin/organisations/:id":               true,
	"POST /maturity/cycles":                       true,
	"POST /maturity/cycles/:id/sections/:section": true,
	"POST /maturity/cycles/:id/review/:section":   true,
	"POST /maturity/cycles/:id/actions":           true,
	"POST /maturity/cycles/:id/actions/:action":   true,
}

// inputRule is the one input rule for text, applied to every value of every
// form and query before a handler sees it: no NUL byte, nothing that is not
// UTF-8 (PostgreSQL refuses both, SQLite would store them raw), and no form
// value sent twice for one field (no page does; the database's unique
// indexes would refuse it). The values of a field form are made valid text
// (U+FFFD for what was wrong), so the page shows what was typed, and the
// handler shows the error by its field; anything else is answered 422 here.
func (s *Server) inputRule(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		var bad badInput
		query := false
		for key, values := range req.URL.Query() {
			for _, v := range append([]string{key}, values...) {
				if p := ruleProblem(v); p != "" {
					bad.add(key, p)
					query = true
				}
			}
		}
		bad.checkBody(req)
		if len(bad.values) == 0 {
			return next(c)
		}
		// Maps have no order; the error summary should.
		slices.SortStableFunc(bad.values, func(a, b *badValue) int { return strings.Compare(a.Field, b.Field) })
		if query || !fieldForms[req.Method+" "+c.Path()] || bad.has(problemTwice) {
			return s.refuseInput(c, bad)
		}
		cleanForm(req)
		c.Set(ctxBadInput, &bad)
		return next(c)
	}
}

// checkBody applies the rule to the values and file names of the body.
func (b *badInput) checkBody(req *http.Request) {
	values := req.PostForm
	if req.MultipartForm != nil {
		values = req.MultipartForm.Value
		for key, files := range req.MultipartForm.File {
			for _, fh := range files {
				if p := ruleProblem(fh.Filename); p != "" {
					b.add(key, p)
				}
			}
		}
	}
	for key, vs := range values {
		if p := ruleProblem(key); p != "" {
			b.add(key, p)
		}
		seen := make(map[string]bool, len(vs))
		for _, v := range vs {
			if p := ruleProblem(v); p != "" {
				b.add(key, p)
			}
			if seen[v] {
				b.add(key, problemTwice)
			}
			seen[v] = true
		}
	}
}

func (b *badInput) add(field, problem string) {
	field = validText(field)
	for _, v := range b.values {
		if v.Field == field && v.Problem == problem {
			return
		}
	}
	b.values = append(b.values, &badValue{Field: field, Problem: problem})
}

func (b *badInput) has(problem string) bool {
	for _, v := range b.values {
		if v.Problem == problem {
			return true
		}
	}
	return false
}

// ruleProblem says how s breaks the input rule for text, or "".
func ruleProblem(s string) string {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return problemNUL
	case !utf8.ValidString(s):
		return problemUTF8
	}
	return ""
}

// validText is s with NUL bytes and what is not UTF-8 shown as U+FFFD.
func validText(s string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
}

// cleanForm makes every value of the parsed body valid text, so that a
// re-shown form keeps what was typed and nothing raw can reach a query.
func cleanForm(req *http.Request) {
	for _, values := range []url.Values{req.Form, req.PostForm} {
		for _, vs := range values {
			for i, v := range vs {
				vs[i] = validText(v)
			}
		}
	}
	if req.MultipartForm != nil {
		for _, vs := range req.MultipartForm.Value {
			for i, v := range vs {
				vs[i] = validText(v)
			}
		}
		for _, files := range req.MultipartForm.File {
			for _, fh := range files {
				fh.Filename = validText(fh.Filename)
			}
		}
	}
}

// inputMessage is the error shown for a value that broke the rule.
func inputMessage(label, problem string) string {
	label = strings.ToUpper(label[:1]) + label[1:]
	switch problem {
	case problemNUL:
		return label + " must not contain the null character (U+0000). Type it again rather than pasting it"
	case problemTwice:
		return label + " was sent twice with the same value. Go back, reload the page and try again"
	}
	return label + " must not contain characters that are not valid UTF-8 text. Type it again rather than pasting it"
}

// textRule returns the input rule's error for a field of a field form, with
// the label the page gives it, or "".
func textRule(c echo.Context, field, label string) string {
	bad, _ := c.Get(ctxBadInput).(*badInput)
	if bad == nil {
		return ""
	}
	message := ""
	for _, v := range bad.values {
		if v.Field == field {
			v.reported = true
			if message == "" {
				message = inputMessage(label, v.Problem)
			}
		}
	}
	return message
}

// withInputErrors adds the input rule's error for every value a handler has
// not shown by its field, so that such a form is never stored.
func withInputErrors(c echo.Context, errs formErrors) formErrors {
	bad, _ := c.Get(ctxBadInput).(*badInput)
	if bad == nil {
		return errs
	}
	for _, v := range bad.values {
		if !v.reported {
			v.reported = true
			errs.Add(v.Field, inputMessage("this answer", v.Problem))
		}
	}
	return errs
}

// hasBadInput says whether the request broke the input rule.
func hasBadInput(c echo.Context) bool {
	bad, _ := c.Get(ctxBadInput).(*badInput)
	return bad != nil && len(bad.values) > 0
}

// refuseInput answers a request that broke the input rule outside a field
// form: the error page with an error summary naming each field.
func (s *Server) refuseInput(c echo.Context, bad badInput) error {
	page := errorContent(http.StatusUnprocessableEntity)
	v := s.view(c, page.Heading)
	for _, b := range bad.values {
		v.Errors.Add(b.Field, inputMessage("the field “"+b.Field+"”", b.Problem))
	}
	v.Data = page
	return s.render(c, http.StatusUnprocessableEntity, "error", v)
}
