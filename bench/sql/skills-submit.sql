-- pgbench: the SQL of one final skills submission, as the service runs it
-- (bench/skills-submit shows the service's statements). Each client is one
-- of the bench-pg accounts: ubase is the id of bench-pg-00.
\set uid :ubase + :client_id
SELECT id AS aid, organisation_id AS org FROM skills_assessments WHERE user_id = :uid AND completed_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1 \gset
SELECT assessment_id, statement_code, now, need, updated_at FROM skills_answers WHERE assessment_id = :aid;
BEGIN;
UPDATE skills_assessments SET completed_at = now(), department = 'Bench ward', latest = true, latest_in_period = true, pay_band = 'Band 6', period = '2026/27', staff_group = 'Nursing and midwifery registered', updated_at = now() WHERE (id = :aid AND user_id = :uid AND completed_at IS NULL);
UPDATE skills_assessments SET latest = false, updated_at = now() WHERE user_id = :uid AND id <> :aid AND latest = true;
UPDATE skills_assessments SET latest_in_period = false, updated_at = now() WHERE user_id = :uid AND id <> :aid AND period = '2026/27' AND latest_in_period = true;
INSERT INTO skills_domain_scores (organisation_id, assessment_id, domain_code, now, need, gap) VALUES (:org, :aid, 'data-information', 2.4, 3.2, 0.8), (:org, :aid, 'teaching-learning', 2.6, 3, 0.4), (:org, :aid, 'communication', 3, 3.2, 0.2), (:org, :aid, 'technical-proficiency', 2.2, 3.4, 1.2), (:org, :aid, 'creation-innovation', 2, 2.6, 0.6), (:org, :aid, 'identity-wellbeing-safety', 3.2, 3.4, 0.2);
INSERT INTO audit_events (organisation_id, actor_id, action, subject, details, created_at) VALUES (:org, :uid, 'skills.complete', 'attempt ' || :aid, '', now()) RETURNING id;
COMMIT;
