#!/usr/bin/env bash
# Vault benchmarks: the cost of one harvest and of one claim in a vault with 10 positions and in
# one with 100,000, and their ratios — target <= 1.1: neither walks the positions (reward-per-
# share accumulator, ADR 0007). Go benchmarks over an on-disk store (compacted after the
# fixture's write), one block per op: the op runs in a cache of the committed state (timed),
# then the block is written and committed (untimed), as a chain commits every block. Each size
# runs in its own process (VAULT_BENCH_SIZE), so the size measured never shares the heap with
# the other's fixture. Four figures per run: wall ns/op, process CPU ns/op (wall time on a
# shared machine includes waiting for a core), gas/op (the chain's own, deterministic measure)
# and thread CPU ns/op (the op's own thread: without goleveldb's compaction goroutines and the
# garbage collector's background workers, which the process figure counts). Each size runs COUNT (5) consecutive rounds; the ratio is taken of each size's
# fastest round (the one least disturbed by other processes on the machine), and of the medians
# too.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
out=""
for n in 10 100000; do
  out+=$(VAULT_BENCH_SIZE=$n go test ./x/vault/keeper/ -run '^$' -bench 'Harvest|Claim' -benchtime "${BENCHTIME:-2000x}" -count "${COUNT:-5}" 2>&1 | grep -E '^Benchmark(Harvest|Claim)')$'\n'
done
echo "$out"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in Harvest Claim; do
  echo "$out" | awk -v b="$b" '
    function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t } }
    function med(a, n) { sort(a, n); return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
    $1 ~ "^Benchmark" b "/positions=10-" { n++; sn[n]=$3; sc[n]=$5; sg[n]=$7; st[n]=$9 }
    $1 ~ "^Benchmark" b "/positions=100000-" { m++; ln[m]=$3; lc[m]=$5; lg[m]=$7; lt[m]=$9 }
    END {
      a = med(sn, n); c = med(ln, m); d = med(sc, n); e = med(lc, m); f = med(sg, n); g = med(lg, m); x = med(st, n); y = med(lt, m)
      printf "%s, 10 vs 100,000 positions, fastest of %d: wall %d vs %d ns (ratio %.3f), cpu %d vs %d ns (ratio %.3f), gas %d vs %d (ratio %.3f), thread cpu %d vs %d ns (ratio %.3f); target <= 1.1\n",
        b, n, sn[1], ln[1], ln[1]/sn[1], sc[1], lc[1], lc[1]/sc[1], sg[1], lg[1], lg[1]/sg[1], st[1], lt[1], lt[1]/st[1]
      printf "%s, 10 vs 100,000 positions, median of %d: wall %d vs %d ns (ratio %.3f), cpu %d vs %d ns (ratio %.3f), gas %d vs %d (ratio %.3f), thread cpu %d vs %d ns (ratio %.3f)\n",
        b, n, a, c, c/a, d, e, e/d, f, g, g/f, x, y, y/x
    }'
done
