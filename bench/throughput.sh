#!/usr/bin/env bash
# Throughput: committed tx/s for bank sends and for market bookings + claims with many senders
# (guildd load: offline-signed, explicit sequences, inclusion by block scanning), on one
# validator (guildd dev) and, when `guildd localnet` exists, on four; the ratio market/bank
# (target >= 0.8); and what limits the rate: CPU per process (from /proc), block size and gas per
# block, mempool size over time, and the share of the node's CPU spent verifying signatures (a
# CPU profile from the node's pprof endpoint during the market phase).
# Knobs: SENDERS (64), DURATION (20s), INFLIGHT (16 per sender: the window must exceed what a
# block takes, or the generator, not the chain, sets the rate — the script says which).
set -euo pipefail
cd "$(dirname "$0")/.."
SENDERS=${SENDERS:-64}
DURATION=${DURATION:-20s}
INFLIGHT=${INFLIGHT:-16}
BIN=$PWD/build/guildd
[ -x "$BIN" ] || go build -o "$BIN" ./cmd/guildd
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
tck=$(getconf CLK_TCK)
# utime + stime, summed over the given processes
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }

# phase NAME MIX "NODE_PIDS" RPCS HOME [extra load flags]: runs guildd load, prints its figures
# and the CPU of the node processes (summed) and of the load generator over the phase.
phase() {
  local name=$1 mix=$2 npids=$3 rpcs=$4 home=$5; shift 5
  local t0 c0 t1 c1 lt
  # shellcheck disable=SC2086
  t0=$(date +%s.%N); c0=$(cpu_ticks $npids)
  lt=$( { TIMEFORMAT='%U %S'; time "$BIN" load --home "$home" --rpc "$rpcs" --mix "$mix" --senders "$SENDERS" \
        --duration "$DURATION" --in-flight "$INFLIGHT" --json "$work/$name.json" "$@" > "$work/$name.txt" 2>&1; } 2>&1 )
  # shellcheck disable=SC2086
  t1=$(date +%s.%N); c1=$(cpu_ticks $npids)
  sed 's/^/  /' "$work/$name.txt" | grep -v '^  setup:'
  awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v tck="$tck" -v lt="$lt" 'BEGIN {
    split(lt, l, " "); el = t1 - t0
    printf "  cpu over %.1fs: node process(es) %.0f%% of a core, load generator %.0f%% (2 cores on this machine)\n", el, 100 * (c1 - c0) / tck / el, 100 * (l[1] + l[2]) / el }'
}

tps() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["committed_tps"])' "$1"; }

# report LABEL: the ratio market/bank of the two phases just run.
report() {
  local bank market
  bank=$(tps "$work/bank.json"); market=$(tps "$work/market.json")
  awk -v b="$bank" -v m="$market" -v l="$1" 'BEGIN { printf "%s: bank %.1f tx/s, market (book+claim) %.1f tx/s, ratio market/bank %.2f (target >= 0.80)\n", l, b, m, (b > 0 ? m / b : 0) }'
  cp "$work/bank.json" "$work/$1-bank.json"; cp "$work/market.json" "$work/$1-market.json"
  for f in bank market; do
    python3 - "$work/$f.json" "$SENDERS" "$INFLIGHT" "$f" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); window = int(sys.argv[2]) * int(sys.argv[3]); b = s["blocks"]
limit = ("the generator's window (blocks carry %.0f of the %d txs in flight on average)" % (b["mean_txs"], window) if b["mean_txs"] >= 0.9 * window
         else "the chain: blocks carry %.0f of the %d txs in flight (mempool mean %.0f)" % (b["mean_txs"], window, s["mempool"]["mean"]))
print("  %s: limited by %s; %.0f gas and %.0f bytes per block, one block every %.2fs" % (sys.argv[4], limit, b["mean_gas"], b["mean_bytes"], b["mean_interval_s"]))
PY
  done
}

# sigshare PROFILE: the share of samples under signature verification.
sigshare() {
  go tool pprof -top -cum "$1" 2>/dev/null | awk '
    /Duration:/ { print "  profile:", $0 }
    /flat%/ { hdr = 1; next }
    hdr && /secp256k1.*Verify|VerifySignature|SigVerification|ed25519.*Verify/ { if (!seen[$NF]++) printf "  signature checks: %s cum  %s\n", $5, $NF; n++ }
    hdr && n >= 6 { exit }'
  echo "  top of the profile (flat):"
  go tool pprof -top "$1" 2>/dev/null | awk '/flat%/ { hdr = 1; next } hdr && c < 8 { printf "    %s %s\n", $2, $NF; c++ }'
}

echo "== one validator (guildd dev, ${SENDERS} senders, ${DURATION} per phase, in-flight ${INFLIGHT})"
home=$work/dev
rpc=127.0.0.1:$(port); pprof=127.0.0.1:$(port)
# Every sender books during the market phase: allow more live leases per account than the
# default 100; the load generator reports deployments itself, so the demo agent stays off.
echo '{"market":{"max_leases_per_account":1000}}' > "$work/params.json"
GUILDD_RPC_PPROF_LADDR=$pprof "$BIN" dev --home "$home" --genesis-params "$work/params.json" --without agent \
  --rpc-addr "$rpc" --p2p-addr 127.0.0.1:$(port) --grpc-addr 127.0.0.1:$(port) --api-addr 127.0.0.1:$(port) \
  --block-time 1s > "$work/dev.log" 2>&1 &
devpid=$!; pids+=("$devpid")
for _ in $(seq 1 240); do grep -q "demo provider" "$work/dev.log" 2>/dev/null && break; sleep 0.5; done
grep -q "demo provider" "$work/dev.log" || { echo "devnet did not come up"; cat "$work/dev.log"; exit 1; }
# Fund every sender, escrow and the claims' leases once (untimed); the phases reuse them.
"$BIN" load --home "$home" --rpc "$rpc" --senders "$SENDERS" --mix bank,book,claim --txs 1 > "$work/setup.txt" 2>&1 || { cat "$work/setup.txt"; exit 1; }
echo "-- bank sends"
phase bank bank "$devpid" "$rpc" "$home"
echo "-- market bookings + claims"
curl -s -o "$work/cpu.pprof" "http://$pprof/debug/pprof/profile?seconds=10" &
prof=$!
phase market book=1,claim=1 "$devpid" "$rpc" "$home"
wait "$prof" || true
report "1 validator"
[ -s "$work/cpu.pprof" ] && sigshare "$work/cpu.pprof" || echo "  (no cpu profile: the node's pprof endpoint did not answer)"
kill -INT "$devpid"; wait "$devpid" 2>/dev/null || true

if ! "$BIN" localnet --help > /dev/null 2>&1; then
  echo "== four validators: skipped (this guildd has no localnet command)"
  exit 0
fi
echo "== four validators (guildd localnet, ${SENDERS} senders spread over the four rpcs, ${DURATION} per phase)"
lhome=$work/localnet
base=$(python3 -c 'import socket,random
for _ in range(100):
    b = random.randrange(20000, 50000, 10); ok = True
    for p in range(b, b + 40):
        s = socket.socket()
        try: s.bind(("127.0.0.1", p))
        except OSError: ok = False
        finally: s.close()
    if ok: print(b); break')
stop_localnet() { "$BIN" localnet stop --home "$lhome" > /dev/null 2>&1 || true; }
trap 'stop_localnet; cleanup' EXIT
"$BIN" localnet start --home "$lhome" --detach --validators 4 --base-port "$base" --block-time 1s \
  --genesis-params "$work/params.json" --snapshot-interval 0 --node-log-level error > "$work/localnet.log" 2>&1 \
  || { echo "localnet did not come up"; tail -20 "$work/localnet.log"; exit 1; }
rpcs=127.0.0.1:$((base + 1)),127.0.0.1:$((base + 11)),127.0.0.1:$((base + 21)),127.0.0.1:$((base + 31))
lpids="$(cat "$lhome"/node*/guildd.pid | tr '\n' ' ')"
"$BIN" load --home "$lhome" --rpc "$rpcs" --senders "$SENDERS" --mix bank,book,claim --txs 1 > "$work/setup.txt" 2>&1 || { cat "$work/setup.txt"; exit 1; }
echo "-- bank sends"
phase bank bank "$lpids" "$rpcs" "$lhome"
echo "-- market bookings + claims"
phase market book=1,claim=1 "$lpids" "$rpcs" "$lhome"
report "4 validators"
