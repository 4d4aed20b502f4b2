#!/usr/bin/env bash
# Runs every benchmark of the project and prints its figures: the Go benchmarks, then every
# other script under bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== go benchmarks"
go test -run '^$' -bench . -benchmem -benchtime 1x ./... 2>/dev/null | grep -E '^(Benchmark|ok|pkg)' || true
for s in bench/*.sh; do
  [ "$s" = bench/run.sh ] && continue
  echo "== $s"
  bash "$s"
done
