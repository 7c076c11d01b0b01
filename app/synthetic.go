package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// Synthetic data is recognisable by its organisation codes, S0001 to
// S9999, and by its addresses under synthetic.nhs.uk.
const (
	syntheticCodePrefix       = "S"
	syntheticMailDomain       = "synthetic.nhs.uk"
	syntheticPassword         = "synthetic-password-1"
	maxSyntheticOrganisations = 9999
	minSyntheticStaffPerOrg   = 50
)

// Named errors of seed-synthetic.
var (
	ErrSyntheticPresent = errors.New("the database already holds synthetic data (organisation codes S0001 and on): " +
		"seed-synthetic loads into a database without it; create a fresh database")
	ErrSyntheticSize = fmt.Errorf("--organisations must be 1 to %d, and --staff at least %d per organisation",
		maxSyntheticOrganisations, minSyntheticStaffPerOrg)
)

// syntheticOptions says how much to load. Staff counts the ordinary staff
// accounts; each organisation's digital lead and board members, and the
// platform admin, come on top.
type syntheticOptions struct {
	Organisations int
	Staff         int
	Seed          uint64
	Password      string
	Progress      io.Writer     // where progress goes; nil for nowhere
	ProgressEvery time.Duration // how often
}

func seedSyntheticCommand(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	opts := syntheticOptions{Progress: stderr, ProgressEvery: 2 * time.Second}
	fs := flag.NewFlagSet("seed-synthetic", flag.ContinueOnError)
	cfg.databaseFlags(fs)
	fs.IntVar(&opts.Organisations, "organisations", 1, "number of organisations (trusts) to create, 1 to 9999")
	fs.IntVar(&opts.Staff, "staff", 1000, "ordinary staff accounts in all, spread over the organisations by size")
	fs.Uint64Var(&opts.Seed, "seed", 1, "random seed: the same seed and sizes give the same data")
	fs.StringVar(&opts.Password, "password", syntheticPassword, "password of the admin, digital lead and board member accounts")
	about := "app seed-synthetic: apply migrations, then fill the database with synthetic organisations, staff,\n" +
		"skills self-assessments and board maturity assessments, for performance tests.\n" +
		"Tiers: S = --organisations 1 --staff 1000; L = --organisations 1 --staff 28000;\n" +
		"N = --organisations 250 --staff 1500000. Everything loads in one transaction, with its own ids,\n" +
		"and the tables it fills are locked against other writers until it commits: run it while the\n" +
		"service is stopped or idle. It refuses a database that already holds synthetic data."
	if err := parseFlags(fs, args, stderr, about); err != nil {
		return err
	}
	if err := opts.validate(); err != nil {
		return err
	}
	// Bulk statements are slow by design: only errors are worth logging.
	level := &slog.HandlerOptions{Level: slog.LevelError}
	var handler slog.Handler = slog.NewTextHandler(stderr, level)
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(stderr, level)
	}
	store, err := openStore(cfg, slog.New(handler))
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	lib, err := assessments.Load()
	if err != nil {
		return err
	}
	res, err := seedSynthetic(ctx, store, lib, opts)
	if err != nil {
		return err
	}
	res.print(stdout)
	return nil
}

func (o syntheticOptions) validate() error {
	if o.Organisations < 1 || o.Organisations > maxSyntheticOrganisations || o.Staff < minSyntheticStaffPerOrg*o.Organisations {
		return ErrSyntheticSize
	}
	if len([]rune(o.Password)) < 12 {
		return errors.New("--password must be 12 characters or more")
	}
	return nil
}

// syntheticResult is what the load wrote and how to sign in to it.
type syntheticResult struct {
	Tables         []tableCount
	Load, Settle   time.Duration
	Password       string
	Admin          string
	AdminExisted   bool
	Organisation   string // the first organisation: code and name
	Lead           string
	Board          []string
	CurrentCycleID int64
	CurrentPeriod  string
	Dialect        models.Dialect
}

type tableCount struct {
	Table string
	Rows  int64
	Took  time.Duration
}

func (r syntheticResult) print(w io.Writer) {
	var total int64
	for _, t := range r.Tables {
		total += t.Rows
	}
	fmt.Fprintf(w, "synthetic data loaded into %s in %s (load %s, then vacuum and analyse %s)\n",
		r.Dialect, (r.Load + r.Settle).Round(100*time.Millisecond), r.Load.Round(100*time.Millisecond), r.Settle.Round(100*time.Millisecond))
	for _, t := range r.Tables {
		rate := ""
		if t.Took > 0 && t.Rows > 1000 {
			rate = fmt.Sprintf("%s rows/s", thousands(int64(float64(t.Rows)/t.Took.Seconds())))
		}
		fmt.Fprintf(w, "  %-24s %13s rows  %9s  %s\n", t.Table, thousands(t.Rows), t.Took.Round(10*time.Millisecond), rate)
	}
	fmt.Fprintf(w, "  %-24s %13s rows\n", "total", thousands(total))
	fmt.Fprintf(w, "sign in with password %q (ordinary staff have no password):\n", r.Password)
	if r.AdminExisted {
		fmt.Fprintf(w, "  admin         %s (an existing account: its own password)\n", r.Admin)
	} else {
		fmt.Fprintf(w, "  admin         %s\n", r.Admin)
	}
	fmt.Fprintf(w, "  digital lead  %s (%s)\n", r.Lead, r.Organisation)
	for _, b := range r.Board {
		fmt.Fprintf(w, "  board member  %s\n", b)
	}
	fmt.Fprintf(w, "  in-progress maturity cycle id %d (%s) in %s\n", r.CurrentCycleID, r.CurrentPeriod, r.Organisation)
}

// seedSynthetic loads the synthetic data in one transaction, then vacuums
// and analyses the tables so that benchmarks start from settled tables
// with statistics.
func seedSynthetic(ctx context.Context, store *models.Store, lib *assessments.Library, opts syntheticOptions) (syntheticResult, error) {
	res := syntheticResult{Password: opts.Password, Dialect: store.Dialect()}
	if err := opts.validate(); err != nil {
		return res, err
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	maturity, ok := lib.Latest(assessments.KindMaturity)
	if !ok {
		return res, errors.New("no maturity framework to build synthetic data on")
	}
	skills, ok := lib.Latest(assessments.KindSkills)
	if !ok {
		return res, errors.New("no skills framework to build synthetic data on")
	}
	// One argon2id hash, shared by every account that signs in: hashing
	// each one would take longer than the whole load.
	hash, err := models.DefaultPasswordHasher().Hash(opts.Password)
	if err != nil {
		return res, err
	}
	tables, err := synthTablesOf(store)
	if err != nil {
		return res, err
	}
	prog := &progress{w: opts.Progress, every: opts.ProgressEvery}
	began := time.Now()
	err = store.Load(ctx, func(l *models.Loader) error {
		// Lock first, then look: a second seeder waits here, then refuses.
		if err := l.LockTables(ctx, tables.organisations, tables.users, tables.attempts, tables.cycles); err != nil {
			return err
		}
		var codes []string
		if err := l.Query(ctx, &codes, "SELECT ods_code FROM organisations WHERE ods_code LIKE ?", syntheticCodePrefix+"%"); err != nil {
			return err
		}
		if slices.ContainsFunc(codes, isSyntheticCode) {
			return ErrSyntheticPresent
		}
		frameworkIDs := map[string]uint{}
		for _, fw := range lib.All() {
			fv, err := l.RegisterFramework(ctx, models.FrameworkVersion{Code: fw.Code, Kind: fw.Kind, Version: fw.Version, Title: fw.Title, ContentHash: fw.Hash})
			if err != nil {
				return fmt.Errorf("%s: %w", fw.File, err)
			}
			frameworkIDs[fw.Code+"@"+fw.Version] = fv.ID
		}
		w, err := newSynthWorld(opts, maturity, skills, time.Now().UTC())
		if err != nil {
			return err
		}
		w.maturityID, w.skillsID = frameworkIDs[maturity.Code+"@"+maturity.Version], frameworkIDs[skills.Code+"@"+skills.Version]
		w.hash = hash

		// The organisations and the admin take their ids from the
		// sequences, before the explicit ids are counted from the maximum.
		t := time.Now()
		if err := w.createOrganisations(ctx, l); err != nil {
			return err
		}
		res.Tables = append(res.Tables, tableCount{tables.organisations, int64(len(w.orgs)), time.Since(t)})
		if res.Admin, res.AdminExisted, err = w.ensureAdmin(ctx, l); err != nil {
			return err
		}
		for _, b := range []struct {
			table string
			base  *uint
		}{{tables.users, &w.userBase}, {tables.attempts, &w.attemptBase}, {tables.cycles, &w.cycleBase}} {
			id, err := l.MaxID(ctx, b.table)
			if err != nil {
				return err
			}
			*b.base = uint(id)
		}
		w.placeLeaders()

		totals := w.count()
		loads := []synthLoad{
			modelLoad(l, true, totals.users, w.usersSource),
			modelLoad(l, true, totals.attempts, w.attemptsSource),
			modelLoad(l, false, totals.answers, w.answersSource),
			modelLoad(l, false, totals.scores, w.scoresSource),
		}
		loads = append(loads, w.maturityLoads(l)...)
		for _, ld := range loads {
			if ld.err != nil {
				return ld.err
			}
			prog.start(ld.table, ld.total)
			n, err := ld.copy(ctx, prog)
			if err != nil {
				return err
			}
			if n != ld.total {
				return fmt.Errorf("%s: wrote %d rows, planned %d", ld.table, n, ld.total)
			}
			if ld.table == tables.users && !res.AdminExisted {
				n++ // the admin, created before the copy
			}
			res.Tables = append(res.Tables, tableCount{ld.table, n, prog.finish()})
		}
		if err := l.SyncIDSequences(ctx, tables.users, tables.attempts, tables.cycles); err != nil {
			return err
		}
		firstID := uint(w.orgs[0].id)
		if err := l.Audit(ctx, models.AuditEvent{OrganisationID: &firstID, Action: "synthetic.seed",
			Details: fmt.Sprintf("%d organisations, %d staff, seed %d", opts.Organisations, opts.Staff, opts.Seed)}); err != nil {
			return err
		}

		first := w.orgs[0]
		res.Organisation = first.code + " " + first.name
		res.Lead = w.leaders[first.firstLeader].email
		res.Board = []string{w.leaders[first.firstLeader+1].email, w.leaders[first.firstLeader+2].email}
		res.CurrentCycleID, res.CurrentPeriod = int64(w.currentCycleID(0)), w.thisFY
		fmt.Fprintf(opts.Progress, "committing after %s\n", time.Since(began).Round(time.Second))
		return nil
	})
	if err != nil {
		return res, err
	}
	res.Load = time.Since(began)
	began = time.Now()
	settled := []string{tables.frameworks, tables.audit}
	for _, t := range res.Tables {
		settled = append(settled, t.Table)
	}
	if err := settle(ctx, store, settled, opts.Progress); err != nil {
		return res, err
	}
	res.Settle = time.Since(began)
	return res, nil
}

// createOrganisations creates the organisations as the service does, with
// an audit event each.
func (w *synthWorld) createOrganisations(ctx context.Context, l *models.Loader) error {
	for i := range w.orgs {
		o := &w.orgs[i]
		org := models.Organisation{Name: o.name, ODSCode: o.code, Kind: o.kind}
		if err := l.CreateOrganisation(ctx, &org, 0); err != nil {
			return fmt.Errorf("create organisation %s: %w", o.code, err)
		}
		o.id = org.ID
	}
	return nil
}

// ensureAdmin creates a platform admin in the first organisation unless
// the service has one already, and returns the admin's address.
func (w *synthWorld) ensureAdmin(ctx context.Context, l *models.Loader) (email string, existed bool, err error) {
	var admins []string
	if err := l.Query(ctx, &admins, "SELECT email FROM users WHERE ' ' || roles || ' ' LIKE ? ORDER BY id LIMIT 1", "% admin %"); err != nil {
		return "", false, err
	}
	if len(admins) > 0 {
		return admins[0], true, nil
	}
	first := uint(w.orgs[0].id)
	admin := models.User{OrganisationID: first, Email: "admin@" + syntheticMailDomain, Name: "Synthetic Platform Admin",
		PasswordHash: w.hash, RoleCodes: models.Roles{models.RoleStaff, models.RoleAdmin}.String(), Active: true,
		StaffGroup: "Administrative and Clerical", PayBand: "Band 7", Department: "Digital services", JobRole: "Service administrator"}
	if err := l.CreateUser(ctx, &admin); err != nil {
		return "", false, fmt.Errorf("create admin: %w", err)
	}
	err = l.Audit(ctx, models.AuditEvent{OrganisationID: &first, Action: "account.create-admin", Subject: admin.Email})
	return admin.Email, false, err
}

// synthTables are the tables the load writes other than through its own
// loads, named by the models that store them: the organisations it
// creates first; the users, attempts and cycles it numbers itself, from
// the highest id; the frameworks and audit events it registers.
type synthTables struct {
	organisations, users, attempts, cycles, frameworks, audit string
}

func synthTablesOf(s *models.Store) (synthTables, error) {
	var t synthTables
	for _, n := range []struct {
		name  *string
		table func(*models.Store) (string, error)
	}{
		{&t.organisations, models.TableOf[models.Organisation]}, {&t.users, models.TableOf[models.User]},
		{&t.attempts, models.TableOf[models.SkillsAssessment]}, {&t.cycles, models.TableOf[models.MaturityCycle]},
		{&t.frameworks, models.TableOf[models.FrameworkVersion]}, {&t.audit, models.TableOf[models.AuditEvent]},
	} {
		var err error
		if *n.name, err = n.table(s); err != nil {
			return t, err
		}
	}
	return t, nil
}

// settle vacuums and analyses the loaded tables: the planner gets its
// statistics and index-only scans their visibility map now, instead of
// autovacuum doing it in the middle of a benchmark.
func settle(ctx context.Context, store *models.Store, tables []string, w io.Writer) error {
	if store.Dialect() != models.Postgres {
		return store.Exec(ctx, "ANALYZE")
	}
	for _, t := range tables {
		began := time.Now()
		if err := store.Exec(ctx, "VACUUM (ANALYZE) "+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
		if d := time.Since(began); d > time.Second {
			fmt.Fprintf(w, "vacuum and analyse %s: %s\n", t, d.Round(100*time.Millisecond))
		}
	}
	return nil
}

func isSyntheticCode(code string) bool {
	rest, ok := strings.CutPrefix(code, syntheticCodePrefix)
	if !ok || len(rest) != 4 {
		return false
	}
	_, err := strconv.Atoi(rest)
	return err == nil
}

// ---- Progress ----

// progress reports one table's load on stderr about every two seconds:
// rows done of the total, rows per second and the time left.
type progress struct {
	w           io.Writer
	every       time.Duration
	table       string
	done, total int64
	began, last time.Time
}

func (p *progress) start(table string, total int64) {
	p.table, p.total, p.done = table, total, 0
	p.began = time.Now()
	p.last = p.began
}

// tick counts one row; it looks at the clock every 4096 rows only.
func (p *progress) tick() {
	p.done++
	if p.done&4095 != 0 {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= p.every {
		p.last = now
		rate := float64(p.done) / now.Sub(p.began).Seconds()
		left := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
		fmt.Fprintf(p.w, "%s: %s of %s rows (%d%%), %s rows/s, about %s left\n", p.table, thousands(p.done), thousands(p.total),
			p.done*100/max(p.total, 1), thousands(int64(rate)), left.Round(time.Second))
	}
}

// finish reports the table done and returns how long it took.
func (p *progress) finish() time.Duration {
	took := time.Since(p.began)
	if took > p.every {
		fmt.Fprintf(p.w, "%s: %s rows in %s, %s rows/s\n", p.table, thousands(p.total), took.Round(100*time.Millisecond),
			thousands(int64(float64(p.total)/took.Seconds())))
	}
	return took
}

// thousands writes n with commas: 1,500,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// ---- The synthetic world ----

// Salts keep the random streams of different purposes apart, so that a
// pass that needs only some of a person's data draws only that.
const (
	saltWorld = iota + 1
	saltLayout
	saltPerson
	saltRatings
	saltMaturity
)

// mix scrambles a salt and an index into a stream seed (splitmix64), so
// that neighbouring people get unrelated streams.
func mix(salt, index uint64) uint64 {
	z := salt<<56 ^ index + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// synthWorld is what every pass shares. Each pass walks the same people in
// the same order and derives each one afresh from the seed, so that ids
// line up from table to table without rows being held in memory.
type synthWorld struct {
	seed                 uint64
	now                  time.Time
	thisFY, lastFY       string
	thisStart, lastStart time.Time // 1 April of each financial year

	maturity, skills     *assessments.Framework
	maturityID, skillsID uint
	statements           []synthStatement
	domainCodes          []string
	groups               []synthGroup

	firstNames, lastNames []string

	orgs    []synthOrg
	leaders []synthLeader
	hash    string
	staff   int

	userBase, attemptBase, cycleBase uint
}

type synthStatement struct {
	code   string
	name   string
	domain int
}

type synthOrg struct {
	index         int
	id            uint
	code, name    string
	kind          string
	kindIndex     int
	mailDomain    string
	staff         int
	firstStaff    int // global index of the first member of staff
	participation float64
	boardSize     int
	firstLeader   int // index in leaders: the lead, then the board
}

// synthLeader is a digital lead or board member: they sign in with the
// shared password.
type synthLeader struct {
	id                     uint
	org                    int
	email, name, roles     string
	group, band, dept, job string
}

func newSynthWorld(opts syntheticOptions, maturity, skills *assessments.Framework, now time.Time) (*synthWorld, error) {
	w := &synthWorld{seed: opts.Seed, now: now, maturity: maturity, skills: skills, groups: synthGroups(), staff: opts.Staff,
		firstNames: firstNames(), lastNames: lastNames()}
	w.thisFY, w.lastFY = models.FinancialYear(now), models.FinancialYear(now.AddDate(-1, 0, 0))
	y, _ := strconv.Atoi(w.thisFY[:4])
	w.thisStart = time.Date(y, time.April, 1, 0, 0, 0, 0, time.UTC)
	w.lastStart = time.Date(y-1, time.April, 1, 0, 0, 0, 0, time.UTC)

	known := models.StaffGroups()
	for _, g := range w.groups {
		if !slices.Contains(known, g.name) {
			return nil, fmt.Errorf("synthetic staff group %q is not an ESR staff group", g.name)
		}
		for _, r := range g.roles {
			if !slices.Contains(models.PayBands(), r.band) {
				return nil, fmt.Errorf("synthetic pay band %q is not a pay band", r.band)
			}
		}
	}
	for di, sec := range skills.Sections {
		w.domainCodes = append(w.domainCodes, sec.Code)
		for _, q := range sec.Questions {
			w.statements = append(w.statements, synthStatement{code: q.Code, name: q.Code, domain: di})
		}
	}
	for gi := range w.groups {
		g := &w.groups[gi]
		g.domainAdj = make([]float64, len(skills.Sections))
		for di, sec := range skills.Sections {
			g.domainAdj[di] = g.domain[sec.Code] + commonDomainAdjustment(sec.Code)
		}
	}

	// Organisations: kinds in roughly England's shares, the first always
	// an acute trust; sizes like real trusts, scaled to sum to the staff.
	r := rand.New(rand.NewPCG(opts.Seed, mix(saltWorld, 0)))
	w.orgs = make([]synthOrg, opts.Organisations)
	weights := make([]float64, len(w.orgs))
	for i := range w.orgs {
		o := &w.orgs[i]
		o.index = i
		u := r.Float64()
		switch {
		case i == 0 || u < 0.60:
			o.kindIndex = 0
		case u < 0.82:
			o.kindIndex = 1
		case u < 0.96:
			o.kindIndex = 2
		default:
			o.kindIndex = 3
		}
		kind := synthKinds()[o.kindIndex]
		o.kind = kind.code
		o.code = fmt.Sprintf("%s%04d", syntheticCodePrefix, i+1)
		o.mailDomain = strings.ToLower(o.code) + "." + syntheticMailDomain
		o.name = organisationName(i, kind)
		weights[i] = min(28000, max(1500, kind.median*math.Exp(0.45*r.NormFloat64())))
		o.participation = 0.70 + 0.12*(r.Float64()-0.5)
		o.boardSize = 5 + r.IntN(4)
	}
	first := 0
	for i, n := range apportion(opts.Staff, weights) {
		w.orgs[i].staff, w.orgs[i].firstStaff = n, first
		first += n
	}
	return w, nil
}

// placeLeaders numbers each organisation's lead and board members after
// all the staff, once the highest user id is known.
func (w *synthWorld) placeLeaders() {
	next := w.userBase + uint(w.staff) + 1
	w.leaders = w.leaders[:0]
	for i := range w.orgs {
		o := &w.orgs[i]
		r := rand.New(rand.NewPCG(w.seed, mix(saltMaturity, uint64(i)<<8|1)))
		o.firstLeader = len(w.leaders)
		w.leaders = append(w.leaders, synthLeader{id: next, org: i, email: "lead@" + o.mailDomain, name: personName(r),
			roles: models.Roles{models.RoleStaff, models.RoleLead}.String(), group: "Administrative and Clerical", band: "Band 8c",
			dept: "Digital services", job: "Chief digital information officer"})
		next++
		for b := range o.boardSize {
			m := boardMembers()[b]
			w.leaders = append(w.leaders, synthLeader{id: next, org: i, email: fmt.Sprintf("board%d@%s", b+1, o.mailDomain),
				name: personName(r), roles: models.Roles{models.RoleStaff, models.RoleBoard}.String(), group: m.group,
				band: m.band, dept: "Board", job: m.job})
			next++
		}
	}
}

// apportion splits total in proportion to weights, exactly, giving the
// remainder to the largest fractions.
func apportion(total int, weights []float64) []int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	if sum <= 0 || len(weights) == 0 {
		return out
	}
	type frac struct {
		i int
		f float64
	}
	fracs := make([]frac, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(total) * w / sum
		out[i] = int(exact)
		given += out[i]
		fracs[i] = frac{i, exact - float64(out[i])}
	}
	slices.SortStableFunc(fracs, func(a, b frac) int {
		switch {
		case a.f > b.f:
			return -1
		case a.f < b.f:
			return 1
		}
		return 0
	})
	for k := 0; given < total; k++ {
		out[fracs[k%len(fracs)].i]++
		given++
	}
	return out
}

// ---- People ----

type attemptKind uint8

const (
	attemptPrevious   attemptKind = iota // completed last financial year
	attemptCurrent                       // completed this financial year, the latest
	attemptUnfinished                    // started this year, stopped part-way
)

type synthAttempt struct {
	id               uint
	kind             attemptKind
	started, updated time.Time
	stop             int // unfinished: the domain where the person stopped
}

// synthPerson is one member of staff as a pass sees them; the walker
// reuses one value for everybody.
type synthPerson struct {
	global    int // across all organisations
	number    int // within the organisation, from 1
	org       *synthOrg
	group     int
	role      *synthRole
	dept      int
	first     int
	last      int
	ability   float64
	created   time.Time
	attempts  [2]synthAttempt
	nAttempts int
}

func (w *synthWorld) userID(p *synthPerson) uint { return w.userBase + uint(p.global) + 1 }

// staffWalker walks every member of staff in order, numbering attempts as
// it goes, exactly alike in every pass.
type staffWalker struct {
	w           *synthWorld
	org         int
	i           int
	groups      []uint8
	depts       []uint16
	deptNames   []string
	layoutR, r  *rand.Rand
	layoutPCG   *rand.PCG
	pcg         *rand.PCG
	nextAttempt uint
	p           synthPerson
}

func (w *synthWorld) walker() *staffWalker {
	k := &staffWalker{w: w, org: -1, nextAttempt: w.attemptBase + 1, layoutPCG: rand.NewPCG(0, 0), pcg: rand.NewPCG(0, 0)}
	k.layoutR, k.r = rand.New(k.layoutPCG), rand.New(k.pcg)
	return k
}

func (k *staffWalker) next() (*synthPerson, bool) {
	for k.org < 0 || k.i == k.w.orgs[k.org].staff {
		if k.org+1 >= len(k.w.orgs) {
			k.org, k.i = len(k.w.orgs)-1, k.w.orgs[len(k.w.orgs)-1].staff
			return nil, false
		}
		k.org++
		k.i = 0
		k.layout(&k.w.orgs[k.org])
	}
	w, o := k.w, &k.w.orgs[k.org]
	p := &k.p
	*p = synthPerson{global: o.firstStaff + k.i, number: k.i + 1, org: o, group: int(k.groups[k.i]), dept: int(k.depts[k.i])}
	k.i++
	k.pcg.Seed(w.seed, mix(saltPerson, uint64(p.global)))
	r := k.r
	g := &w.groups[p.group]
	p.role = g.pickRole(r)
	p.first, p.last = r.IntN(len(w.firstNames)), r.IntN(len(w.lastNames))
	p.ability = 0.45 * r.NormFloat64()
	p.created = w.lastStart.Add(-fraction(r, 1000*24*time.Hour))

	// About 70% completed this year (15% of them last year too), 8% stopped part-way.
	thisSpan := w.now.Sub(w.thisStart)
	u := r.Float64()
	switch {
	case u < o.participation:
		if r.Float64() < 0.15 {
			done := w.lastStart.Add(fraction(r, w.thisStart.Sub(w.lastStart)))
			p.attempts[p.nAttempts] = synthAttempt{kind: attemptPrevious, started: done.Add(-minutes(r, 6, 40)), updated: done}
			p.nAttempts++
		}
		done := w.thisStart.Add(fraction(r, thisSpan))
		p.attempts[p.nAttempts] = synthAttempt{kind: attemptCurrent, started: done.Add(-minutes(r, 6, 40)), updated: done}
		p.nAttempts++
	case u < o.participation+0.08:
		started := w.thisStart.Add(fraction(r, thisSpan))
		p.attempts[p.nAttempts] = synthAttempt{kind: attemptUnfinished, started: started, updated: started.Add(minutes(r, 2, 20)),
			stop: r.IntN(len(w.skills.Sections))}
		p.nAttempts++
	}
	for i := range p.nAttempts {
		p.attempts[i].id = k.nextAttempt
		k.nextAttempt++
	}
	return p, true
}

// fraction is a random part of d. It draws one number whatever d is, so
// that the data does not depend on the day it is made, only its dates.
func fraction(r *rand.Rand, d time.Duration) time.Duration {
	return time.Duration(r.Float64() * float64(max(d, 0)))
}

func minutes(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+r.IntN(hi-lo+1))*time.Minute + time.Duration(r.IntN(60))*time.Second
}

// layout shares an organisation's staff out over staff groups and
// departments in exact numbers, shuffled over its people.
func (k *staffWalker) layout(o *synthOrg) {
	k.layoutPCG.Seed(k.w.seed, mix(saltLayout, uint64(o.index)))
	r := k.layoutR
	groups := k.w.groups
	counts := make([]int, len(groups))
	rest := o.staff
	for gi, g := range groups {
		if g.tiny {
			// A handful on purpose, so that small-group protection shows.
			counts[gi] = min(3+r.IntN(6), o.staff/20)
			rest -= counts[gi]
		}
	}
	weights := make([]float64, len(groups))
	for gi, g := range groups {
		if !g.tiny {
			weights[gi] = g.share[o.kindIndex]
		}
	}
	for gi, n := range apportion(rest, weights) {
		counts[gi] += n
	}
	k.groups = k.groups[:0]
	for gi, n := range counts {
		for range n {
			k.groups = append(k.groups, uint8(gi))
		}
	}
	r.Shuffle(len(k.groups), func(i, j int) { k.groups[i], k.groups[j] = k.groups[j], k.groups[i] })

	// 20 to 60 departments, fewer in a small organisation; a few tiny.
	names := slices.Concat(clinicalDepartments(o.kind), corporateDepartments())
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	n := min(20+r.IntN(41), len(names), max(1, o.staff/15))
	names = names[:n]
	deptCounts := make([]int, n)
	rest = o.staff
	tiny := 0
	if o.staff >= 400 {
		tiny = min(2+r.IntN(4), n/4)
	}
	for d := range tiny {
		deptCounts[d] = 2 + r.IntN(8)
		rest -= deptCounts[d]
	}
	dw := make([]float64, n)
	for d := tiny; d < n; d++ {
		dw[d] = math.Exp(0.7 * r.NormFloat64())
	}
	for d, c := range apportion(rest, dw) {
		deptCounts[d] += c
	}
	k.depts = k.depts[:0]
	for d, c := range deptCounts {
		for range c {
			k.depts = append(k.depts, uint16(d))
		}
	}
	r.Shuffle(len(k.depts), func(i, j int) { k.depts[i], k.depts[j] = k.depts[j], k.depts[i] })
	k.deptNames = names
}

// totals are the rows each skills table will get.
type synthTotals struct{ users, attempts, answers, scores int64 }

// count walks everybody once, without ratings, for the progress totals.
func (w *synthWorld) count() synthTotals {
	t := synthTotals{users: int64(w.staff + len(w.leaders))}
	k := w.walker()
	for p, ok := k.next(); ok; p, ok = k.next() {
		for _, a := range p.attempts[:p.nAttempts] {
			t.attempts++
			t.answers += int64(w.answered(a))
			if a.kind != attemptUnfinished {
				t.scores += int64(len(w.skills.Sections))
			}
		}
	}
	return t
}

// answered is how many statements an attempt has answers for: all of
// them, or those of the domains before the one where the person stopped.
func (w *synthWorld) answered(a synthAttempt) int {
	if a.kind != attemptUnfinished {
		return len(w.statements)
	}
	n := 0
	for _, s := range w.statements {
		if s.domain < a.stop {
			n++
		}
	}
	return n
}

// ---- Ratings ----

type synthRating struct{ now, need int }

// rater draws an attempt's ratings from its own stream, so that the
// answers pass and the scores pass see the same ones.
type rater struct {
	w       *synthWorld
	pcg     *rand.PCG
	r       *rand.Rand
	ratings []synthRating
	m       map[string]assessments.SkillsRating
}

func (w *synthWorld) newRater() *rater {
	rt := &rater{w: w, pcg: rand.NewPCG(0, 0), ratings: make([]synthRating, len(w.statements)),
		m: make(map[string]assessments.SkillsRating, len(w.statements))}
	rt.r = rand.New(rt.pcg)
	return rt
}

// rate fills ratings for every statement. A group's people sit around its
// typical levels, each person a little above or below; a year earlier
// they rated themselves lower: people learn.
func (rt *rater) rate(p *synthPerson, a *synthAttempt) {
	rt.pcg.Seed(rt.w.seed, mix(saltRatings, uint64(p.global)<<2|uint64(a.kind)))
	g := &rt.w.groups[p.group]
	base := g.now + p.ability
	if a.kind == attemptPrevious {
		base -= 0.35
	}
	for i, s := range rt.w.statements {
		adj := g.domainAdj[s.domain]
		rt.ratings[i] = synthRating{
			now:  clamp(int(math.Round(base+adj+0.6*rt.r.NormFloat64())), 1, 4),
			need: clamp(int(math.Round(g.need+adj/2+0.5*rt.r.NormFloat64())), 1, 4),
		}
	}
}

// score is what the service writes at completion: assessments.ScoreSkills
// of the answers.
func (rt *rater) score() []assessments.DomainScore {
	clear(rt.m)
	for i, s := range rt.w.statements {
		rt.m[s.name] = assessments.SkillsRating{Now: rt.ratings[i].now, Need: rt.ratings[i].need}
	}
	return assessments.ScoreSkills(rt.w.skills, rt.m)
}

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

// ---- Loads of the large tables ----

// synthLoad is one table's load, written through the model that table
// stores: the columns are the model's own, as GORM maps them.
type synthLoad struct {
	table string
	total int64
	copy  func(context.Context, *progress) (int64, error)
	err   error
}

// modelLoad loads into T's table the values the source fills, total of
// them; ids says whether they carry their own ids.
func modelLoad[T any](l *models.Loader, ids bool, total int64, source func(*progress) func(*T) (bool, error)) synthLoad {
	table, err := models.TableOf[T](l.Store)
	return synthLoad{table: table, total: total, err: err, copy: func(ctx context.Context, prog *progress) (int64, error) {
		return models.CopyModels(ctx, l, ids, source(prog))
	}}
}

// sliceLoad loads rows built in memory.
func sliceLoad[T any](l *models.Loader, ids bool, rows []T) synthLoad {
	return modelLoad(l, ids, int64(len(rows)), func(prog *progress) func(*T) (bool, error) {
		i := 0
		return func(v *T) (bool, error) {
			if i == len(rows) {
				return false, nil
			}
			*v = rows[i]
			i++
			prog.tick()
			return true, nil
		}
	})
}

func (w *synthWorld) usersSource(prog *progress) func(*models.User) (bool, error) {
	k := w.walker()
	staffRoles := models.Roles{models.RoleStaff}.String()
	leader := 0
	var email []byte
	return func(u *models.User) (bool, error) {
		if p, ok := k.next(); ok {
			email = append(email[:0], 's')
			email = appendPadded(email, p.number, 7)
			email = append(append(email, '@'), p.org.mailDomain...)
			g := &w.groups[p.group]
			*u = models.User{ID: w.userID(p), OrganisationID: p.org.id, Email: string(email), Name: w.firstNames[p.first] + " " + w.lastNames[p.last],
				RoleCodes: staffRoles, Active: true, StaffGroup: g.name, PayBand: p.role.band, Department: k.deptNames[p.dept], JobRole: p.role.title,
				CreatedAt: p.created, UpdatedAt: p.created}
			if p.nAttempts > 0 {
				// Staff with an attempt signed in themselves to take it.
				u.LastSignInAt = &p.attempts[p.nAttempts-1].updated
				u.OwnSignInAt = u.LastSignInAt
			}
			prog.tick()
			return true, nil
		}
		if leader == len(w.leaders) {
			return false, nil
		}
		m := w.leaders[leader]
		leader++
		created := w.lastStart.AddDate(0, -6, 0)
		*u = models.User{ID: m.id, OrganisationID: w.orgs[m.org].id, Email: m.email, Name: m.name, PasswordHash: w.hash,
			RoleCodes: m.roles, Active: true, StaffGroup: m.group, PayBand: m.band, Department: m.dept, JobRole: m.job,
			CreatedAt: created, UpdatedAt: created}
		prog.tick()
		return true, nil
	}
}

func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func (w *synthWorld) attemptsSource(prog *progress) func(*models.SkillsAssessment) (bool, error) {
	k := w.walker()
	var (
		p  *synthPerson
		ai int
	)
	return func(row *models.SkillsAssessment) (bool, error) {
		for p == nil || ai == p.nAttempts {
			var ok bool
			if p, ok = k.next(); !ok {
				return false, nil
			}
			ai = 0
		}
		a := &p.attempts[ai]
		ai++
		*row = models.SkillsAssessment{ID: a.id, OrganisationID: p.org.id, UserID: w.userID(p), FrameworkID: w.skillsID,
			StartedAt: a.started, UpdatedAt: a.updated,
			// A record key below 2^32, as random as the rest of the world.
			RecordKey: int64(mix(0x5eed4e7, uint64(a.id)) >> 32)}
		switch a.kind {
		case attemptUnfinished:
			// Nothing is copied onto an attempt until it is completed.
			row.CurrentDomain = w.domainCodes[a.stop]
		default:
			row.Period = w.thisFY
			if a.kind == attemptPrevious {
				row.Period = w.lastFY
			}
			row.CompletedAt, row.Latest, row.LatestInPeriod = &a.updated, a.kind == attemptCurrent, true
			row.StaffGroup, row.PayBand, row.Department = w.groups[p.group].name, p.role.band, k.deptNames[p.dept]
		}
		prog.tick()
		return true, nil
	}
}

func (w *synthWorld) answersSource(prog *progress) func(*models.SkillsAnswer) (bool, error) {
	k := w.walker()
	rt := w.newRater()
	var (
		p       *synthPerson
		a       *synthAttempt
		ai      int
		si, end int // the next statement of the attempt, and the end of its answers
	)
	return func(row *models.SkillsAnswer) (bool, error) {
		for si == end {
			if p == nil || ai == p.nAttempts {
				var ok bool
				if p, ok = k.next(); !ok {
					return false, nil
				}
				ai = 0
				continue
			}
			a = &p.attempts[ai]
			ai++
			rt.rate(p, a)
			si, end = 0, w.answered(*a)
		}
		r := &rt.ratings[si]
		*row = models.SkillsAnswer{AssessmentID: a.id, StatementCode: w.statements[si].code, Now: &r.now, Need: &r.need, UpdatedAt: a.updated}
		si++
		prog.tick()
		return true, nil
	}
}

func (w *synthWorld) scoresSource(prog *progress) func(*models.SkillsDomainScore) (bool, error) {
	k := w.walker()
	rt := w.newRater()
	var (
		p      *synthPerson
		a      *synthAttempt
		ai     int
		scores []assessments.DomainScore
		di     int
	)
	return func(row *models.SkillsDomainScore) (bool, error) {
		for di == len(scores) || !scores[di].Scored {
			if di < len(scores) {
				di++ // a domain with no ratings gets no row, as at completion
				continue
			}
			if p == nil || ai == p.nAttempts {
				var ok bool
				if p, ok = k.next(); !ok {
					return false, nil
				}
				ai = 0
				continue
			}
			a = &p.attempts[ai]
			ai++
			if a.kind == attemptUnfinished {
				continue
			}
			rt.rate(p, a)
			scores, di = rt.score(), 0
		}
		d := scores[di]
		*row = models.SkillsDomainScore{OrganisationID: p.org.id, AssessmentID: a.id, DomainCode: w.domainCodes[di], Now: d.Now, Need: d.Need, Gap: d.Gap}
		di++
		prog.tick()
		return true, nil
	}
}

// ---- Board maturity assessments ----

// maturityRows are the rows of the board maturity assessments, in the
// models that store them.
type maturityRows struct {
	cycles        []models.MaturityCycle
	assignments   []models.MaturityAssignment
	answers       []models.MaturityAnswer
	agreed        []models.AgreedAnswer
	targets       []models.MaturityTarget
	sectionScores []models.MaturitySectionScore
	actions       []models.Action
}

// maturityLoads loads the maturity rows; the cycles carry their own ids.
func (w *synthWorld) maturityLoads(l *models.Loader) []synthLoad {
	m := w.maturityRows()
	return []synthLoad{sliceLoad(l, true, m.cycles), sliceLoad(l, false, m.assignments), sliceLoad(l, false, m.answers),
		sliceLoad(l, false, m.agreed), sliceLoad(l, false, m.targets), sliceLoad(l, false, m.sectionScores), sliceLoad(l, false, m.actions)}
}

func (w *synthWorld) submittedCycleID(org int) uint { return w.cycleBase + 2*uint(org) + 1 }
func (w *synthWorld) currentCycleID(org int) uint   { return w.cycleBase + 2*uint(org) + 2 }

// maturityRows builds every organisation's two cycles: last year's,
// answered, agreed and submitted with its scores worked out by
// assessments.ScoreFramework as the service does at submission; and this
// year's, part-way through. The volumes are small enough to hold.
func (w *synthWorld) maturityRows() maturityRows {
	var m maturityRows
	fw := w.maturity
	lastDue := time.Date(w.thisStart.Year(), time.March, 31, 0, 0, 0, 0, time.UTC)
	thisDue := lastDue.AddDate(1, 0, 0)
	for oi := range w.orgs {
		o := &w.orgs[oi]
		r := rand.New(rand.NewPCG(w.seed, mix(saltMaturity, uint64(oi)<<8|2)))
		lead := w.leaders[o.firstLeader]
		board := w.leaders[o.firstLeader+1 : o.firstLeader+1+o.boardSize]
		mean := math.Max(1.6, math.Min(4.2, 2.7+0.5*r.NormFloat64()))
		sectionOffset := make([]float64, len(fw.Sections))
		for i := range sectionOffset {
			sectionOffset[i] = 0.45 * r.NormFloat64()
		}

		// Last year's cycle: opened in the summer, submitted in the winter.
		prevID, curID := w.submittedCycleID(oi), w.currentCycleID(oi)
		opened := w.lastStart.AddDate(0, 2, r.IntN(30))
		submitted := w.lastStart.AddDate(0, 9, r.IntN(60))
		levels := map[string]int{}
		prevSection := make([]float64, len(fw.Sections))
		for si, sec := range fw.Sections {
			members := pickMembers(r, board)
			for _, member := range members {
				m.assignments = append(m.assignments, models.MaturityAssignment{OrganisationID: o.id, CycleID: prevID, SectionCode: sec.Code,
					UserID: member.id, CreatedAt: opened})
			}
			for _, q := range sec.Questions {
				level := clamp(int(math.Round(mean-0.25+sectionOffset[si]+0.6*r.NormFloat64())), 1, 5)
				if q.AllowNotApplicable && r.Float64() < 0.15 {
					level = assessments.NotApplicable
				}
				levels[q.Code] = level
				for _, member := range members {
					ml := memberLevel(r, level)
					m.answers = append(m.answers, models.MaturityAnswer{OrganisationID: o.id, CycleID: prevID, RespondentID: member.id,
						QuestionCode: q.Code, Level: &ml, Evidence: evidenceText(r, q, ml),
						UpdatedAt: opened.Add(time.Duration(r.IntN(60*24)) * time.Hour)})
				}
				note := ""
				if r.Float64() < 0.2 {
					note = agreedNotes()[r.IntN(len(agreedNotes()))]
				}
				m.agreed = append(m.agreed, models.AgreedAnswer{OrganisationID: o.id, CycleID: prevID, QuestionCode: q.Code, Level: &level,
					Note: note, Version: 1, UpdatedByID: &lead.id, UpdatedAt: submitted.Add(-24 * time.Hour)})
			}
		}
		scores := assessments.ScoreFramework(fw, levels)
		var overall *float64
		if scores.OverallScored {
			overall = &scores.Overall
		}
		for si, sc := range scores.Sections {
			target := 3
			if sc.Scored {
				m.sectionScores = append(m.sectionScores, models.MaturitySectionScore{OrganisationID: o.id, CycleID: prevID,
					SectionCode: sc.Code, Score: sc.Score})
				prevSection[si] = sc.Score
				target = clamp(int(math.Round(sc.Score))+1, 2, 5)
			}
			m.targets = append(m.targets, models.MaturityTarget{OrganisationID: o.id, CycleID: prevID, SectionCode: sc.Code,
				Target: target, Version: 1, UpdatedAt: submitted.Add(-24 * time.Hour)})
		}
		// Submission moves the version on once, as SubmitCycle does.
		m.cycles = append(m.cycles, models.MaturityCycle{ID: prevID, OrganisationID: o.id, FrameworkID: w.maturityID, Period: w.lastFY,
			Status: models.CycleSubmitted, DueDate: lastDue, Version: 2, OverallScore: overall, SubmittedAt: &submitted,
			CreatedByID: &lead.id, CreatedAt: opened, UpdatedAt: submitted, Quorum: models.DefaultQuorum})

		// This year's cycle: every section assigned, most answered, the
		// first few agreed.
		curOpened := w.thisStart.Add(fraction(r, w.now.Sub(w.thisStart)/4))
		curUpdated := curOpened.Add(fraction(r, w.now.Sub(curOpened)))
		answeredSections := 3 + r.IntN(4)
		agreedSections := 1 + r.IntN(3)
		for si, sec := range fw.Sections {
			members := pickMembers(r, board)
			for _, member := range members {
				m.assignments = append(m.assignments, models.MaturityAssignment{OrganisationID: o.id, CycleID: curID, SectionCode: sec.Code,
					UserID: member.id, CreatedAt: curOpened})
			}
			for _, q := range sec.Questions {
				level := levels[q.Code]
				if level != assessments.NotApplicable && r.Float64() < 0.3 {
					level = min(5, level+1)
				}
				for mi, member := range members {
					if si > answeredSections || (si == answeredSections && mi > 0) {
						break
					}
					ml := memberLevel(r, level)
					m.answers = append(m.answers, models.MaturityAnswer{OrganisationID: o.id, CycleID: curID, RespondentID: member.id,
						QuestionCode: q.Code, Level: &ml, Evidence: evidenceText(r, q, ml), UpdatedAt: curUpdated})
				}
				if si < agreedSections {
					m.agreed = append(m.agreed, models.AgreedAnswer{OrganisationID: o.id, CycleID: curID, QuestionCode: q.Code, Level: &level,
						Version: 1, UpdatedByID: &lead.id, UpdatedAt: curUpdated})
				}
			}
			target := 3
			if prevSection[si] > 0 {
				target = clamp(int(math.Round(prevSection[si]))+1, 2, 5)
			}
			m.targets = append(m.targets, models.MaturityTarget{OrganisationID: o.id, CycleID: curID, SectionCode: sec.Code,
				Target: target, Version: 1, UpdatedAt: curUpdated})
		}
		m.cycles = append(m.cycles, models.MaturityCycle{ID: curID, OrganisationID: o.id, FrameworkID: w.maturityID, Period: w.thisFY,
			Status: models.CycleInReview, DueDate: thisDue, Version: 1, CreatedByID: &lead.id, CreatedAt: curOpened, UpdatedAt: curUpdated,
			Quorum: models.DefaultQuorum})

		// Six to twelve actions, most from last year's assessment.
		statuses := models.ActionStatuses()
		for range 6 + r.IntN(7) {
			si := r.IntN(len(fw.Sections))
			code := fw.Sections[si].Code
			titles := actionTitles(code)
			cycle := prevID
			if r.Float64() < 0.3 {
				cycle = curID
			}
			var due *time.Time
			if r.Float64() < 0.9 {
				d := w.now.AddDate(0, 0, r.IntN(360)-90)
				day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
				due = &day
			}
			status := statuses[weightedIndex(r, []float64{25, 45, 20, 10})].Code
			m.actions = append(m.actions, models.Action{OrganisationID: o.id, CycleID: &cycle, SectionCode: code,
				Title: titles[r.IntN(len(titles))], Owner: actionOwners()[r.IntN(len(actionOwners()))], DueDate: due, Status: status,
				Progress: actionProgress(r, status), Version: 1, CreatedAt: submitted.Add(48 * time.Hour), UpdatedAt: curUpdated})
		}
	}
	return m
}

// pickMembers assigns a section to two or three board members.
func pickMembers(r *rand.Rand, board []synthLeader) []synthLeader {
	n := 2 + r.IntN(2)
	idx := r.Perm(len(board))[:n]
	slices.Sort(idx)
	out := make([]synthLeader, n)
	for i, j := range idx {
		out[i] = board[j]
	}
	return out
}

// memberLevel is a board member's answer near the level later agreed;
// now and then two levels away, so that the review has spreads to discuss.
func memberLevel(r *rand.Rand, agreed int) int {
	if agreed == assessments.NotApplicable {
		if r.Float64() < 0.8 {
			return assessments.NotApplicable
		}
		return 1 + r.IntN(3)
	}
	switch u := r.Float64(); {
	case u < 0.04:
		return clamp(agreed+2-4*r.IntN(2), 1, 5)
	case u < 0.2:
		return clamp(agreed-1, 1, 5)
	case u < 0.35:
		return clamp(agreed+1, 1, 5)
	}
	return agreed
}

// evidenceText is what a board member might write: 50 to 300 characters.
func evidenceText(r *rand.Rand, q assessments.Question, level int) string {
	target := 50 + r.IntN(251)
	var b strings.Builder
	if level == assessments.NotApplicable {
		b.WriteString("Not applicable to our services.")
	} else {
		fmt.Fprintf(&b, "Level %d in my view.", level)
	}
	sentences := evidenceSentences()
	if r.IntN(2) == 0 && q.EvidencePrompt != "" {
		b.WriteString(" Seen: " + strings.Join(strings.Fields(lowerFirst(q.EvidencePrompt)), " "))
	}
	for b.Len() < target {
		b.WriteString(" " + sentences[r.IntN(len(sentences))])
	}
	s := b.String()
	if len(s) > 300 {
		s = s[:strings.LastIndexByte(s[:299], ' ')] + "."
	}
	return s
}

func weightedIndex(r *rand.Rand, weights []float64) int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	u := r.Float64() * sum
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

func actionProgress(r *rand.Rand, status string) string {
	switch status {
	case models.ActionInProgress:
		return []string{"Business case approved; supplier chosen.", "Pilot running in two departments.",
			fmt.Sprintf("Live on %d of 22 wards.", 3+r.IntN(18)), "Project board meets monthly; on track."}[r.IntN(4)]
	case models.ActionBlocked:
		return []string{"Waiting for capital funding.", "Supplier delivery slipped to next quarter.", "Needs a decision from the ICS."}[r.IntN(3)]
	case models.ActionDone:
		return "Completed and reported to the board."
	}
	return ""
}

// ---- Reference data ----

type synthKind struct {
	code   string
	median float64 // typical staff
	suffix []string
}

// synthKinds are the kinds of trust in the order of synthGroup.share.
func synthKinds() []synthKind {
	return []synthKind{
		{models.KindAcute, 7000, []string{"Hospitals NHS Trust", "University Hospitals NHS Foundation Trust", "Teaching Hospitals NHS Foundation Trust"}},
		{models.KindMentalHealth, 4000, []string{"Mental Health NHS Foundation Trust", "Partnership NHS Foundation Trust"}},
		{models.KindCommunity, 3200, []string{"Community Health Services NHS Trust", "Community Healthcare NHS Trust"}},
		{models.KindAmbulance, 4500, []string{"Ambulance Service NHS Trust", "Ambulance Service NHS Foundation Trust"}},
	}
}

func organisationName(i int, k synthKind) string {
	places := placeNames()
	n := len(places)
	place := places[i%n]
	if i >= n {
		place += " and " + places[(i%n+1+(i/n-1)%(n-1))%n]
	}
	return place + " " + k.suffix[i%len(k.suffix)]
}

func placeNames() []string {
	return []string{"Ashbourne", "Brackenfield", "Calderbrook", "Dunmore", "Eastwick", "Fenwold", "Greystone", "Harrowgate",
		"Ilsworth", "Kingsbridge", "Larkhill", "Marlowe", "Northam", "Oakhampton", "Pendle Vale", "Queensmead", "Ravensworth",
		"Saltmarsh", "Thornbury", "Upminster Vale", "Wexcombe", "Yarrowford", "Alderley", "Birchmoor", "Coldharbour",
		"Dewsbury Vale", "Elmstead", "Foxley", "Glenfield", "Hollinsworth", "Ivybridge", "Kestrel Moor", "Lindenfield",
		"Millbrook", "Newhaven Vale", "Orchardleigh", "Penbury", "Redmarley", "Stonebridge", "Tamworth Vale", "Underhill",
		"Westmoor", "Whitby Vale", "Ashdown", "Bramley", "Castleford Vale", "Dalton", "Fairfield", "Hartlepool Vale", "Wyndham"}
}

type synthRole struct {
	band, title string
	weight      float64
}

// synthGroup is an ESR staff group: its share of a trust's staff by kind
// of trust (the tiny groups get 3 to 8 people each instead), its bands and
// job roles, and how its people rate their digital skills.
type synthGroup struct {
	name      string
	share     [4]float64 // acute, mental health, community, ambulance
	tiny      bool
	roles     []synthRole
	now, need float64
	domain    map[string]float64 // "now" above or below the group's typical level, by domain
	domainAdj []float64          // the same by domain index, with the common adjustment
}

func (g *synthGroup) pickRole(r *rand.Rand) *synthRole {
	sum := 0.0
	for _, role := range g.roles {
		sum += role.weight
	}
	u := r.Float64() * sum
	for i := range g.roles {
		if u < g.roles[i].weight {
			return &g.roles[i]
		}
		u -= g.roles[i].weight
	}
	return &g.roles[len(g.roles)-1]
}

// commonDomainAdjustment: everybody is more at home keeping safe online
// than creating new things with digital tools.
func commonDomainAdjustment(code string) float64 {
	switch code {
	case "creation-innovation":
		return -0.35
	case "identity-wellbeing-safety":
		return 0.2
	case "communication":
		return 0.1
	}
	return 0
}

func synthGroups() []synthGroup {
	const noAfC = models.NotOnAgendaForChange
	groups := []synthGroup{
		{name: "Nursing and Midwifery Registered", share: [4]float64{26, 24, 30, 3}, now: 2.6, need: 3.1,
			domain: map[string]float64{"data-information": 0.1, "teaching-learning": 0.1, "technical-proficiency": -0.15},
			roles: []synthRole{{band: "Band 5", title: "Staff nurse", weight: 38}, {band: "Band 5", title: "Midwife", weight: 5},
				{band: "Band 6", title: "Senior staff nurse", weight: 18}, {band: "Band 6", title: "Specialist nurse", weight: 8},
				{band: "Band 7", title: "Ward sister", weight: 12}, {band: "Band 7", title: "Clinical nurse specialist", weight: 8},
				{band: "Band 8a", title: "Matron", weight: 5}, {band: "Band 8b", title: "Lead nurse", weight: 2}}},
		{name: "Additional Clinical Services", share: [4]float64{25, 30, 22, 35}, now: 2.2, need: 2.7,
			domain: map[string]float64{"data-information": -0.1, "teaching-learning": -0.1},
			roles: []synthRole{{band: "Band 2", title: "Healthcare assistant", weight: 28}, {band: "Band 3", title: "Senior healthcare assistant", weight: 22},
				{band: "Band 3", title: "Support worker", weight: 15}, {band: "Band 3", title: "Emergency care assistant", weight: 5},
				{band: "Band 4", title: "Assistant practitioner", weight: 12}, {band: "Band 4", title: "Nursing associate", weight: 10},
				{band: "Band 2", title: "Maternity support worker", weight: 5}, {band: "Band 3", title: "Call handler", weight: 3}}},
		{name: "Administrative and Clerical", share: [4]float64{20, 19, 20, 25}, now: 2.9, need: 3.2,
			domain: map[string]float64{"technical-proficiency": 0.2, "creation-innovation": 0.1, "teaching-learning": -0.1},
			roles: []synthRole{{band: "Band 2", title: "Receptionist", weight: 8}, {band: "Band 3", title: "Ward clerk", weight: 10},
				{band: "Band 3", title: "Administrator", weight: 12}, {band: "Band 4", title: "Medical secretary", weight: 12},
				{band: "Band 4", title: "Booking coordinator", weight: 8}, {band: "Band 5", title: "Team leader", weight: 10},
				{band: "Band 5", title: "IT service desk analyst", weight: 5}, {band: "Band 6", title: "Data analyst", weight: 5},
				{band: "Band 6", title: "HR advisor", weight: 6}, {band: "Band 7", title: "Service manager", weight: 8},
				{band: "Band 8a", title: "Business manager", weight: 6}, {band: "Band 8b", title: "Head of service", weight: 4},
				{band: "Band 8c", title: "Associate director", weight: 2}, {band: "Band 8d", title: "Deputy director", weight: 1},
				{band: "Band 9", title: "Director", weight: 0.5}}},
		{name: "Medical and Dental", share: [4]float64{10, 6, 3, 1}, now: 2.9, need: 3.4,
			domain: map[string]float64{"data-information": 0.3, "teaching-learning": 0.3, "technical-proficiency": 0.05},
			roles: []synthRole{{band: noAfC, title: "Foundation doctor", weight: 15}, {band: noAfC, title: "Specialty registrar", weight: 30},
				{band: noAfC, title: "Specialty doctor", weight: 15}, {band: noAfC, title: "Consultant", weight: 38},
				{band: noAfC, title: "Dentist", weight: 2}}},
		{name: "Allied Health Professionals", share: [4]float64{7, 6, 16, 30}, now: 2.7, need: 3.1,
			domain: map[string]float64{"teaching-learning": 0.15, "data-information": 0.05},
			roles: []synthRole{{band: "Band 5", title: "Physiotherapist", weight: 10}, {band: "Band 5", title: "Radiographer", weight: 10},
				{band: "Band 6", title: "Paramedic", weight: 14}, {band: "Band 6", title: "Occupational therapist", weight: 12},
				{band: "Band 6", title: "Speech and language therapist", weight: 7}, {band: "Band 6", title: "Dietitian", weight: 6},
				{band: "Band 7", title: "Advanced practitioner", weight: 15}, {band: "Band 8a", title: "Therapy lead", weight: 8},
				{band: "Band 8b", title: "Consultant therapist", weight: 2}}},
		{name: "Additional Professional Scientific and Technical", share: [4]float64{6, 10, 5, 1}, now: 3.0, need: 3.3,
			domain: map[string]float64{"data-information": 0.3, "technical-proficiency": 0.25},
			roles: []synthRole{{band: "Band 4", title: "Pharmacy technician", weight: 20}, {band: "Band 5", title: "Psychological wellbeing practitioner", weight: 12},
				{band: "Band 7", title: "Pharmacist", weight: 25}, {band: "Band 7", title: "Clinical psychologist", weight: 15},
				{band: "Band 8a", title: "Principal clinical psychologist", weight: 8}, {band: "Band 6", title: "Operating department practitioner", weight: 20}}},
		{name: "Estates and Ancillary", share: [4]float64{4, 3, 2, 3}, now: 1.8, need: 2.2,
			domain: map[string]float64{"teaching-learning": -0.2, "data-information": -0.15},
			roles: []synthRole{{band: "Band 2", title: "Porter", weight: 30}, {band: "Band 2", title: "Domestic assistant", weight: 30},
				{band: "Band 2", title: "Catering assistant", weight: 15}, {band: "Band 3", title: "Maintenance assistant", weight: 8},
				{band: "Band 4", title: "Electrician", weight: 8}, {band: "Band 5", title: "Estates supervisor", weight: 6},
				{band: "Band 6", title: "Estates officer", weight: 3}}},
		{name: "Supplementary Roles", share: [4]float64{2, 2, 2, 2}, now: 2.4, need: 2.8,
			roles: []synthRole{{band: "Band 3", title: "Bank worker", weight: 50}, {band: "Band 4", title: "Volunteer coordinator", weight: 30},
				{band: "Band 5", title: "Chaplain", weight: 20}}},
		{name: "Healthcare Scientists", tiny: true, now: 3.1, need: 3.4,
			domain: map[string]float64{"data-information": 0.3, "technical-proficiency": 0.3},
			roles: []synthRole{{band: "Band 5", title: "Healthcare science practitioner", weight: 30}, {band: "Band 6", title: "Biomedical scientist", weight: 40},
				{band: "Band 7", title: "Clinical scientist", weight: 20}, {band: "Band 8a", title: "Principal clinical scientist", weight: 10}}},
		{name: "Students", tiny: true, now: 2.5, need: 2.9,
			domain: map[string]float64{"teaching-learning": 0.2},
			roles: []synthRole{{band: "Band 3", title: "Apprentice nursing associate", weight: 40}, {band: "Band 4", title: "Degree apprentice", weight: 30},
				{band: noAfC, title: "Student nurse", weight: 30}}},
	}
	return groups
}

type boardMember struct{ job, group, band string }

// boardMembers are the board in the order seats are filled: five to eight.
func boardMembers() []boardMember {
	const noAfC = models.NotOnAgendaForChange
	return []boardMember{
		{"Chair", "Administrative and Clerical", noAfC},
		{"Chief executive", "Administrative and Clerical", noAfC},
		{"Medical director", "Medical and Dental", noAfC},
		{"Chief nurse", "Nursing and Midwifery Registered", noAfC},
		{"Director of finance", "Administrative and Clerical", noAfC},
		{"Chief operating officer", "Administrative and Clerical", noAfC},
		{"Director of people", "Administrative and Clerical", noAfC},
		{"Non-executive director", "Administrative and Clerical", noAfC},
	}
}

func corporateDepartments() []string {
	return []string{"Finance", "Human resources", "Information governance", "Digital services", "Estates and facilities",
		"Procurement", "Communications", "Corporate governance", "Learning and development", "Patient experience",
		"Health records", "Business intelligence", "Payroll", "Occupational health", "Quality and safety",
		"Strategy and planning", "Catering", "Portering", "Domestic services", "Security"}
}

func clinicalDepartments(kind string) []string {
	switch kind {
	case models.KindMentalHealth:
		return []string{"Adult community mental health", "Older adult mental health", "Child and adolescent mental health",
			"Crisis resolution and home treatment", "Early intervention in psychosis", "Acute inpatient wards",
			"Psychiatric intensive care", "Forensic services", "Learning disabilities", "Eating disorders",
			"Perinatal mental health", "Talking therapies", "Liaison psychiatry", "Addiction services", "Rehabilitation wards",
			"Memory assessment", "Psychology", "Pharmacy", "Occupational therapy", "Dementia services", "Street triage",
			"Autism assessment", "Community forensic team", "Mental health assessment unit"}
	case models.KindCommunity:
		return []string{"District nursing", "Health visiting", "School nursing", "Community physiotherapy", "Podiatry",
			"Speech and language therapy", "Community dental services", "Sexual health", "Diabetes specialist nursing",
			"Tissue viability", "Continence services", "Community hospitals", "Intermediate care", "Rapid response",
			"Palliative care", "Musculoskeletal services", "Wheelchair services", "Community paediatrics", "Urgent treatment centre",
			"Respiratory services", "Heart failure nursing", "Falls prevention", "Community rehabilitation", "Audiology"}
	case models.KindAmbulance:
		return []string{"Emergency operations centre", "NHS 111", "Clinical hub", "Hazardous area response team",
			"Patient transport services", "North operations", "South operations", "East operations", "West operations",
			"Fleet", "Make ready", "Resilience", "Clinical education", "Air ambulance liaison", "Community first responders",
			"Urgent care", "Safeguarding", "Medicines management"}
	}
	return []string{"Emergency department", "Acute medicine", "Cardiology", "Respiratory medicine", "Gastroenterology",
		"Elderly care", "Stroke", "Diabetes and endocrinology", "Renal medicine", "Oncology", "Haematology", "General surgery",
		"Orthopaedics", "Urology", "Ophthalmology", "Ear, nose and throat", "Theatres", "Anaesthetics", "Critical care",
		"Maternity", "Neonatal unit", "Paediatrics", "Gynaecology", "Outpatients", "Radiology", "Pathology", "Pharmacy",
		"Physiotherapy", "Occupational therapy", "Dietetics", "Sterile services", "Discharge team", "Dermatology",
		"Rheumatology", "Neurology", "Plastic surgery", "Vascular surgery", "Infection prevention", "Palliative care", "Day surgery"}
}

func firstNames() []string {
	return []string{"Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophia", "Lily", "Freya", "Emily", "Aisha", "Priya",
		"Fatima", "Zara", "Chloe", "Hannah", "Ruth", "Sarah", "Joanne", "Helen", "Oliver", "George", "Noah", "Arthur", "Leo",
		"Harry", "Jack", "Thomas", "James", "William", "Mohammed", "Ali", "Ravi", "Arjun", "Kwame", "Daniel", "David", "Paul",
		"Mark", "Andrew", "Chidi", "Tomasz", "Agnieszka", "Maria", "Ana", "Siobhan", "Rhys", "Ewan", "Niamh", "Kofi"}
}

func lastNames() []string {
	return []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
		"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Khan",
		"Ahmed", "Hussain", "Singh", "Begum", "Okafor", "Mensah", "Nowak", "Kowalski", "O'Brien", "Murphy", "Kelly",
		"Campbell", "Stewart", "Morgan", "Hughes", "Edwards", "Lewis", "Harris", "Martin", "Cooper", "King", "Baker",
		"Turner", "Hill", "Moore", "Ward", "Shah", "Rahman"}
}

func personName(r *rand.Rand) string {
	return firstNames()[r.IntN(len(firstNames()))] + " " + lastNames()[r.IntN(len(lastNames()))]
}

func evidenceSentences() []string {
	return []string{
		"The board discussed this in September and the minutes record the decision.",
		"The digital programme board reviews progress every month.",
		"An internal audit last year gave substantial assurance.",
		"Clinical leads confirmed this at the last divisional review.",
		"Some wards are further ahead than others, so I have taken the middle.",
		"The integrated performance report shows the figures each quarter.",
		"We have a plan to close the remaining gaps by the end of the year.",
		"Staff survey results support this view.",
		"Patients told us the same through the engagement panel.",
		"The risk register holds an open risk on this, rated amber.",
		"Evidence is on the shared drive under the assessment folder.",
		"External reviewers agreed with this level in their report.",
	}
}

func agreedNotes() []string {
	return []string{"Agreed at the board development session.", "Members differed; agreed the lower level pending the audit.",
		"Agreed after the digital committee's review.", "Evidence checked by the chief digital information officer."}
}

func actionOwners() []string {
	return []string{"Chief Digital Information Officer", "Chief Nursing Information Officer", "Chief Clinical Information Officer",
		"Director of People", "Chief Information Officer", "Head of Information Governance", "Director of Operations",
		"Head of Patient Experience", "Director of Strategy"}
}

func actionTitles(section string) []string {
	switch section {
	case "well-led":
		return []string{"Refresh the digital strategy with clinical and patient input", "Add a digital and data report to every public board meeting",
			"Run a board development session on digital and AI"}
	case "smart-foundations":
		return []string{"Replace the remaining paper drug charts with electronic prescribing", "Upgrade the wireless network on all inpatient wards",
			"Retire the legacy patient administration system"}
	case "safe-practice":
		return []string{"Test the recovery of the patient record from backup twice a year", "Meet every Data Security and Protection Toolkit standard",
			"Require multi-factor authentication for all remote access"}
	case "support-people":
		return []string{"Offer digital skills sessions to every new starter at induction", "Appoint digital champions in every clinical department",
			"Give every member of staff protected time for the skills self-assessment"}
	case "empower-citizens":
		return []string{"Offer patient-initiated follow-up through the NHS App", "Send appointment letters digitally by default",
			"Publish waiting times on the trust website every week"}
	case "improve-care":
		return []string{"Use real-time bed management across all sites", "Start remote monitoring for heart failure patients",
			"Build a theatre utilisation dashboard for clinical leads"}
	case "healthy-populations":
		return []string{"Share population health data with the integrated care system", "Identify patients at risk of readmission from linked data",
			"Join the regional shared care record"}
	}
	return []string{"Agree a plan for this success measure"}
}
