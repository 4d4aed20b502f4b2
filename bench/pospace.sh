#!/usr/bin/env bash
# Proof-of-space benchmarks: plots k = KMIN…KMAX (default 18…24) one process per k and prints
# plotting time, CPU time, peak resident memory and bytes per entry; then runs the Go benchmarks
# for verification and prover lookups. Run from anywhere; uses a temporary directory
# (override with BENCH_DIR). GOMAXPROCS limits the plotter's cores as usual.
set -euo pipefail
cd "$(dirname "$0")/.."
KMIN=${KMIN:-18}
KMAX=${KMAX:-24}
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir/bin"' EXIT
mkdir -p "$dir/bin"
go build -o "$dir/bin/pospacebench" ./bench/pospace
echo "# plotting ($(nproc) cpus, GOMAXPROCS=${GOMAXPROCS:-all})"
"$dir/bin/pospacebench" -header
for k in $(seq "$KMIN" "$KMAX"); do
	"$dir/bin/pospacebench" -k "$k" -dir "$dir"
done
echo
echo "# verification and prover lookups (go test -bench)"
go test -run '^$' -bench 'BenchmarkVerify|BenchmarkProver' -benchtime "${BENCHTIME:-2s}" ./pospace |
	grep -E '^(Benchmark|ok|FAIL)'
