#!/usr/bin/env bash
# Creates and seeds the benchmark tiers: S (1 trust, 1,000 staff), L (1
# trust, 28,000 staff) and N (250 organisations, 1.5 million staff) on
# PostgreSQL, and S and L on SQLite. Existing tier databases are replaced.
#
#   bench/seed.sh            all tiers
#   bench/seed.sh S L        only these
source "$(dirname "$0")/lib.sh"
PG=${PG:-postgres://postgres@127.0.0.1:5432}
tiers=("$@")
[[ ${#tiers[@]} -gt 0 ]] || tiers=(S L N)
build
for tier in "${tiers[@]}"; do
	case $tier in
	S) orgs=1 staff=1000 ;;
	L) orgs=1 staff=28000 ;;
	N) orgs=250 staff=1500000 ;;
	*) echo "unknown tier $tier (S, L or N)" >&2; exit 1 ;;
	esac
	name=synth${tier,,}
	psql "$PG/postgres" -Xq -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
	url="$PG/$name?sslmode=disable"
	"$BIN/app" migrate --database-url "$url" >/dev/null
	echo "== tier $tier on PostgreSQL ($url)"
	/usr/bin/time -f "tier $tier PostgreSQL: %e s, peak memory %M KB" "$BIN/app" seed-synthetic --database-url "$url" --organisations "$orgs" --staff "$staff"
	if [[ $tier != N ]]; then
		file=/tmp/synth-${tier,,}.db
		rm -f "$file" "$file-wal" "$file-shm"
		"$BIN/app" migrate --database-url "sqlite:$file" >/dev/null
		echo "== tier $tier on SQLite ($file)"
		/usr/bin/time -f "tier $tier SQLite: %e s, peak memory %M KB" "$BIN/app" seed-synthetic --database-url "sqlite:$file" --organisations "$orgs" --staff "$staff"
	fi
done
