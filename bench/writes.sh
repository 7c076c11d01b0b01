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
ATTEMPTS=${ATTEMPTS:-1500}

build
psql "$DB" -Xq -f "$BENCH_DIR/sql/cleanup-writes.sql"
echo "preparing $((ATTEMPTS * 128)) attempts ready to submit..." >&2
psql "$DB" -Xq -v attempts="$ATTEMPTS" -f "$BENCH_DIR/sql/prepare-writes.sql"
trap 'psql "$DB" -Xq -f "$BENCH_DIR/sql/cleanup-writes.sql"' EXIT

org=$(psql_value "$DB" "SELECT organisation_id FROM users WHERE email = 'bench-app-00@bench.example.nhs.uk'")
cycle=$(psql_value "$DB" "SELECT id FROM maturity_cycles WHERE status <> 'submitted' ORDER BY id LIMIT 1")
pg_base=$(psql_value "$DB" "SELECT id FROM users WHERE email = 'bench-pg-00@bench.example.nhs.uk'")
board_base=$(psql_value "$DB" "SELECT id FROM users WHERE email = 'bench-board-pg-00@bench.example.nhs.uk'")
for pool in app board-app; do
	for n in $(seq -w 0 63); do echo "bench-$pool-$n@bench.example.nhs.uk"; done >"$WORK/$pool.txt"
done

start_app "$DB"
echo "== 1. final skills submission: $CONCURRENCY users, $DURATION"
app=$("$BIN/loadgen" -base "http://$APP_ADDR" -scenario skills-submit -users "$WORK/app.txt" -c "$CONCURRENCY" -d "$DURATION")
echo "service:   $app"
ref=$(pgbench_run "$DB" "$BENCH_DIR/sql/skills-submit.sql" "$CONCURRENCY" "$DURATION" -D ubase="$pg_base")
echo "reference: $ref"
echo "ratio service/reference (throughput): $(ratio "$(field "$app" rps)" "$(field "$ref" tps)")"

echo "== 2. board section save, six answers with 300 characters of evidence each: $CONCURRENCY users, $DURATION"
app=$("$BIN/loadgen" -base "http://$APP_ADDR" -scenario section-save -users "$WORK/board-app.txt" -c "$CONCURRENCY" -d "$DURATION" \
	-path "/maturity/cycles/$cycle/sections/well-led" -questions well-led-1,well-led-2,well-led-3,well-led-4,well-led-5,well-led-6)
echo "service:   $app"
ref=$(pgbench_run "$DB" "$BENCH_DIR/sql/section-save.sql" "$CONCURRENCY" "$DURATION" -D ubase="$board_base" -D cid="$cycle" -D org="$org")
echo "reference: $ref"
echo "ratio service/reference (throughput): $(ratio "$(field "$app" rps)" "$(field "$ref" tps)")"
stop_app
