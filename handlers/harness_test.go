package handlers

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
	"nhs-digital-maturity/static"
)

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

// cheapHasher keeps argon2id but with tiny settings, so tests stay fast.
var cheapHasher = models.PasswordHasher{MemoryKiB: 64, Time: 1, Threads: 1}

// testApp is the real router over a real database, served on a local port.
type testApp struct {
	t      testing.TB
	store  *models.Store
	server *Server
	http   *httptest.Server
	// releases counts the workforce releases publish has built.
	releases int
}

// publish builds the next workforce release, as the schedule would once
// its interval has passed: each a little over an interval after the last.
func (a *testApp) publish() models.WorkforceRelease {
	a.t.Helper()
	a.releases++
	at := time.Now().Add(time.Duration(a.releases-1) * (workforceInterval(a.server) + time.Hour))
	rel, err := a.server.workforce.Publish(context.Background(), at)
	if err != nil {
		a.t.Fatalf("publish workforce release: %v", err)
	}
	return rel
}

func workforceInterval(s *Server) time.Duration {
	if s.workforce.Interval > 0 {
		return s.workforce.Interval
	}
	return 7 * 24 * time.Hour
}

// newTestApp starts the service for one test on its own database.
func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return newTestAppWith(t, func(*Config) {})
}

func newTestAppWith(t testing.TB, change func(*Config)) *testApp {
	t.Helper()
	return newTestAppOn(t, testdb.Open(t), change)
}

// newTestAppOn starts the service on a store the test opened itself.
func newTestAppOn(t testing.TB, store *models.Store, change func(*Config)) *testApp {
	t.Helper()
	// TEST_LOG=1 shows the server's log, for finding the cause of a 500.
	var logOut io.Writer = io.Discard
	if os.Getenv("TEST_LOG") != "" {
		logOut = os.Stderr
	}
	return newTestAppLogging(t, store, change, logOut)
}

// newTestAppLogging starts the service with its log written to logOut.
func newTestAppLogging(t testing.TB, store *models.Store, change func(*Config), logOut io.Writer) *testApp {
	t.Helper()
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Assets:       assets,
		BaseURL:      "http://example.test",
		SessionKey:   []byte("test-session-key-of-at-least-32-bytes!"),
		MinGroupSize: 10,
		Hasher:       cheapHasher,
	}
	change(&cfg)
	srv, err := New(store, testFrameworks(t), cfg, slog.New(slog.NewTextHandler(logOut, nil)))
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testApp{t: t, store: store, server: srv, http: ts}
}

// testFrameworks loads the embedded framework files once per test.
func testFrameworks(t testing.TB) *assessments.Library {
	t.Helper()
	lib, err := assessments.Load()
	if err != nil {
		t.Fatalf("load frameworks: %v", err)
	}
	return lib
}

// newHomeApp is a test app with the acute trust most tests use, Home Trust
// (HOM).
func newHomeApp(t testing.TB) (*testApp, models.Organisation) {
	app := newTestApp(t)
	return app, app.organisation("Home Trust", "HOM", models.KindAcute)
}

// organisation creates an organisation.
func (a *testApp) organisation(name, ods, kind string) models.Organisation {
	a.t.Helper()
	o := models.Organisation{Name: name, ODSCode: ods, Kind: kind}
	if err := a.store.CreateOrganisation(context.Background(), &o, 0); err != nil {
		a.t.Fatalf("create organisation: %v", err)
	}
	return o
}

// user creates an active account with testPassword.
func (a *testApp) user(org models.Organisation, email string, roles ...models.Role) models.User {
	a.t.Helper()
	hash, err := cheapHasher.Hash(testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	// Test people have signed in themselves before, so their
	// self-assessments count towards the workforce figures.
	now := time.Now()
	u := models.User{OrganisationID: org.ID, Email: email, Name: "Person " + email, PasswordHash: hash,
		RoleCodes: models.Roles(roles).String(), Active: true, OwnSignInAt: &now}
	if err := a.store.CreateUser(context.Background(), &u); err != nil {
		a.t.Fatalf("create user: %v", err)
	}
	return u
}

// client is one browser: its own cookies, no automatic redirects.
type client struct {
	t    testing.TB
	app  *testApp
	http *http.Client
	// csrfToken is the form token last read, for the cookies in csrfKey.
	csrfToken, csrfKey string
}

func (a *testApp) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, app: a, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signedIn returns a client already signed in as email.
func (a *testApp) signedIn(email string) *client {
	a.t.Helper()
	c := a.client()
	res := c.signIn(email, testPassword)
	if res.status != http.StatusSeeOther {
		a.t.Fatalf("sign in %s: status %d\n%s", email, res.status, res.body)
	}
	return c
}

// signedInAs creates an account in org and returns a client signed in
// with it.
func (a *testApp) signedInAs(org models.Organisation, email string, roles ...models.Role) *client {
	a.t.Helper()
	a.user(org, email, roles...)
	return a.signedIn(email)
}

type response struct {
	status int
	body   string
	header http.Header
}

func (r response) location() string { return r.header.Get("Location") }

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: string(b), header: res.Header}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.http.URL+path, nil)
	return c.do(req)
}

// csrf returns the token the client's forms carry, read from a page as a
// browser would: the header's sign-out form when signed in, the sign-in
// form otherwise. It is kept until the client's cookies change.
func (c *client) csrf() string {
	c.t.Helper()
	key := c.cookie(sessionCookie) + " " + c.cookie(csrfCookie)
	if c.csrfToken != "" && c.csrfKey == key {
		return c.csrfToken
	}
	for _, path := range []string{"/accessibility", "/sign-in"} {
		if m := csrfInPage.FindStringSubmatch(c.get(path).body); m != nil {
			c.csrfToken, c.csrfKey = m[1], c.cookie(sessionCookie)+" "+c.cookie(csrfCookie)
			return c.csrfToken
		}
	}
	c.t.Fatal("no CSRF token in the pages")
	return ""
}

var csrfInPage = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// post sends a form with the CSRF token, as a browser would.
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set(csrfField, c.csrf())
	return c.postRaw(path, form)
}

// postRaw sends a form exactly as given.
func (c *client) postRaw(path string, form url.Values) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.app.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) signIn(email, password string) response {
	c.t.Helper()
	return c.post("/sign-in", url.Values{"email": {email}, "password": {password}})
}

// wantStatus fails the test when a response has another status.
func wantStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.status != want {
		body := r.body
		if len(body) > 2000 {
			body = body[:2000]
		}
		t.Fatalf("status %d, want %d\n%s", r.status, want, body)
	}
}

// wantContains fails the test when the body lacks any of the texts.
func wantContains(t testing.TB, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

// wantRefused checks a form was refused (422) with each of the messages.
func wantRefused(t testing.TB, r response, messages ...string) {
	t.Helper()
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, messages...)
}

// cookie returns the value of one of the client's cookies, with or
// without the __Host- prefix it has behind TLS.
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.app.http.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name || ck.Name == hostPrefix+name {
			return ck.Value
		}
	}
	return ""
}

// setCookie gives the client a cookie, as if copied from another browser.
func (c *client) setCookie(name, value string) {
	u, _ := url.Parse(c.app.http.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// upload sends a file in a multipart form, with the CSRF token.
func (c *client) upload(path, fileName, content string) response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField(csrfField, c.csrf())
	fw, _ := w.CreateFormFile("file", fileName)
	fw.Write([]byte(content))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.app.http.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// latestFramework is the latest framework of kind and its stored version.
func (a *testApp) latestFramework(t testing.TB, kind string) (*assessments.Framework, models.FrameworkVersion) {
	t.Helper()
	fw, _ := a.server.frameworks.Latest(kind)
	fv, err := a.store.FrameworkVersionByCode(context.Background(), fw.Code, fw.Version)
	if err != nil {
		t.Fatal(err)
	}
	return fw, fv
}

// newCycle opens a maturity cycle on the latest framework directly in the
// store, for tests that need one without walking the form.
// A quorum, if given, replaces the default.
func (a *testApp) newCycle(t testing.TB, org models.Organisation, period string, due time.Time, quorum ...int) models.MaturityCycle {
	t.Helper()
	ctx := context.Background()
	_, fv := a.latestFramework(t, assessments.KindMaturity)
	cycle := models.MaturityCycle{OrganisationID: org.ID, FrameworkID: fv.ID, Period: period, DueDate: due}
	if len(quorum) > 0 {
		cycle.Quorum = quorum[0]
	}
	if err := a.store.CreateCycle(ctx, &cycle, 0); err != nil {
		t.Fatal(err)
	}
	return cycle
}
