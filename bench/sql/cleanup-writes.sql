-- Removes everything prepare-writes.sql made and everything the write
-- benchmarks wrote, leaving the tier as it was seeded.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_users AS SELECT id FROM users WHERE email LIKE 'bench-%@bench.example.nhs.uk';
CREATE TEMP TABLE bench_orgs AS SELECT DISTINCT organisation_id AS org FROM users WHERE id IN (SELECT id FROM bench_users);
DELETE FROM audit_events WHERE actor_id IN (SELECT id FROM bench_users);
DELETE FROM sessions WHERE user_id IN (SELECT id FROM bench_users);
DELETE FROM maturity_answers WHERE respondent_id IN (SELECT id FROM bench_users);
DELETE FROM maturity_assignments WHERE user_id IN (SELECT id FROM bench_users);
DELETE FROM skills_domain_scores WHERE assessment_id IN (SELECT a.id FROM skills_assessments a JOIN bench_users b ON b.id = a.user_id);
DELETE FROM skills_answers WHERE assessment_id IN (SELECT a.id FROM skills_assessments a JOIN bench_users b ON b.id = a.user_id);
DELETE FROM skills_assessments WHERE user_id IN (SELECT id FROM bench_users);
DELETE FROM users WHERE id IN (SELECT id FROM bench_users);
-- The workforce totals of the organisations the bench accounts were in,
-- recomputed without them (as models.RebuildSkillsRollup does).
DELETE FROM skills_rollup WHERE organisation_id IN (SELECT org FROM bench_orgs);
INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
SELECT a.organisation_id, 'latest', '', a.staff_group, a.pay_band, d.domain_code, COUNT(*), SUM(d.now), SUM(d.need), SUM(d.gap)
FROM skills_assessments a JOIN skills_domain_scores d ON d.assessment_id = a.id WHERE a.latest AND a.organisation_id IN (SELECT org FROM bench_orgs)
GROUP BY a.organisation_id, a.staff_group, a.pay_band, d.domain_code;
INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
SELECT a.organisation_id, 'latest', '', a.staff_group, a.pay_band, '', COUNT(*), 0, 0, 0
FROM skills_assessments a WHERE a.latest AND a.organisation_id IN (SELECT org FROM bench_orgs)
GROUP BY a.organisation_id, a.staff_group, a.pay_band;
INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
SELECT a.organisation_id, 'period', a.period, a.staff_group, a.pay_band, d.domain_code, COUNT(*), SUM(d.now), SUM(d.need), SUM(d.gap)
FROM skills_assessments a JOIN skills_domain_scores d ON d.assessment_id = a.id WHERE a.latest_in_period AND a.organisation_id IN (SELECT org FROM bench_orgs)
GROUP BY a.organisation_id, a.period, a.staff_group, a.pay_band, d.domain_code;
INSERT INTO skills_rollup (organisation_id, basis, period, staff_group, pay_band, domain_code, people, now_sum, need_sum, gap_sum)
SELECT a.organisation_id, 'period', a.period, a.staff_group, a.pay_band, '', COUNT(*), 0, 0, 0
FROM skills_assessments a WHERE a.latest_in_period AND a.organisation_id IN (SELECT org FROM bench_orgs)
GROUP BY a.organisation_id, a.period, a.staff_group, a.pay_band;
COMMIT;
-- Leave the tables as settled as seeding did, for the next measurement.
VACUUM ANALYZE users;
VACUUM ANALYZE skills_assessments;
VACUUM ANALYZE skills_answers;
VACUUM ANALYZE skills_domain_scores;
VACUUM ANALYZE skills_rollup;
VACUUM ANALYZE maturity_answers;
VACUUM ANALYZE audit_events;
