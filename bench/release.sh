#!/usr/bin/env bash
# Item 9 of docs/PERFORMANCE.md: building a workforce release (the whole
# database: every organisation and the national view), its time and peak
# memory; first a first release, then one built around the release before
# it (as every weekly release after the first is); then the workforce
# views that read it (item 4's script). Releases already built are removed
# first, and the second is made due by bringing the first's next date
# forward.
#
#   bench/release.sh postgres://postgres@127.0.0.1:5432/synthl?sslmode=disable
#   bench/release.sh sqlite:/tmp/synth-l.db
#   VIEWS=no bench/release.sh postgres://postgres@127.0.0.1:5432/synthn?sslmode=disable
source "$(dirname "$0")/lib.sh"
DB=${1:?usage: bench/release.sh DATABASE_URL}
build
for run in 1 2; do
	sql_exec "$DB" "DELETE FROM workforce_cells"
	sql_exec "$DB" "DELETE FROM workforce_releases"
	/usr/bin/time -f "first release, run $run: %e s, peak memory %M KB" "$BIN/app" publish-workforce --database-url "$DB"
	sql_exec "$DB" "UPDATE workforce_releases SET next_at = built_at"
	/usr/bin/time -f "release after it, run $run: %e s, peak memory %M KB" "$BIN/app" publish-workforce --database-url "$DB"
done
echo "cells in the last release: $(sql_value "$DB" "SELECT count(*) FROM workforce_cells WHERE release_id = (SELECT max(id) FROM workforce_releases)")," \
	"suppressed: $(sql_value "$DB" "SELECT count(*) FROM workforce_cells WHERE suppressed AND release_id = (SELECT max(id) FROM workforce_releases)")"
if [[ ${VIEWS:-yes} != no ]]; then
	"$BENCH_DIR/views.sh" "$DB"
fi
