// Command sqlref runs a file of SQL statements, one per line, again and
// again on one connection, and prints latency percentiles of the whole
// file in the same shape as loadgen. It is the direct-SQL reference on
// SQLite, where there is no pgbench: the file holds the exact statements
// a page ran, captured from the service's SQL log.
//
//	sqlref -database-url sqlite:/tmp/synth-l.db -file page.sql -d 10s
package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	_ "github.com/glebarez/go-sqlite"
)

func main() {
	url := flag.String("database-url", "", "sqlite:PATH")
	file := flag.String("file", "", "statements, one per line")
	d := flag.Duration("d", 10*time.Second, "measured duration")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up")
	flag.Parse()
	if err := run(*url, *file, *d, *warmup); err != nil {
		fmt.Fprintln(os.Stderr, "sqlref:", err)
		os.Exit(1)
	}
}

func run(url, file string, d, warmup time.Duration) error {
	path, ok := strings.CutPrefix(url, "sqlite:")
	if !ok {
		return fmt.Errorf("database-url must be sqlite:PATH (use pgbench for PostgreSQL)")
	}
	statements, err := readStatements(file)
	if err != nil {
		return err
	}
	// The same settings as the service's own connection (models.Open).
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	once := func() error {
		for _, st := range statements {
			rows, err := db.QueryContext(ctx, st)
			if err != nil {
				return fmt.Errorf("%s: %w", st, err)
			}
			for rows.Next() {
			}
			if err := rows.Close(); err != nil {
				return err
			}
		}
		return nil
	}
	for end := time.Now().Add(warmup); time.Now().Before(end); {
		if err := once(); err != nil {
			return err
		}
	}
	var latencies []time.Duration
	start := time.Now()
	for time.Since(start) < d {
		t0 := time.Now()
		if err := once(); err != nil {
			return err
		}
		latencies = append(latencies, time.Since(t0))
	}
	elapsed := time.Since(start)
	slices.Sort(latencies)
	n := len(latencies)
	pct := func(p float64) float64 { return float64(latencies[min(n-1, int(p*float64(n)))].Microseconds()) / 1000 }
	fmt.Printf("reference=sqlref statements=%d transactions=%d seconds=%.1f tps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
		len(statements), n, elapsed.Seconds(), float64(n)/elapsed.Seconds(), pct(0.5), pct(0.9), pct(0.99), pct(1))
	return nil
}

func readStatements(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var list []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			list = append(list, strings.TrimSuffix(line, ";"))
		}
	}
	if len(list) == 0 && sc.Err() == nil {
		return nil, fmt.Errorf("%s holds no statements", file)
	}
	return list, sc.Err()
}
