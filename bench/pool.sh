#!/usr/bin/env bash
# Pool server load benchmark: valid partials per second that `guildd pool serve` verifies
# (two ed25519 signatures, the proof of space of a real k=18 plot, the difficulty) and durably
# records, through its HTTP handler from 64 concurrent clients, with the p99 latency and the CPU
# time per partial (which does not depend on what else runs on the machine). Both backends:
# SQLite, and PostgreSQL at GUILD_TEST_POSTGRES_URL — when it is unset and Debian's server is
# installed, a private cluster on a spare port is started for the run (fsync on) and stopped
# after. Hold /tmp/guild-e2e.lock while it runs on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${POOL_BENCH_PARTIALS:-20000}"
if [ -z "${GUILD_TEST_POSTGRES_URL:-}" ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PGDIR=$(mktemp -d /tmp/guild-bench-pg.XXXXXX)
  PGPORT="${POOL_BENCH_PG_PORT:-55447}"
  PGAS=(); if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDIR"; PGAS=(runuser -u postgres --); fi
  "${PGAS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres >"$PGDIR/initdb.log"
  "${PGAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1" start >/dev/null
  trap '"${PGAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null || true; rm -rf "$PGDIR"' EXIT
  export GUILD_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable"
fi
[ -n "${GUILD_TEST_POSTGRES_URL:-}" ] || echo "pool bench: no PostgreSQL (install Debian's postgresql): SQLite only" >&2
go test -run '^$' -bench 'BenchmarkPartials' -benchtime "${n}x" -timeout 20m ./daemon/pool/ | grep -E '^Benchmark'
