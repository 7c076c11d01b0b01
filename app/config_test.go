package main

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"
)

// TestResourceSettings: the pool size, the database deadline and the
// hashing bound come from the environment, a flag overrides them, and each
// reaches what it sets.
func TestResourceSettings(t *testing.T) {
	t.Setenv("DB_MAX_CONNS", "3")
	t.Setenv("DB_TIMEOUT", "7s")
	t.Setenv("HASH_CONCURRENCY", "2")
	t.Setenv("HASH_QUEUE_WAIT", "")
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.serveFlags(fs)
	db := filepath.Join(t.TempDir(), "settings.db")
	if err := fs.Parse([]string{"--database-url", db, "--hash-concurrency", "5"}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	if cfg.DBMaxConns != 3 || cfg.DBTimeout != 7*time.Second || cfg.HashConcurrency != 5 || cfg.HashQueueWait != defaultHashQueueWait {
		t.Errorf("settings %+v", cfg)
	}
	store, err := openStore(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if got := store.MaxConns(); got != 3 {
		t.Errorf("DB_MAX_CONNS=3 gave a pool of %d", got)
	}
}

func TestBadResourceSettingsStopTheStart(t *testing.T) {
	for name, want := range map[string]error{"DB_TIMEOUT": ErrDBTimeout, "DB_MAX_CONNS": ErrDBMaxConns, "HASH_QUEUE_WAIT": ErrHashLimits} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, "soon")
			var cfg config
			cfg.serveFlags(flag.NewFlagSet("serve", flag.ContinueOnError))
			if err := cfg.validate(); !errors.Is(err, want) {
				t.Errorf("%s=soon: %v, want %v", name, err, want)
			}
		})
	}
}

func TestResourceSettingsOutOfRange(t *testing.T) {
	for _, tt := range []struct {
		cfg  config
		want error
	}{
		{config{MinGroupSize: 10, DBTimeout: time.Millisecond}, ErrDBTimeout},
		{config{MinGroupSize: 10, DBTimeout: -time.Second}, ErrDBTimeout},
		{config{MinGroupSize: 10, DBMaxConns: -1}, ErrDBMaxConns},
		{config{MinGroupSize: 10, HashConcurrency: -1}, ErrHashLimits},
		{config{MinGroupSize: 10, DBTimeout: time.Second, HashConcurrency: 1, HashQueueWait: time.Second}, nil},
	} {
		if err := tt.cfg.validate(); err != tt.want {
			t.Errorf("validate(%+v) = %v, want %v", tt.cfg, err, tt.want)
		}
	}
}
