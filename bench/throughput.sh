#!/usr/bin/env bash
# Throughput: committed tx/s for bank sends and for market bookings + claims with many senders
# (guildd load: offline-signed, explicit sequences, inclusion by block scanning), on one
# validator (guildd dev) and, when `guildd localnet` exists, on four; the ratio market/bank
# (target >= 0.8); and what limits the rate: CPU per process (from /proc), block size and gas per
# block, mempool size over time, and the share of the node's CPU spent verifying signatures (a
# CPU profile from the node's pprof endpoint during the market phase).
# Knobs: SENDERS (64), DURATION (20s), INFLIGHT (16 per sender: the window must exceed what a
# block takes, or the generator, not the chain, sets the rate — the script says which); KEEP, a
# directory that receives the CPU profiles and the load summaries (json) when set; FOUR=0 skips
# the four-validator network.
set -euo pipefail
cd "$(dirname "$0")/.."
SENDERS=${SENDERS:-64}
DURATION=${DURATION:-20s}
INFLIGHT=${INFLIGHT:-16}
BIN=$PWD/build/guildd
[ -x "$BIN" ] || go build -o "$BIN" ./cmd/guildd
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work"/*.pprof "$work"/*validator*.json "$KEEP"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
tck=$(getconf CLK_TCK)
# utime + stime, summed over the given processes
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
# busy ticks of the whole machine (every process, ours and others'), from /proc/stat
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
ncpu=$(nproc)

# phase NAME MIX "NODE_PIDS" RPCS HOME [extra load flags]: runs guildd load, prints its figures
# and the CPU of the node processes (summed) and of the load generator over the phase.
phase() {
  local name=$1 mix=$2 npids=$3 rpcs=$4 home=$5; shift 5
  local t0 c0 t1 c1 lt m0 m1
  echo "  uptime before: $(uptime)"
  # shellcheck disable=SC2086
  t0=$(date +%s.%N); c0=$(cpu_ticks $npids); m0=$(machine_ticks)
  lt=$( { TIMEFORMAT='%U %S'; time "$BIN" load --home "$home" --rpc "$rpcs" --mix "$mix" --senders "$SENDERS" \
        --duration "$DURATION" --in-flight "$INFLIGHT" --json "$work/$name.json" "$@" > "$work/$name.txt" 2>&1; } 2>&1 )
  # shellcheck disable=SC2086
  t1=$(date +%s.%N); c1=$(cpu_ticks $npids); m1=$(machine_ticks)
  sed 's/^/  /' "$work/$name.txt" | grep -v '^  setup:'
  awk -v c0="$c0" -v c1="$c1" -v m0="$m0" -v m1="$m1" -v t0="$t0" -v t1="$t1" -v tck="$tck" -v lt="$lt" -v n="$ncpu" 'BEGIN {
    split(lt, l, " "); el = t1 - t0; node = 100 * (c1 - c0) / tck / el; gen = 100 * (l[1] + l[2]) / el; all = 100 * (m1 - m0) / tck / el
    printf "  cpu over %.1fs: node process(es) %.0f%% of a core, load generator %.0f%%, other processes %.0f%%; machine busy %.0f%% of its %d cores\n", el, node, gen, all - node - gen, all / n, n
    printf "%.1f %.1f %.1f %d\n", node, gen, all, n > "/dev/stderr" }' 2> "$work/$name.cpu"
  echo "  uptime after: $(uptime)"
}

tps() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["committed_tps"])' "$1"; }

# report LABEL: the ratio market/bank of the two phases just run.
report() {
  local bank market
  bank=$(tps "$work/bank.json"); market=$(tps "$work/market.json")
  awk -v b="$bank" -v m="$market" -v l="$1" 'BEGIN { printf "%s: bank %.1f tx/s, market (book+claim) %.1f tx/s, ratio market/bank %.2f (target >= 0.80)\n", l, b, m, (b > 0 ? m / b : 0) }'
  cp "$work/bank.json" "$work/${1// /-}-bank.json"; cp "$work/market.json" "$work/${1// /-}-market.json"
  for f in bank market; do
    python3 - "$work/$f.json" "$SENDERS" "$INFLIGHT" "$f" "$work/$f.cpu" "$2" "$3" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); window = int(sys.argv[2]) * int(sys.argv[3]); b = s["blocks"]; name = sys.argv[4]
node, gen, busy, ncpu = open(sys.argv[5]).read().split(); node, gen, busy, ncpu = float(node), float(gen), float(busy), int(ncpu)
block_time = float(sys.argv[7])
try:
    cp = json.loads(sys.argv[6])["result"]["consensus_params"]["block"]
    max_bytes, max_gas = int(cp["max_bytes"]), int(cp["max_gas"])
except (ValueError, KeyError, TypeError):
    print("  (%s: no consensus params from the node; assuming CometBFT's defaults)" % name)
    max_bytes, max_gas = 22020096, -1
txs, interval, mp = b["mean_txs"], b["mean_interval_s"], s["mempool"]["mean"]
gas_tx = b["mean_gas"] / txs if txs else 0
print("  %s: %.0f gas and %.0f bytes per tx; per block %.0f txs, %.0f gas (max_gas %s), %.0f bytes (%.2f%% of max_bytes %d); one block every %.2fs (target %.2fs); mempool mean %.0f of %d in flight"
      % (name, gas_tx, b["mean_bytes"] / txs if txs else 0, txs, b["mean_gas"], "unlimited" if max_gas < 0 else max_gas,
         b["mean_bytes"], 100 * b["mean_bytes"] / max_bytes, max_bytes, interval, block_time, mp, window))
# What limits the rate, from what was measured (not assumed):
#  - block size or gas: only if blocks come near max_bytes / max_gas;
#  - the generator: if the mempool is nearly empty (the chain waits for transactions), or holds
#    less than 1.5 blocks' worth (each block takes what came in: the window / round trip sets the rate);
#  - CPU: the machine's cores are nearly all busy (the node, the generator and whatever else runs);
#  - otherwise block production: transactions wait in the mempool while blocks take longer than the target.
why = []
if b["mean_bytes"] >= 0.8 * max_bytes: why.append("block size (blocks at %.0f%% of max_bytes)" % (100 * b["mean_bytes"] / max_bytes))
if max_gas > 0 and b["mean_gas"] >= 0.8 * max_gas: why.append("block gas (blocks at %.0f%% of max_gas)" % (100 * b["mean_gas"] / max_gas))
backlog = mp / txs if txs else 0  # how many blocks' worth of transactions wait in the mempool
if mp < 0.1 * window: why.append("the generator (mempool mean %.0f: the chain waits for transactions)" % mp)
elif backlog < 1.5 and busy < 85 * ncpu: why.append("the generator's window: blocks take what is in the mempool (%.1f blocks' worth waits), so tx/s = %d in flight / their round trip of a block wait + a block; a larger INFLIGHT raises it" % (backlog, window))
if busy >= 85 * ncpu: why.append("CPU: the machine's %d cores were %.0f%% busy (node %.0f%%, generator %.0f%%, other processes %.0f%% of a core)" % (ncpu, busy / ncpu, node, gen, busy - node - gen))
if not why and interval > 1.15 * block_time: why.append("block production: %.0f txs wait in the mempool while a block takes %.2fs against a %.2fs target (node %.0f%% of a core)" % (mp, interval, block_time, node))
print("  %s: limited by %s" % (name, "; ".join(why) if why else "nothing measured here (blocks on time, mempool busy, cores free)"))
PY
  done
}

# sigshare PROFILE...: the share of samples under signature verification (several profiles, one
# per node, are merged: the shares are of all the nodes' samples together).
sigshare() {
  go tool pprof -top -cum "$@" 2>/dev/null | awk '
    /Duration:/ { print "  profile:", $0 }
    /flat%/ { hdr = 1; next }
    hdr && /secp256k1.*Verify|VerifySignature|SigVerification|ed25519.*Verify/ { if (!seen[$NF]++) printf "  signature checks: %s cum  %s\n", $5, $NF; n++ }
    hdr && n >= 6 { exit }'
  echo "  top of the profile (flat):"
  go tool pprof -top "$@" 2>/dev/null | awk '/flat%/ { hdr = 1; next } hdr && c < 12 { printf "    %s %s\n", $2, $NF; c++ }'
  echo "  where the time goes (cumulative, selected stages):"
  go tool pprof -top -cum "$@" 2>/dev/null | awk '/flat%/ { hdr = 1; next }
    hdr && $NF ~ /BaseApp\)\.(FinalizeBlock|CheckTx|Commit|runTx)$|rootmulti.*\(\*Store\)\.Commit$|iavl.*SaveVersion$|ante\.SigVerificationDecorator\.AnteHandle$|market\/keeper\.msgServer\.(Book|Claim)$|bank\/keeper\.msgServer\.Send$|runtime\.gcBgMarkWorker$|mempool.*CheckTx|consensus.*finalizeCommit$|encoding\/json\.Marshal$|encoding\/json\.Unmarshal$/ && !seen[$NF]++ { printf "    %s cum  %s\n", $5, $NF }' || true
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
curl -s -o "$work/cpu-1val.pprof" "http://$pprof/debug/pprof/profile?seconds=10" &
prof=$!
phase market book=1,claim=1 "$devpid" "$rpc" "$home"
wait "$prof" || true
report "1 validator" "$(curl -s "http://$rpc/consensus_params")" 1
[ -s "$work/cpu-1val.pprof" ] && sigshare "$work/cpu-1val.pprof" || echo "  (no cpu profile: the node's pprof endpoint did not answer)"
kill -INT "$devpid"; wait "$devpid" 2>/dev/null || true

if [ "${FOUR:-1}" = 0 ]; then
  echo "== four validators: skipped (FOUR=0)"
  exit 0
fi
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
  --genesis-params "$work/params.json" --snapshot-interval 0 --node-log-level error --pprof > "$work/localnet.log" 2>&1 \
  || { echo "localnet did not come up"; tail -20 "$work/localnet.log"; exit 1; }
rpcs=127.0.0.1:$((base + 1)),127.0.0.1:$((base + 11)),127.0.0.1:$((base + 21)),127.0.0.1:$((base + 31))
lpids="$(cat "$lhome"/node*/guildd.pid | tr '\n' ' ')"
"$BIN" load --home "$lhome" --rpc "$rpcs" --senders "$SENDERS" --mix bank,book,claim --txs 1 > "$work/setup.txt" 2>&1 || { cat "$work/setup.txt"; exit 1; }
echo "-- bank sends"
phase bank bank "$lpids" "$rpcs" "$lhome"
echo "-- market bookings + claims"
profs=()
for i in 0 1 2 3; do
  curl -s -o "$work/cpu$i.pprof" "http://127.0.0.1:$((base + 10 * i + 4))/debug/pprof/profile?seconds=10" &
  profs+=("$!")
done
phase market book=1,claim=1 "$lpids" "$rpcs" "$lhome"
for p in "${profs[@]}"; do wait "$p" || true; done
report "4 validators" "$(curl -s "http://127.0.0.1:$((base + 1))/consensus_params")" 1
got=()
for i in 0 1 2 3; do [ -s "$work/cpu$i.pprof" ] && got+=("$work/cpu$i.pprof"); done
if [ ${#got[@]} -gt 0 ]; then
  echo "  cpu profile of the market phase, ${#got[@]} node processes merged:"
  sigshare "${got[@]}"
else
  echo "  (no cpu profile: the nodes' pprof endpoints did not answer)"
fi
