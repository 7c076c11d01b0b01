package main

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer lets the test read what serve writes from another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeWithDemoDataAndStopOnSIGTERM starts the real service as
// `app --demo` would, checks the sign-in page and the demo banner, then
// sends SIGTERM and expects a clean exit well within 10 seconds.
func TestServeWithDemoDataAndStopOnSIGTERM(t *testing.T) {
	addr := freeAddr(t)
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"--demo", "--addr", addr, "--database-url", filepath.Join(t.TempDir(), "serve.db")}, nil, &out, &errOut)
	}()

	// Loading the demo data takes a few seconds; the wait is generous so
	// that a busy machine does not fail the test, which is about serving
	// and stopping, not speed (docs/PERFORMANCE.md has the timings).
	var res *http.Response
	var err error
	for start := time.Now(); time.Since(start) < 90*time.Second; time.Sleep(100 * time.Millisecond) {
		if res, err = http.Get("http://" + addr + "/sign-in"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("service did not answer: %v\n%s", err, errOut.String())
	}
	var body bytes.Buffer
	body.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(body.String(), "Sign in") || !strings.Contains(body.String(), "Demo data") {
		t.Errorf("sign-in page: status %d, demo banner present: %v", res.StatusCode, strings.Contains(body.String(), "Demo data"))
	}
	if !strings.Contains(out.String(), "staff@example.nhs.uk") {
		t.Errorf("the demo accounts were not printed:\n%s", out.String())
	}

	stopped := time.Now()
	stopServe(t, done, &errOut)
	t.Logf("stopped %v after SIGTERM", time.Since(stopped).Round(time.Millisecond))
}

// stopServe sends the test process SIGTERM, as an orchestrator would, and
// waits for the running serve to exit cleanly within 10 seconds.
func stopServe(t *testing.T, done <-chan int, errOut *syncBuffer) {
	t.Helper()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after SIGTERM:\n%s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve still running 10 seconds after SIGTERM")
	}
}
