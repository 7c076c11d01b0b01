#!/usr/bin/env bash
# Items 1 and 2 of docs/PERFORMANCE.md: the final skills submission and a
# board section save at 64 concurrent users, through the service and as
# the same SQL run directly by pgbench, in one run.
#
#   bench/writes.sh postgres://postgres@127.0.0.1:5432/synthl?sslmode=disable
#
# Needs a PostgreSQL database seeded with `app seed-synthetic` (tier L).
# It adds bench accounts first and removes them, and all they wrote, after.
source "$(dirname "$0")/lib.sh"
DB=${1:?usage: bench/writes.sh POSTGRES_URL}
# Each of the 64 simulated users takes turns among PEOPLE/64 people, each
# with ATTEMPTS attempts ready to submit: enough for several minutes.
PEOPLE=${PEOPLE:-640}
ATTEMPTS=${ATTEMPTS:-100}
[[ $CONCURRENCY == 64 ]] || { echo "the pgbench scripts assume 64 clients" >&2; exit 1; }

build
psql "$DB" -Xq -f "$BENCH_DIR/sql/cleanup-writes.sql"
echo "preparing $((PEOPLE * 2)) people with $ATTEMPTS attempts each, ready to submit..." >&2
psql "$DB" -Xq -v people="$PEOPLE" -v attempts="$ATTEMPTS" -f "$BENCH_DIR/sql/prepare-writes.sql" >/dev/null
trap 'psql "$DB" -Xq -f "$BENCH_DIR/sql/cleanup-writes.sql"' EXIT
# Settle what the preparation wrote, so that neither autovacuum nor a
# checkpoint of it lands in the middle of a measurement.
psql "$DB" -Xq -c "VACUUM ANALYZE users, skills_assessments, skills_answers, maturity_assignments" -c CHECKPOINT

org=$(psql_value "$DB" "SELECT organisation_id FROM users WHERE email = 'bench-app-000@bench.example.nhs.uk'")
cycle=$(psql_value "$DB" "SELECT id FROM maturity_cycles WHERE status <> 'submitted' ORDER BY id LIMIT 1")
pg_base=$(psql_value "$DB" "SELECT id FROM users WHERE email = 'bench-pg-000@bench.example.nhs.uk'")
board_base=$(psql_value "$DB" "SELECT id FROM users WHERE email = 'bench-board-pg-000@bench.example.nhs.uk'")
for n in $(seq 0 $((PEOPLE - 1))); do printf 'bench-app-%03d@bench.example.nhs.uk\n' "$n"; done >"$WORK/app.txt"
for n in $(seq 0 63); do printf 'bench-board-app-%03d@bench.example.nhs.uk\n' "$n"; done >"$WORK/board-app.txt"

start_app "$DB"
echo "== 1. final skills submission: $CONCURRENCY users, $DURATION"
app=$("$BIN/loadgen" -server-pid "$APP_PID" -base "http://$APP_ADDR" -scenario skills-submit -users "$WORK/app.txt" -c "$CONCURRENCY" -d "$DURATION")
echo "service:   $app"
ref=$(pgbench_run "$DB" "$BENCH_DIR/sql/skills-submit.sql" "$CONCURRENCY" "$DURATION" -D ubase="$pg_base" -D people="$PEOPLE")
echo "reference: $ref"
echo "ratio service/reference (throughput): $(ratio "$(field "$app" rps)" "$(field "$ref" tps)")"

psql "$DB" -Xq -c CHECKPOINT
echo "== 2. board section save, six answers with 300 characters of evidence each: $CONCURRENCY users, $DURATION"
app=$("$BIN/loadgen" -server-pid "$APP_PID" -base "http://$APP_ADDR" -scenario section-save -users "$WORK/board-app.txt" -c "$CONCURRENCY" -d "$DURATION" \
	-path "/maturity/cycles/$cycle/sections/well-led" -questions well-led-1,well-led-2,well-led-3,well-led-4,well-led-5,well-led-6)
echo "service:   $app"
ref=$(pgbench_run "$DB" "$BENCH_DIR/sql/section-save.sql" "$CONCURRENCY" "$DURATION" -D ubase="$board_base" -D cid="$cycle" -D org="$org")
echo "reference: $ref"
echo "ratio service/reference (throughput): $(ratio "$(field "$app" rps)" "$(field "$ref" tps)")"
stop_app
