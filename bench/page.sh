#!/usr/bin/env bash
# Item 3 of docs/PERFORMANCE.md: a questionnaire page (a board member's
# section of the maturity assessment, six questions with their level
# descriptors) rendered by the service, against the same bytes served as a
# static file by a plain Go file server, at 64 concurrent users, in one run.
#
#   bench/page.sh postgres://postgres@127.0.0.1:5432/synthl?sslmode=disable
source "$(dirname "$0")/lib.sh"
DB=${1:?usage: bench/page.sh DATABASE_URL}
build
board=$(first_account "$DB" board)
org=$(sql_value "$DB" "SELECT organisation_id FROM users WHERE email = '$board'")
cycle=$(sql_value "$DB" "SELECT c.id FROM maturity_cycles c JOIN maturity_assignments a ON a.cycle_id = c.id JOIN users u ON u.id = a.user_id WHERE u.email = '$board' AND c.status <> 'submitted' ORDER BY c.id LIMIT 1")
section=$(sql_value "$DB" "SELECT section_code FROM maturity_assignments a JOIN users u ON u.id = a.user_id WHERE u.email = '$board' AND a.cycle_id = $cycle ORDER BY section_code LIMIT 1")
path="/maturity/cycles/$cycle/sections/$section"
# Every simulated user is the same board member, in a session of their own.
for _ in $(seq 1 "$CONCURRENCY"); do echo "$board"; done >"$WORK/board.txt"

start_app "$DB"
mkdir -p "$WORK/static"
"$BIN/loadgen" -server-pid "$APP_PID" -base "http://$APP_ADDR" -users "$WORK/board.txt" -password "$PASSWORD" -c 1 -path "$path" -save-body "$WORK/static/page.html"
"$BIN/fileserver" -addr "$FILE_ADDR" -dir "$WORK/static" &
file_pid=$!
trap 'kill $file_pid 2>/dev/null || true' EXIT
sleep 0.5
echo "== 3. questionnaire page $path: $CONCURRENCY users, $DURATION ($(wc -c <"$WORK/static/page.html") bytes)"
app=$("$BIN/loadgen" -server-pid "$APP_PID" -base "http://$APP_ADDR" -users "$WORK/board.txt" -password "$PASSWORD" -c "$CONCURRENCY" -d "$DURATION" -path "$path")
echo "service:   $app"
ref=$("$BIN/loadgen" -base "http://$FILE_ADDR" -c "$CONCURRENCY" -d "$DURATION" -path /page.html)
echo "reference: $ref"
echo "ratio service/reference (requests per second): $(ratio "$(field "$app" rps)" "$(field "$ref" rps)")"
# Where the difference goes: the service's own floor with no database work
# (/healthz through the whole middleware chain), and a signed-in page that
# costs one query (the session) and a short template (/privacy).
floor=$("$BIN/loadgen" -server-pid "$APP_PID" -base "http://$APP_ADDR" -c "$CONCURRENCY" -d "$DURATION" -path /healthz)
echo "floor, no database:           $floor"
one=$("$BIN/loadgen" -server-pid "$APP_PID" -base "http://$APP_ADDR" -users "$WORK/board.txt" -password "$PASSWORD" -c "$CONCURRENCY" -d "$DURATION" -path /privacy)
echo "floor, one query, short page: $one"
stop_app
