#!/usr/bin/env bash
# Item 8 of docs/PERFORMANCE.md: peak memory of the service while 50 people
# sign in at the same moment. Each argon2id check takes 19 MiB; the service
# lets HASH_CONCURRENCY of them run at once and queues the rest.
#
#   bench/signins.sh                       # the defaults
#   bench/signins.sh --hash-concurrency 50 # no effective bound, for comparison
#
# It builds the service, loads the demo data into a new SQLite file, starts
# the service on it, fires the sign-ins, and prints the server's peak
# resident memory (VmHWM) and CPU time.
source "$(dirname "$0")/lib.sh"
SIGNINS=${SIGNINS:-50}
build
(cd "$ROOT" && go build -o "$BIN/signinstorm" ./bench/signinstorm)
db="$WORK/signins.db"
"$BIN/app" seed-demo --database-url "$db" >/dev/null
GOGC=${APP_GOGC:-100} SESSION_KEY=bench-session-key-0123456789abcdef0123456789abcdef LOG_FORMAT=json \
	"$BIN/app" serve --addr "$APP_ADDR" --database-url "$db" "$@" >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 100); do
	curl -fsS "http://$APP_ADDR/readyz" >/dev/null 2>&1 && break
	sleep 0.2
done
echo "== 8. $SIGNINS concurrent sign-ins on SQLite (serve flags: ${*:-defaults}; $(nproc) CPUs)"
echo "before:  server_rss_mb=$(($(awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status") / 1024))"
"$BIN/signinstorm" -base "http://$APP_ADDR" -n "$SIGNINS" -password demo-password-1 \
	-email admin@example.nhs.uk,lead@example.nhs.uk,board@example.nhs.uk,staff@example.nhs.uk
stop_app
