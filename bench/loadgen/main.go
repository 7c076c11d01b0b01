// Command loadgen drives the running service (or any HTTP server) with a
// fixed number of concurrent users for a fixed time and prints requests
// per second and latency percentiles. It signs each user in once, before
// the clock starts, so that password hashing is not part of what is
// measured. It uses only the standard library so that it measures the
// server, not a load-testing framework.
//
//	loadgen -base http://127.0.0.1:8080 -scenario get -path /some/page -users accounts.txt
//	loadgen -base http://127.0.0.1:8081 -scenario get -path /page.html   (no users: no sign-in)
//
// Scenarios:
//
//	get           GET -path, expecting 200; the body is read in full.
//	skills-submit POST /skills/submit, expecting a redirect to /skills/results:
//	              each user needs an attempt in progress, ready to submit, per request.
//	section-save  POST -path (a board section) with six levels and evidence,
//	              expecting a redirect; -path may hold {user} for the user's index.
//
// The output is one line of key=value pairs, for the bench scripts to read.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

type options struct {
	base        string
	scenario    string
	path        string
	users       string
	password    string
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	questions   string
	evidence    int
	saveBody    string
	serverPID   int
}

func main() {
	var o options
	flag.StringVar(&o.base, "base", "http://127.0.0.1:8080", "service address")
	flag.StringVar(&o.scenario, "scenario", "get", "get, skills-submit or section-save")
	flag.StringVar(&o.path, "path", "/", "path to request; {user} is replaced by the user's index")
	flag.StringVar(&o.users, "users", "", "file of email addresses, one per line: a multiple of -c, each user taking its share in turn (none: no sign-in)")
	flag.StringVar(&o.password, "password", "synthetic-password-1", "password of every user")
	flag.IntVar(&o.concurrency, "c", 64, "concurrent users")
	flag.DurationVar(&o.duration, "d", 20*time.Second, "measured duration")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured warm-up before the clock starts")
	flag.StringVar(&o.questions, "questions", "", "section-save: comma-separated question codes of the section")
	flag.IntVar(&o.evidence, "evidence", 300, "section-save: characters of evidence per question")
	flag.StringVar(&o.saveBody, "save-body", "", "get: write the first response body to this file and stop")
	flag.IntVar(&o.serverPID, "server-pid", 0, "process id of the server, to report its CPU per measured request (Linux)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// worker is one simulated user: a closed loop of requests. It may hold
// several people's sessions and take them in turn, so that each person
// does only a few of the worker's requests, as in real life.
type worker struct {
	index    int
	sessions []*session
	next     int
}

// session is one signed-in person with their own cookies.
type session struct {
	client *http.Client
	csrf   string
}

// take returns the session for the worker's next request.
func (w *worker) take() *session {
	s := w.sessions[w.next%len(w.sessions)]
	w.next++
	return s
}

func run(o options) error {
	emails, err := readUsers(o.users)
	if err != nil {
		return err
	}
	if len(emails) > 0 && len(emails)%o.concurrency != 0 {
		return fmt.Errorf("%d users for %d concurrent users: give the same number of accounts to each", len(emails), o.concurrency)
	}
	transport := &http.Transport{MaxIdleConns: o.concurrency * 2, MaxIdleConnsPerHost: o.concurrency * 2, IdleConnTimeout: time.Minute}
	newSession := func() *session {
		jar, _ := cookiejar.New(nil)
		return &session{client: &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	}
	workers := make([]*worker, o.concurrency)
	for i := range workers {
		workers[i] = &worker{index: i}
		if len(emails) == 0 {
			workers[i].sessions = []*session{newSession()}
		}
	}
	// Worker i signs in as accounts i, i+c, i+2c... One at a time: a
	// sign-in hashes a password with 19 MiB of memory.
	for n, email := range emails {
		s := newSession()
		if err := s.signIn(o.base, email, o.password); err != nil {
			return fmt.Errorf("signing in %s: %w", email, err)
		}
		w := workers[n%o.concurrency]
		w.sessions = append(w.sessions, s)
	}
	if o.saveBody != "" {
		return saveBody(workers[0], o)
	}
	request, err := requestFor(o)
	if err != nil {
		return err
	}

	// Warm up (connections, caches), then measure.
	drive(workers, request, o.warmup)
	cpu0 := processCPU(o.serverPID)
	res := drive(workers, request, o.duration)
	res.serverCPU = processCPU(o.serverPID) - cpu0
	res.print(o)
	if res.failed > 0 {
		return fmt.Errorf("%d of %d requests failed; first: %v", res.failed, res.failed+len(res.latencies), res.firstErr)
	}
	return nil
}

func readUsers(file string) ([]string, error) {
	if file == "" {
		return nil, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var list []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			list = append(list, line)
		}
	}
	return list, sc.Err()
}

// signIn reads the CSRF token from the sign-in form, posts the form, then
// reads the session's own token from a signed-in page: the token is bound
// to the session, so it changes at sign-in.
func (w *session) signIn(base, email, password string) error {
	token, err := w.formToken(base + "/sign-in")
	if err != nil {
		return err
	}
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {token}}
	resp, err := w.client.PostForm(base+"/sign-in", form)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign-in answered %d, want 303", resp.StatusCode)
	}
	w.csrf, err = w.formToken(base + "/accessibility")
	return err
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formToken returns the CSRF token of the first form on page.
func (w *session) formToken(page string) (string, error) {
	resp, err := w.client.Get(page)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no CSRF token in %s (status %d)", page, resp.StatusCode)
	}
	return string(m[1]), nil
}

// requestFor builds one request of the scenario for a worker and says how
// to judge its response.
type requestFunc func(w *worker, s *session) (*http.Request, func(*http.Response) error)

func requestFor(o options) (requestFunc, error) {
	pathOf := func(w *worker) string { return o.base + strings.ReplaceAll(o.path, "{user}", fmt.Sprint(w.index)) }
	switch o.scenario {
	case "get":
		return func(w *worker, _ *session) (*http.Request, func(*http.Response) error) {
			req, _ := http.NewRequest(http.MethodGet, pathOf(w), nil)
			return req, expectStatus(http.StatusOK, "")
		}, nil
	case "skills-submit":
		return func(_ *worker, s *session) (*http.Request, func(*http.Response) error) {
			req := postForm(o.base+"/skills/submit", url.Values{"_csrf": {s.csrf}})
			return req, expectStatus(http.StatusSeeOther, "/skills/results")
		}, nil
	case "section-save":
		codes := strings.Split(o.questions, ",")
		if o.questions == "" || len(codes) == 0 {
			return nil, errors.New("section-save needs -questions")
		}
		evidence := strings.Repeat("Evidence seen by the board: ", o.evidence/28+1)[:o.evidence]
		return func(w *worker, s *session) (*http.Request, func(*http.Response) error) {
			form := url.Values{"_csrf": {s.csrf}, "next": {"later"}}
			for i, code := range codes {
				form.Set("level-"+code, fmt.Sprint(1+(w.index+i)%5))
				form.Set("evidence-"+code, evidence)
			}
			return postForm(pathOf(w), form), expectStatus(http.StatusSeeOther, "")
		}, nil
	}
	return nil, fmt.Errorf("unknown scenario %q", o.scenario)
}

func postForm(target string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func expectStatus(status int, location string) func(*http.Response) error {
	return func(resp *http.Response) error {
		if resp.StatusCode != status {
			return fmt.Errorf("status %d, want %d", resp.StatusCode, status)
		}
		if location != "" && resp.Header.Get("Location") != location {
			return fmt.Errorf("redirect to %q, want %q", resp.Header.Get("Location"), location)
		}
		return nil
	}
}

type result struct {
	elapsed   time.Duration
	latencies []time.Duration
	bytes     int64
	failed    int
	firstErr  error
	serverCPU time.Duration
}

// drive runs every worker in a closed loop until the time is up.
func drive(workers []*worker, request requestFunc, d time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var (
		mu  sync.Mutex
		all result
		wg  sync.WaitGroup
	)
	start := time.Now()
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine result
			for ctx.Err() == nil {
				s := w.take()
				req, check := request(w, s)
				t0 := time.Now()
				resp, err := s.client.Do(req)
				if err == nil {
					var n int64
					n, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mine.bytes += n
					if err == nil {
						err = check(resp)
					}
				}
				if err != nil {
					mine.failed++
					if mine.firstErr == nil {
						mine.firstErr = err
					}
					continue
				}
				mine.latencies = append(mine.latencies, time.Since(t0))
			}
			mu.Lock()
			all.latencies = append(all.latencies, mine.latencies...)
			all.bytes += mine.bytes
			all.failed += mine.failed
			if all.firstErr == nil {
				all.firstErr = mine.firstErr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	return all
}

func (r result) print(o options) {
	slices.Sort(r.latencies)
	n := len(r.latencies)
	pct := func(p float64) float64 {
		if n == 0 {
			return 0
		}
		return float64(r.latencies[min(n-1, int(p*float64(n)))].Microseconds()) / 1000
	}
	bytesPer := int64(0)
	if n > 0 {
		bytesPer = r.bytes / int64(n)
	}
	fmt.Printf("scenario=%s concurrency=%d requests=%d failed=%d seconds=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f bytes_per_response=%d",
		o.scenario, o.concurrency, n, r.failed, r.elapsed.Seconds(), float64(n)/r.elapsed.Seconds(),
		pct(0.50), pct(0.90), pct(0.99), pct(1), bytesPer)
	if o.serverPID != 0 && n > 0 {
		fmt.Printf(" server_cpu_ms_per_request=%.3f", float64(r.serverCPU.Microseconds())/1000/float64(n))
	}
	fmt.Println()
}

// processCPU is the user and system CPU a process has used so far, from
// fields 14 and 15 of /proc/PID/stat (clock ticks of 1/100 s on Linux);
// zero when pid is 0 or unreadable.
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count fields after its ")".
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	var user, system int64
	fmt.Sscan(fields[11], &user)
	fmt.Sscan(fields[12], &system)
	return time.Duration(user+system) * 10 * time.Millisecond
}

// saveBody writes one response to a file: the static-file reference serves
// exactly these bytes.
func saveBody(w *worker, o options) error {
	resp, err := w.sessions[0].client.Get(o.base + o.path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", o.path, resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return os.WriteFile(o.saveBody, body, 0o644)
}
