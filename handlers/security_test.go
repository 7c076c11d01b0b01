package handlers

import (
	"context"
	"net/http"
	"net/url"
	"nhs-digital-maturity/accounts"
	"strconv"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	app, org := newHomeApp(t)
	app.user(org, "staff@home.test", models.RoleStaff)

	tests := []struct {
		name  string
		token string
	}{
		{"no token", ""},
		{"wrong token", strings.Repeat("x", 43)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client()
			c.csrf() // the browser has a cookie; the form lacks the matching token
			form := url.Values{"email": {"staff@home.test"}, "password": {testPassword}}
			if tt.token != "" {
				form.Set(csrfField, tt.token)
			}
			res := c.postRaw("/sign-in", form)
			wantStatus(t, res, http.StatusForbidden)
			wantContains(t, res, "Your form could not be sent")
			if c.get("/").status != http.StatusSeeOther {
				t.Error("the refused sign-in signed the person in")
			}
		})
	}

	t.Run("signed-in change without token", func(t *testing.T) {
		c := app.signedIn("staff@home.test")
		res := c.postRaw("/profile", url.Values{"name": {"Changed Name"}})
		wantStatus(t, res, http.StatusForbidden)
		u, err := app.store.UserByEmail(context.Background(), "staff@home.test")
		if err != nil {
			t.Fatal(err)
		}
		if u.Name == "Changed Name" {
			t.Error("the profile changed without a CSRF token")
		}
	})

	t.Run("a token is accepted", func(t *testing.T) {
		c := app.client()
		wantStatus(t, c.signIn("staff@home.test", testPassword), http.StatusSeeOther)
	})
}

func TestSignInIsRateLimitedWithTheSameMessageForUnknownAccounts(t *testing.T) {
	app, org := newHomeApp(t)
	app.user(org, "staff@home.test", models.RoleStaff)

	lockedMessage := func(email string) string {
		c := app.client()
		for i := 0; i < accounts.MaxFailuresPerEmail; i++ {
			res := c.signIn(email, "wrong password number "+string(rune('a'+i)))
			wantRefused(t, res, "Enter a correct email address and password")
		}
		// Even the right password is refused while the lockout lasts.
		res := c.signIn(email, testPassword)
		wantStatus(t, res, http.StatusTooManyRequests)
		wantContains(t, res, "Too many attempts to sign in")
		if c.get("/").status != http.StatusSeeOther {
			t.Errorf("%s was signed in during the lockout", email)
		}
		return errorSummary(res.body)
	}
	real := lockedMessage("staff@home.test")
	unknown := lockedMessage("nobody@home.test")
	if real != unknown || real == "" {
		t.Errorf("lockout messages differ, which tells whether an account exists:\n%q\n%q", real, unknown)
	}

	// Another address is not affected by the lockout of the first.
	app.user(org, "board@home.test", models.RoleBoard)
	wantStatus(t, app.client().signIn("board@home.test", testPassword), http.StatusSeeOther)
}

// errorSummary returns the text of a page's error summary.
func errorSummary(body string) string {
	start := strings.Index(body, "nhsuk-error-summary__list")
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "</ul>")
	return body[start : start+end]
}

func TestWrongPasswordAndUnknownAccountGetTheSameMessage(t *testing.T) {
	app, org := newHomeApp(t)
	app.user(org, "staff@home.test", models.RoleStaff)
	wrong := app.client().signIn("staff@home.test", "not the password at all")
	unknown := app.client().signIn("nobody@home.test", "not the password at all")
	wantStatus(t, wrong, http.StatusUnprocessableEntity)
	wantStatus(t, unknown, http.StatusUnprocessableEntity)
	if errorSummary(wrong.body) != errorSummary(unknown.body) {
		t.Errorf("messages differ:\n%s\n%s", errorSummary(wrong.body), errorSummary(unknown.body))
	}
	// What was typed is kept, except the password.
	wantContains(t, unknown, `value="nobody@home.test"`)
	if strings.Contains(unknown.body, "not the password at all") {
		t.Error("the password was sent back in the page")
	}
}

func TestDeactivatedAccountCannotSignIn(t *testing.T) {
	app, org := newHomeApp(t)
	app.user(org, "lead@home.test", models.RoleLead)
	staff := app.user(org, "staff@home.test", models.RoleStaff)

	staffBrowser := app.signedIn("staff@home.test")
	lead := app.signedIn("lead@home.test")
	res := lead.post("/accounts/"+itoa(staff.ID)+"/active", url.Values{"active": {"false"}})
	wantStatus(t, res, http.StatusSeeOther)

	// The open session ends at once.
	if res := staffBrowser.get("/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/sign-in") {
		t.Errorf("deactivated person's session still works: %d %s", res.status, res.location())
	}
	res = app.client().signIn("staff@home.test", testPassword)
	wantRefused(t, res, "Your account has been deactivated")

	// The event is audited.
	log, err := app.store.AuditLog(context.Background(), org.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	if !hasAudit(log, "account.deactivate", "staff@home.test") {
		t.Error("no audit event for the deactivation")
	}

	// Reactivated, the person can sign in again.
	wantStatus(t, lead.post("/accounts/"+itoa(staff.ID)+"/active", url.Values{"active": {"true"}}), http.StatusSeeOther)
	wantStatus(t, app.client().signIn("staff@home.test", testPassword), http.StatusSeeOther)
}

func TestLeadCannotDeactivateThemselves(t *testing.T) {
	app, org := newHomeApp(t)
	lead := app.user(org, "lead@home.test", models.RoleLead)
	c := app.signedIn("lead@home.test")
	res := c.post("/accounts/"+itoa(lead.ID)+"/active", url.Values{"active": {"false"}})
	wantRefused(t, res, "You cannot deactivate your own account")
	wantStatus(t, c.get("/"), http.StatusOK)
}

func hasAudit(log []models.AuditEntry, action, subject string) bool {
	for _, e := range log {
		if e.Action == action && e.Subject == subject {
			return true
		}
	}
	return false
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

func TestSessionRotatesAtSignInAndEndsAtSignOut(t *testing.T) {
	app, org := newHomeApp(t)
	app.user(org, "staff@home.test", models.RoleStaff)

	c := app.signedIn("staff@home.test")
	first := c.cookie(sessionCookie)
	wantStatus(t, c.signIn("staff@home.test", testPassword), http.StatusSeeOther)
	second := c.cookie(sessionCookie)
	if first == "" || first == second {
		t.Fatal("the session token did not change at sign-in")
	}
	// The old token no longer works.
	old := app.client()
	old.setCookie(sessionCookie, first)
	wantStatus(t, old.get("/"), http.StatusSeeOther)

	// Sign-out ends the session on the server, not only in the browser.
	wantStatus(t, c.post("/sign-out", nil), http.StatusSeeOther)
	replay := app.client()
	replay.setCookie(sessionCookie, second)
	wantStatus(t, replay.get("/"), http.StatusSeeOther)

	log, _ := app.store.AuditLog(context.Background(), org.ID, 50)
	if !hasAudit(log, "sign-in", "staff@home.test") || !hasAudit(log, "sign-out", "staff@home.test") {
		t.Error("sign-in and sign-out are not both audited")
	}
}

func TestSessionTimeouts(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
	}{
		{"idle", func(c *Config) { c.SessionIdle = time.Millisecond }},
		{"absolute", func(c *Config) { c.SessionAbsolute = time.Millisecond }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := newTestAppWith(t, tt.change)
			org := app.organisation("Home Trust", "HOM", models.KindAcute)
			c := app.signedInAs(org, "staff@home.test", models.RoleStaff)
			time.Sleep(5 * time.Millisecond)
			res := c.get("/profile")
			if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/sign-in") {
				t.Errorf("expired session still works: %d %s", res.status, res.location())
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	app := newTestApp(t)
	res := app.client().get("/sign-in")
	csp := res.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("Content-Security-Policy allows inline script or is missing: %q", csp)
	}
	for header, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
	} {
		if got := res.header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if strings.Contains(res.body, "<script>") || strings.Contains(res.body, " style=\"") {
		t.Error("the page has inline script or style, which the policy would block")
	}
	for _, ck := range res.header.Values("Set-Cookie") {
		if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
			t.Errorf("cookie lacks HttpOnly or SameSite=Lax: %s", ck)
		}
	}
}

func TestCookiesAreSecureBehindTLS(t *testing.T) {
	app := newTestAppWith(t, func(c *Config) { c.BaseURL = "https://assess.example.nhs.uk" })
	res := app.client().get("/sign-in")
	for _, ck := range res.header.Values("Set-Cookie") {
		if !strings.Contains(ck, "Secure") {
			t.Errorf("cookie not Secure behind TLS: %s", ck)
		}
	}
	if res.header.Get("Strict-Transport-Security") == "" {
		t.Error("no Strict-Transport-Security behind TLS")
	}
}

func TestBodyLimit(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	big := url.Values{"email": {strings.Repeat("a", 3<<20)}, "password": {"x"}}
	res := c.post("/sign-in", big)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	wantContains(t, res, "too large")
}

// TestServerErrorPage: when the database fails mid-request, people get the
// friendly 500 page with a reference for support, not a stack trace.
func TestServerErrorPage(t *testing.T) {
	app, org := newHomeApp(t)
	c := app.signedInAs(org, "staff@home.test", models.RoleStaff)
	app.store.Close()
	res := c.get("/profile")
	wantStatus(t, res, http.StatusInternalServerError)
	wantContains(t, res, "Sorry, there is a problem with the service", "give them this reference")
	if strings.Contains(res.body, "sql") || strings.Contains(res.body, "goroutine") {
		t.Error("the error page shows internal details")
	}
}

// TestFontsStayOnTheServer: by default the policy lets fonts come from the
// service alone; a deployment's FONT_URL is allowed, and nothing else.
func TestFontsStayOnTheServer(t *testing.T) {
	app := newTestApp(t)
	csp := app.client().get("/sign-in").header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "font-src 'self';") {
		t.Errorf("fonts may come from elsewhere by default: %q", csp)
	}
	app = newTestAppWith(t, func(c *Config) { c.FontURL = "https://fonts.example.nhs.uk/frutiger/" })
	csp = app.client().get("/sign-in").header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "font-src 'self' https://fonts.example.nhs.uk;") {
		t.Errorf("the policy does not allow the font address: %q", csp)
	}
}
