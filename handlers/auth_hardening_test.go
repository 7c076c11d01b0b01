package handlers

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"nhs-digital-maturity/accounts"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
)

// signInVia signs in with an X-Forwarded-For header, as a client behind
// (or pretending to be behind) a proxy would.
func (c *client) signInVia(forwardedFor, email, password string) response {
	c.t.Helper()
	form := url.Values{"email": {email}, "password": {password}, csrfField: {c.csrf()}}
	req, _ := http.NewRequest(http.MethodPost, c.app.http.URL+"/sign-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", forwardedFor)
	return c.do(req)
}

// failFromAddress spends the whole per-address allowance of failures, each
// for a different email address so that the per-email limit never applies.
func failFromAddress(t *testing.T, c *client, forwardedFor func(i int) string) {
	t.Helper()
	for i := range accounts.MaxFailuresPerAddress {
		res := c.signInVia(forwardedFor(i), fmt.Sprintf("nobody%d@home.test", i), "wrong password")
		wantStatus(t, res, http.StatusUnprocessableEntity)
	}
}

// TestRotatingForwardedForDoesNotResetTheAddressLimit: a client that is not
// a trusted proxy cannot choose its own address by sending X-Forwarded-For.
func TestRotatingForwardedForDoesNotResetTheAddressLimit(t *testing.T) {
	_, elsewhere, _ := net.ParseCIDR("10.0.0.0/8")
	tests := []struct {
		name    string
		proxies []*net.IPNet
	}{
		{"no proxies configured", nil},
		{"the peer is not one of the proxies", []*net.IPNet{elsewhere}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := newTestAppWith(t, func(c *Config) { c.TrustedProxies = tt.proxies })
			org := app.organisation("Home Trust", "HOM", models.KindAcute)
			app.user(org, "staff@home.test", models.RoleStaff)
			c := app.client()
			failFromAddress(t, c, func(i int) string { return fmt.Sprintf("198.51.100.%d", i+1) })
			res := c.signInVia("198.51.100.200", "staff@home.test", testPassword)
			wantStatus(t, res, http.StatusTooManyRequests)
			wantContains(t, res, "Too many attempts to sign in")
		})
	}
}

// TestTrustedProxyForwardedAddressIsUsed: behind a configured proxy, the
// address the proxy forwards is the client's, so one client's failures do
// not lock out everyone else behind the same proxy.
func TestTrustedProxyForwardedAddressIsUsed(t *testing.T) {
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	_, v6, _ := net.ParseCIDR("::1/128")
	app := newTestAppWith(t, func(c *Config) { c.TrustedProxies = []*net.IPNet{loopback, v6} })
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "staff@home.test", models.RoleStaff)
	c := app.client()
	failFromAddress(t, c, func(int) string { return "203.0.113.7" })
	res := c.signInVia("203.0.113.7", "staff@home.test", testPassword)
	wantStatus(t, res, http.StatusTooManyRequests)
	// Another client behind the same proxy is not locked out.
	wantStatus(t, app.client().signInVia("203.0.113.8", "staff@home.test", testPassword), http.StatusSeeOther)
}

// TestCSRFTokenIsBoundToTheSession: a CSRF cookie and form token taken
// from another person's browser do not work with one's own session.
func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	app, org := newHomeApp(t)
	app.user(org, "alice@home.test", models.RoleStaff)
	app.user(org, "bob@home.test", models.RoleStaff)
	alice := app.signedIn("alice@home.test")
	bob := app.signedIn("bob@home.test")

	// Alice's session with Bob's CSRF cookie and Bob's form token.
	mixed := app.client()
	mixed.setCookie(sessionCookie, alice.cookie(sessionCookie))
	mixed.setCookie(csrfCookie, bob.cookie(csrfCookie))
	res := mixed.postRaw("/profile", url.Values{"name": {"Changed By Bob"}, csrfField: {bob.csrf()}})
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, res, "Your form could not be sent")
	if u, _ := app.store.UserByEmail(t.Context(), "alice@home.test"); u.Name == "Changed By Bob" {
		t.Error("Alice's profile changed with Bob's CSRF token")
	}

	// A signed-out browser's pair does not work with a session either.
	anon := app.client()
	mixed = app.client()
	mixed.setCookie(sessionCookie, alice.cookie(sessionCookie))
	mixed.setCookie(csrfCookie, anon.cookie(csrfCookie))
	wantStatus(t, mixed.postRaw("/profile", url.Values{"name": {"Changed By Anon"}, csrfField: {anon.csrf()}}), http.StatusForbidden)

	// The positive control: Alice's own pair works.
	wantStatus(t, alice.post("/profile", url.Values{"name": {"Alice Again"}}), http.StatusSeeOther)
	if u, _ := app.store.UserByEmail(t.Context(), "alice@home.test"); u.Name != "Alice Again" {
		t.Errorf("Alice's own form did not save: name %q", u.Name)
	}
}

// TestCrossSiteFormIsRefused: a browser says when a form comes from
// another site; such a post is refused even with a good token.
func TestCrossSiteFormIsRefused(t *testing.T) {
	app, org := newHomeApp(t)
	alice := app.signedInAs(org, "alice@home.test", models.RoleStaff)
	form := url.Values{"name": {"Changed Cross Site"}, csrfField: {alice.csrf()}}
	req, _ := http.NewRequest(http.MethodPost, app.http.URL+"/profile", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, alice.do(req), http.StatusForbidden)
	if u, _ := app.store.UserByEmail(t.Context(), "alice@home.test"); u.Name == "Changed Cross Site" {
		t.Error("a cross-site form changed the profile")
	}
}

// TestCookiesHaveHostPrefixBehindTLS: behind HTTPS every cookie is
// __Host- prefixed (Secure, Path=/, no Domain), so a neighbouring subdomain
// cannot plant one; and signing in still works over TLS.
func TestCookiesHaveHostPrefixBehindTLS(t *testing.T) {
	app := newTestAppWith(t, func(c *Config) { c.BaseURL = "https://assess.example.nhs.uk" })
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	app.user(org, "alice@home.test", models.RoleStaff)
	ts := httptest.NewTLSServer(app.server.Handler())
	t.Cleanup(ts.Close)
	tlsApp := *app
	tlsApp.http = ts
	c := tlsApp.client()
	c.http.Transport = ts.Client().Transport

	check := func(res response) {
		t.Helper()
		for _, ck := range res.header.Values("Set-Cookie") {
			if !strings.HasPrefix(ck, "__Host-") || !strings.Contains(ck, "Secure") || !strings.Contains(ck, "Path=/") ||
				strings.Contains(strings.ToLower(ck), "domain=") {
				t.Errorf("cookie is not a __Host- cookie: %s", ck)
			}
		}
	}
	check(c.get("/sign-in"))
	form := url.Values{"email": {"alice@home.test"}, "password": {testPassword}, csrfField: {c.csrf()}}
	res := c.postRaw("/sign-in", form)
	wantStatus(t, res, http.StatusSeeOther)
	check(res)
	wantStatus(t, c.get("/profile"), http.StatusOK)
	res = c.post("/profile", url.Values{"name": {"Alice Over TLS"}})
	wantStatus(t, res, http.StatusSeeOther)
	check(res)
}

// TestStaffImportFileMessages: each wrong file gets the message that fits
// it, with the form shown again.
func TestStaffImportFileMessages(t *testing.T) {
	app, org := newHomeApp(t)
	lead := app.signedInAs(org, "lead@home.test", models.RoleLead)
	tests := []struct {
		name, fileName, content string
		want, notWant           string
	}{
		{"empty file", "staff.csv", "", "The file is empty", "Choose a CSV file"},
		{"Excel workbook", "staff.xlsx", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml", "This looks like an Excel file", "could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := lead.upload("/organisation/staff/import", tt.fileName, tt.content)
			wantRefused(t, res, "There is a problem", tt.want)
			if strings.Contains(res.body, tt.notWant) {
				t.Errorf("the page says %q", tt.notWant)
			}
		})
	}
	// No file at all is still asked for.
	res := lead.post("/organisation/staff/import", nil)
	wantRefused(t, res, "Choose a CSV file to upload")
}

// TestNobodyChangesTheirOwnRoles: neither a digital lead nor an admin can
// give themselves a role or take one away; someone else must.
func TestNobodyChangesTheirOwnRoles(t *testing.T) {
	app, org := newHomeApp(t)
	lead := app.user(org, "lead@home.test", models.RoleLead)
	admin := app.user(org, "admin@home.test", models.RoleAdmin)
	tests := []struct {
		name  string
		who   models.User
		roles []string
	}{
		{"a lead adds a role", lead, []string{"lead", "board"}},
		{"a lead removes their lead role", lead, []string{"staff"}},
		{"an admin adds a role", admin, []string{"admin", "lead"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.signedIn(tt.who.Email)
			res := c.post("/accounts/"+itoa(tt.who.ID)+"/roles", url.Values{"roles": tt.roles})
			wantRefused(t, res, "There is a problem", "You cannot change your own roles")
			if u := mustUserByEmail(t, app, tt.who.Email); u.RoleCodes != tt.who.RoleCodes {
				t.Errorf("roles changed from %q to %q", tt.who.RoleCodes, u.RoleCodes)
			}
		})
	}
	// Saving one's own roles unchanged is no change, and no error.
	c := app.signedIn("lead@home.test")
	wantStatus(t, c.post("/accounts/"+itoa(lead.ID)+"/roles", url.Values{"roles": {"lead"}}), http.StatusSeeOther)
	// The account page says so instead of offering the choice.
	wantContains(t, c.get("/accounts/"+itoa(lead.ID)), "You cannot change your own roles")

	t.Run("a lead changes an administrator's roles", func(t *testing.T) {
		both := app.user(org, "both@home.test", models.RoleAdmin, models.RoleLead)
		res := c.post("/accounts/"+itoa(both.ID)+"/roles", url.Values{"roles": {"staff"}})
		wantRefused(t, res, "Only an administrator can change an administrator&#39;s roles")
		if u := mustUserByEmail(t, app, "both@home.test"); u.RoleCodes != both.RoleCodes {
			t.Errorf("a lead changed an administrator's roles from %q to %q", both.RoleCodes, u.RoleCodes)
		}
	})
}
