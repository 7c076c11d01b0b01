#!/usr/bin/env bash
# Item 4 of docs/PERFORMANCE.md: the organisation skills view and the
# maturity results page, p50 and p99 at one user, through the service and
# as the same SQL run directly (pgbench on PostgreSQL, sqlref on SQLite),
# in one run. On a database of more than one organisation it also measures
# the national roll-up (/admin/skills) as a platform admin.
#
#   bench/views.sh postgres://postgres@127.0.0.1:5432/synthl?sslmode=disable
#   bench/views.sh sqlite:/tmp/synth-l.db
source "$(dirname "$0")/lib.sh"
DB=${1:?usage: bench/views.sh DATABASE_URL}
build
lead=$(first_account "$DB" lead)
submitted=$(sql_value "$DB" "SELECT id FROM maturity_cycles WHERE status = 'submitted' AND organisation_id = (SELECT organisation_id FROM users WHERE email = '$lead') ORDER BY id DESC LIMIT 1")
page_vs_sql "$DB" "$lead" /organisation/skills organisation-skills
page_vs_sql "$DB" "$lead" "/maturity/cycles/$submitted/results" maturity-results
if [[ $(sql_value "$DB" "SELECT count(*) FROM organisations") -gt 1 ]]; then
	page_vs_sql "$DB" "$(first_account "$DB" admin)" /admin/skills national-skills
fi
