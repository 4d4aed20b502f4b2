#!/usr/bin/env bash
# Vault benchmarks: the cost of one harvest and of one claim in a vault with 10 positions and in
# one with 100,000, and their ratios — target <= 1.1: neither walks the positions (reward-per-
# share accumulator, ADR 0007). Go benchmarks over an on-disk store reopened after commit, as a
# node keeps it. Three figures per run: wall ns/op, process CPU ns/op (wall time on a shared
# machine includes waiting for a core) and gas/op (the chain's own, deterministic measure).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test ./x/vault/keeper/ -run '^$' -bench 'Harvest|Claim' -benchtime "${BENCHTIME:-2000x}" -count 1 2>&1 | grep -E '^Benchmark(Harvest|Claim)')
echo "$out"
for b in Harvest Claim; do
  echo "$out" | awk -v b="$b" '
    $1 ~ "^Benchmark" b "/positions=10-" { s["ns"]=$3; s["cpu"]=$5; s["gas"]=$7 }
    $1 ~ "^Benchmark" b "/positions=100000-" { l["ns"]=$3; l["cpu"]=$5; l["gas"]=$7 }
    END {
      printf "%s, 10 vs 100,000 positions: wall %d vs %d ns (ratio %.3f), cpu %d vs %d ns (ratio %.3f), gas %d vs %d (ratio %.3f); target <= 1.1\n",
        b, s["ns"], l["ns"], l["ns"]/s["ns"], s["cpu"], l["cpu"], l["cpu"]/s["cpu"], s["gas"], l["gas"], l["gas"]/s["gas"]
    }'
done
