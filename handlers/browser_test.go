package handlers

// The accessibility test drives a real, headless Chromium over the service,
// signs in through the form as each role, and runs axe-core on every page it
// reaches. It checks WCAG 2.2 A and AA as far as a machine can: it does not
// replace testing with people and assistive technology.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	ssopkg "nhs-digital-maturity/sso"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// axeTags are the rule sets of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
// WCAG 2.2 adds no level A rule to axe, so there is no "wcag22a" tag.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// pageTimeout bounds the work on one page: load, axe and screenshot.
const pageTimeout = 30 * time.Second

// viewportWidths are the widths every page is checked at, in CSS pixels:
// 1280 is a laptop, and 320 is WCAG 1.4.10's reflow width (1280 px at 400%
// zoom), at which nothing but a table in its own container may scroll
// sideways.
var viewportWidths = []int64{1280, 320}

// overflowScript finds what makes the page wider than the viewport, and
// content that a box cuts off at its side: the widest few of each. A box
// that scrolls (a table's container) holds its content in, so neither
// counts inside one.
const overflowScript = `(() => {
  const doc = document.documentElement, width = doc.clientWidth, roomy = width >= 1000;
  const wide = [], cut = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const inScroller = el => {
    for (let p = el.parentElement; p && p !== doc; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    // A word too long for its box spills out of it: scrollWidth sees it.
    // A box that scrolls keeps what it holds, so only its own box counts.
    const ox = getComputedStyle(el).overflowX;
    const right = ox === 'auto' || ox === 'scroll' ? r.right : Math.max(r.right, r.left + el.scrollWidth);
    if (right > width + 1) wide.push([right + (inScroller(el) ? 0 : 1e6), name(el) + (inScroller(el) ? ' (in a box that scrolls)' : '')]);
    // A box that hides what does not fit cuts it off. At a laptop's width
    // a table should fit its container, not need a scroll to see its last
    // column. (A field's own text may scroll inside it.)
    const clips = ox === 'hidden' || ox === 'clip' || (roomy && (ox === 'auto' || ox === 'scroll'));
    if (clips && !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) &&
        el.scrollWidth > el.clientWidth + 1 && !inScroller(el))
      cut.push([el.scrollWidth - el.clientWidth, name(el)]);
  }
  wide.sort((a, b) => b[0] - a[0]);
  cut.sort((a, b) => b[0] - a[0]);
  return {scrollWidth: doc.scrollWidth, clientWidth: width,
    wide: wide.slice(0, 5).map(w => w[1] + ' reaches ' + Math.round(w[0] % 1e6) + 'px'),
    cut: cut.slice(0, 5).map(c => c[1] + ' cuts off ' + Math.round(c[0]) + 'px')};
})()`

type overflow struct {
	ScrollWidth int64    `json:"scrollWidth"`
	ClientWidth int64    `json:"clientWidth"`
	Wide        []string `json:"wide"`
	Cut         []string `json:"cut"`
}

// requests records every address a tab asks for.
type requests struct {
	mu   sync.Mutex
	urls []string
}

// take returns the addresses asked for since the last call.
func (r *requests) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.urls
	r.urls = nil
	return out
}

// leavesLocalhost says whether a request goes to another host. Addresses
// that fetch nothing (data:, blob:, about:) stay.
func leavesLocalhost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	switch u.Scheme {
	case "data", "blob", "about", "chrome", "devtools":
		return false
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return false
	}
	return true
}

// axeResults is the part of axe.run's result the test reads.
type axeResults struct {
	// Violations is a pointer so that a missing array (axe did not run, or
	// its result changed shape) differs from an empty one.
	Violations *[]axeRule `json:"violations"`
	Passes     []axeRule  `json:"passes"`
	Incomplete []axeRule  `json:"incomplete"`
}

type axeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	// Target is one selector per frame or shadow root: a string, or a list
	// of strings for a node inside a shadow root.
	Target         []any  `json:"target"`
	FailureSummary string `json:"failureSummary"`
}

// selector joins a node's target into one readable selector.
func (n axeNode) selector() string {
	parts := make([]string, 0, len(n.Target))
	for _, p := range n.Target {
		switch p := p.(type) {
		case string:
			parts = append(parts, p)
		case []any:
			inner := make([]string, 0, len(p))
			for _, q := range p {
				inner = append(inner, fmt.Sprint(q))
			}
			parts = append(parts, strings.Join(inner, " >>> "))
		default:
			parts = append(parts, fmt.Sprint(p))
		}
	}
	return strings.Join(parts, " | ")
}

// selectors lists the first few nodes a rule matched.
func (r axeRule) selectors(max int) string {
	var s []string
	for i, n := range r.Nodes {
		if i == max {
			s = append(s, fmt.Sprintf("and %d more", len(r.Nodes)-max))
			break
		}
		s = append(s, n.selector())
	}
	return strings.Join(s, ", ")
}

// findChromium returns the path of Chromium, or "" when it is not installed.
func findChromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotDir is where the screenshots go: $SCREENSHOT_DIR, or a fixed
// folder under the temporary directory so that it is easy to find again.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "nhs-dmsa-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	return dir
}

// browserCheck is one tab, signed in as one person or not at all.
type browserCheck struct {
	t        *testing.T
	ctx      context.Context // the tab; no deadline, see chromedp.Run
	base     string
	who      string // names the screenshots: "lead", "signed-out"
	shots    string
	axeSrc   string
	maxNodes int
	requests *requests
}

// pageCtx limits one step to pageTimeout without ending the tab.
func (b *browserCheck) pageCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, pageTimeout)
}

// visit loads path, wants a 200 and checks the page.
func (b *browserCheck) visit(path, name string) {
	b.t.Helper()
	b.visitStatus(path, name, 200)
}

// visitStatus loads path, wants the status given and checks the page.
func (b *browserCheck) visitStatus(path, name string, want int64) {
	b.t.Helper()
	ctx, cancel := b.pageCtx()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Errorf("%s: open %s: %v", name, path, err)
		return
	}
	if res == nil || res.Status != want {
		status := int64(0)
		if res != nil {
			status = res.Status
		}
		// A wrong status means a different page from the one meant: an
		// error page or the sign-in page, so checking it proves little.
		b.t.Errorf("%s: GET %s: status %d, want %d", name, path, status, want)
		return
	}
	b.check(ctx, name)
}

// submit clicks a form's submit button, waits for the next page, and checks
// it. wantStatus is the status of the page the browser ends on.
func (b *browserCheck) submit(button string, wantStatus int64, name string) {
	b.t.Helper()
	ctx, cancel := b.pageCtx()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		b.t.Errorf("%s: submit %s: %v", name, button, err)
		return
	}
	if res == nil || res.Status != wantStatus {
		status := int64(0)
		if res != nil {
			status = res.Status
		}
		b.t.Errorf("%s: submit %s: status %d, want %d", name, button, status, wantStatus)
	}
	b.check(ctx, name)
}

// signIn fills in the sign-in form and submits it. It returns false when
// the browser did not arrive on the home page.
func (b *browserCheck) signIn(email, password string) bool {
	b.t.Helper()
	ctx, cancel := b.pageCtx()
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(b.base+"/sign-in"),
		chromedp.SetValue(chromedp.ID("email"), email),
		chromedp.SetValue(chromedp.ID("password"), password),
	); err != nil {
		b.t.Errorf("fill in sign-in form: %v", err)
		return false
	}
	if _, err := chromedp.RunResponse(ctx,
		chromedp.Click(chromedp.CSS(`form[action="/sign-in"] button[type=submit]`))); err != nil {
		b.t.Errorf("submit sign-in form: %v", err)
		return false
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Errorf("location after sign-in: %v", err)
		return false
	}
	if loc != b.base+"/" {
		b.t.Errorf("sign in as %s: ended on %s, want %s/", email, loc, b.base)
		return false
	}
	return true
}

// wantErrorSummary fails unless the page shows NHS.UK's error summary, so
// that an error page is really checked in its error state.
func (b *browserCheck) wantErrorSummary(name string) {
	b.t.Helper()
	ctx, cancel := b.pageCtx()
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.nhsuk-error-summary').length`))
	if err != nil {
		b.t.Errorf("%s: look for error summary: %v", name, err)
	} else if n != 1 {
		b.t.Errorf("%s: %d error summaries, want 1", name, n)
	}
}

// check runs on the page the tab shows now, at each viewport width: it
// wants a heading and no sideways scrolling, saves a screenshot and reports
// every axe violation; then it fails on any request that left localhost.
func (b *browserCheck) check(ctx context.Context, name string) {
	b.t.Helper()
	for _, w := range viewportWidths {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900)); err != nil {
			b.t.Errorf("%s %s: set viewport to %d px: %v", b.who, name, w, err)
			continue
		}
		b.checkAt(ctx, name, w)
	}
	for _, u := range b.requests.take() {
		if leavesLocalhost(u) {
			b.t.Errorf("%s %s: the page asked for %s, which leaves the server", b.who, name, u)
		}
	}
}

// checkAt checks the page at one viewport width.
func (b *browserCheck) checkAt(ctx context.Context, name string, width int64) {
	b.t.Helper()
	label := fmt.Sprintf("%s %s at %d px", b.who, name, width)
	name = fmt.Sprintf("%s-%d", name, width)

	h1, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(document.querySelector('h1') || {textContent: ''}).textContent.trim()`))
	if err != nil {
		b.t.Errorf("%s: read h1: %v", label, err)
	} else if h1 == "" {
		b.t.Errorf("%s: page has no <h1>", label)
	}

	of, err := chromedp.Run(ctx, chromedp.Evaluate[overflow](overflowScript))
	if err != nil {
		b.t.Errorf("%s: measure the page: %v", label, err)
	} else {
		if of.ScrollWidth > of.ClientWidth {
			b.t.Errorf("%s: the page scrolls sideways: %d px wide in a %d px viewport (%s)", label, of.ScrollWidth, of.ClientWidth, strings.Join(of.Wide, "; "))
		}
		if len(of.Cut) > 0 {
			b.t.Errorf("%s: content is cut off: %s", label, strings.Join(of.Cut, "; "))
		}
	}

	// The screenshot comes before axe so that a page axe chokes on can
	// still be looked at.
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("%s: screenshot: %v", label, err)
	} else {
		file := filepath.Join(b.shots, b.who+"-"+name+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			b.t.Errorf("%s: save screenshot: %v", label, err)
		}
	}

	// The page's Content-Security-Policy forbids inline and foreign
	// scripts, but Runtime.evaluate runs outside the page's CSP, so axe is
	// injected this way on every page load.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](b.axeSrc)); err != nil {
		b.t.Errorf("%s: inject axe-core: %v", label, err)
		return
	}
	tags, _ := json.Marshal(axeTags)
	// resultTypes keeps the node lists of passes short; the rules are all
	// still listed.
	// color-contrast is in wcag2aa; it is named too, so that it runs even
	// if a later axe moves it out of the tags.
	script := `axe.run(document, {runOnly: {type: 'tag', values: ` + string(tags) + `}, rules: {'color-contrast': {enabled: true}}, resultTypes: ['violations']})`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResults](script, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Errorf("%s: run axe-core: %v", label, err)
		return
	}
	if res.Violations == nil {
		b.t.Errorf("%s: axe result has no violations array", label)
		return
	}
	if len(res.Passes) == 0 {
		// Any real page passes some rule; none means axe checked nothing.
		b.t.Errorf("%s: axe passed no rule, so it did not check the page", label)
	}
	ranContrast := false
	for _, list := range [][]axeRule{res.Passes, *res.Violations, res.Incomplete} {
		for _, r := range list {
			ranContrast = ranContrast || r.ID == "color-contrast"
		}
	}
	if !ranContrast {
		b.t.Errorf("%s: axe did not check colour contrast", label)
	}
	for _, v := range *res.Violations {
		b.t.Errorf("%s (%q): axe %s [%s]: %s (%s)\n    at %s\n    %s", label, h1, v.ID, v.Impact, v.Help, v.HelpURL,
			v.selectors(b.maxNodes), firstLine(v.Nodes))
	}
	for _, v := range res.Incomplete {
		// "Incomplete" needs a person to decide, for example contrast over
		// an image: worth a look, but not a failure.
		b.t.Logf("%s: axe needs review: %s: %s at %s", label, v.ID, v.Help, v.selectors(b.maxNodes))
	}
	b.t.Logf("%s: %q: %d rules passed, %d violated", label, h1, len(res.Passes), len(*res.Violations))
}

// firstLine is the first node's failure summary, squeezed onto one line.
func firstLine(nodes []axeNode) string {
	if len(nodes) == 0 {
		return ""
	}
	return strings.Join(strings.Fields(nodes[0].FailureSummary), " ")
}

func TestAccessibility(t *testing.T) {
	chromium := findChromium()
	if chromium == "" {
		msg := "Chromium not found (looked for /usr/bin/chromium, chromium, chromium-browser): install it to run the accessibility test"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	axeSrc, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	shots := screenshotDir(t)
	t.Logf("screenshots in %s", shots)
	fmt.Println("accessibility screenshots:", shots)

	// With email on, so that the pages that send it show their forms.
	app := newTestAppWith(t, func(c *Config) { c.Mail = true })
	org := app.organisation("Example Teaching Hospitals NHS Trust", "ZZT", models.KindAcute)
	staff := app.user(org, "staff@example.nhs.uk", models.RoleStaff)
	board := app.user(org, "board@example.nhs.uk", models.RoleBoard)
	app.user(org, "lead@example.nhs.uk", models.RoleLead)
	app.user(org, "admin@example.nhs.uk", models.RoleAdmin)
	// Single sign-on for two trusts: one offering it beside passwords,
	// one single sign-on only, so that every state of the pages shows.
	ssoOrg, onlyOrg := browserSSO(t, app)

	// The options start from chromedp's defaults (headless, no first run, no
	// background networking, no sync, no extensions), none of which fetch
	// anything. The rest keeps Chromium off the network: this machine has
	// none, and a test must not depend on it.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // running as root in a container
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// Every host but the test server fails at once, so a font or any
		// other outside address cannot stall a page load.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	// Deferred, so it runs before t.TempDir's clean-up: cancel waits for
	// Chromium to exit, and only then is its profile folder removed.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	// The first Run starts Chromium and ties its life to browserCtx, so it
	// takes no timeout (see chromedp.Run); go test's -timeout still applies.
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start Chromium (%s): %v", chromium, err)
	}

	// tab opens a tab in a browser context of its own: fresh cookies.
	tab := func(t *testing.T, who string) *browserCheck {
		rec := &requests{}
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext(),
			chromedp.WithListener(func(ev any) {
				if e, ok := ev.(*network.EventRequestWillBeSent); ok {
					rec.mu.Lock()
					rec.urls = append(rec.urls, e.Request.URL)
					rec.mu.Unlock()
				}
			}))
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx); err != nil {
			t.Fatalf("open tab: %v", err)
		}
		// Anything asked for after the last page was checked.
		t.Cleanup(func() {
			for _, u := range rec.take() {
				if leavesLocalhost(u) {
					t.Errorf("%s: a page asked for %s, which leaves the server", who, u)
				}
			}
		})
		return &browserCheck{t: t, ctx: ctx, base: app.http.URL, who: who, shots: shots, axeSrc: string(axeSrc), maxNodes: 5, requests: rec}
	}

	t.Run("signed-out", func(t *testing.T) {
		b := tab(t, "signed-out")
		b.visit("/sign-in", "sign-in")
		// One wrong password, on the page just checked: more would start
		// the sign-in throttle.
		ctx, cancel := b.pageCtx()
		defer cancel()
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.ID("email"), "staff@example.nhs.uk"),
			chromedp.SetValue(chromedp.ID("password"), "not the password"),
		); err != nil {
			t.Fatalf("fill in sign-in form: %v", err)
		}
		b.submit(`form[action="/sign-in"] button[type=submit]`, 422, "sign-in-error")
		b.wantErrorSummary("sign-in-error")
		// An address of a single sign-on domain with no password: the
		// "Sign in with" page. With a password, at a single-sign-on-only
		// trust: the same page with the refusal.
		for _, step := range []struct{ email, password, name string }{
			{"someone@sso.example.nhs.uk", "", "sign-in-sso"},
			{"someone@only.example.nhs.uk", "a password of theirs", "sign-in-sso-only-error"},
		} {
			ctx, cancel := b.pageCtx()
			if err := chromedp.Do(ctx, chromedp.Navigate(b.base+"/sign-in"),
				chromedp.SetValue(chromedp.ID("email"), step.email),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('password').value = `+strconv.Quote(step.password)),
			); err != nil {
				t.Fatalf("fill in sign-in form: %v", err)
			}
			cancel()
			if step.password == "" {
				b.submit(`form[action="/sign-in"] button[type=submit]`, 200, step.name)
			} else {
				b.submit(`form[action="/sign-in"] button[type=submit]`, 422, step.name)
				b.wantErrorSummary(step.name)
			}
		}
		b.visitStatus("/sign-in/sso/callback?state=not-ours&code=x", "sso-problem", 400)
		b.visit("/accessibility", "accessibility")
		b.visit("/privacy", "privacy")
		// Forgot your password: the form, its error state and its answer.
		b.visit("/password/forgot", "forgot-password")
		b.submit(`form[action="/password/forgot"] button[type=submit]`, 422, "forgot-password-error")
		b.wantErrorSummary("forgot-password-error")
		ctx, cancel = b.pageCtx()
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("email"), "nobody@example.nhs.uk")); err != nil {
			t.Fatalf("fill in forgot-password form: %v", err)
		}
		b.submit(`form[action="/password/forgot"] button[type=submit]`, 200, "forgot-password-sent")
		// A reset link, as the email carries, and its error state.
		token := newToken()
		if err := app.store.CreatePasswordReset(context.Background(), staff, app.server.tokenHash(token), time.Now().Add(time.Hour),
			models.ResetIssue{How: "test"}); err != nil {
			t.Fatal(err)
		}
		b.visit("/password/reset/"+token, "reset-password")
		b.submit(`form[action^="/password/reset/"] button[type=submit]`, 422, "reset-password-error")
		b.wantErrorSummary("reset-password-error")
	})

	roles := []struct {
		who     string
		manager bool // lead or admin: manages accounts
		admin   bool
	}{
		{"staff", false, false},
		{"board", false, false},
		{"lead", true, false},
		{"admin", true, true},
	}
	for _, r := range roles {
		t.Run(r.who, func(t *testing.T) {
			b := tab(t, r.who)
			if !b.signIn(r.who+"@example.nhs.uk", testPassword) {
				t.FailNow()
			}
			b.visit("/", "home")
			b.visit("/profile", "profile")
			// An empty name is refused: the page shows its error state.
			ctx, cancel := b.pageCtx()
			defer cancel()
			// Not chromedp.SetValue: in v0.23.0 it cannot set "" (the empty
			// argument is dropped, so the field gets "undefined").
			if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("name")),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('name').value = ''`)); err != nil {
				t.Errorf("clear name: %v", err)
			} else {
				b.submit(`form[action="/profile"] button[type=submit]`, 422, "profile-error")
				b.wantErrorSummary("profile-error")
			}
			b.visit("/password", "password")
			b.visit("/accessibility", "accessibility")
			if r.manager {
				b.visit("/accounts", "accounts")
				b.visit("/accounts/invite", "invite")
				b.submit(`form[action="/accounts/invite"] button[type=submit]`, 422, "invite-error")
				b.wantErrorSummary("invite-error")
				b.visit("/accounts/"+strconv.FormatUint(uint64(staff.ID), 10), "account")
				b.submit(`form[action$="/reset-link"] button[type=submit]`, 200, "reset-link")
				b.visit("/audit", "audit")
			}
			if r.who == "lead" {
				b.visit("/organisation/reminders", "reminders")
				b.submit(`form[action="/organisation/reminders"] button[type=submit]`, 422, "reminders-error")
				b.wantErrorSummary("reminders-error")
			}
			if r.admin {
				b.visit("/admin/email", "admin-email")
				b.visit("/admin/organisations", "organisations")
				b.visit("/admin/organisations/new", "organisation-new")
				b.visit("/admin/organisations/"+strconv.FormatUint(uint64(org.ID), 10), "organisation-edit")
				b.visit("/admin/organisations/"+strconv.FormatUint(uint64(ssoOrg.ID), 10)+"/sign-in", "sso-settings")
				b.visit("/admin/organisations/"+strconv.FormatUint(uint64(onlyOrg.ID), 10)+"/sign-in", "sso-settings-only")
				b.visit("/admin/organisations/"+strconv.FormatUint(uint64(org.ID), 10)+"/sign-in", "sso-settings-new")
				b.submit(`form[action$="/sign-in"] button[type=submit]`, 422, "sso-settings-error")
				b.wantErrorSummary("sso-settings-error")
			}
		})
	}

	// The board maturity journey: a cycle with the first section assigned
	// to the board member, answered by them and partly agreed.
	cycle := browserCycle(t, app, org, board, "2026/27")
	cyclePath := "/maturity/cycles/" + strconv.FormatUint(uint64(cycle.ID), 10)
	submitted := browserCycle(t, app, org, board, "2025/26")
	overall := 3.0
	signOff := models.SignOff{MeetingOn: time.Now().AddDate(0, 0, -7), Name: "Chair of the board", Role: "Chair"}
	if err := app.store.SubmitCycle(context.Background(), submitted, fixedCycleScores(map[string]float64{"well-led": 3}, &overall), signOff, 0); err != nil {
		t.Fatal(err)
	}
	submittedPath := "/maturity/cycles/" + strconv.FormatUint(uint64(submitted.ID), 10)
	t.Run("maturity", func(t *testing.T) {
		b := tab(t, "board")
		if !b.signIn("board@example.nhs.uk", testPassword) {
			t.FailNow()
		}
		b.visit(cyclePath, "maturity-task-list")
		b.visit(cyclePath+"/sections/smart-foundations", "maturity-section")
		b.submit(`button[name=next][value=continue]`, 422, "maturity-section-error")
		b.wantErrorSummary("maturity-section-error")

		l := tab(t, "lead")
		if !l.signIn("lead@example.nhs.uk", testPassword) {
			t.FailNow()
		}
		l.visit("/maturity/cycles", "maturity-cycles")
		l.visit("/maturity/cycles/new", "maturity-cycle-new")
		l.visit(cyclePath, "maturity-cycle")
		l.visit(cyclePath+"/review/well-led", "maturity-review")
		l.visit(cyclePath+"/actions", "maturity-actions")
		l.visit(cyclePath+"/results", "maturity-results")
		l.visit(cyclePath+"/submit", "maturity-submit")
		l.submit(`form[action="`+cyclePath+`/submit"] button[type=submit]`, 422, "maturity-submit-error")
		l.wantErrorSummary("maturity-submit-error")
		l.visit(cyclePath+"/advice/new?question=well-led-1", "maturity-advice-request")

		// The colleague asked for advice sees that one question.
		advice := models.Advice{QuestionCode: "well-led-2", AdviserID: staff.ID, RequestedByID: board.ID}
		if err := app.store.RequestAdvice(context.Background(), cycle, &advice); err != nil {
			t.Fatal(err)
		}
		a := tab(t, "staff")
		if !a.signIn("staff@example.nhs.uk", testPassword) {
			t.FailNow()
		}
		a.visit("/advice/"+strconv.FormatUint(uint64(advice.ID), 10), "advice")
		a.submit(`form[action^="/advice/"] button[type=submit]`, 422, "advice-error")
		a.wantErrorSummary("advice-error")
		// A submitted cycle: its sections are read-only.
		b.visit(submittedPath, "maturity-cycle-submitted")
		b.visit(submittedPath+"/sections/well-led", "maturity-section-submitted")
		l.visit(submittedPath+"/review/well-led", "maturity-review-submitted")
		l.visit(submittedPath+"/results", "maturity-results-submitted")
	})

	// The staff skills journey and the lead's workforce view.
	t.Run("skills", func(t *testing.T) {
		for i := 0; i < 12; i++ {
			completedPerson(t, app, org, fmt.Sprintf("colleague%d@example.nhs.uk", i), "Nursing and Midwifery Registered", "Band 5", "Ward 7", 2, 3)
		}
		completedPerson(t, app, org, "scientist@example.nhs.uk", "Healthcare Scientists", "Band 6", "Pathology", 3, 3)
		fw, _ := app.server.frameworks.Latest(assessments.KindSkills)
		b := tab(t, "staff")
		if !b.signIn("staff@example.nhs.uk", testPassword) {
			t.FailNow()
		}
		b.visit("/skills", "skills-start")
		b.submit(`form[action="/skills/start"] button[type=submit]`, 200, "skills-domain")
		b.submit(`button[name=next][value=continue]`, 422, "skills-domain-error")
		b.wantErrorSummary("skills-domain-error")
		// Rate every statement at the third level of both scales.
		for _, sec := range fw.Sections {
			ctx, cancel := b.pageCtx()
			err := chromedp.Do(ctx, chromedp.Navigate(b.base+"/skills/domains/"+sec.Code),
				chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[type=radio][value="3"]').forEach(r => r.checked = true)`))
			cancel()
			if err != nil {
				t.Fatalf("rate %s: %v", sec.Code, err)
			}
			b.submit(`button[name=next][value=continue]`, 200, "skills-"+sec.Code)
		}
		b.visit("/skills/check", "skills-check")
		b.submit(`form[action="/skills/submit"] button[type=submit]`, 200, "skills-results")
		b.visit("/skills/history", "skills-history")

		l := tab(t, "lead")
		if !l.signIn("lead@example.nhs.uk", testPassword) {
			t.FailNow()
		}
		// The workforce figures of the first release, a breakdown the
		// release has, and one finer than its tables.
		app.publish()
		l.visit("/organisation/skills", "organisation-skills")
		l.visit("/organisation/skills?by=department", "organisation-skills-departments")
		l.visit("/organisation/skills?department="+url.QueryEscape("Ward 7")+"&band="+url.QueryEscape("Band 5"), "organisation-skills-not-published")
		// The national view over the same people, with and without a filter.
		a := tab(t, "admin")
		if !a.signIn("admin@example.nhs.uk", testPassword) {
			t.FailNow()
		}
		a.visit("/admin/skills", "national-skills")
		a.visit("/admin/skills?staff-group="+url.QueryEscape("Nursing and Midwifery Registered"), "national-skills-filtered")
		l.visit("/organisation/staff/import", "staff-import")
		l.submit(`form[action="/organisation/staff/import"] button[type=submit]`, 422, "staff-import-error")
		l.wantErrorSummary("staff-import-error")
	})
}

// browserCycle opens a cycle, assigns two sections to the board member,
// answers the first and agrees it, so that every maturity page has content.
func browserCycle(t *testing.T, app *testApp, org models.Organisation, board models.User, period string) models.MaturityCycle {
	t.Helper()
	ctx := context.Background()
	// One board member answers: a quorum of one lets the lead agree.
	cycle := app.newCycle(t, org, period, time.Now().AddDate(0, 3, 0), 1)
	if err := app.store.SetAssignments(ctx, cycle, map[string][]uint{"well-led": {board.ID}, "smart-foundations": {board.ID}}, 0); err != nil {
		t.Fatal(err)
	}
	fw, _ := app.server.frameworks.Latest(assessments.KindMaturity)
	sec, _ := fw.Section("well-led")
	var answers []models.MaturityAnswer
	var agreed []models.AgreedChange
	for i, q := range sec.Questions {
		level := 1 + i%5
		answers = append(answers, models.MaturityAnswer{QuestionCode: q.Code, Level: &level, Evidence: "Board paper, October"})
		agreed = append(agreed, models.AgreedChange{QuestionCode: q.Code, Level: &level, Note: "Agreed at the board seminar"})
	}
	if err := app.store.SaveAnswers(ctx, cycle, board, "well-led", answers); err != nil {
		t.Fatal(err)
	}
	if err := app.store.SaveReview(ctx, cycle, agreed, &models.TargetChange{SectionCode: "well-led", Target: 4}, 0); err != nil {
		t.Fatal(err)
	}
	// Re-read: the review moved the cycle's version on.
	cycle, err := app.store.CycleInOrganisation(ctx, org.ID, cycle.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cycle
}

// browserSSO sets up single sign-on for two trusts directly in the store:
// the pages are checked, not the provider, which is never contacted.
func browserSSO(t *testing.T, app *testApp) (models.Organisation, models.Organisation) {
	t.Helper()
	ctx := context.Background()
	sso := app.organisation("Single Sign-on Trust", "ZZS", models.KindAcute)
	only := app.organisation("Single Sign-on Only Trust", "ZZO", models.KindCommunity)
	glass := app.user(only, "break.glass@only.example.nhs.uk", models.RoleLead)
	for _, st := range []models.SSOSettings{
		{OrganisationID: sso.ID, ProviderName: "NHSmail", Domains: "sso.example.nhs.uk", CreateAccounts: true},
		{OrganisationID: only.ID, ProviderName: "Only Trust Entra ID", Domains: "only.example.nhs.uk", SSOOnly: true, BreakGlassUserID: &glass.ID},
	} {
		sealed, err := app.server.sealer.Seal("a-secret", ssopkg.SecretAAD(st.OrganisationID))
		if err != nil {
			t.Fatal(err)
		}
		st.Issuer, st.ClientID, st.ClientSecret, st.Enabled = "https://login.microsoftonline.com/example-tenant/v2.0", "client-id", sealed, true
		if err := app.store.SaveSSOSettings(ctx, st, 0); err != nil {
			t.Fatal(err)
		}
	}
	return sso, only
}
