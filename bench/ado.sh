#!/usr/bin/env bash
# ADO benchmark: credential issuance over HTTP (p50/p99 latency, req/s; target p99 < 50 ms,
# >= 500/s). The borrow and rate-change costs with 10 and 100,000 agents are bench/credit.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -bench BenchmarkIssue -benchtime "${ADO_N:-3000}x" ./daemon/ado/ | grep -E '^Benchmark'
