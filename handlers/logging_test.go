package handlers

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// lockedBuffer is a log destination that handlers may write from any
// goroutine while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestCancelledRequestIsNotAnError: a request the client gave up on while
// the database was working is logged as cancelled, not as a 500 error.
func TestCancelledRequestIsNotAnError(t *testing.T) {
	var logs lockedBuffer
	app := newTestAppLogging(t, testdb.Open(t), func(*Config) {}, &logs)
	org := app.organisation("Home Trust", "HOM", models.KindAcute)
	c := app.signedInAs(org, "staff@home.test", models.RoleStaff)

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client has gone before the session is looked up
	req := httptest.NewRequest(http.MethodGet, "/profile", nil).WithContext(ctx)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie(sessionCookie)})
	rec := httptest.NewRecorder()
	app.server.Handler().ServeHTTP(rec, req)

	out := logs.String()
	if strings.Contains(out, "level=ERROR") || strings.Contains(out, "status=500") {
		t.Errorf("a cancelled request is logged as an error:\n%s", out)
	}
	if !strings.Contains(out, "request cancelled") || !strings.Contains(out, "status=499") {
		t.Errorf("no line says the request was cancelled:\n%s", out)
	}
}

// TestLogNeverHoldsALinkToken: the request log names the route of an
// invitation or password-reset link, never the token that opens it.
func TestLogNeverHoldsALinkToken(t *testing.T) {
	var logs lockedBuffer
	app := newTestAppLogging(t, testdb.Open(t), func(*Config) {}, &logs)
	for _, path := range []string{"/invitations/secret-invitation-token-123", "/password/reset/secret-reset-token-456"} {
		app.client().get(path)
	}
	out := logs.String()
	for _, token := range []string{"secret-invitation-token-123", "secret-reset-token-456"} {
		if strings.Contains(out, token) {
			t.Errorf("the log holds the link token %s:\n%s", token, out)
		}
	}
	if !strings.Contains(out, "/invitations/:token") {
		t.Errorf("the log does not name the invitation route:\n%s", out)
	}
}
