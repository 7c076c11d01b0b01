package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"nhs-digital-maturity/models/testdb"
)

// stallProxy forwards TCP connections to a target until told to stall:
// then it keeps every connection open but forwards no more bytes, in either
// direction, as a hung database does. It never touches the database itself.
type stallProxy struct {
	l      net.Listener
	target string

	mu      sync.Mutex
	resumed *sync.Cond
	stalled bool
	closed  bool
	conns   []net.Conn
}

func newStallProxy(t *testing.T, target string) *stallProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{l: l, target: target}
	p.resumed = sync.NewCond(&p.mu)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *stallProxy) addr() string { return p.l.Addr().String() }

func (p *stallProxy) accept() {
	for {
		client, err := p.l.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
		go p.pipe(server, client)
		go p.pipe(client, server)
	}
}

// pipe copies src to dst, holding each chunk while the proxy is stalled.
func (p *stallProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			for p.stalled && !p.closed {
				p.resumed.Wait()
			}
			closed := p.closed
			p.mu.Unlock()
			if closed {
				return
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *stallProxy) stall(on bool) {
	p.mu.Lock()
	p.stalled = on
	p.mu.Unlock()
	p.resumed.Broadcast()
}

func (p *stallProxy) close() {
	p.l.Close()
	p.mu.Lock()
	p.closed = true
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.resumed.Broadcast()
}

// TestHungDatabaseGetsTroublePageWithinDeadline runs the real service on
// PostgreSQL through a proxy of the test's own, stalls the proxy in the
// middle of the service's work, and expects the friendly 503 page within
// the database deadline rather than a request held for as long as the
// database hangs (and then an empty reply). When the proxy forwards again,
// the service answers again without a restart.
func TestHungDatabaseGetsTroublePageWithinDeadline(t *testing.T) {
	pg := testdb.RequirePostgres(t)
	schemaURL, err := url.Parse(testdb.NewSchema(t, pg))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newStallProxy(t, schemaURL.Host)
	schemaURL.Host = proxy.addr()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	const deadline = 2 * time.Second
	var errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"--addr", addr, "--database-url", schemaURL.String(), "--db-timeout", deadline.String(),
			"--session-key", strings.Repeat("k", 32)}, nil, io.Discard, &errOut)
	}()
	t.Cleanup(func() {
		proxy.stall(false)
		syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("serve still running 15 seconds after SIGTERM")
		}
	})

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := "http://" + addr
	var res *http.Response
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(100 * time.Millisecond) {
		if res, err = browser.Get(base + "/sign-in"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("service did not answer: %v\n%s", err, errOut.String())
	}
	// The form's token, as a browser reads it from the page.
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	csrf := ""
	if m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page); m != nil {
		csrf = string(m[1])
	}
	signIn := func() (int, string, time.Duration, error) {
		began := time.Now()
		res, err := browser.PostForm(base+"/sign-in", url.Values{"email": {"nobody@example.nhs.uk"},
			"password": {"not the password"}, "_csrf": {csrf}})
		if err != nil {
			return 0, "", time.Since(began), err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return res.StatusCode, string(body), time.Since(began), err
	}
	if status, body, _, err := signIn(); err != nil || status != http.StatusUnprocessableEntity {
		t.Fatalf("sign-in before the stall: %d %v\n%s\n%s", status, err, body, errOut.String())
	}

	proxy.stall(true)
	status, body, took, err := signIn()
	if err != nil {
		t.Fatalf("sign-in while the database hangs: no answer after %v: %v", took.Round(time.Millisecond), err)
	}
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "The service is having trouble") ||
		!strings.Contains(body, "Nothing you saved has been lost") {
		t.Errorf("sign-in while the database hangs: status %d, want 503 with the trouble page\n%s", status, body)
	}
	// The deadline and the time to render the page; far from the 30 s the
	// browser waits, which the request took before.
	if took > deadline+3*time.Second {
		t.Errorf("answered after %v, deadline %v", took.Round(time.Millisecond), deadline)
	}
	t.Logf("answered %d after %v with the database hung", status, took.Round(time.Millisecond))
	if res, err := browser.Get(base + "/readyz"); err != nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz while the database hangs: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	proxy.stall(false)
	var again int
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(200 * time.Millisecond) {
		if again, _, _, err = signIn(); err == nil && again == http.StatusUnprocessableEntity {
			break
		}
	}
	if again != http.StatusUnprocessableEntity {
		t.Errorf("sign-in after the database answers again: %d %v", again, errors.Unwrap(err))
	}
}

// TestWriteTimeoutOutlastsTheDatabaseDeadline: the server's write timeout
// must not cut off the 503 page that a request gets at its deadline.
func TestWriteTimeoutOutlastsTheDatabaseDeadline(t *testing.T) {
	for _, d := range []time.Duration{time.Second, 10 * time.Second, 90 * time.Second} {
		cfg := config{DBTimeout: d, HashQueueWait: defaultHashQueueWait}
		if w := writeTimeout(cfg); w < d+10*time.Second {
			t.Errorf("DB_TIMEOUT %v: write timeout %v leaves no time to send the page", d, w)
		}
	}
}
