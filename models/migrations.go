package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one step of the schema. Steps are written in SQL common to
// SQLite and PostgreSQL; the few words that differ are placeholders that
// ddl() fills in per dialect. A step never changes once released: a new
// change is a new step at the end of the list.
type migration struct {
	version int
	name    string
	sql     string
	// postgresOnly steps tune PostgreSQL storage; on SQLite they are only
	// recorded, so that both databases reach the same version.
	postgresOnly bool
}

var migrations = []migration{
	{1, "accounts, organisations, sessions, invitations and audit", `
CREATE TABLE organisations (
	id {{id}},
	name TEXT NOT NULL,
	ods_code TEXT NOT NULL,
	kind TEXT NOT NULL,
	parent_id BIGINT REFERENCES organisations(id),
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX organisations_ods_code ON organisations (ods_code);
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE users (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	email TEXT NOT NULL,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	roles TEXT NOT NULL DEFAULT '',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	staff_group TEXT NOT NULL DEFAULT '',
	pay_band TEXT NOT NULL DEFAULT '',
	department TEXT NOT NULL DEFAULT '',
	job_role TEXT NOT NULL DEFAULT '',
	last_sign_in_at {{time}},
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	created_at {{time}} NOT NULL,
	last_seen_at {{time}} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE invitations (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	email TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	roles TEXT NOT NULL,
	token_hash TEXT NOT NULL,
	invited_by_id BIGINT REFERENCES users(id),
	expires_at {{time}} NOT NULL,
	used_at {{time}},
	created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_organisation ON invitations (organisation_id, email);

CREATE TABLE sign_in_attempts (
	id {{id}},
	key_hash TEXT NOT NULL,
	created_at {{time}} NOT NULL
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts (key_hash, created_at);

CREATE TABLE audit_events (
	id {{id}},
	organisation_id BIGINT REFERENCES organisations(id),
	actor_id BIGINT REFERENCES users(id),
	action TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	details TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL
);
CREATE INDEX audit_events_organisation ON audit_events (organisation_id, created_at);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`, false},
	{2, "frameworks and the board maturity assessment", `
CREATE TABLE frameworks (
	id {{id}},
	code TEXT NOT NULL,
	kind TEXT NOT NULL,
	version TEXT NOT NULL,
	title TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX frameworks_code_version ON frameworks (code, version);

CREATE TABLE maturity_cycles (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	framework_id BIGINT NOT NULL REFERENCES frameworks(id),
	period TEXT NOT NULL,
	status TEXT NOT NULL,
	due_date {{time}} NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	overall_score {{real}},
	submitted_at {{time}},
	created_by_id BIGINT REFERENCES users(id),
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX maturity_cycles_period ON maturity_cycles (organisation_id, period);
CREATE INDEX maturity_cycles_submitted ON maturity_cycles (status, organisation_id, submitted_at);

CREATE TABLE maturity_assignments (
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT NOT NULL REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	section_code TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users(id),
	created_at {{time}} NOT NULL,
	PRIMARY KEY (cycle_id, section_code, user_id)
);
CREATE INDEX maturity_assignments_user ON maturity_assignments (user_id, cycle_id);

CREATE TABLE maturity_answers (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT NOT NULL REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	respondent_id BIGINT NOT NULL REFERENCES users(id),
	question_code TEXT NOT NULL,
	level INTEGER,
	evidence TEXT NOT NULL DEFAULT '',
	updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX maturity_answers_unique ON maturity_answers (cycle_id, respondent_id, question_code);

CREATE TABLE maturity_agreed (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT NOT NULL REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	question_code TEXT NOT NULL,
	level INTEGER,
	note TEXT NOT NULL DEFAULT '',
	version BIGINT NOT NULL DEFAULT 1,
	updated_by_id BIGINT REFERENCES users(id),
	updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX maturity_agreed_unique ON maturity_agreed (cycle_id, question_code);

CREATE TABLE maturity_targets (
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT NOT NULL REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	section_code TEXT NOT NULL,
	target INTEGER NOT NULL,
	updated_at {{time}} NOT NULL,
	PRIMARY KEY (cycle_id, section_code)
);

CREATE TABLE maturity_section_scores (
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT NOT NULL REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	section_code TEXT NOT NULL,
	score {{real}} NOT NULL,
	PRIMARY KEY (cycle_id, section_code)
);

CREATE TABLE actions (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	section_code TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL,
	owner TEXT NOT NULL,
	due_date {{time}},
	status TEXT NOT NULL,
	progress TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
);
CREATE INDEX actions_cycle ON actions (organisation_id, cycle_id);
`, false},
	{3, "staff digital skills self-assessment and staff import", `
CREATE TABLE skills_assessments (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	user_id BIGINT NOT NULL REFERENCES users(id),
	framework_id BIGINT NOT NULL REFERENCES frameworks(id),
	started_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	completed_at {{time}},
	period TEXT NOT NULL DEFAULT '',
	latest BOOLEAN NOT NULL DEFAULT FALSE,
	latest_in_period BOOLEAN NOT NULL DEFAULT FALSE,
	current_domain TEXT NOT NULL DEFAULT '',
	staff_group TEXT NOT NULL DEFAULT '',
	pay_band TEXT NOT NULL DEFAULT '',
	department TEXT NOT NULL DEFAULT ''
);
CREATE INDEX skills_assessments_user ON skills_assessments (user_id, started_at);
CREATE INDEX skills_assessments_latest ON skills_assessments (organisation_id, latest);
CREATE INDEX skills_assessments_period ON skills_assessments (organisation_id, latest_in_period, period);

CREATE TABLE skills_answers (
	assessment_id BIGINT NOT NULL REFERENCES skills_assessments(id) ON DELETE CASCADE,
	statement_code TEXT NOT NULL,
	now INTEGER,
	need INTEGER,
	updated_at {{time}} NOT NULL,
	PRIMARY KEY (assessment_id, statement_code)
);

CREATE TABLE skills_domain_scores (
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	assessment_id BIGINT NOT NULL REFERENCES skills_assessments(id) ON DELETE CASCADE,
	domain_code TEXT NOT NULL,
	now {{real}} NOT NULL,
	need {{real}} NOT NULL,
	gap {{real}} NOT NULL,
	PRIMARY KEY (assessment_id, domain_code)
);

CREATE TABLE staff_imports (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	created_by_id BIGINT REFERENCES users(id),
	file_name TEXT NOT NULL,
	rows_json TEXT NOT NULL,
	problems_json TEXT NOT NULL,
	status TEXT NOT NULL,
	created_count INTEGER NOT NULL DEFAULT 0,
	updated_count INTEGER NOT NULL DEFAULT 0,
	unchanged_count INTEGER NOT NULL DEFAULT 0,
	created_at {{time}} NOT NULL,
	applied_at {{time}}
);
CREATE INDEX staff_imports_organisation ON staff_imports (organisation_id, created_at);
ALTER TABLE invitations ADD COLUMN import_id BIGINT REFERENCES staff_imports(id);
`, false},
	{4, "workforce skills totals kept at completion, and indexes for participation", `
CREATE TABLE skills_rollup (
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	basis TEXT NOT NULL,
	period TEXT NOT NULL,
	staff_group TEXT NOT NULL,
	pay_band TEXT NOT NULL,
	domain_code TEXT NOT NULL,
	people BIGINT NOT NULL,
	now_sum {{real}} NOT NULL,
	need_sum {{real}} NOT NULL,
	gap_sum {{real}} NOT NULL,
	PRIMARY KEY (organisation_id, basis, period, staff_group, pay_band, domain_code)
);
INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
SELECT a.organisation_id, 'latest', '', a.staff_group, a.pay_band, d.domain_code, COUNT(*), SUM(d.now), SUM(d.need), SUM(d.gap)
FROM skills_assessments a JOIN skills_domain_scores d ON d.assessment_id = a.id WHERE a.latest
GROUP BY a.organisation_id, a.staff_group, a.pay_band, d.domain_code;
INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
SELECT a.organisation_id, 'latest', '', a.staff_group, a.pay_band, '', COUNT(*), 0, 0, 0
FROM skills_assessments a WHERE a.latest
GROUP BY a.organisation_id, a.staff_group, a.pay_band;
INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
SELECT a.organisation_id, 'period', a.period, a.staff_group, a.pay_band, d.domain_code, COUNT(*), SUM(d.now), SUM(d.need), SUM(d.gap)
FROM skills_assessments a JOIN skills_domain_scores d ON d.assessment_id = a.id WHERE a.latest_in_period
GROUP BY a.organisation_id, a.period, a.staff_group, a.pay_band, d.domain_code;
INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
SELECT a.organisation_id, 'period', a.period, a.staff_group, a.pay_band, '', COUNT(*), 0, 0, 0
FROM skills_assessments a WHERE a.latest_in_period
GROUP BY a.organisation_id, a.period, a.staff_group, a.pay_band;
CREATE INDEX users_active_staff ON users (organisation_id) WHERE active = TRUE AND ' ' || roles || ' ' LIKE '% staff %';
CREATE INDEX skills_assessments_people ON skills_assessments (organisation_id, user_id);
CREATE INDEX skills_assessments_completed ON skills_assessments (organisation_id, user_id) WHERE completed_at IS NOT NULL;
`, false},
	// Every completion rewrites a few rows of skills_rollup: with room on
	// the page PostgreSQL updates them in place (HOT), and it vacuums the
	// table after a thousand changes rather than after a fifth of it.
	{5, "room on each page of the workforce totals for in-place updates", `
ALTER TABLE skills_rollup SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
	autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000)
`, true},
	// A person has at most one attempt in progress, so that "Start" in two
	// tabs carries on with one attempt. Older duplicates were never shown
	// (the newest open attempt is the one resumed), so they go.
	{6, "one skills attempt in progress per person", `
DELETE FROM skills_assessments WHERE completed_at IS NULL AND EXISTS (
	SELECT 1 FROM skills_assessments n WHERE n.user_id = skills_assessments.user_id AND n.completed_at IS NULL
	AND (n.started_at > skills_assessments.started_at OR (n.started_at = skills_assessments.started_at AND n.id > skills_assessments.id)));
CREATE UNIQUE INDEX skills_assessments_one_open ON skills_assessments (user_id) WHERE completed_at IS NULL;
`, false},
	// Versions for optimistic locking: a stale tab's target or action edit
	// is a conflict, not a silent overwrite.
	{7, "versions of section targets and actions", `
ALTER TABLE maturity_targets ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE actions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
`, false},
	// Workforce figures become releases: immutable, dated, disclosure-
	// controlled snapshots (package workforce). Each attempt gets a secret
	// random record key for the cell-key perturbation; an account counts
	// only once its owner has signed in themselves (own_sign_in_at; at
	// upgrade, taken from the last sign-in of accounts with a password).
	// Who completed a self-assessment, and when, leaves the audit log.
	{8, "workforce releases, record keys and own sign-in", `
ALTER TABLE skills_assessments ADD COLUMN record_key BIGINT NOT NULL DEFAULT 0;
UPDATE skills_assessments SET record_key = {{random32}};
ALTER TABLE users ADD COLUMN own_sign_in_at {{time}};
UPDATE users SET own_sign_in_at = last_sign_in_at WHERE password_hash <> '';
DELETE FROM audit_events WHERE action = 'skills.complete';
CREATE TABLE workforce_releases (
	id {{id}},
	built_at {{time}} NOT NULL,
	next_at {{time}} NOT NULL,
	min_group_size INTEGER NOT NULL,
	organisations INTEGER NOT NULL,
	domains TEXT NOT NULL
);
CREATE TABLE workforce_cells (
	release_id BIGINT NOT NULL REFERENCES workforce_releases(id) ON DELETE CASCADE,
	organisation_id BIGINT REFERENCES organisations(id),
	basis TEXT NOT NULL,
	dims TEXT NOT NULL,
	staff_group TEXT NOT NULL,
	pay_band TEXT NOT NULL,
	department TEXT NOT NULL,
	item TEXT NOT NULL,
	suppressed BOOLEAN NOT NULL,
	people INTEGER NOT NULL,
	means TEXT NOT NULL
);
CREATE INDEX workforce_cells_scope ON workforce_cells (release_id, organisation_id)
`, false},
	// Single sign-on per organisation (OpenID Connect). The client secret is
	// stored sealed (package sso). sso_domains finds an organisation from an
	// email's domain; one domain may serve several organisations (nhs.net).
	// sso_logins holds each sign-in between leaving for the provider and
	// coming back: the state's hash, the nonce and the PKCE verifier, used
	// once.
	{9, "single sign-on settings, domains and sign-ins in flight", `
CREATE TABLE sso_settings (
	organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
	provider_name TEXT NOT NULL,
	issuer TEXT NOT NULL,
	client_id TEXT NOT NULL,
	client_secret TEXT NOT NULL,
	domains TEXT NOT NULL,
	scopes TEXT NOT NULL DEFAULT '',
	enabled BOOLEAN NOT NULL,
	create_accounts BOOLEAN NOT NULL,
	sso_only BOOLEAN NOT NULL,
	break_glass_user_id BIGINT REFERENCES users(id),
	updated_at {{time}} NOT NULL
);
CREATE TABLE sso_domains (
	domain TEXT NOT NULL,
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	PRIMARY KEY (domain, organisation_id)
);
CREATE TABLE sso_logins (
	state_hash TEXT PRIMARY KEY,
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	nonce TEXT NOT NULL,
	code_verifier TEXT NOT NULL,
	next TEXT NOT NULL,
	expires_at {{time}} NOT NULL
);
CREATE INDEX sso_logins_expires ON sso_logins (expires_at)
`, false},
	// Email: a queue in the database, so a restart or a mail-server outage
	// loses nothing (email_outbox); single-use password-reset links, kept as
	// hashes only; counts of reminder runs (never their recipients); the
	// board's due-date reminders and the lead's "every section answered"
	// message, each sent once; and when an account was deactivated, for
	// the retention of leavers' records.
	{10, "email queue, password resets, reminders and leavers", `
CREATE TABLE email_outbox (
	id {{id}},
	organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
	kind TEXT NOT NULL,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	status TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at {{time}} NOT NULL,
	claimed_until {{time}},
	last_error TEXT NOT NULL DEFAULT '',
	last_error_at {{time}},
	created_at {{time}} NOT NULL,
	sent_at {{time}}
);
CREATE INDEX email_outbox_due ON email_outbox (status, next_attempt_at);
CREATE TABLE password_resets (
	id {{id}},
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL,
	expires_at {{time}} NOT NULL,
	used_at {{time}},
	created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX password_resets_token ON password_resets (token_hash);
CREATE INDEX password_resets_user ON password_resets (user_id);
CREATE TABLE reminder_runs (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	kind TEXT NOT NULL,
	sent INTEGER NOT NULL,
	created_by_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	created_at {{time}} NOT NULL
);
CREATE INDEX reminder_runs_organisation ON reminder_runs (organisation_id, kind, created_at);
ALTER TABLE maturity_assignments ADD COLUMN reminded_at {{time}};
ALTER TABLE maturity_cycles ADD COLUMN answered_notice_at {{time}};
ALTER TABLE users ADD COLUMN left_at {{time}};
UPDATE users SET left_at = updated_at WHERE active = FALSE
`, false},
	// A board result the board can stand behind (issue 12): each cycle's
	// quorum of board members per question, the sign-off of the board
	// meeting that approved it, the reasons it was reopened, colleagues'
	// advice on one question, and evidence documents on answers.
	{11, "quorum, sign-off, reopening reasons, advice and evidence documents", `
ALTER TABLE maturity_cycles ADD COLUMN quorum INTEGER NOT NULL DEFAULT 2;
ALTER TABLE maturity_cycles ADD COLUMN board_meeting_on {{time}};
ALTER TABLE maturity_cycles ADD COLUMN signed_off_by TEXT NOT NULL DEFAULT '';
ALTER TABLE maturity_cycles ADD COLUMN signed_off_role TEXT NOT NULL DEFAULT '';
CREATE TABLE maturity_reopenings (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT NOT NULL REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	reason TEXT NOT NULL,
	reopened_by_id BIGINT REFERENCES users(id),
	reopened_at {{time}} NOT NULL
);
CREATE INDEX maturity_reopenings_cycle ON maturity_reopenings (cycle_id);
CREATE TABLE maturity_advice (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT NOT NULL REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	question_code TEXT NOT NULL,
	adviser_id BIGINT NOT NULL REFERENCES users(id),
	requested_by_id BIGINT NOT NULL REFERENCES users(id),
	requested_at {{time}} NOT NULL,
	level INTEGER,
	comment TEXT NOT NULL DEFAULT '',
	answered_at {{time}}
);
CREATE INDEX maturity_advice_cycle ON maturity_advice (cycle_id, question_code);
CREATE INDEX maturity_advice_adviser ON maturity_advice (adviser_id);
CREATE TABLE maturity_evidence (
	id {{id}},
	organisation_id BIGINT NOT NULL REFERENCES organisations(id),
	cycle_id BIGINT NOT NULL REFERENCES maturity_cycles(id) ON DELETE CASCADE,
	question_code TEXT NOT NULL,
	uploaded_by_id BIGINT NOT NULL REFERENCES users(id),
	file_name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	content {{blob}},
	stored_path TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL
);
CREATE INDEX maturity_evidence_cycle ON maturity_evidence (cycle_id, question_code)
`, false},
	// The accounts page sorts an organisation's accounts by name, whatever
	// the case, a page at a time.
	{12, "accounts by name", `
CREATE INDEX users_organisation_name ON users (organisation_id, LOWER(name), email)
`, false},
	{13, "leavers in staff imports", `
ALTER TABLE staff_imports ADD COLUMN deactivated_count INTEGER NOT NULL DEFAULT 0
`, false},
	// Workforce figures come from disclosure-controlled releases, built
	// from the attempts themselves; nothing reads the totals kept at each
	// completion any more.
	{14, "no workforce totals kept at completion", `
DROP TABLE skills_rollup
`, false},
}

// LatestSchemaVersion is the version a fully migrated database records.
func LatestSchemaVersion() int { return migrations[len(migrations)-1].version }

func (s *Store) ddl(sql string) string {
	id, ts, real, random32, blob := "INTEGER PRIMARY KEY AUTOINCREMENT", "DATETIME", "REAL", "(abs(random()) % 4294967296)", "BLOB"
	if s.dialect == Postgres {
		id, ts, real, random32, blob = "BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ", "DOUBLE PRECISION", "floor(random() * 4294967296)::bigint", "BYTEA"
	}
	return strings.NewReplacer("{{id}}", id, "{{time}}", ts, "{{real}}", real, "{{random32}}", random32, "{{blob}}", blob).Replace(sql)
}

const createSchemaMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TIMESTAMP NOT NULL
)`

// SchemaVersion returns the highest applied migration, 0 for an empty database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	if err := s.db.WithContext(ctx).Exec(createSchemaMigrations).Error; err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	var v int
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}

// PendingMigrations counts the steps not yet applied.
func (s *Store) PendingMigrations(ctx context.Context) (int, error) {
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range migrations {
		if m.version > v {
			n++
		}
	}
	return n, nil
}

// Migrate applies every pending step in order, each in its own transaction
// together with the row that records it. It returns the steps applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	if _, err := s.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range migrations {
		done := false
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if s.dialect == Postgres {
				// Two instances starting together must not both apply a step.
				if err := tx.Exec("LOCK TABLE schema_migrations IN EXCLUSIVE MODE").Error; err != nil {
					return err
				}
			}
			var count int64
			if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&count).Error; err != nil {
				return err
			}
			if count > 0 {
				done = true
				return nil
			}
			if m.postgresOnly && s.dialect != Postgres {
				return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
					m.version, m.name, time.Now().UTC()).Error
			}
			for _, stmt := range strings.Split(s.ddl(m.sql), ";") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
				}
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, time.Now().UTC()).Error
		})
		if err != nil {
			return applied, err
		}
		if !done {
			applied = append(applied, fmt.Sprintf("%d %s", m.version, m.name))
		}
	}
	return applied, nil
}
