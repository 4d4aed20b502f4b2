#!/usr/bin/env bash
# Pool server load benchmark: valid partials per second that `guildd pool serve` verifies
# (two ed25519 signatures, the proof of space, the difficulty) and durably records, through its
# HTTP handler from 64 concurrent clients, with the p99 latency and the CPU time per partial
# (which does not depend on what else runs on the machine). SQLite always; PostgreSQL when
# GUILD_TEST_POSTGRES_URL is set (.ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${POOL_BENCH_PARTIALS:-20000}"
go test -run '^$' -bench 'BenchmarkPartials' -benchtime "${n}x" ./daemon/pool/ | grep -E '^Benchmark'
