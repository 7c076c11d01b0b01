-- pgbench: the SQL of one final skills submission, statement for statement
-- as the service runs it (captured with `app serve --log-sql`). Each client
-- takes, at random, one of its share of the bench-pg accounts prepared by
-- prepare-writes.sql (accounts client_id, client_id + 64, ...): ubase is
-- the id of bench-pg-000, people the accounts in the pool. The first
-- statement stands in for the service's session lookup, which reads the
-- person's profile with their session.
\set k random(0, :people / 64 - 1)
\set uid :ubase + :client_id + 64 * :k
SELECT organisation_id AS org, staff_group AS sg, pay_band AS pb, department AS dept FROM users WHERE id = :uid \gset
SELECT *, id AS aid FROM skills_assessments WHERE user_id = :uid AND completed_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1 \gset
SELECT * FROM skills_answers WHERE assessment_id = :aid;
BEGIN;
UPDATE skills_assessments SET completed_at = now(), department = :dept, latest = true, latest_in_period = true, pay_band = :pb, period = '2026/27', staff_group = :sg, updated_at = now() WHERE id = :aid AND user_id = :uid AND completed_at IS NULL;
UPDATE skills_assessments SET latest = false, latest_in_period = CASE WHEN period = '2026/27' THEN false ELSE latest_in_period END, updated_at = now() WHERE user_id = :uid AND id <> :aid AND (latest = true OR (latest_in_period = true AND period = '2026/27'));
INSERT INTO skills_domain_scores (organisation_id, assessment_id, domain_code, now, need, gap) VALUES (:org, :aid, 'data-information', 2.4, 2.6, 0.2), (:org, :aid, 'teaching-learning', 2.4, 2.6, 0.2), (:org, :aid, 'communication', 2.4, 2.6, 0.2), (:org, :aid, 'technical-proficiency', 2.4, 2.6, 0.2), (:org, :aid, 'creation-innovation', 2.4, 2.6, 0.2), (:org, :aid, 'identity-wellbeing-safety', 2.4, 2.6, 0.2);
INSERT INTO audit_events (organisation_id, actor_id, action, subject, details, created_at) VALUES (:org, :uid, 'skills.complete', 'attempt ' || :aid, '', now());
COMMIT;
