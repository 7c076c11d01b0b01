package handlers

import (
	"net/http"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
)

// TestHEAD: HEAD works wherever GET does, with the headers and no body.
func TestHEAD(t *testing.T) {
	app, org := newHomeApp(t)
	c := app.signedInAs(org, "staff@home.test", models.RoleStaff)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/accessibility": 200, "/sign-in": 303, "/skills": 200, "/profile": 200,
		"/no-such-page": 404, "/static/" + strings.TrimPrefix(app.server.assets.Path("app/app.js"), "/static/"): 200} {
		req, _ := http.NewRequest(http.MethodHead, app.http.URL+path, nil)
		res := c.do(req)
		if res.status != want {
			t.Errorf("HEAD %s: status %d, want %d", path, res.status, want)
		}
		if res.body != "" {
			t.Errorf("HEAD %s has a body", path)
		}
		if want == 200 && (res.header.Get("Content-Type") == "" || res.header.Get("Content-Length") == "") {
			t.Errorf("HEAD %s: no Content-Type or Content-Length", path)
		}
	}
	// POST-only routes are still not found with HEAD.
	req, _ := http.NewRequest(http.MethodHead, app.http.URL+"/sign-out", nil)
	if res := c.do(req); res.status != http.StatusNotFound {
		t.Errorf("HEAD /sign-out: status %d", res.status)
	}
}
