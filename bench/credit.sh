#!/usr/bin/env bash
# Credit benchmarks: the cost of a credentialed borrow and of a rate change (a parameter change
# that re-rates the pool) with 10 and with 100,000 agents in debt, and their ratios — target
# <= 1.1: neither loops over agents (a global borrow index per pool, ADR 0008). Go benchmarks
# over an on-disk store (compacted after the fixture's write), one block per op: the op runs in
# a cache of the committed state (timed), then the block is written and committed (untimed), as
# a chain commits every block. Each case runs in its own process, so the size measured never
# shares the heap with another's fixture: agents=10, agents=100000, and unrelated=100000 (the
# store size of 100,000 agents made of keys nothing reads; rate change only): what the tree's
# size alone costs. Figures: wall ns/op, process CPU ns/op, gas/op and thread CPU ns/op (the
# op's own thread: without goleveldb's compaction goroutines and the collector's workers); COUNT (5) rounds per
# case; ratios of the fastest rounds and of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
out=""
for c in agents=10 agents=100000 unrelated=100000; do
  out+=$(go test ./x/credit/keeper/ -run '^$' -bench "^(BenchmarkBorrow|BenchmarkRateChange)\$/^$c\$" -benchtime "${CREDIT_N:-300}x" -count "${COUNT:-5}" 2>&1 | grep -E '^Benchmark(Borrow|RateChange)')$'\n'
done
echo "$out"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in Borrow RateChange; do
  echo "$out" | awk -v b="$b" '
    function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t } }
    function med(a, n) { sort(a, n); return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
    $1 ~ "^Benchmark" b "/agents=10-" { n++; sn[n]=$3; sc[n]=$5; sg[n]=$7; st[n]=$9 }
    $1 ~ "^Benchmark" b "/agents=100000-" { m++; ln[m]=$3; lc[m]=$5; lg[m]=$7; lt[m]=$9 }
    $1 ~ "^Benchmark" b "/unrelated=100000-" { u++; un[u]=$3; uc[u]=$5; ug[u]=$7; ut[u]=$9 }
    END {
      a = med(sn, n); c = med(ln, m); d = med(sc, n); e = med(lc, m); f = med(sg, n); g = med(lg, m); x = med(st, n); y = med(lt, m)
      printf "%s, 10 vs 100,000 agents, fastest of %d: wall %d vs %d ns (ratio %.3f), cpu %d vs %d ns (ratio %.3f), gas %d vs %d (ratio %.3f), thread cpu %d vs %d ns (ratio %.3f); target <= 1.1\n",
        b, n, sn[1], ln[1], ln[1]/sn[1], sc[1], lc[1], lc[1]/sc[1], sg[1], lg[1], lg[1]/sg[1], st[1], lt[1], lt[1]/st[1]
      printf "%s, 10 vs 100,000 agents, median of %d: wall %d vs %d ns (ratio %.3f), cpu %d vs %d ns (ratio %.3f), gas %d vs %d (ratio %.3f), thread cpu %d vs %d ns (ratio %.3f)\n",
        b, n, a, c, c/a, d, e, e/d, f, g, g/f, x, y, y/x
      if (u) {
        h = med(un, u); i = med(uc, u); z = med(ut, u)
        printf "%s, 10 agents vs 100,000 unrelated keys, median of %d: wall %d vs %d ns (ratio %.3f), cpu %d vs %d ns (ratio %.3f), thread cpu %d vs %d ns (ratio %.3f)\n", b, u, a, h, h/a, d, i, i/d, x, z, z/x
      }
    }'
done
