package email_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/email"
	"nhs-digital-maturity/email/smtptest"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/models/testdb"
)

// clock is a test's time, moved on by hand. It starts a second ahead,
// so that what the test queued just before is due.
type clock struct{ t time.Time }

func newClock() *clock { return &clock{t: time.Now().Add(time.Second)} }

func (c *clock) now() time.Time { return c.t }

func newWorker(t *testing.T, store *models.Store, srv *smtptest.Server, c *clock) *email.Worker {
	t.Helper()
	sender, err := email.NewSMTP(email.SMTPOptions{URL: srv.URL(), From: "no-reply@service.test", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := email.NewWorker(store, sender, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.Now = c.now
	return w
}

func queue(t *testing.T, store *models.Store, to ...string) {
	t.Helper()
	var msgs []models.OutboxMessage
	for _, addr := range to {
		msgs = append(msgs, email.PasswordReset(addr, "http://service.test/password/reset/abc", time.Hour))
	}
	if err := store.EnqueueEmails(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
}

// queued is a test store with a message queued to each of to, and a mail
// server to send them to.
func queued(t *testing.T, to ...string) (*models.Store, *smtptest.Server) {
	t.Helper()
	store := testdb.Open(t)
	srv := smtptest.Start(t, smtptest.Options{})
	queue(t, store, to...)
	return store, srv
}

// TestRefusingServerThenRecoveryDeliversEachOnce: while the server refuses
// (451), nothing is lost and the failure shows in the summary without a
// recipient; once it recovers every message arrives exactly once, also
// through a new worker (a restart), and later runs send nothing again.
func TestRefusingServerThenRecoveryDeliversEachOnce(t *testing.T) {
	ctx := context.Background()
	to := []string{"a@one.test", "b@one.test", "c@one.test", "d@one.test"}
	store, srv := queued(t, to...)

	srv.Refuse(true)
	c := newClock()
	w := newWorker(t, store, srv, c)
	for range 3 {
		if n, err := w.RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("while refusing: sent %d, err %v", n, err)
		}
		c.t = c.t.Add(2 * time.Hour) // past any back-off
	}
	if srv.Refused() == 0 {
		t.Fatal("the server was never asked")
	}
	sum, err := store.EmailQueueSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Queued != 4 || sum.Sent != 0 || sum.LastError == "" {
		t.Fatalf("summary while refusing: %+v", sum)
	}
	if strings.Contains(sum.LastError, "@") {
		t.Errorf("the last error names an address: %q", sum.LastError)
	}

	srv.Refuse(false)
	// A restart: a new worker over the same queue.
	w = newWorker(t, store, srv, c)
	if n, err := w.RunOnce(ctx); err != nil || n != 4 {
		t.Fatalf("after recovery: sent %d, err %v", n, err)
	}
	c.t = c.t.Add(24 * time.Hour)
	if n, err := w.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("a later run: sent %d, err %v", n, err)
	}
	for _, addr := range to {
		if got := len(srv.To(addr)); got != 1 {
			t.Errorf("%s got %d messages, want exactly 1", addr, got)
		}
	}
	m := srv.To("a@one.test")[0]
	if m.Subject != "Reset your password" || !strings.Contains(m.Text, "http://service.test/password/reset/abc") {
		t.Errorf("message: subject %q, text %q", m.Subject, m.Text)
	}
	if !strings.Contains(m.Raw, "text/plain") {
		t.Error("the message has no text part")
	}
	if sum, _ = store.EmailQueueSummary(ctx); sum.Sent != 4 || sum.Queued != 0 {
		t.Errorf("summary after recovery: %+v", sum)
	}
}

// TestBackoffWaits: a retry is not made before its back-off time.
func TestBackoffWaits(t *testing.T) {
	ctx := context.Background()
	store, srv := queued(t, "a@one.test")
	srv.Refuse(true)
	c := newClock()
	w := newWorker(t, store, srv, c)
	w.RunOnce(ctx)
	srv.Refuse(false)
	c.t = c.t.Add(30 * time.Second) // the first retry is after a minute
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Fatalf("sent %d before the back-off ended", n)
	}
	c.t = c.t.Add(time.Minute)
	if n, _ := w.RunOnce(ctx); n != 1 {
		t.Fatalf("sent %d after the back-off, want 1", n)
	}
}

// TestLeaseOfAStoppedSender: a message claimed by a sender that stopped
// before finishing goes out once its lease runs out, and only then.
func TestLeaseOfAStoppedSender(t *testing.T) {
	ctx := context.Background()
	store, srv := queued(t, "a@one.test")
	c := newClock()
	if _, err := store.ClaimEmail(ctx, c.t, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	w := newWorker(t, store, srv, c)
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Fatalf("sent %d while another sender held it", n)
	}
	c.t = c.t.Add(6 * time.Minute)
	if n, _ := w.RunOnce(ctx); n != 1 {
		t.Fatalf("sent %d after the lease, want 1", n)
	}
	if got := len(srv.To("a@one.test")); got != 1 {
		t.Errorf("got %d messages, want 1", got)
	}
}

// TestPermanentRefusalFails: a message that can never go fails for good
// and does not hold up the next.
func TestPermanentRefusalFails(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	srv := smtptest.Start(t, smtptest.Options{})
	if err := store.EnqueueEmails(ctx, []models.OutboxMessage{{Kind: models.EmailPasswordReset, Recipient: "not an address", Subject: "x", Body: "x"}}); err != nil {
		t.Fatal(err)
	}
	queue(t, store, "b@one.test")
	c := newClock()
	w := newWorker(t, store, srv, c)
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("sent %d, err %v; want the good message sent", n, err)
	}
	sum, _ := store.EmailQueueSummary(ctx)
	if sum.Failed != 1 || sum.Sent != 1 {
		t.Errorf("summary: %+v", sum)
	}
}
