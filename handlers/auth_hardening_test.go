package handlers

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
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
	for i := range maxFailuresPerAddress {
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
