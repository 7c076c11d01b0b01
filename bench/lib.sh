# Shared helpers for the bench scripts: build the binaries, start and stop
# the service, and read latency percentiles. Source it; do not run it.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BIN="$BENCH_DIR/.bin"
APP_ADDR=${APP_ADDR:-127.0.0.1:8090}
FILE_ADDR=${FILE_ADDR:-127.0.0.1:8091}
PASSWORD=${PASSWORD:-synthetic-password-1}
CONCURRENCY=${CONCURRENCY:-64}
DURATION=${DURATION:-20s}
WORK=${WORK:-$(mktemp -d /tmp/nhs-bench.XXXXXX)}

build() {
	mkdir -p "$BIN"
	(cd "$ROOT" && go build -o "$BIN/app" ./app && go build -o "$BIN/loadgen" ./bench/loadgen &&
		go build -o "$BIN/fileserver" ./bench/fileserver && go build -o "$BIN/sqlref" ./bench/sqlref)
}

# start_app DATABASE_URL: runs the service in the background on APP_ADDR.
start_app() {
	GOGC=${APP_GOGC:-100} SESSION_KEY=bench-session-key-0123456789abcdef0123456789abcdef LOG_FORMAT=json \
		"$BIN/app" serve --addr "$APP_ADDR" --database-url "$1" >"$WORK/app.log" 2>&1 &
	APP_PID=$!
	for _ in $(seq 1 100); do
		curl -fsS "http://$APP_ADDR/readyz" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "the service did not become ready; its log:" >&2
	tail -20 "$WORK/app.log" >&2
	return 1
}

# stop_app: stops the service and prints its peak resident memory.
stop_app() {
	local hwm ticks
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$APP_PID/status")
	# Fields 14 and 15 of /proc/PID/stat: user and system CPU, in clock ticks.
	ticks=$(awk '{print $14 + $15}' "/proc/$APP_PID/stat")
	kill "$APP_PID"
	wait "$APP_PID" 2>/dev/null || true
	echo "server_peak_rss_mb=$((hwm / 1024)) server_cpu_s=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')"
}

# psql_value DATABASE_URL SQL: one value from PostgreSQL.
psql_value() { psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }

# pgbench_run DATABASE_URL SCRIPT CLIENTS DURATION [pgbench args]: runs a
# custom pgbench script with per-transaction logs and prints throughput
# and latency percentiles in the same shape as loadgen.
pgbench_run() {
	local url=$1 script=$2 clients=$3 duration=$4
	shift 4
	local logdir="$WORK/pgbench-$(basename "$script" .sql)"
	rm -rf "$logdir" && mkdir -p "$logdir"
	(cd "$logdir" && pgbench -n -M prepared -c "$clients" -j 2 -T "${duration%s}" -l -f "$script" "$@" "$url" >summary.txt 2>&1) ||
		{ cat "$logdir/summary.txt" >&2; return 1; }
	# Column 3 of a pgbench log line is the transaction's latency in microseconds.
	cat "$logdir"/pgbench_log.* | awk '{print $3}' | sort -n >"$logdir/latencies"
	local n tps failed
	n=$(wc -l <"$logdir/latencies")
	tps=$(awk '/^tps/ {print int($3)}' "$logdir/summary.txt")
	failed=$(awk '/number of failed transactions/ {print $5}' "$logdir/summary.txt")
	awk -v n="$n" -v tps="$tps" -v failed="${failed:-0}" -v clients="$clients" -v script="$(basename "$script")" '
		{ l[NR] = $1 }
		function pct(p) { i = int(p * n) + 1; if (i > n) i = n; return l[i] / 1000 }
		END { printf "reference=pgbench script=%s concurrency=%d transactions=%d failed=%s tps=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
			script, clients, n, failed, tps, pct(0.5), pct(0.9), pct(0.99), l[n] / 1000 }' "$logdir/latencies"
}

# field LINE KEY: the value of key=value in a result line.
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }

# ratio A B: A / B to two places.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

# capture_sql DATABASE_URL EMAIL PATH OUT: signs EMAIL in on a service that
# logs its SQL, requests PATH once, and writes the statements that request
# ran to OUT, one per line: the direct-SQL reference replays exactly these.
capture_sql() {
	local url=$1 email=$2 path=$3 out=$4
	echo "$email" >"$WORK/capture-user.txt"
	SESSION_KEY=bench-session-key-0123456789abcdef0123456789abcdef LOG_FORMAT=json \
		"$BIN/app" serve --addr "$APP_ADDR" --database-url "$url" --log-sql >"$WORK/capture.log" 2>&1 &
	local pid=$!
	for _ in $(seq 1 100); do curl -fsS "http://$APP_ADDR/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
	"$BIN/loadgen" -base "http://$APP_ADDR" -users "$WORK/capture-user.txt" -password "$PASSWORD" -c 1 -path "$path" -save-body "$WORK/capture.html"
	kill "$pid"; wait "$pid" 2>/dev/null || true
	# The statements logged after the sign-in's request line and before the page's.
	python3 - "$WORK/capture.log" "$out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
requests = [i for i, l in enumerate(lines) if l.get("msg") == "request"]
start, end = requests[-2], requests[-1]
sql = [l["sql"].replace("\n", " ") for l in lines[start + 1:end] if l.get("msg") == "sql"]
open(sys.argv[2], "w").write("".join(s.rstrip(";") + ";\n" for s in sql))
PY
}

# page_vs_sql DATABASE_URL EMAIL PATH LABEL: the page's p50 and p99 through
# the service at one user against its own SQL run directly.
page_vs_sql() {
	local url=$1 email=$2 path=$3 label=$4
	capture_sql "$url" "$email" "$path" "$WORK/$label.sql"
	echo "$email" >"$WORK/$label-user.txt"
	start_app "$url"
	local app ref
	app=$("$BIN/loadgen" -base "http://$APP_ADDR" -users "$WORK/$label-user.txt" -password "$PASSWORD" -c 1 -d "${VIEW_DURATION:-10s}" -path "$path")
	stop_app >"$WORK/$label.rss"
	if [[ $url == postgres* ]]; then
		ref=$(pgbench_run "$url" "$WORK/$label.sql" 1 "${VIEW_DURATION:-10s}")
	else
		ref=$("$BIN/sqlref" -database-url "$url" -file "$WORK/$label.sql" -d "${VIEW_DURATION:-10s}")
	fi
	echo "== $label: $path ($(wc -l <"$WORK/$label.sql") statements)"
	echo "service:   $app"
	echo "reference: $ref"
	echo "ratio service/reference: p50 $(ratio "$(field "$app" p50_ms)" "$(field "$ref" p50_ms)"), p99 $(ratio "$(field "$app" p99_ms)" "$(field "$ref" p99_ms)"); $(cat "$WORK/$label.rss")"
}

# first_account DATABASE_URL ROLE: the first account with ROLE in the first
# organisation that has a maturity cycle (any account, for admin).
first_account() {
	local url=$1 role=$2 q
	q="SELECT email FROM users WHERE ' ' || roles || ' ' LIKE '% $role %' AND active AND email NOT LIKE 'bench-%'"
	[[ $role == admin ]] || q="$q AND organisation_id = (SELECT min(organisation_id) FROM maturity_cycles)"
	sql_value "$url" "$q ORDER BY id LIMIT 1"
}

# sql_exec DATABASE_URL SQL: runs a statement on PostgreSQL or SQLite.
sql_exec() {
	if [[ $1 == postgres* ]]; then psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2" >/dev/null; else sqlite3 "${1#sqlite:}" "$2"; fi
}

# sql_value DATABASE_URL SQL: one value from PostgreSQL or SQLite.
sql_value() {
	if [[ $1 == postgres* ]]; then psql_value "$1" "$2"; else sqlite3 "${1#sqlite:}" "$2"; fi
}
