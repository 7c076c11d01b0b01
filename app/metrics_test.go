package main

import (
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freeAddr is a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeMetricsOnOwnListener starts the service with METRICS_ADDR: the
// metrics are served there, and the public address answers /metrics 404.
func TestServeMetricsOnOwnListener(t *testing.T) {
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"--addr", addr, "--metrics-addr", metricsAddr,
			"--database-url", filepath.Join(t.TempDir(), "metrics.db")}, nil, &out, &errOut)
	}()
	get := func(url string) (int, string) {
		res, err := http.Get(url)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	ready := false
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(100 * time.Millisecond) {
		if status, _ := get("http://" + addr + "/sign-in"); status == http.StatusOK {
			ready = true
			break
		}
	}
	if !ready {
		t.Fatalf("service did not answer:\n%s", errOut.String())
	}
	if status, _ := get("http://" + addr + "/metrics"); status != http.StatusNotFound {
		t.Errorf("/metrics on the public address: status %d, want 404", status)
	}
	status, body := get("http://" + metricsAddr + "/metrics")
	if status != http.StatusOK || !strings.Contains(body, `http_requests_total{method="GET",route="/sign-in",status="200"}`) ||
		!strings.Contains(body, "db_pool_open_connections") {
		t.Errorf("metrics listener: status %d\n%s", status, body)
	}

	stopServe(t, done, &errOut)
}
