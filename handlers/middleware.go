package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
)

// Keys of values kept on the request context.
const (
	ctxUser         = "user"
	ctxOrganisation = "organisation"
	ctxSessionHash  = "session_hash"
	ctxCSRF         = "csrf"
)

const (
	sessionCookie = "session"
	csrfCookie    = "csrf"
	csrfField     = "_csrf"
	csrfHeader    = "X-CSRF-Token"
)

// ErrCSRF is an unsafe request without a matching token.
var ErrCSRF = errors.New("missing or wrong CSRF token")

// logRequests writes one slog line per request with its request id.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		level, msg := slogLevel(res.Status), "request"
		if res.Status == statusClientClosed {
			level, msg = slog.LevelInfo, "request cancelled"
		}
		// An invitation or password-reset link is its own secret: the log
		// names its route, never its token.
		path := req.URL.Path
		if strings.Contains(c.Path(), ":token") {
			path = c.Path()
		}
		s.log.Log(req.Context(), level, msg,
			"request_id", res.Header().Get(echo.HeaderXRequestID),
			"method", requestMethod(req), "path", path, "status", res.Status,
			"ms", time.Since(start).Milliseconds(), "bytes", res.Size)
		return nil
	}
}

// recoverPanics turns a panic into a logged 500 page.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// dbDeadline gives each request's work a deadline on its context, which
// every store query takes: a hung database costs a request DBTimeout and a
// "service is having trouble" page, not as long as the database hangs and
// then an empty reply.
func (s *Server) dbDeadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.DBTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// ErrFontURL is a FONT_URL that is not an absolute http(s) address.
var ErrFontURL = errors.New("FONT_URL must be an absolute http or https address, such as https://assets.nhs.uk/fonts/")

// contentSecurityPolicy allows no inline script or style, and nothing from
// another host except fonts from fontURL's origin when one is set.
func contentSecurityPolicy(fontURL string) (string, error) {
	fonts := "'self'"
	if fontURL != "" {
		u, err := url.Parse(fontURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return "", ErrFontURL
		}
		fonts += " " + u.Scheme + "://" + u.Host
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src " + fonts + "; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; " +
		"base-uri 'self'; object-src 'none'", nil
}

// securityHeaders sets the headers of the security baseline.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", s.csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.secureCookies() {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// tokenHash is the keyed hash under which a session or invitation token is
// stored: the database never holds a token that could be used as it is.
func (s *Server) tokenHash(token string) string { return tokenHashWith(s.cfg.SessionKey, token) }

// tokenHashWith is tokenHash under a given key, for the commands.
func tokenHashWith(key []byte, token string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// newToken returns 32 random bytes, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// loadSession puts the signed-in user, if any, on the context.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(s.cookieName(sessionCookie))
		if err != nil || ck.Value == "" {
			return next(c)
		}
		hash := s.tokenHash(ck.Value)
		ctx := c.Request().Context()
		_, u, org, err := s.store.ActiveSession(ctx, hash, s.cfg.SessionIdle, s.cfg.SessionAbsolute)
		if errors.Is(err, models.ErrNotFound) {
			s.clearCookie(c, sessionCookie)
			return next(c)
		}
		if err != nil {
			return err
		}
		c.Set(ctxUser, u)
		c.Set(ctxOrganisation, org)
		c.Set(ctxSessionHash, hash)
		return next(c)
	}
}

// csrf checks the token of every unsafe request. The token is an HMAC,
// keyed by SESSION_KEY, of what it is bound to: the session when signed in,
// otherwise a random pre-session value in an HttpOnly cookie. Another
// browser's cookie and token are therefore refused, and a signed-in token
// works with its own session only. Go's CrossOriginProtection refuses, in
// addition, any post a browser marks as coming from another site.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		sessionHash, signedIn := c.Get(ctxSessionHash).(string)
		browser := ""
		if ck, err := c.Cookie(s.cookieName(csrfCookie)); err == nil && len(ck.Value) >= 32 {
			browser = ck.Value
		}
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if err := s.crossOrigin.Check(req); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, ErrCSRF.Error()).SetInternal(fmt.Errorf("%w: %v", ErrCSRF, err))
			}
			sent := req.Header.Get(csrfHeader)
			if sent == "" {
				sent = c.FormValue(csrfField)
			}
			var want []string
			if signedIn {
				want = append(want, s.sessionCSRF(sessionHash))
			} else {
				// A form from a session that has since ended passes, so
				// that sign-in, not a 403, tells the person what happened.
				if ck, err := c.Cookie(s.cookieName(sessionCookie)); err == nil && ck.Value != "" {
					want = append(want, s.sessionCSRF(s.tokenHash(ck.Value)))
				}
				if browser != "" {
					want = append(want, s.browserCSRF(browser))
				}
			}
			if !slices.ContainsFunc(want, func(w string) bool { return subtle.ConstantTimeCompare([]byte(sent), []byte(w)) == 1 }) {
				return echo.NewHTTPError(http.StatusForbidden, ErrCSRF.Error()).SetInternal(ErrCSRF)
			}
		}
		if signedIn {
			c.Set(ctxCSRF, s.sessionCSRF(sessionHash))
		} else {
			if browser == "" {
				browser = s.setCSRFCookie(c)
			}
			c.Set(ctxCSRF, s.browserCSRF(browser))
		}
		return next(c)
	}
}

// sessionCSRF is the form token of the session stored under sessionHash.
func (s *Server) sessionCSRF(sessionHash string) string {
	return s.tokenHash("csrf session:" + sessionHash)
}

// browserCSRF is the form token of a signed-out browser, bound to the
// pre-session value in its CSRF cookie.
func (s *Server) browserCSRF(cookie string) string { return s.tokenHash("csrf browser:" + cookie) }

// setCSRFCookie gives the browser a new pre-session value and returns it.
func (s *Server) setCSRFCookie(c echo.Context) string {
	value := newToken()
	s.setCookie(c, &http.Cookie{Name: csrfCookie, Value: value})
	c.Set(ctxCSRF, s.browserCSRF(value))
	return value
}

func csrfToken(c echo.Context) string {
	t, _ := c.Get(ctxCSRF).(string)
	return t
}

// hostPrefix marks a cookie that only this host, over HTTPS, can set:
// browsers refuse one that is not Secure, has a Domain or another Path, so
// a neighbouring subdomain cannot plant a session or CSRF cookie.
const hostPrefix = "__Host-"

// cookieName is a cookie's name as sent: __Host- prefixed behind TLS.
func (s *Server) cookieName(name string) string {
	if s.secureCookies() {
		return hostPrefix + name
	}
	return name
}

// setCookie sets one of the service's cookies, always HttpOnly, SameSite=Lax
// and for the whole site; Secure and __Host- prefixed behind TLS.
func (s *Server) setCookie(c echo.Context, ck *http.Cookie) {
	ck.Name = s.cookieName(ck.Name)
	ck.Path, ck.Domain = "/", ""
	ck.HttpOnly, ck.Secure, ck.SameSite = true, s.secureCookies(), http.SameSiteLaxMode
	c.SetCookie(ck)
}

func (s *Server) clearCookie(c echo.Context, name string) {
	s.setCookie(c, &http.Cookie{Name: name, Value: "", MaxAge: -1})
}

func currentUser(c echo.Context) (models.User, bool) {
	u, ok := c.Get(ctxUser).(models.User)
	return u, ok
}

// mustUser returns the signed-in user on routes behind requireSignIn.
func mustUser(c echo.Context) models.User {
	u, _ := currentUser(c)
	return u
}

// requireSignIn sends people who are not signed in to the sign-in page and
// brings them back afterwards.
func (s *Server) requireSignIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); ok {
			return next(c)
		}
		to := "/sign-in"
		if c.Request().Method == http.MethodGet && c.Request().URL.Path != "/" {
			to += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
		}
		return redirect(c, to)
	}
}

// requireRole lets through people who hold any of roles.
func (s *Server) requireRole(roles ...models.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := mustUser(c)
			if slices.ContainsFunc(roles, u.Has) {
				return next(c)
			}
			return echo.ErrForbidden
		}
	}
}

func slogLevel(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}
