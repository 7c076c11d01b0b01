#!/usr/bin/env bash
# Item 9 of docs/PERFORMANCE.md: building a workforce release (the whole
# database: every organisation and the national view), its time and peak
# memory, and then the workforce views that read it (item 4's script).
# Any release already built is removed first, so that one is due.
#
#   bench/release.sh postgres://postgres@127.0.0.1:5432/synthl?sslmode=disable
#   bench/release.sh sqlite:/tmp/synth-l.db
#   VIEWS=no bench/release.sh postgres://postgres@127.0.0.1:5432/synthn?sslmode=disable
source "$(dirname "$0")/lib.sh"
DB=${1:?usage: bench/release.sh DATABASE_URL}
build
sql_exec "$DB" "DELETE FROM workforce_cells"
sql_exec "$DB" "DELETE FROM workforce_releases"
for run in 1 2 3; do
	/usr/bin/time -f "release build, run $run: %e s, peak memory %M KB" "$BIN/app" publish-workforce --database-url "$DB"
	sql_exec "$DB" "DELETE FROM workforce_cells"
	sql_exec "$DB" "DELETE FROM workforce_releases"
done
"$BIN/app" publish-workforce --database-url "$DB" >/dev/null
echo "cells in the release: $(sql_value "$DB" "SELECT count(*) FROM workforce_cells")," \
	"suppressed: $(sql_value "$DB" "SELECT count(*) FROM workforce_cells WHERE suppressed")"
if [[ ${VIEWS:-yes} != no ]]; then
	"$BENCH_DIR/views.sh" "$DB"
fi
