#!/usr/bin/env bash
# Credit benchmarks: the cost of a credentialed borrow and of a rate change (a parameter change
# that re-rates the pool) with 10 and with 100,000 agents in debt, and their ratios — target
# <= 1.1: neither loops over agents (a global borrow index per pool, ADR 0008). Go benchmarks
# over on-disk stores (compacted after each fixture's write), one block per op: the op runs in
# a cache of the committed state (measured), then the block is written and committed, as a
# chain commits every block.
#
# The three fixtures — agents=10, agents=100000, and unrelated=100000 (the store size of
# 100,000 agents made of keys nothing reads: what the tree's size alone costs) — live in one
# process and run interleaved, one block of each per round (internal/benchkit.Compare), so that
# another process, a garbage collection or a compaction falls on all three alike. Each op is
# measured on its own (monotonic clock and the thread's exact CPU clock around the op only);
# the figure compared is the median op. Printed per round: the medians (wall and thread CPU),
# the ratio of medians, of means (made by the slowest ops) and of gas. COUNT (3) rounds of
# BENCHTIME (1000x) blocks per fixture. See x/credit/README.md, "Benchmarks".
set -euo pipefail
cd "$(dirname "$0")/.."
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(go test ./x/credit/keeper/ -run '^$' -bench '^(BenchmarkBorrow|BenchmarkRateChange)$' -benchtime "${BENCHTIME:-1000x}" -count "${COUNT:-3}" 2>&1 | grep -E '^Benchmark')
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$out" | awk '
  { name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name); r[name]++
    for (i = 5; i < NF; i += 2) v[$(i+1)] = $i
    printf "%s round %d: median op %.0f ns (10 agents) vs %.0f ns (100,000 agents) vs %.0f ns (100,000 unrelated keys); thread CPU %.0f vs %.0f vs %.0f ns\n",
      name, r[name], v["agents10-p50-ns"], v["agents100000-p50-ns"], v["unrelated100000-p50-ns"], v["agents10-thread-p50-ns"], v["agents100000-thread-p50-ns"], v["unrelated100000-thread-p50-ns"]
    printf "%s round %d: 100,000/10 agents median %.3f, thread CPU %.3f, mean %.3f, gas %.3f; unrelated/10 median %.3f, thread CPU %.3f; target <= 1.1\n",
      name, r[name], v["agents100000-p50-ratio"], v["agents100000-thread-ratio"], v["agents100000-mean-ratio"], v["agents100000-gas-ratio"], v["unrelated100000-p50-ratio"], v["unrelated100000-thread-ratio"]
    delete v }'
