#!/usr/bin/env bash
# Market benchmarks:
#  1. end-blocker cost with 10 accounts falling due among 100 vs 100,000 live leases (Go
#     benchmark) and their ratio — target ≤ 1.1;
#  2. committed transactions per second on a real devnet: bookings and claims against bank sends,
#     all signed offline and broadcast back to back — target: market ≥ 0.8 × bank.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-400}

echo "== end-blocker: 10 due accounts among 100 vs 100,000 live leases"
out=$(go test ./x/market/keeper/ -run '^$' -bench 'EndBlocker' -benchtime "${BENCHTIME:-300x}" -count 1 2>&1 | grep -E '^BenchmarkEndBlocker')
echo "$out"
small=$(echo "$out" | awk '/live=100-/ {print $3}')
large=$(echo "$out" | awk '/live=100000-/ {print $3}')
awk -v s="$small" -v l="$large" 'BEGIN { printf "ratio 100,000 / 100 live leases: %.3f (target <= 1.1)\n", l / s }'

echo "== committed tx/s on a devnet (n=$N per phase)"
go build -o build/guildd ./cmd/guildd
work=$(mktemp -d)
home=$work/home  # guildd dev creates it; the log lives beside it
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rpc=127.0.0.1:$(port); p2p=127.0.0.1:$(port); grpc=127.0.0.1:$(port); api=127.0.0.1:$(port)
# One tenant books every lease, so allow it more than the default 100 live leases; the load
# generator reports deployments itself, so the demo node's agent stays off.
echo '{"market":{"max_leases_per_account":2000}}' > "$work/params.json"
./build/guildd dev --home "$home" --genesis-params "$work/params.json" --without agent --rpc-addr "$rpc" --p2p-addr "$p2p" --grpc-addr "$grpc" --api-addr "$api" \
  --block-time 500ms > "$work/dev.log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 240); do
  grep -q "demo provider" "$work/dev.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "demo provider" "$work/dev.log" || { echo "devnet did not come up"; cat "$work/dev.log"; exit 1; }
go run ./bench/marketload --home "$home" -n "$N"
