#!/usr/bin/env bash
# Proof-of-space benchmarks. For each k = KMIN…KMAX (default 18…24) it plots, one process per
# plot so that peak RSS is per plot: the previous format (version 1), version 2, and version 2 at
# a compression level (default min(20, k−4), which is the level that gets under 0.87× chiapos's
# size), and prints plot time, CPU time, peak RSS, peak temporary disk, file size, bytes per 2^k
# entries, the ratio to chiapos's file size, proofs found for 100 challenges, and the mean
# qualities and full-proof lookup times on a warm cache. Then it runs the Go benchmarks for
# verification and prover lookups at k = 18.
#
# Run it under the shared lock so no devnet competes:
#   flock /tmp/guild-e2e.lock bash bench/pospace.sh
# It starts by printing the largest k whose plot fits the free disk and the memory here
# (pospacebench -fits), but does not plot it: on this machine that is k = 30 (format 2: 53.0 GiB
# bound, 72 min; format 1: 70.0 GiB, 35 min), run as KMIN=30 KMAX=30 FORMATS="2 1" PHASES=1 bash
# bench/pospace.sh, with its figures in pospace/README.md ("Time at large k").
# Environment: KMIN, KMAX, KEXTRA (more k values, e.g. "26"), LEVEL (fixed compression level),
# FORMATS (default "1 2 2c"), BENCH_DIR (temporary directory), BENCHTIME, GOMAXPROCS,
# PHASES=1 (also print each phase's wall and CPU time and measured disk peak beside its bound),
# MEMORY (bytes of extra memory for format 2's intermediate sections, PlotOptions.Memory).
# disk_mib is the measured peak of allocated blocks of the plot's files (temporary ones too),
# bound_mib EstimateSpace's bound of it.
set -euo pipefail
cd "$(dirname "$0")/.."
KMIN=${KMIN:-18}
KMAX=${KMAX:-24}
FORMATS=${FORMATS:-1 2 2c}
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir/bin"' EXIT
mkdir -p "$dir/bin"
go build -o "$dir/bin/pospacebench" ./bench/pospace
echo "# plotting ($(nproc) cpus, GOMAXPROCS=${GOMAXPROCS:-all}, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "# chiapos (a388902, this machine): k=18 4,009,407 B; k=20 16,796,307; k=22 73,816,238; k=24 323,212,718"
"$dir/bin/pospacebench" -fits -dir "$dir"
echo "#   (run it with KMIN=K KMAX=K FORMATS=\"2 1\" PHASES=1; k = 30's figures on this machine are in pospace/README.md)"
"$dir/bin/pospacebench" -header
for k in $(seq "$KMIN" "$KMAX") ${KEXTRA:-}; do
	for f in $FORMATS; do
		case $f in
		1) "$dir/bin/pospacebench" -k "$k" -format 1 -dir "$dir" ${PHASES:+-phases} ;;
		2) "$dir/bin/pospacebench" -k "$k" -format 2 -dir "$dir" ${PHASES:+-phases} -memory "${MEMORY:-0}" ;;
		2c)
			level=${LEVEL:-$((k - 4 < 20 ? k - 4 : 20))}
			"$dir/bin/pospacebench" -k "$k" -format 2 -compress "$level" -rounds 1 -dir "$dir" ${PHASES:+-phases} -memory "${MEMORY:-0}"
			;;
		esac
	done
done
echo
echo "# verification and prover lookups at k = 18 (go test -bench; format 2, then format 1)"
go test -run '^$' -bench 'BenchmarkVerify|BenchmarkProver' -benchtime "${BENCHTIME:-2s}" ./pospace |
	grep -E '^(Benchmark|ok|FAIL)'
POSPACE_BENCH_FORMAT=1 go test -run '^$' -bench 'BenchmarkProver' -benchtime "${BENCHTIME:-2s}" ./pospace |
	grep -E '^(Benchmark|ok|FAIL)'
