#!/usr/bin/env bash
# Credit benchmarks: ADO credential issuance over HTTP (p50/p99 latency, req/s; target p99 < 50 ms,
# >= 500/s) and the cost of a borrow and of a rate change with 10 and 100,000 agents in debt
# (target ratio <= 1.1).
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -bench BenchmarkIssue -benchtime "${ADO_N:-3000}x" ./daemon/ado/ | grep -E '^Benchmark'
go test -run '^$' -bench 'BenchmarkBorrow|BenchmarkRateChange' -benchtime "${CREDIT_N:-300}x" ./x/credit/keeper/ | grep -E '^Benchmark'
