-- Removes everything prepare-writes.sql made and everything the write
-- benchmarks wrote, leaving the tier as it was seeded.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_users AS SELECT id FROM users WHERE email LIKE 'bench-%@bench.example.nhs.uk';
DELETE FROM audit_events WHERE actor_id IN (SELECT id FROM bench_users);
DELETE FROM sessions WHERE user_id IN (SELECT id FROM bench_users);
DELETE FROM maturity_answers WHERE respondent_id IN (SELECT id FROM bench_users);
DELETE FROM maturity_assignments WHERE user_id IN (SELECT id FROM bench_users);
DELETE FROM skills_domain_scores WHERE assessment_id IN (SELECT a.id FROM skills_assessments a JOIN bench_users b ON b.id = a.user_id);
DELETE FROM skills_answers WHERE assessment_id IN (SELECT a.id FROM skills_assessments a JOIN bench_users b ON b.id = a.user_id);
DELETE FROM skills_assessments WHERE user_id IN (SELECT id FROM bench_users);
DELETE FROM users WHERE id IN (SELECT id FROM bench_users);
COMMIT;
-- Leave the tables as settled as seeding did, for the next measurement.
VACUUM ANALYZE users;
VACUUM ANALYZE skills_assessments;
VACUUM ANALYZE skills_answers;
VACUUM ANALYZE skills_domain_scores;
VACUUM ANALYZE maturity_answers;
VACUUM ANALYZE audit_events;
