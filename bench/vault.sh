#!/usr/bin/env bash
# Vault benchmarks: the cost of one harvest and of one claim in a vault with 10 positions and in
# one with 100,000, and their ratios — target <= 1.1: neither walks the positions (reward-per-
# share accumulator, ADR 0007). Go benchmarks over on-disk stores (compacted after each
# fixture's write), one block per op: the op runs in a cache of the committed state (measured),
# then the block is written and committed, as a chain commits every block.
#
# The three fixtures — 10 positions, 100,000 positions, and "unrelated" (10 positions plus the
# large fixture's extra store keys under a prefix nothing reads: the same tree sizes) — live in
# one process and run interleaved, one block of each per round (internal/benchkit.Compare), so
# that another process, a garbage collection or a compaction falls on all three alike. Each op
# is measured on its own (monotonic clock and the thread's exact CPU clock around the op only);
# the figure compared is the median op. Printed per round: the medians (wall and thread CPU),
# the ratio of medians, the ratio of means (made by the slowest ops) and the gas ratio.
# COUNT (3) rounds of BENCHTIME (1500x) blocks per fixture. See x/vault/README.md, "Benchmarks".
set -euo pipefail
cd "$(dirname "$0")/.."
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(go test ./x/vault/keeper/ -run '^$' -bench 'HarvestRatio|ClaimRatio' -benchtime "${BENCHTIME:-1500x}" -count "${COUNT:-3}" 2>&1 | grep -E '^Benchmark')
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$out" | awk '
  { name = $1; sub(/Ratio-[0-9]+$/, "", name); sub(/^Benchmark/, "", name); r[name]++
    for (i = 5; i < NF; i += 2) v[$(i+1)] = $i
    large = ""; for (k in v) if (k ~ /^positions[0-9]+-p50-ratio$/) { large = k; sub(/-p50-ratio$/, "", large) }
    printf "%s round %d: median op %.0f ns (10 positions) vs %.0f ns (%s) vs %.0f ns (unrelated); thread CPU %.0f vs %.0f vs %.0f ns; gas %.0f vs %.0f vs %.0f\n",
      name, r[name], v["positions10-p50-ns"], v[large "-p50-ns"], large, v["unrelated-p50-ns"], v["positions10-thread-p50-ns"], v[large "-thread-p50-ns"], v["unrelated-thread-p50-ns"], v["positions10-gas"], v[large "-gas"], v["unrelated-gas"]
    printf "%s round %d: %s/10 median %.3f, thread CPU %.3f, mean %.3f, gas %.3f; unrelated/10 median %.3f, thread CPU %.3f; target <= 1.1\n",
      name, r[name], large, v[large "-p50-ratio"], v[large "-thread-ratio"], v[large "-mean-ratio"], v[large "-gas-ratio"], v["unrelated-p50-ratio"], v["unrelated-thread-ratio"]
    delete v }'
