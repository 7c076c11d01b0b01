package email

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"nhs-digital-maturity/models"
)

// Worker sends the queue. A message is claimed (with a lease) before it is
// sent and marked sent only after the server accepted it, so a restart or
// an outage loses nothing; a failure is retried with exponential back-off.
// If the process dies between the server's acceptance and the mark, the
// lease runs out and the message goes again: that window is the only way
// one is sent twice.
type Worker struct {
	Store  *models.Store
	Sender Sender
	Log    *slog.Logger
	// Now is the clock (tests move it on instead of waiting).
	Now func() time.Time
	// Lease is how long a claim lasts; FirstRetry doubles at each failure
	// up to MaxRetry; after MaxAttempts a message fails for good.
	Lease, FirstRetry, MaxRetry time.Duration
	MaxAttempts                 int
	// Batch is the most messages sent over one connection.
	Batch int
}

// NewWorker has the service's settings: a retry after 1 minute, then 2, 4,
// ... up to an hour, and 12 attempts (about 8 hours) before giving up.
func NewWorker(store *models.Store, sender Sender, log *slog.Logger) *Worker {
	return &Worker{Store: store, Sender: sender, Log: log, Now: time.Now, Lease: 5 * time.Minute,
		FirstRetry: time.Minute, MaxRetry: time.Hour, MaxAttempts: 12, Batch: 50}
}

// backoff is the wait after the given number of failed attempts.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.FirstRetry
	for i := 1; i < attempts && d < w.MaxRetry; i++ {
		d *= 2
	}
	return min(d, w.MaxRetry)
}

// RunOnce sends what is due now, one connection per batch, until nothing
// is due or the server fails. It returns how many were sent.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		n, more, err := w.batch(ctx)
		sent += n
		if err != nil || !more {
			return sent, err
		}
	}
	return sent, ctx.Err()
}

// batch claims and sends up to Batch messages over one connection; more
// says whether the batch was full, so more may be due.
func (w *Worker) batch(ctx context.Context) (sent int, more bool, err error) {
	first, err := w.Store.ClaimEmail(ctx, w.Now(), w.Lease)
	if errors.Is(err, models.ErrNoEmailDue) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	conn, err := w.Sender.Open(ctx)
	if err != nil {
		return 0, false, w.failed(ctx, first, err)
	}
	defer func() {
		if cerr := conn.Close(); cerr != nil {
			w.Log.Debug("email: closing the connection", "err", cerr)
		}
	}()
	m := first
	for i := 0; ; i++ {
		if err := conn.Send(ctx, m); err != nil {
			if ferr := w.failed(ctx, m, err); ferr != nil || !Permanent(err) {
				// After a temporary failure the connection may be unusable:
				// the rest waits for the next round.
				return sent, false, ferr
			}
			// A refused message (a bad address) leaves the connection
			// usable for the next.
		} else {
			if err := w.Store.MarkEmailSent(ctx, m.ID); err != nil {
				return sent, false, err
			}
			sent++
			// The server log may name the message, never its recipient.
			w.Log.Info("email sent", "id", m.ID, "kind", m.Kind)
		}
		if i+1 >= w.Batch {
			return sent, true, nil
		}
		m, err = w.Store.ClaimEmail(ctx, w.Now(), w.Lease)
		if errors.Is(err, models.ErrNoEmailDue) {
			return sent, false, nil
		}
		if err != nil {
			return sent, false, err
		}
	}
}

// failed records a failed send: a retry later, or for good when the
// server refused the message or every attempt is spent.
func (w *Worker) failed(ctx context.Context, m models.OutboxMessage, cause error) error {
	reason := cause.Error()
	// The server log only: it may name the recipient.
	w.Log.Warn("email not sent", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "err", models.ScrubAddresses(reason))
	if Permanent(cause) || m.Attempts >= w.MaxAttempts {
		return w.Store.FailEmail(ctx, m.ID, reason)
	}
	return w.Store.RetryEmail(ctx, m.ID, w.Now().Add(w.backoff(m.Attempts)), reason)
}

// Run sends the queue every interval until ctx ends.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("email queue", "err", models.ScrubAddresses(err.Error()))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
