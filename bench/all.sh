#!/usr/bin/env bash
# Every measurement of docs/PERFORMANCE.md in one go, on databases already
# seeded with `app seed-synthetic` (see bench/seed.sh). Results are printed
# and kept in docs/performance/results-DATE.txt.
#
#   bench/all.sh
set -euo pipefail
cd "$(dirname "$0")"
PG=${PG:-postgres://postgres@127.0.0.1:5432}
PG_S=${PG_S:-$PG/synths?sslmode=disable}
PG_L=${PG_L:-$PG/synthl?sslmode=disable}
PG_N=${PG_N:-$PG/synthn?sslmode=disable}
SQLITE_S=${SQLITE_S:-sqlite:/tmp/synth-s.db}
SQLITE_L=${SQLITE_L:-sqlite:/tmp/synth-l.db}
mkdir -p ../docs/performance
out="../docs/performance/results-$(date +%F).txt"
{
	echo "# $(date -u '+%F %H:%M UTC') on $(nproc) cores of $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB; $(psql -V); $(go version)"
	# Reads first, on the tables as seeding settled them; writes last.
	for t in S L N; do
		url=PG_$t
		echo "## views, tier $t, PostgreSQL"; ./views.sh "${!url}"
		echo "## board report, tier $t, PostgreSQL"; ./report.sh "${!url}"
	done
	for t in S L; do
		url=SQLITE_$t
		echo "## views, tier $t, SQLite"; ./views.sh "${!url}"
		echo "## board report, tier $t, SQLite"; ./report.sh "${!url}"
	done
	echo "## questionnaire page, tier L, PostgreSQL"; ./page.sh "$PG_L"
	echo "## writes, tier L, PostgreSQL"; ./writes.sh "$PG_L"
	echo "## 50 sign-ins at once, SQLite"; ./signins.sh
} 2>&1 | tee "$out"
