-- Accounts and attempts for the write benchmarks, in the organisation of
-- the first cycle in progress (psql variables: people = staff accounts
-- per pool, a multiple of 64; attempts = attempts in progress per
-- account). Two pools of each, one for the service and one for pgbench, so
-- that the two never share a row:
--   bench-app-NNN / bench-pg-NNN   staff, each with :attempts attempts in
--                                  progress whose 30 statements are rated
--   bench-board-app-NNN / -pg-NNN  64 board members assigned every section
-- Passwords are the organisation lead's (synthetic-password-1).
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_target AS
SELECT c.organisation_id AS org, c.id AS cycle,
	(SELECT password_hash FROM users u WHERE u.organisation_id = c.organisation_id AND ' ' || u.roles || ' ' LIKE '% lead %' ORDER BY id LIMIT 1) AS hash,
	(SELECT id FROM frameworks WHERE kind = 'skills' ORDER BY id DESC LIMIT 1) AS framework
FROM maturity_cycles c WHERE c.status <> 'submitted' ORDER BY c.id LIMIT 1;

INSERT INTO users (organisation_id, email, name, password_hash, roles, active, staff_group, pay_band, department, job_role, created_at, updated_at)
SELECT t.org, format('bench-%s-%s@bench.example.nhs.uk', pool, lpad(n::text, 3, '0')), format('Bench %s %s', pool, n), t.hash,
	CASE WHEN pool LIKE 'board%' THEN 'board staff' ELSE 'staff' END, TRUE,
	'Nursing and midwifery registered', 'Band 6', 'Bench ward', 'Bench', now(), now()
FROM bench_target t, unnest(ARRAY['app', 'pg', 'board-app', 'board-pg']) AS pool,
	generate_series(0, CASE WHEN pool LIKE 'board%' THEN 63 ELSE :people - 1 END) AS n
ORDER BY pool, n;

-- Each bench account takes the staff profile of a seeded member of staff,
-- drawn at random (repeatably), so that completions spread over staff
-- groups and bands as a trust's would, rather than all landing in the
-- same group.
SELECT setseed(0.42);
UPDATE users b SET staff_group = p.staff_group, pay_band = p.pay_band, department = p.department
FROM (SELECT row_number() OVER () AS n, staff_group, pay_band, department
      FROM (SELECT staff_group, pay_band, department FROM users
            WHERE organisation_id = (SELECT org FROM bench_target) AND roles = 'staff' ORDER BY random() LIMIT 4096) r) p,
     (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE email LIKE 'bench-%@bench.example.nhs.uk') k
WHERE b.id = k.id
  AND p.n = (k.n - 1) % (SELECT count(*) FROM users WHERE organisation_id = (SELECT org FROM bench_target) AND roles = 'staff' LIMIT 1) % 4096 + 1;

-- Attempts in progress, newest first per account, each ready to submit.
INSERT INTO skills_assessments (organisation_id, user_id, framework_id, started_at, updated_at, current_domain)
SELECT t.org, u.id, t.framework, now() - make_interval(secs => k), now(), ''
FROM bench_target t JOIN users u ON u.email LIKE 'bench-app-%' OR u.email LIKE 'bench-pg-%', generate_series(1, :attempts) AS k;

INSERT INTO skills_answers (assessment_id, statement_code, now, need, updated_at)
SELECT a.id, s.code, 1 + (a.id + s.n) % 4, 1 + (a.id + s.n + 1) % 4, now()
FROM skills_assessments a JOIN users u ON u.id = a.user_id AND (u.email LIKE 'bench-app-%' OR u.email LIKE 'bench-pg-%'),
	(SELECT statement_code AS code, row_number() OVER (ORDER BY statement_code) AS n
	 FROM skills_answers WHERE assessment_id = (SELECT min(assessment_id) FROM skills_answers)) AS s
WHERE a.completed_at IS NULL;

INSERT INTO maturity_assignments (organisation_id, cycle_id, section_code, user_id, created_at)
SELECT t.org, t.cycle, s.section_code, u.id, now()
FROM bench_target t JOIN users u ON u.email LIKE 'bench-board-%',
	(SELECT DISTINCT section_code FROM maturity_assignments WHERE cycle_id = (SELECT cycle FROM bench_target)) AS s;
COMMIT;
ANALYZE users;
ANALYZE skills_assessments;
ANALYZE skills_answers;
ANALYZE maturity_assignments;
