package handlers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"nhs-digital-maturity/models"
)

// TestMetricsCountRoutesAndPool scrapes the metrics listener after some
// requests: the counter is keyed by the route pattern, never the raw path,
// and the database pool and email queue are there.
func TestMetricsCountRoutesAndPool(t *testing.T) {
	app := newTestAppWith(t, func(c *Config) { c.Metrics = true })
	org := app.organisation("Metrics Trust", "MT1", "acute")
	b := app.signedInAs(org, "lead@metrics.nhs.uk", models.RoleLead)
	wantStatus(t, b.signIn("lead@metrics.nhs.uk", "wrong password"), http.StatusUnprocessableEntity)
	for _, path := range []string{"/accounts/12345", "/accounts/67890"} {
		b.get(path)
	}
	b.get("/no-such-page")

	handler := app.server.MetricsHandler()
	if handler == nil {
		t.Fatal("metrics enabled but no metrics handler")
	}
	ts := httptest.NewServer(handler)
	defer ts.Close()
	res, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := string(body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("metrics: status %d", res.StatusCode)
	}
	for _, want := range []string{
		`http_requests_total{method="GET",route="/accounts/:id",status="404"} 2`,
		`http_requests_total{method="POST",route="/sign-in",status="303"} 1`,
		`http_request_duration_seconds_bucket{method="GET",route="/accounts/:id"`,
		`db_pool_open_connections `,
		`db_pool_in_use_connections `,
		`db_pool_idle_connections `,
		`db_pool_wait_count_total `,
		`email_queue_messages{status="queued"} 0`,
		`email_queue_messages{status="failed"} 0`,
		`sign_ins_total{method="password",result="success"} 1`,
		`sign_ins_total{method="password",result="failure"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	for _, never := range []string{"/accounts/12345", "/no-such-page", "skills"} {
		if strings.Contains(text, never) {
			t.Errorf("metrics name %q", never)
		}
	}
}

// TestMetricsNeverOnMainAddress: disabled, there is no metrics handler and
// /metrics on the public address is a 404; enabled, it is still a 404 there.
func TestMetricsNeverOnMainAddress(t *testing.T) {
	for _, enabled := range []bool{false, true} {
		app := newTestAppWith(t, func(c *Config) { c.Metrics = enabled })
		if !enabled && app.server.MetricsHandler() != nil {
			t.Error("metrics disabled but a metrics handler is given")
		}
		res, err := http.Get(app.http.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("metrics enabled %v: /metrics on the main address is %d, want 404", enabled, res.StatusCode)
		}
	}
}
