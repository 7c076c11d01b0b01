package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/handlers"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/static"
	"nhs-digital-maturity/workforce"
)

// openStore connects to the configured database.
func openStore(cfg config, log *slog.Logger) (*models.Store, error) {
	if len(cfg.envErrs) > 0 {
		return nil, errors.Join(cfg.envErrs...)
	}
	if cfg.DBMaxConns < 0 {
		return nil, ErrDBMaxConns
	}
	store, err := models.OpenWith(cfg.DatabaseURL, log, models.Options{MaxConns: cfg.DBMaxConns})
	if err != nil {
		return nil, err
	}
	return store, nil
}

// openMigrated connects to the configured database and applies any
// pending migrations: what every command but migrate and serve starts with.
func openMigrated(ctx context.Context, cfg config, stderr io.Writer) (*models.Store, error) {
	store, err := openStore(cfg, newLogger(stderr, cfg))
	if err != nil {
		return nil, err
	}
	if _, err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// openWithFrameworks loads the frameworks, then opens the migrated
// database: the start of the commands that build from both.
func openWithFrameworks(ctx context.Context, cfg config, stderr io.Writer) (*models.Store, *assessments.Library, error) {
	frameworks, err := assessments.Load()
	if err != nil {
		return nil, nil, err
	}
	store, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return nil, nil, err
	}
	return store, frameworks, nil
}

func migrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg.databaseFlags(fs)
	if err := parseFlags(fs, args, stderr, "app migrate: apply pending database migrations, each in its own transaction, then stop."); err != nil {
		return err
	}
	store, err := openStore(cfg, newLogger(stderr, cfg))
	if err != nil {
		return err
	}
	defer store.Close()
	applied, err := store.Migrate(ctx)
	for _, a := range applied {
		fmt.Fprintln(stdout, "applied migration", a)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database is at schema version %d (%s)\n", models.LatestSchemaVersion(), store.Dialect())
	return nil
}

func seedDemo(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("seed-demo", flag.ContinueOnError)
	cfg.databaseFlags(fs)
	if err := parseFlags(fs, args, stderr, "app seed-demo: apply migrations, then load demo organisations and accounts into an empty database."); err != nil {
		return err
	}
	store, frameworks, err := openWithFrameworks(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seedDemoData(ctx, store, frameworks); err != nil {
		return err
	}
	printDemoAccounts(stdout)
	return nil
}

func printDemoAccounts(w io.Writer) {
	fmt.Fprintln(w, "demo data loaded; sign in with any of these, password", models.DemoPassword)
	for _, a := range models.DemoAccounts() {
		fmt.Fprintf(w, "  %-24s %s\n", a.Email, a.Roles.Labels())
	}
}

func createAdmin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	var email, name, odsCode, orgName, kind string
	fs := flag.NewFlagSet("create-admin", flag.ContinueOnError)
	cfg.databaseFlags(fs)
	fs.StringVar(&email, "email", "", "the administrator's email address (required)")
	fs.StringVar(&name, "name", "", "the administrator's full name (required)")
	fs.StringVar(&odsCode, "ods-code", "", "ODS code of the organisation the account belongs to (required)")
	fs.StringVar(&orgName, "organisation-name", "", "name of that organisation, to create it if it does not exist yet")
	fs.StringVar(&kind, "kind", models.KindICB, "kind of that organisation if it is created: acute, mental-health, community, ambulance, icb, ...")
	about := "app create-admin: create an administrator account. The password is read from standard input\n" +
		"(typed without echo at a terminal, or piped: echo \"$PASSWORD\" | app create-admin ...)."
	if err := parseFlags(fs, args, stderr, about); err != nil {
		return err
	}
	if email == "" || name == "" || odsCode == "" {
		fs.Usage()
		return errors.New("--email, --name and --ods-code are required")
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	if len([]rune(password)) < 12 {
		return errors.New("the password must be 12 characters or more")
	}
	store, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	odsCode = strings.ToUpper(strings.TrimSpace(odsCode))
	org, err := store.OrganisationByODSCode(ctx, odsCode)
	if errors.Is(err, models.ErrNotFound) {
		if orgName == "" {
			return fmt.Errorf("no organisation has ODS code %s: give --organisation-name (and --kind) to create it", odsCode)
		}
		if models.OrganisationKindLabel(kind) == kind {
			return fmt.Errorf("unknown organisation kind %q", kind)
		}
		org = models.Organisation{Name: orgName, ODSCode: odsCode, Kind: kind}
		if err := store.CreateOrganisation(ctx, &org, 0); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created organisation %s (%s)\n", org.Name, org.ODSCode)
	} else if err != nil {
		return err
	}
	hash, err := models.DefaultPasswordHasher().Hash(password)
	if err != nil {
		return err
	}
	u, err := store.CreateAdmin(ctx, org.ID, email, name, hash)
	if errors.Is(err, models.ErrDuplicate) {
		return fmt.Errorf("an account with email %s already exists", email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created administrator %s in %s\n", u.Email, org.Name)
	return nil
}

// readPassword reads one line, without echo when stdin is a terminal.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password (12 characters or more): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func serve(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.serveFlags(fs)
	if err := parseFlags(fs, args, stderr, "app serve: run the web service (the default command)."); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	log := newLogger(stderr, cfg)
	store, err := openStore(cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()

	if cfg.NoMigrate {
		pending, err := store.PendingMigrations(ctx)
		if err != nil {
			return err
		}
		if pending > 0 {
			return fmt.Errorf("%d database migrations are pending: run \"app migrate\" first", pending)
		}
	} else {
		applied, err := store.Migrate(ctx)
		if err != nil {
			return err
		}
		for _, a := range applied {
			log.Info("applied migration", "migration", a)
		}
	}

	// Frameworks are loaded and validated once; a bad file stops the start
	// with a message naming the file, the question and the fault.
	frameworks, err := assessments.Load()
	if err != nil {
		return err
	}
	if cfg.Demo {
		err := seedDemoData(ctx, store, frameworks)
		switch {
		case err == nil:
			printDemoAccounts(stdout)
		case errors.Is(err, models.ErrNotEmpty):
			log.Info("demo data not loaded: the database already holds data")
		default:
			return err
		}
	}
	demo, err := store.IsDemo(ctx)
	if err != nil {
		return err
	}
	sessionKey, err := loadSessionKey(ctx, cfg, store)
	if err != nil {
		return err
	}
	assets, err := static.NewWithFonts(cfg.FontURL)
	if err != nil {
		return err
	}
	proxies, err := parseTrustedProxies(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	sender, err := mailSender(cfg)
	if err != nil {
		return err
	}
	srv, err := handlers.New(store, frameworks, handlers.Config{Assets: assets, Mail: sender != nil,
		BaseURL: cfg.BaseURL, SessionKey: sessionKey, MinGroupSize: cfg.MinGroupSize, Demo: demo,
		Hasher: models.DefaultPasswordHasher(), LearningCatalogueURL: cfg.LearningCatalogue, FontURL: cfg.FontURL,
		EvidenceDir:    cfg.EvidenceDir,
		TrustedProxies: proxies, WorkforceReleaseInterval: cfg.ReleaseInterval,
		HashConcurrency: cfg.HashConcurrency, HashQueueWait: cfg.HashQueueWait, DBTimeout: cfg.DBTimeout,
		Metrics: cfg.MetricsAddr != "",
	}, log)
	if err != nil {
		return err
	}
	httpServer := &http.Server{
		Addr:              cfg.Addr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeTimeout(cfg),
		IdleTimeout:       120 * time.Second,
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go pruneSecurityRecords(ctx, store, log)
	if sender != nil {
		sendEmail(ctx, store, srv, sender, log)
	}
	// The first release is built at start (and so at upgrade), then one
	// each interval; pages say "no figures yet" until the first is built.
	go scheduleWorkforce(ctx, srv.Workforce(), log)

	errs := make(chan error, 2)
	// Metrics are served on their own listener, never on the public
	// address, so a firewall can keep them to the monitoring network.
	var metricsServer *http.Server
	if cfg.MetricsAddr != "" {
		metricsServer = &http.Server{Addr: cfg.MetricsAddr, Handler: srv.MetricsHandler(),
			ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		go func() {
			log.Info("metrics listening", "addr", cfg.MetricsAddr)
			errs <- fmt.Errorf("metrics: %w", metricsServer.ListenAndServe())
		}()
	}
	go func() {
		log.Info("listening", "addr", cfg.Addr, "base_url", cfg.BaseURL, "database", store.Dialect(), "demo", demo)
		errs <- httpServer.ListenAndServe()
	}()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	// Drain in-flight requests, then stop; well within 10 seconds.
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	if metricsServer != nil {
		_ = metricsServer.Shutdown(shutdownCtx) // scrapes need no draining
	}
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// writeTimeout is the server's write timeout: long enough for the slowest
// report, and always well past the database deadline, so that the 503
// page a request gets at its deadline is not cut off into an empty reply.
func writeTimeout(cfg config) time.Duration {
	return max(60*time.Second, cfg.DBTimeout+30*time.Second)
}

// loadSessionKey uses SESSION_KEY when given; otherwise a key generated
// once and kept in the database, so sessions survive restarts and every
// instance agrees.
func loadSessionKey(ctx context.Context, cfg config, store *models.Store) ([]byte, error) {
	if cfg.SessionKey != "" {
		return []byte(cfg.SessionKey), nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	key, err := store.SetSettingOnce(ctx, models.SettingSessionKey, hex.EncodeToString(b))
	return []byte(key), err
}

// pruneSecurityRecords deletes old sign-in failures and sessions hourly.
func pruneSecurityRecords(ctx context.Context, store *models.Store, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := store.PruneSecurityRecords(ctx, time.Now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
			log.Warn("prune security records", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// publishWorkforce builds a workforce release if one is due.
func publishWorkforce(ctx context.Context, p *workforce.Publisher, log *slog.Logger) {
	began := time.Now()
	rel, err := p.Publish(ctx, time.Now())
	switch {
	case errors.Is(err, models.ErrReleaseNotDue):
	case err != nil:
		if ctx.Err() == nil {
			log.Error("workforce release", "err", err)
		}
	default:
		log.Info("workforce release built", "release", rel.ID, "organisations", rel.Organisations,
			"took", time.Since(began).Round(time.Millisecond), "next", rel.NextAt.Format(time.RFC3339))
	}
}

// scheduleWorkforce checks every few minutes whether a release is due.
// Every instance checks; the database lets only one build each release.
func scheduleWorkforce(ctx context.Context, p *workforce.Publisher, log *slog.Logger) {
	publishWorkforce(ctx, p, log)
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			publishWorkforce(ctx, p, log)
		}
	}
}

// publishWorkforceCommand builds a workforce release now, if one is due:
// for operators, and for the first release of an installation that does
// not run the service yet. It never builds one sooner than the interval.
func publishWorkforceCommand(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("publish-workforce", flag.ContinueOnError)
	cfg.databaseFlags(fs)
	cfg.releaseFlags(fs)
	if err := parseFlags(fs, args, stderr, "app publish-workforce: build the next workforce release if it is due (never sooner than the release interval), then stop."); err != nil {
		return err
	}
	if cfg.MinGroupSize < 5 {
		return ErrMinGroupSize
	}
	if cfg.ReleaseInterval < time.Hour {
		return ErrReleaseInterval
	}
	store, frameworks, err := openWithFrameworks(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	skills, ok := frameworks.Latest(assessments.KindSkills)
	if !ok {
		return errors.New("no skills framework is loaded")
	}
	p := workforce.NewPublisher(store, skills, cfg.MinGroupSize, cfg.ReleaseInterval)
	began := time.Now()
	rel, err := p.Publish(ctx, time.Now())
	if errors.Is(err, models.ErrReleaseNotDue) {
		last, lerr := store.LatestWorkforceRelease(ctx)
		if lerr != nil {
			return lerr
		}
		return fmt.Errorf("%w: the last was built %s, the next is due %s", err, last.BuiltAt.Format(time.RFC3339), last.NextAt.Format(time.RFC3339))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built workforce release %d in %s: %d organisations; next due %s\n", rel.ID,
		time.Since(began).Round(time.Millisecond), rel.Organisations, rel.NextAt.Format(time.RFC3339))
	return nil
}

// healthcheck asks the local service whether it is ready; container images
// without a shell or curl use it as their health check.
func healthcheck(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	addr := fs.String("url", "http://127.0.0.1"+portOf(env("ADDR", ":8080"))+"/readyz", "address to check")
	if err := parseFlags(fs, args, stderr, "app healthcheck: exit 0 when the running service answers its readiness check."); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *addr, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", *addr, res.Status)
	}
	fmt.Fprintln(stdout, "ready")
	return nil
}

// portOf returns ":PORT" from a listen address like ":8080" or "0.0.0.0:8080".
func portOf(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		return addr[i:]
	}
	return ":8080"
}
