#!/usr/bin/env bash
# Compares the Go benchmarks of two checkouts with benchstat, interleaving
# the runs (old, new, old, new, ...) so that a change in the machine's load
# falls on both alike. Benchmarks that moved package are matched by name.
#   bench/compare.sh OLD_DIR NEW_DIR [ROUNDS]
# benchstat: go install golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
set -euo pipefail
old=$1 new=$2 rounds=${3:-6}
out=$(mktemp -d)
run() { # dir file
  (cd "$1" && TEST_DATABASE_URL= go test -run '^$' -bench . -benchmem -count 1 \
    $(go list ./... | grep -v /bench/) 2>&1 | grep -E '^(Benchmark|goos|goarch|pkg|cpu)' >> "$2")
}
for _ in $(seq 1 "$rounds"); do
  run "$old" "$out/old.txt"
  run "$new" "$out/new.txt"
done
benchstat -ignore pkg "$out/old.txt" "$out/new.txt"
