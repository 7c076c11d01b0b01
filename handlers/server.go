// Package handlers is the HTTP side of the service: routes, middleware,
// forms and their validation, and the choice of page to render.
package handlers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"nhs-digital-maturity/accounts"
	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/audit"
	"nhs-digital-maturity/charts"
	"nhs-digital-maturity/maturity"
	"nhs-digital-maturity/models"
	"nhs-digital-maturity/reminders"
	"nhs-digital-maturity/sso"
	"nhs-digital-maturity/templates"
	"nhs-digital-maturity/workforce"
)

// ServiceName is how the service names itself in the header and titles.
const ServiceName = "Digital maturity and skills assessment"

// Config is what the HTTP side needs to know about the deployment.
type Config struct {
	// BaseURL is the address people use, for links in invitations and for
	// deciding whether cookies are marked Secure.
	BaseURL string
	// SessionKey keys the hashes of session and invitation tokens.
	SessionKey []byte
	// MinGroupSize is the smallest group an aggregate may describe.
	MinGroupSize int
	// Demo shows the demo data banner on every page.
	Demo bool
	// Hasher hashes passwords; tests use cheaper settings.
	Hasher Hasher
	// HashConcurrency bounds the password hashes computed at once: each
	// argon2id hash takes 19 MiB, so a storm of sign-ins must queue rather
	// than take the memory of fifty. HashQueueWait is how long a request
	// waits for its turn before a "service is busy" page.
	HashConcurrency int
	HashQueueWait   time.Duration
	// DBTimeout is the deadline of each request's database work: a hung
	// database gets the person a "service is having trouble" page after it
	// instead of holding the request as long as the database hangs.
	DBTimeout time.Duration
	// Timeouts of a signed-in session.
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// InvitationLifetime is how long an invitation link works.
	InvitationLifetime time.Duration
	// BodyLimit caps a request body, like "2M".
	BodyLimit string
	// Assets serves the CSS, JavaScript and images under /static/ and
	// names their fingerprinted addresses (package static provides them).
	Assets Assets
	// WorkforceReleaseInterval is the least time between two workforce
	// releases (default 7 days).
	WorkforceReleaseInterval time.Duration
	// LearningCatalogueURL is the deployment's own learning catalogue; when
	// set, learning suggestions with a catalogue path become links.
	LearningCatalogueURL string
	// EvidenceDir is the folder evidence documents are kept in; empty
	// keeps them in the database.
	EvidenceDir string
	// FontURL is the folder a deployment serves NHS.UK's Frutiger font
	// files from (the assets must be built with it, static.NewWithFonts);
	// the Content-Security-Policy allows its origin. Empty: fonts come
	// from the service alone, and pages use the fallback fonts.
	FontURL string
	// TrustedProxies are the proxies whose X-Forwarded-For is believed;
	// from any other peer the connection's address is the client's.
	TrustedProxies []*net.IPNet
	// Mail says whether the service sends email (SMTP_URL is set): the
	// queue is then sent, and pages offer what needs it.
	Mail bool
	// ResetLifetime is how long an emailed password-reset link works;
	// IssuedResetLifetime one a lead or the command line made.
	ResetLifetime       time.Duration
	IssuedResetLifetime time.Duration
	// ReminderGap is the least time between two skills reminder runs of
	// an organisation (default 7 days).
	ReminderGap time.Duration
	// Metrics turns on the Prometheus figures (METRICS_ADDR is set);
	// MetricsHandler serves them, never the main router.
	Metrics bool
}

// Hasher hashes passwords and checks them against a stored hash
// (models.PasswordHasher in the service).
type Hasher interface {
	Hash(password string) (string, error)
	Verify(password, encoded string) (bool, error)
}

// Assets are the static files: served under /static/, with Path giving a
// file's fingerprinted address.
type Assets interface {
	http.Handler
	Path(name string) string
}

// Server carries every dependency a handler needs; handlers are its methods.
type Server struct {
	store *models.Store
	cfg   Config
	log   *slog.Logger
	pages *templates.Set
	// frameworks are the framework files loaded and validated at start.
	frameworks *assessments.Library
	// frameworkByID maps each loaded framework's database id to it. Filled
	// once at start, so that a cycle or attempt finds its framework without
	// a query on every request.
	frameworkByID map[uint]*assessments.Framework
	assets        Assets
	echo          *echo.Echo
	// crossOrigin refuses unsafe requests a browser marks as cross-site.
	crossOrigin *http.CrossOriginProtection
	// workforce publishes and reads the workforce releases.
	workforce *workforce.Publisher
	// dummyHash is checked when no account matches, so a sign-in takes
	// as long whether or not the account exists.
	dummyHash string
	// hashTurns holds one token per password hash running (hashing.go).
	hashTurns chan struct{}
	// sso talks to organisations' OpenID Connect providers; sealer keeps
	// their client secrets encrypted in the database.
	sso    *sso.Client
	sealer *sso.Sealer
	// csp is the Content-Security-Policy of every response.
	csp string
	// metrics are the Prometheus figures; nil when they are off.
	metrics *metrics
}

// pageNames lists every page template a handler renders; the server does
// not start while one is missing.
var pageNames = []string{
	"sign_in", "home", "error", "profile", "password", "accept_invitation", "invitation_problem",
	"accounts", "account", "invite", "invitation_sent", "organisations", "organisation_form",
	"audit", "accessibility", "privacy",
	"maturity_cycles", "maturity_cycle_new", "maturity_cycle", "maturity_section", "maturity_review",
	"maturity_actions", "maturity_action", "maturity_results", "maturity_submit", "maturity_advice_request", "advice",
	"skills_start", "skills_domain", "skills_check", "skills_results", "skills_history", "skills_submitted",
	"organisation_skills", "staff_import", "staff_import_preview",
	"sign_in_sso", "sso_problem", "sso_settings",
	"forgot_password", "reset_password", "reset_link", "admin_email", "reminders",
}

// New builds the server and its router. It fails when a template or asset
// cannot be loaded, so that a broken build never starts.
func New(store *models.Store, frameworks *assessments.Library, cfg Config, log *slog.Logger) (*Server, error) {
	if len(cfg.SessionKey) < 32 {
		return nil, errors.New("session key must be at least 32 bytes")
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 60 * time.Minute
	}
	if cfg.SessionAbsolute == 0 {
		cfg.SessionAbsolute = 12 * time.Hour
	}
	if cfg.InvitationLifetime == 0 {
		cfg.InvitationLifetime = 7 * 24 * time.Hour
	}
	if cfg.ResetLifetime <= 0 {
		cfg.ResetLifetime = accounts.DefaultResetLifetime
	}
	if cfg.IssuedResetLifetime <= 0 {
		cfg.IssuedResetLifetime = accounts.DefaultIssuedResetLifetime
	}
	if cfg.ReminderGap <= 0 {
		cfg.ReminderGap = reminders.DefaultGap
	}
	if cfg.BodyLimit == "" {
		cfg.BodyLimit = "2M"
	}
	if cfg.Hasher == nil {
		return nil, errors.New("no password hasher given")
	}
	if cfg.HashConcurrency <= 0 {
		cfg.HashConcurrency = 2
	}
	if cfg.HashQueueWait <= 0 {
		cfg.HashQueueWait = 5 * time.Second
	}
	if cfg.DBTimeout <= 0 {
		cfg.DBTimeout = 10 * time.Second
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Assets == nil {
		return nil, errors.New("no static assets given")
	}
	s := &Server{store: store, frameworks: frameworks, cfg: cfg, log: log, assets: cfg.Assets,
		crossOrigin: http.NewCrossOriginProtection(), hashTurns: make(chan struct{}, cfg.HashConcurrency)}
	var err error
	if s.sealer, err = sso.NewSealer(cfg.SessionKey); err != nil {
		return nil, err
	}
	s.sso = sso.NewClient(10 * time.Second)
	if s.csp, err = contentSecurityPolicy(cfg.FontURL); err != nil {
		return nil, err
	}
	// The address people use is same-origin even when a proxy in front
	// rewrites the Host header.
	if base, perr := url.Parse(cfg.BaseURL); perr == nil && base.Scheme != "" && base.Host != "" {
		if err = s.crossOrigin.AddTrustedOrigin(base.Scheme + "://" + base.Host); err != nil {
			return nil, fmt.Errorf("BASE_URL: %w", err)
		}
	}
	if err = s.registerFrameworks(); err != nil {
		return nil, err
	}
	skills, err := s.skillsFramework()
	if err != nil {
		return nil, err
	}
	s.workforce = workforce.NewPublisher(store, skills, cfg.MinGroupSize, cfg.WorkforceReleaseInterval)
	if s.dummyHash, err = cfg.Hasher.Hash(newToken()); err != nil {
		return nil, err
	}
	s.pages, err = templates.Parse(s.templateFuncs())
	if err != nil {
		return nil, err
	}
	if err := s.pages.Require(pageNames...); err != nil {
		return nil, err
	}
	if cfg.Metrics {
		s.metrics = newMetrics(store)
	}
	s.echo = s.routes()
	return s, nil
}

// Workforce is the publisher of workforce releases, for the schedule that
// builds them.
func (s *Server) Workforce() *workforce.Publisher { return s.workforce }

// Handler is the router, for http.Server and for tests. HEAD is answered
// wherever GET is: Echo routes HEAD only where it is registered, so the
// request goes in as the GET of the same address, and net/http, which still
// sees the HEAD, sends that answer's headers without its body.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			r = r.WithContext(context.WithValue(r.Context(), headRequest{}, true)) // a copy
			r.Method = http.MethodGet
		}
		s.echo.ServeHTTP(w, r)
	})
}

// headRequest marks, on its context, a HEAD request answered as a GET.
type headRequest struct{}

// requestMethod is the method the client sent.
func requestMethod(r *http.Request) string {
	if head, _ := r.Context().Value(headRequest{}).(bool); head {
		return http.MethodHead
	}
	return r.Method
}

// Routes lists every registered method and path, for the authorisation test.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = clientAddress(s.cfg.TrustedProxies)

	e.Use(middleware.RequestID())
	if s.metrics != nil {
		e.Use(s.countRequests)
	}
	e.Use(s.logRequests)
	e.Use(s.recoverPanics)
	e.Use(s.securityHeaders)
	e.Use(s.dbDeadline)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/static/*", echo.WrapHandler(s.assets))

	// Middleware is attached per route rather than per group: Echo's groups
	// add catch-all routes that would answer unknown paths with 403 or a
	// sign-in redirect instead of 404.
	// The body limit comes first, before anything reads the form.
	// readForm parses it under that limit; inputRule checks every value
	// once the CSRF check has passed.
	public := []echo.MiddlewareFunc{middleware.BodyLimit(s.cfg.BodyLimit), s.readForm, s.loadSession, s.csrf, s.inputRule}
	signedIn := append(slices.Clip(public), s.requireSignIn)
	managers := append(slices.Clip(signedIn), s.requireRole(models.RoleLead, models.RoleAdmin))
	admins := append(slices.Clip(signedIn), s.requireRole(models.RoleAdmin))

	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound }, public...)
	e.GET("/accessibility", s.accessibility, public...)
	e.GET("/privacy", s.privacy, public...)
	e.GET("/sign-in", s.signInPage, public...)
	e.POST("/sign-in", s.signIn, public...)
	e.POST("/sign-out", s.signOut, public...)
	e.POST("/sign-in/sso", s.startSSO, public...)
	e.GET(ssoCallbackURL, s.ssoCallback, public...)
	e.GET("/invitations/:token", s.acceptInvitationPage, public...)
	e.POST("/invitations/:token", s.acceptInvitation, public...)
	e.GET("/password/forgot", s.forgotPasswordPage, public...)
	e.POST("/password/forgot", s.forgotPassword, public...)
	e.GET("/password/reset/:token", s.resetPasswordPage, public...)
	e.POST("/password/reset/:token", s.resetPassword, public...)

	e.GET("/", s.home, signedIn...)
	e.GET("/profile", s.profilePage, signedIn...)
	e.POST("/profile", s.saveProfile, signedIn...)
	e.GET("/password", s.passwordPage, signedIn...)
	e.POST("/password", s.changePassword, signedIn...)

	e.GET("/accounts", s.accounts, managers...)
	e.GET("/accounts/invite", s.invitePage, managers...)
	e.POST("/accounts/invite", s.invite, managers...)
	e.GET("/accounts/:id", s.account, managers...)
	e.POST("/accounts/:id/roles", s.saveRoles, managers...)
	e.POST("/accounts/:id/active", s.setActive, managers...)
	e.POST("/accounts/:id/reset-link", s.issueResetLink, managers...)
	e.GET("/audit", s.audit, managers...)
	e.GET("/audit.csv", s.exportAuditCSV, managers...)

	// The board maturity assessment. Everything is scoped to the signed-in
	// person's organisation; sections also check the member's assignment.
	board := append(slices.Clip(signedIn), s.requireRole(models.RoleLead, models.RoleBoard))
	leads := append(slices.Clip(signedIn), s.requireRole(models.RoleLead))
	e.GET("/maturity/cycles", s.maturityCycles, board...)
	e.GET("/maturity/cycles/new", s.newCyclePage, leads...)
	e.POST("/maturity/cycles", s.createCycle, leads...)
	e.GET("/maturity/cycles/:id", s.maturityCyclePage, board...)
	e.POST("/maturity/cycles/:id/assignments", s.saveAssignments, leads...)
	e.GET("/maturity/cycles/:id/sections/:section", s.sectionPage, board...)
	e.POST("/maturity/cycles/:id/sections/:section", s.saveSection, board...)
	e.GET("/maturity/cycles/:id/review/:section", s.reviewPage, leads...)
	e.POST("/maturity/cycles/:id/review/:section", s.saveReview, leads...)
	e.GET("/maturity/cycles/:id/submit", s.submitPage, leads...)
	e.POST("/maturity/cycles/:id/submit", s.submitCycle, leads...)
	e.POST("/maturity/cycles/:id/reopen", s.reopenCycle, leads...)
	e.GET("/maturity/cycles/:id/actions", s.actionsPage, leads...)
	e.POST("/maturity/cycles/:id/actions", s.createAction, leads...)
	e.GET("/maturity/cycles/:id/actions/:action", s.actionPage, leads...)
	e.POST("/maturity/cycles/:id/actions/:action", s.updateAction, leads...)
	e.GET("/maturity/cycles/:id/results", s.resultsPage, board...)
	// Evidence documents: uploads have a body limit of their own (a 10 MB
	// file and the form around it); downloads check who may read them.
	evidence := []echo.MiddlewareFunc{middleware.BodyLimit("11M"), s.readForm, s.loadSession, s.csrf, s.inputRule,
		s.requireSignIn, s.requireRole(models.RoleBoard)}
	e.POST("/maturity/cycles/:id/sections/:section/evidence", s.uploadEvidence, evidence...)
	e.GET("/maturity/cycles/:id/evidence/:doc", s.downloadEvidence, signedIn...)
	// Advice from a colleague on one question.
	e.GET("/maturity/cycles/:id/advice/new", s.adviceRequestPage, board...)
	e.POST("/maturity/cycles/:id/advice", s.requestAdvice, board...)
	e.GET("/advice/:id", s.advicePage, signedIn...)
	e.POST("/advice/:id", s.giveAdvice, signedIn...)
	// Reports and exports: the digital lead and the organisation's admins.
	reporters := append(slices.Clip(signedIn), s.requireRole(models.RoleLead, models.RoleAdmin))
	// Board members read the board report once it is submitted.
	readers := append(slices.Clip(signedIn), s.requireRole(models.RoleLead, models.RoleAdmin, models.RoleBoard))
	e.GET("/maturity/cycles/:id/report.pdf", s.boardReportPDF, readers...)
	e.GET("/maturity/cycles/:id/results.csv", s.exportCycleResultsCSV, reporters...)
	e.GET("/maturity/cycles/:id/actions.csv", s.exportCycleActionsCSV, reporters...)
	e.GET("/maturity/cycles/:id/export.xlsx", s.exportCycleXLSX, reporters...)

	// The staff skills self-assessment: a person's own attempts only.
	staff := append(slices.Clip(signedIn), s.requireRole(models.RoleStaff))
	e.GET("/skills", s.skillsStart, staff...)
	e.POST("/skills/start", s.startSkills, staff...)
	e.GET("/skills/domains/:domain", s.skillsDomainPage, staff...)
	e.POST("/skills/domains/:domain", s.saveSkillsDomain, staff...)
	e.GET("/skills/check", s.skillsCheck, staff...)
	e.POST("/skills/submit", s.submitSkills, staff...)
	e.GET("/skills/results", s.skillsResults, staff...)
	e.GET("/skills/results/:id", s.skillsResults, staff...)
	e.GET("/skills/history", s.skillsHistory, staff...)
	e.GET("/skills/results/report.pdf", s.personalReportPDF, staff...)
	e.GET("/skills/results/:id/report.pdf", s.personalReportPDF, staff...)

	// The digital lead's workforce view and staff import. Uploads get a
	// larger body limit of their own.
	e.GET("/organisation/skills", s.organisationSkills, leads...)
	e.GET("/organisation/skills/export.csv", s.exportWorkforceCSV, leads...)
	e.GET("/organisation/skills/export.xlsx", s.exportWorkforceXLSX, leads...)
	e.GET("/organisation/staff/import", s.staffImportPage, leads...)
	upload := []echo.MiddlewareFunc{middleware.BodyLimit("21M"), s.readForm, s.loadSession, s.csrf, s.inputRule,
		s.requireSignIn, s.requireRole(models.RoleLead)}
	e.POST("/organisation/staff/import", s.uploadStaffFile, upload...)
	e.GET("/organisation/staff/imports/:id", s.staffImportPreview, leads...)
	e.POST("/organisation/staff/imports/:id", s.confirmStaffImport, leads...)
	e.POST("/organisation/staff/imports/:id/links", s.importInvitationLinks, leads...)
	e.POST("/organisation/staff/imports/:id/email", s.emailImportInvitations, leads...)
	// Invitations to and reminders of the skills self-assessment: the lead
	// chooses when, the service sends them, and the lead learns a count.
	e.GET("/organisation/reminders", s.remindersPage, leads...)
	e.POST("/organisation/reminders", s.sendReminders, leads...)

	e.GET("/admin/organisations", s.organisations, admins...)
	e.GET("/admin/organisations/new", s.newOrganisationPage, admins...)
	e.POST("/admin/organisations", s.createOrganisation, admins...)
	e.GET("/admin/organisations/:id", s.editOrganisationPage, admins...)
	e.POST("/admin/organisations/:id", s.updateOrganisation, admins...)
	e.GET("/admin/organisations/:id/sign-in", s.ssoSettingsPage, admins...)
	e.POST("/admin/organisations/:id/sign-in", s.saveSSOSettings, admins...)
	// The national workforce view: every organisation's staff together.
	e.GET("/admin/skills", s.nationalSkills, admins...)
	// The email queue: counts and the last error, never a message.
	e.GET("/admin/email", s.adminEmail, admins...)
	e.POST("/admin/email/retry", s.retryFailedEmail, admins...)
	return e
}

// clientAddress is how the sign-in limit learns who is asking: the
// connection's peer, unless that peer is one of the configured proxies, in
// which case the nearest X-Forwarded-For entry that is not a proxy. Echo's
// own defaults (loopback and private networks trusted) are turned off, so
// nothing is trusted that the deployment did not name.
func clientAddress(proxies []*net.IPNet) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		opts = append(opts, echo.TrustIPRange(p))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// registerFrameworks records each loaded framework version; a version that
// answers use and whose file changed stops the start.
func (s *Server) registerFrameworks() error {
	s.frameworkByID = map[uint]*assessments.Framework{}
	for _, fw := range s.frameworks.All() {
		fv, err := s.store.RegisterFramework(context.Background(), models.FrameworkVersion{
			Code: fw.Code, Kind: fw.Kind, Version: fw.Version, Title: fw.Title, ContentHash: fw.Hash})
		if err != nil {
			return fmt.Errorf("%s: %w", fw.File, err)
		}
		s.frameworkByID[fv.ID] = fw
	}
	return nil
}

// ErrFrameworkNotLoaded is a cycle or attempt whose framework version is
// in the database but whose file is no longer among those loaded.
var ErrFrameworkNotLoaded = errors.New("framework is not loaded")

// framework returns the loaded framework with database id id.
func (s *Server) framework(id uint) (*assessments.Framework, error) {
	fw, ok := s.frameworkByID[id]
	if !ok {
		return nil, fmt.Errorf("framework id %d: %w", id, ErrFrameworkNotLoaded)
	}
	return fw, nil
}

// healthz answers while the process runs.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 only while the database answers and can write.
func (s *Server) readyz(c echo.Context) error {
	if err := s.store.Ready(c.Request().Context()); err != nil {
		s.log.Warn("database not ready", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable or cannot write\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

func (s *Server) accessibility(c echo.Context) error {
	return s.render(c, http.StatusOK, "accessibility", s.view(c, "Accessibility statement"))
}

func (s *Server) privacy(c echo.Context) error {
	v := s.view(c, "Privacy: who sees what")
	v.Data = s.cfg.MinGroupSize
	return s.render(c, http.StatusOK, "privacy", v)
}

func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset":       s.assets.Path,
		"field":       field,
		"date":        formatDate,
		"datetime":    formatDateTime,
		"derefTime":   func(t *time.Time) time.Time { return *t },
		"roleLabels":  func(codes string) string { return models.ParseRoles(codes).Labels() },
		"deref":       func(p *uint) uint { return *p },
		"score":       assessments.FormatScore,
		"change":      assessments.FormatChange,
		"ragClass":    ragClass,
		"statusTag":   sectionStatusTag,
		"level":       maturity.LevelText,
		"levels":      func(n int) []int { return levelRange(n) },
		"descriptor":  func(q *assessments.Question, level int) string { return q.Levels[level-1] },
		"itoa":        strconv.Itoa,
		"lower":       strings.ToLower,
		"add":         func(a, b int) int { return a + b },
		"heatClass":   charts.HeatClass,
		"auditChange": audit.ChangeText,
		"importAction": func(a string) string {
			switch a {
			case models.ImportCreate:
				return "Added, and invited"
			case models.ImportUpdate:
				return "Updated"
			case models.ImportProtected:
				return "Left alone: this account has a role above yours, so only an administrator can change it"
			case models.ImportDeactivate:
				return "Deactivated: marked as a leaver"
			}
			return "Unchanged"
		},
		"scaleLabel": func(fw *assessments.Framework, level string) string {
			n, err := strconv.Atoi(level)
			if err != nil {
				return "Not answered"
			}
			return fw.ScaleLabel(n)
		},
		"positionText": func(p string) string {
			switch p {
			case "above":
				return "above the middle half"
			case "below":
				return "below the middle half"
			}
			return "within the middle half"
		},
		"sectionLabel": func(fw *assessments.Framework, code string) string {
			if sec, ok := fw.Section(code); ok {
				return sec.Label
			}
			return code
		},
		"derefScore":       func(p *float64) float64 { return *p },
		"has":              func(m map[uint]bool, id uint) bool { return m[id] },
		"notGiven":         func(v string) string { return cmp.Or(v, "Not given") },
		"cycleStatusClass": cycleStatusClass,
		"statusLabel":      models.ActionStatusLabel,
		"overdue":          func(a models.Action, now time.Time) bool { return a.Overdue(now) },
		"signOffText":      signOffText,
		"fileSize":         fileSizeText,
	}
}
