#!/usr/bin/env bash
# Market benchmarks:
#  1. end-blocker cost with 10 accounts falling due among 100 vs 100,000 live leases (Go
#     benchmark) and their ratio — target ≤ 1.1;
#  2. committed transactions per second on a real devnet for each kind on its own — bank sends,
#     bookings, claims — with guildd load (offline-signed, explicit sequences), and bookings with
#     claims against bank sends — target: market ≥ 0.8 × bank. bench/throughput.sh measures the
#     mixed book+claim load with many more senders, on one and four validators, and what limits
#     it; this script gives the rate of each message kind alone. N is the number of transactions
#     per kind, SENDERS (8) the senders.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-400}
SENDERS=${SENDERS:-8}

echo "== end-blocker: 10 due accounts among 100 vs 100,000 live leases"
out=$(go test ./x/market/keeper/ -run '^$' -bench 'EndBlocker' -benchtime "${BENCHTIME:-300x}" -count 1 2>&1 | grep -E '^BenchmarkEndBlocker')
echo "$out"
small=$(echo "$out" | awk '/live=100-/ {print $3}')
large=$(echo "$out" | awk '/live=100000-/ {print $3}')
awk -v s="$small" -v l="$large" 'BEGIN { printf "ratio 100,000 / 100 live leases: %.3f (target <= 1.1)\n", l / s }'

echo "== committed tx/s on a devnet, each kind alone (guildd load: n=$N per kind, $SENDERS senders)"
go build -o build/guildd ./cmd/guildd
work=$(mktemp -d)
home=$work/home  # guildd dev creates it; the log lives beside it
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rpc=127.0.0.1:$(port); p2p=127.0.0.1:$(port); grpc=127.0.0.1:$(port); api=127.0.0.1:$(port)
# The load generator reports deployments itself, so the demo node's agent stays off.
./build/guildd dev --home "$home" --without agent --rpc-addr "$rpc" --p2p-addr "$p2p" --grpc-addr "$grpc" --api-addr "$api" \
  --block-time 500ms > "$work/dev.log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 240); do
  grep -q "demo provider" "$work/dev.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "demo provider" "$work/dev.log" || { echo "devnet did not come up"; cat "$work/dev.log"; exit 1; }
for kind in bank book claim; do
  ./build/guildd load --home "$home" --mix "$kind" --senders "$SENDERS" --txs "$N" --duration 0 \
    --seed "market-$kind" --json "$work/$kind.json" > "$work/$kind.txt" 2>&1 || { cat "$work/$kind.txt"; exit 1; }
done
python3 - "$work" <<'PY'
import json, sys
s = {k: json.load(open("%s/%s.json" % (sys.argv[1], k))) for k in ("bank", "book", "claim")}
label = {"bank": "bank sends:     ", "book": "market bookings:", "claim": "market claims:  "}
for k in ("bank", "book", "claim"):
    print("%s %4d tx in %6.2fs = %7.1f tx/s" % (label[k], s[k]["committed"], s[k]["measured_s"], s[k]["committed_tps"]))
market = (s["book"]["committed"] + s["claim"]["committed"]) / (s["book"]["measured_s"] + s["claim"]["measured_s"])
bank = s["bank"]["committed_tps"]
print("market (book+claim) vs bank: %.1f vs %.1f tx/s, ratio %.2f (target >= 0.80)" % (market, bank, market / bank if bank else 0))
PY
