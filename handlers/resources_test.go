package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"nhs-digital-maturity/models"
)

// countingHasher counts the password hashes in flight and remembers the
// most at once. Each check takes a little while, so that checks overlap
// whenever nothing holds them back.
type countingHasher struct {
	Hasher
	hold time.Duration
	// block, when set, makes the first check wait until it is closed, and
	// entered is closed once that check has started.
	block   chan struct{}
	entered chan struct{}

	mu          sync.Mutex
	now, most   int
	calls       int
	firstIsDone bool
}

func (h *countingHasher) Verify(password, encoded string) (bool, error) {
	h.mu.Lock()
	h.now++
	h.calls++
	h.most = max(h.most, h.now)
	first := !h.firstIsDone
	h.firstIsDone = true
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.now--
		h.mu.Unlock()
	}()
	if first && h.block != nil {
		close(h.entered)
		<-h.block
	}
	time.Sleep(h.hold)
	return h.Hasher.Verify(password, encoded)
}

// TestSignInStormHashesAtMostTheBound: 50 concurrent sign-ins took the
// server to 1.25 GB, 19 MiB of argon2id each; no more than the bound may
// be hashing at once, and every sign-in still gets its answer.
func TestSignInStormHashesAtMostTheBound(t *testing.T) {
	const bound, signIns = 3, 50
	hasher := &countingHasher{Hasher: cheapHasher, hold: 20 * time.Millisecond}
	app := newTestAppWith(t, func(c *Config) {
		c.Hasher = hasher
		c.HashConcurrency = bound
		c.HashQueueWait = time.Minute
	})
	org := app.organisation("Storm Trust", "RST", "acute")
	for i := range 10 {
		app.user(org, fmt.Sprintf("storm%d@example.nhs.uk", i), "staff")
	}
	statuses := make([]int, signIns)
	var wg sync.WaitGroup
	for i := range signIns {
		c := app.client()
		c.csrf()
		wg.Go(func() {
			statuses[i] = c.signIn(fmt.Sprintf("storm%d@example.nhs.uk", i%10), testPassword).status
		})
	}
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusSeeOther {
			t.Errorf("sign-in %d: status %d, want 303", i, st)
		}
	}
	hasher.mu.Lock()
	defer hasher.mu.Unlock()
	if hasher.calls != signIns {
		t.Errorf("%d password checks for %d sign-ins", hasher.calls, signIns)
	}
	if hasher.most > bound {
		t.Errorf("%d password checks ran at once, bound %d", hasher.most, bound)
	}
	t.Logf("at most %d checks at once", hasher.most)
}

// TestSignInWaitingTooLongIsTold: when no turn to hash comes within the
// queue wait, the sign-in is answered with a friendly 503, not a 500 and
// not an endless wait.
func TestSignInWaitingTooLongIsTold(t *testing.T) {
	hasher := &countingHasher{Hasher: cheapHasher, block: make(chan struct{}), entered: make(chan struct{})}
	app := newTestAppWith(t, func(c *Config) {
		c.Hasher = hasher
		c.HashConcurrency = 1
		c.HashQueueWait = 50 * time.Millisecond
	})
	org := app.organisation("Busy Trust", "RBY", "acute")
	app.user(org, "first@example.nhs.uk", "staff")
	app.user(org, "second@example.nhs.uk", "staff")
	release := sync.OnceFunc(func() { close(hasher.block) })
	t.Cleanup(release) // before the test server's Close, which waits for the first sign-in

	first := app.client()
	first.csrf()
	done := make(chan int)
	go func() { done <- first.signIn("first@example.nhs.uk", testPassword).status }()
	<-hasher.entered

	res := app.client().signIn("second@example.nhs.uk", testPassword)
	wantStatus(t, res, http.StatusServiceUnavailable)
	wantContains(t, res, "The service is busy", "try again")
	release()
	if st := <-done; st != http.StatusSeeOther {
		t.Errorf("the first sign-in, which had its turn: status %d, want 303", st)
	}
}

// TestDatabaseDeadlineGivesTroublePage: database work past the request's
// deadline is answered with the friendly 503 page, on either database.
// (app's TestHungDatabaseGetsTroublePageWithinDeadline hangs a real
// PostgreSQL connection; here the deadline is simply already gone.)
func TestDatabaseDeadlineGivesTroublePage(t *testing.T) {
	app := newTestAppWith(t, func(c *Config) { c.DBTimeout = time.Nanosecond })
	c := app.client()
	wantStatus(t, c.get("/sign-in"), http.StatusOK) // no database work
	res := c.signIn("someone@example.nhs.uk", testPassword)
	wantStatus(t, res, http.StatusServiceUnavailable)
	wantContains(t, res, "The service is having trouble", "Nothing you saved has been lost. Try again in a few minutes.")
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
}

// TestReadinessTellsTheTruthAboutWriting: started on a read-only SQLite
// file, /readyz said ready while every write failed, and only a restart
// recovered. It must say 503 while the database cannot write, and the
// service must recover by itself once the file is writable again.
//
// File permissions do not stop root, so as root the test runs itself
// again as the unprivileged user nobody.
func TestReadinessTellsTheTruthAboutWriting(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "TestReadinessTellsTheTruthAboutWriting")
		return
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	path := filepath.Join(t.TempDir(), "ready.db")
	store, err := models.Open(path, log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The positive control: a writable file is ready.
	app := newTestAppOn(t, store, func(*Config) {})
	wantStatus(t, app.client().get("/readyz"), http.StatusOK)
	app.http.Close()
	store.Close()

	// Started again on the same file made read-only.
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	store, err = models.Open(path, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	app = newTestAppOn(t, store, func(*Config) {})
	org := models.Organisation{Name: "Read Only Trust", ODSCode: "RRO", Kind: "acute"}
	if err := store.CreateOrganisation(ctx, &org, 0); err == nil {
		t.Fatal("a write to a read-only file succeeded: the test does not test anything")
	}
	res := app.client().get("/readyz")
	wantStatus(t, res, http.StatusServiceUnavailable)

	// Writable again: ready, and writing, without a restart. SQLite made
	// the -wal and -shm files beside it read-only like the file itself.
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			t.Logf("%s %v", filepath.Base(f), fi.Mode())
		}
		if err := os.Chmod(f, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantStatus(t, app.client().get("/readyz"), http.StatusOK)
	for i := range 2 * models.DefaultSQLiteMaxConns {
		org := models.Organisation{Name: fmt.Sprintf("Writable Trust %d", i), ODSCode: fmt.Sprintf("RW%d", i), Kind: "acute"}
		if err := store.CreateOrganisation(ctx, &org, 0); err != nil {
			t.Fatalf("write %d after the file became writable again: %v", i, err)
		}
	}
}

// runAsNobody runs test in a copy of this test binary as the user nobody,
// and fails when it fails there.
func runAsNobody(t *testing.T, test string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: its parent folder is open to root only.
	dir, err := os.MkdirTemp("", "as-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "handlers.test")
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	const nobody = 65534
	cmd := exec.Command(bin, "-test.run", "^"+test+"$", "-test.count", "1", "-test.v")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "TMPDIR=/tmp", "HOME=/tmp", "TEST_DATABASE_URL=", "TEST_LOG=" + os.Getenv("TEST_LOG")}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s as nobody: %v\n%s", test, err, out)
	}
	t.Logf("%s as nobody:\n%s", test, out)
}
