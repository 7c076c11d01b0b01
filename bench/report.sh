#!/usr/bin/env bash
# Item 5 of docs/PERFORMANCE.md: time per board report PDF through the
# service, against headless Chromium printing the HTML results page of the
# same cycle to PDF, in one run.
#
#   bench/report.sh postgres://postgres@127.0.0.1:5432/synthl?sslmode=disable
#   bench/report.sh sqlite:/tmp/synth-l.db
source "$(dirname "$0")/lib.sh"
DB=${1:?usage: bench/report.sh DATABASE_URL}
RUNS=${RUNS:-5}
CHROMIUM=${CHROMIUM:-chromium}
build
lead=$(first_account "$DB" lead)
cycle=$(sql_value "$DB" "SELECT id FROM maturity_cycles WHERE status = 'submitted' AND organisation_id = (SELECT organisation_id FROM users WHERE email = '$lead') ORDER BY id DESC LIMIT 1")
echo "$lead" >"$WORK/lead.txt"

start_app "$DB"
echo "== 5. board report of cycle $cycle"
app=$("$BIN/loadgen" -base "http://$APP_ADDR" -users "$WORK/lead.txt" -password "$PASSWORD" -c 1 -d "${REPORT_DURATION:-10s}" -path "/maturity/cycles/$cycle/report.pdf")
echo "service (PDF):       $app"

# The results page as a file, its styles still fetched from the service.
mkdir -p "$WORK/print"
"$BIN/loadgen" -base "http://$APP_ADDR" -users "$WORK/lead.txt" -password "$PASSWORD" -c 1 -path "/maturity/cycles/$cycle/results" -save-body "$WORK/print/results.html"
sed -i "s#<head>#<head><base href=\"http://$APP_ADDR/\">#" "$WORK/print/results.html"
"$BIN/fileserver" -addr "$FILE_ADDR" -dir "$WORK/print" &
file_pid=$!
trap 'kill $file_pid 2>/dev/null || true' EXIT
sleep 0.5
times=()
for i in $(seq 1 "$RUNS"); do
	profile=$(mktemp -d)
	t0=$(date +%s%N)
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$profile" --no-pdf-header-footer \
		--print-to-pdf="$WORK/print/results-$i.pdf" "http://$FILE_ADDR/results.html" >/dev/null 2>&1
	times+=($((($(date +%s%N) - t0) / 1000000)))
	rm -rf "$profile"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted")
echo "reference (Chromium print of the results page): runs=$RUNS p50_ms=$median all_ms=$(tr '\n' ',' <<<"$sorted" | sed 's/,$//') pdf_bytes=$(wc -c <"$WORK/print/results-1.pdf")"
echo "ratio reference/service (how many times faster the service is): $(ratio "$median" "$(field "$app" p50_ms)")"
stop_app
