package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// config is the deployment's settings: flags, each defaulting to an
// environment variable, each defaulting to a value that works on a laptop.
type config struct {
	Addr         string
	DatabaseURL  string
	SessionKey   string
	BaseURL      string
	MinGroupSize int
	LogFormat    string
	LogSQL       bool
	Demo         bool
	NoMigrate    bool
	// LearningCatalogue is the address of the deployment's own learning
	// catalogue, if it has one.
	LearningCatalogue string
	// EvidenceDir is EVIDENCE_DIR: the folder evidence documents are kept
	// in; empty keeps them in the database.
	EvidenceDir string
	// FontURL is FONT_URL: the folder a deployment serves NHS.UK's
	// Frutiger font files from; empty, pages use the fallback fonts.
	FontURL string
	// TrustedProxies is TRUSTED_PROXIES as given: CIDRs or addresses of
	// the proxies whose X-Forwarded-For the service believes.
	TrustedProxies string
	// ReleaseInterval is WORKFORCE_RELEASE_INTERVAL: the least time between
	// two workforce releases.
	ReleaseInterval time.Duration
	// DBMaxConns caps this instance's database connections (0: the
	// database's default).
	DBMaxConns int
	// DBTimeout is the deadline of each request's database work.
	DBTimeout time.Duration
	// HashConcurrency bounds the password hashes computed at once (each
	// takes 19 MiB); HashQueueWait is how long a sign-in waits for a turn.
	HashConcurrency int
	HashQueueWait   time.Duration
	// SMTPURL and MailFrom turn on email: the mail server, and the address
	// messages come from.
	SMTPURL  string
	MailFrom string
	// Retention in days (0 keeps for ever): audit events, sign-in records,
	// and the self-assessments of people who have left.
	RetainAuditDays, RetainSignInDays, RetainLeaverDays int
	// MetricsAddr is METRICS_ADDR: the address of a listener of its own
	// that serves /metrics; empty, there are no metrics.
	MetricsAddr string
	// envErrs are environment variables that could not be read.
	envErrs []error
}

// Errors in settings, named so tests can check them.
var (
	ErrMinGroupSize    = errors.New("MIN_GROUP_SIZE must be a whole number of at least 5")
	ErrSessionKey      = errors.New("SESSION_KEY must be at least 32 characters")
	ErrReleaseInterval = errors.New("WORKFORCE_RELEASE_INTERVAL must be a duration of at least 1h, like 168h for 7 days")
	ErrTrustedProxy    = errors.New("TRUSTED_PROXIES must be a comma-separated list of CIDRs or IP addresses, like 10.0.0.0/8,192.0.2.10")
	ErrDBMaxConns      = errors.New("DB_MAX_CONNS must be a whole number, 0 for the default")
	ErrDBTimeout       = errors.New("DB_TIMEOUT must be a duration of at least 100ms, like 10s")
	ErrHashLimits      = errors.New("HASH_CONCURRENCY must be a whole number of at least 1 and HASH_QUEUE_WAIT a duration, like 5s")
	ErrRetention       = errors.New("RETAIN_AUDIT_DAYS, RETAIN_SIGN_IN_DAYS and RETAIN_LEAVER_DAYS must be whole numbers of days, 0 to keep for ever")
)

// Default retention, in days: audit events 6 years (the NHS records
// management code's usual period for such records), sign-in records 90
// days, and a leaver's self-assessments 1 year after they left.
const (
	defaultRetainAuditDays  = 2190
	defaultRetainSignInDays = 90
	defaultRetainLeaverDays = 365
)

// Defaults of the resource settings.
const (
	defaultDBTimeout     = 10 * time.Second
	defaultHashQueueWait = 5 * time.Second
)

// defaultHashConcurrency is one hash per core, at most two: argon2id is
// CPU-bound, and each hash at once adds 19 MiB of live heap, about twice
// that at peak with Go's default GC. Two kept 50 sign-ins at once to a
// peak of 129 MB, four to 206 MB (docs/PERFORMANCE.md, item 8).
func defaultHashConcurrency() int { return min(runtime.NumCPU(), 2) }

// envInt reads a whole-number environment variable, noting a bad one.
func (c *config) envInt(name string, fallback int, bad error) int {
	return envValue(c, name, fallback, strconv.Atoi, bad)
}

// envDuration reads a duration environment variable, noting a bad one.
func (c *config) envDuration(name string, fallback time.Duration, bad error) time.Duration {
	return envValue(c, name, fallback, time.ParseDuration, bad)
}

// envValue reads environment variable name with parse: fallback when it
// is unset, and fallback with bad noted when parse refuses it.
func envValue[T any](c *config, name string, fallback T, parse func(string) (T, error), bad error) T {
	v := env(name, "")
	if v == "" {
		return fallback
	}
	x, err := parse(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("%w (got %q)", bad, v))
		return fallback
	}
	return x
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}

// databaseFlags registers the flags every command shares.
func (c *config) databaseFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", ""),
		"database: postgres://user:password@host:5432/name for PostgreSQL, or an SQLite file path (env DATABASE_URL; default data/service.db)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "text"), "log format: text or json (env LOG_FORMAT)")
	fs.BoolVar(&c.LogSQL, "log-sql", env("LOG_SQL", "") == "true",
		"log every SQL statement with its values, at debug level; for diagnosis and the benchmarks, never in production (env LOG_SQL=true)")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", c.envInt("DB_MAX_CONNS", 0, ErrDBMaxConns),
		"most database connections this instance opens; keep instances × this below PostgreSQL's max_connections less its reserved slots "+
			"(env DB_MAX_CONNS; default 20 on PostgreSQL, 4 on SQLite)")
}

// releaseFlags registers the flags of the workforce releases, which the
// web service and the publish-workforce command share.
func (c *config) releaseFlags(fs *flag.FlagSet) {
	minGroup, _ := strconv.Atoi(env("MIN_GROUP_SIZE", "10"))
	fs.IntVar(&c.MinGroupSize, "min-group-size", minGroup, "smallest group of people an aggregate may describe, at least 5 (env MIN_GROUP_SIZE)")
	interval, err := time.ParseDuration(env("WORKFORCE_RELEASE_INTERVAL", "168h"))
	if err != nil {
		interval = -1 // reported by validate
	}
	fs.DurationVar(&c.ReleaseInterval, "workforce-release-interval", interval,
		"least time between two workforce releases, like 168h (env WORKFORCE_RELEASE_INTERVAL; default 7 days)")
}

// mailFlags registers the flags of email, which the web service and the
// commands that make links share.
func (c *config) mailFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.SMTPURL, "smtp-url", env("SMTP_URL", ""),
		"mail server: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS); empty: the service sends no email (env SMTP_URL)")
	fs.StringVar(&c.MailFrom, "mail-from", env("MAIL_FROM", ""), "address messages come from, like no-reply@trust.nhs.uk (env MAIL_FROM)")
}

// retentionFlags registers how long records are kept.
func (c *config) retentionFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.RetainAuditDays, "retain-audit-days", c.envInt("RETAIN_AUDIT_DAYS", defaultRetainAuditDays, ErrRetention),
		"days audit events are kept; 0 keeps them for ever (env RETAIN_AUDIT_DAYS; default 6 years)")
	fs.IntVar(&c.RetainSignInDays, "retain-sign-in-days", c.envInt("RETAIN_SIGN_IN_DAYS", defaultRetainSignInDays, ErrRetention),
		"days failed sign-ins, sessions, password reset links and sent emails are kept; 0 keeps them (env RETAIN_SIGN_IN_DAYS)")
	fs.IntVar(&c.RetainLeaverDays, "retain-leaver-days", c.envInt("RETAIN_LEAVER_DAYS", defaultRetainLeaverDays, ErrRetention),
		"days after an account is deactivated that its skills self-assessments are kept; 0 keeps them (env RETAIN_LEAVER_DAYS)")
}

// serveFlags registers the flags of the web service.
func (c *config) serveFlags(fs *flag.FlagSet) {
	c.databaseFlags(fs)
	c.releaseFlags(fs)
	c.mailFlags(fs)
	fs.StringVar(&c.Addr, "addr", env("ADDR", ":8080"), "address to listen on (env ADDR)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("METRICS_ADDR", ""),
		"address of a listener of its own serving /metrics in Prometheus format, like 127.0.0.1:9090; empty, no metrics (env METRICS_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", "http://localhost:8080"),
		"address people use to reach the service, for invitation links; https:// marks cookies Secure (env BASE_URL)")
	fs.StringVar(&c.SessionKey, "session-key", env("SESSION_KEY", ""),
		"secret of at least 32 characters that keys session and invitation token hashes; when empty, one is generated and kept in the database (env SESSION_KEY)")
	fs.StringVar(&c.EvidenceDir, "evidence-dir", env("EVIDENCE_DIR", ""),
		"folder to keep evidence documents in, shared by every instance (env EVIDENCE_DIR; default: in the database)")
	fs.StringVar(&c.FontURL, "font-url", env("FONT_URL", ""),
		"folder address of NHS.UK's Frutiger font files (FrutigerLTW01-55Roman.woff2 and the like); empty, no request leaves the service and pages use the fallback fonts (env FONT_URL)")
	fs.StringVar(&c.LearningCatalogue, "learning-catalogue-url", env("LEARNING_CATALOGUE_URL", ""),
		"address of the deployment's own learning catalogue; learning suggestions link into it when set (env LEARNING_CATALOGUE_URL)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("TRUSTED_PROXIES", ""),
		"comma-separated CIDRs or addresses of the reverse proxies in front of the service; X-Forwarded-For is believed only from them (env TRUSTED_PROXIES; default none)")
	fs.BoolVar(&c.Demo, "demo", env("DEMO", "") == "true", "load demo data if the database is empty (env DEMO=true)")
	fs.DurationVar(&c.DBTimeout, "db-timeout", c.envDuration("DB_TIMEOUT", defaultDBTimeout, ErrDBTimeout),
		"deadline of each request's database work; past it the request gets a \"service is having trouble\" page (env DB_TIMEOUT)")
	fs.IntVar(&c.HashConcurrency, "hash-concurrency", c.envInt("HASH_CONCURRENCY", defaultHashConcurrency(), ErrHashLimits),
		"most password hashes computed at once, 19 MiB of memory each (env HASH_CONCURRENCY; default the number of CPUs, at most 2)")
	fs.DurationVar(&c.HashQueueWait, "hash-queue-wait", c.envDuration("HASH_QUEUE_WAIT", defaultHashQueueWait, ErrHashLimits),
		"how long a sign-in waits for a turn to check its password before a \"service is busy\" page (env HASH_QUEUE_WAIT)")
	fs.BoolVar(&c.NoMigrate, "no-migrate", env("NO_MIGRATE", "") == "true",
		"do not apply pending migrations at start; refuse to start while any are pending (env NO_MIGRATE=true)")
}

func (c *config) validate() error {
	if len(c.envErrs) > 0 {
		return errors.Join(c.envErrs...)
	}
	if c.DBMaxConns < 0 {
		return ErrDBMaxConns
	}
	// Zero is left to the service's defaults; anything else must make sense.
	if c.DBTimeout < 0 || (c.DBTimeout > 0 && c.DBTimeout < 100*time.Millisecond) {
		return ErrDBTimeout
	}
	if c.HashConcurrency < 0 || c.HashQueueWait < 0 {
		return ErrHashLimits
	}
	if c.MinGroupSize < 5 {
		return ErrMinGroupSize
	}
	if c.ReleaseInterval == 0 {
		c.ReleaseInterval = 7 * 24 * time.Hour
	}
	if c.ReleaseInterval < time.Hour {
		return ErrReleaseInterval
	}
	if c.SessionKey != "" && len(c.SessionKey) < 32 {
		return ErrSessionKey
	}
	if _, err := parseTrustedProxies(c.TrustedProxies); err != nil {
		return err
	}
	return nil
}

// parseTrustedProxies reads a comma- or space-separated list of CIDRs; a
// bare address stands for itself alone.
func parseTrustedProxies(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		if !strings.Contains(f, "/") {
			ip := net.ParseIP(f)
			if ip == nil {
				return nil, fmt.Errorf("%w: %q", ErrTrustedProxy, f)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, fmt.Errorf("%w: %q", ErrTrustedProxy, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// parseFlags parses args, printing a command's help to stderr on --help.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer, about string) error {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n", about)
		fs.PrintDefaults()
	}
	return fs.Parse(args)
}
