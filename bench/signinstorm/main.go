// Command signinstorm fires many sign-ins at the running service at the
// same moment, as a trust's staff do at 9 o'clock, and prints how each was
// answered. Each sign-in is its own browser: it fetches the sign-in page
// for its CSRF cookie first, then every one posts together.
//
//	signinstorm -base http://127.0.0.1:8090 -n 50 -email a@example.nhs.uk,b@example.nhs.uk -password demo-password-1
//
// The output is one line of key=value pairs, for the bench scripts to read.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "service address")
	n := flag.Int("n", 50, "concurrent sign-ins")
	emails := flag.String("email", "", "comma-separated email addresses, taken in turn")
	password := flag.String("password", "demo-password-1", "password of every account")
	flag.Parse()
	if err := run(*base, *n, strings.Split(*emails, ","), *password); err != nil {
		fmt.Fprintln(os.Stderr, "signinstorm:", err)
		os.Exit(1)
	}
}

func run(base string, n int, emails []string, password string) error {
	if len(emails) == 0 || emails[0] == "" {
		return fmt.Errorf("no -email given")
	}
	type browser struct {
		client *http.Client
		csrf   string
	}
	browsers := make([]browser, n)
	for i := range browsers {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 2 * time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Get(base + "/sign-in")
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		u, _ := url.Parse(base)
		for _, ck := range jar.Cookies(u) {
			if ck.Name == "csrf" {
				browsers[i] = browser{client: c, csrf: ck.Value}
			}
		}
		if browsers[i].client == nil {
			return fmt.Errorf("no CSRF cookie from %s/sign-in", base)
		}
	}

	start := make(chan struct{})
	statuses := make([]int, n)
	latencies := make([]time.Duration, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, b := range browsers {
		wg.Go(func() {
			form := url.Values{"email": {emails[i%len(emails)]}, "password": {password}, "_csrf": {b.csrf}}
			<-start
			began := time.Now()
			res, err := b.client.PostForm(base+"/sign-in", form)
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i], latencies[i] = res.StatusCode, time.Since(began)
		})
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)

	count := map[int]int{}
	failed := 0
	for i := range n {
		if errs[i] != nil {
			failed++
			continue
		}
		count[statuses[i]]++
	}
	slices.Sort(latencies)
	fmt.Printf("signins=%d signed_in=%d busy=%d other=%d errors=%d p50_ms=%d max_ms=%d elapsed_ms=%d\n",
		n, count[http.StatusSeeOther], count[http.StatusServiceUnavailable],
		n-failed-count[http.StatusSeeOther]-count[http.StatusServiceUnavailable], failed,
		latencies[n/2].Milliseconds(), latencies[n-1].Milliseconds(), elapsed.Milliseconds())
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
