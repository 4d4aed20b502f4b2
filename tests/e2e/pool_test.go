package e2e

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool"
	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/internal/devnet"
)

// poolFarmer is one farmer of TestPool: its fee payer, plot keys (the first is also the pool
// contract's owner key), pool contract, plots and the fresh address the pool pays.
type poolFarmer struct {
	submitter, owner, contract, payout string
	plotKeys                           []string
	reward, plots, data                string
}

// TestPool runs `guildd pool serve` as the demo pool operator against a real devnet (without the
// devnet's own pool server and farmer), two farmers — one k=18 plot and two — that join the pool
// on chain and farm to it with `guildd farmer run --pool-url`, and checks: partials are credited
// at the pool; the pool absorbs its members' rewards; every payout the pool recorded as confirmed
// is on chain at the farmer's payout address, to the unit; the pool's ledger balances (rewards =
// unassigned + fee + dust + balances + in flight + paid); kill -9 at each step of a payout pays
// nobody twice; at the signage points the pool credited each farmer for, it credited exactly
// the partials the farmer's plots make (recomputed from the plot files: none lost, none extra,
// points the sum of their difficulties); every round's split (GET /payouts) replays exactly from its recorded
// points, which match the partials the pool recorded; and after the second farmer leaves on chain, the pool stops crediting it once the
// relative lock ends, while its later rewards go to its own contract and owner, to the unit.
func TestPool(t *testing.T) {
	d := StartDevnet(t, Options{ExtraArgs: []string{"--without", "pool,farmer"}})
	ctx := context.Background()
	began := time.Now()
	phase := func(what string) { t.Logf("%6.1fs %s", time.Since(began).Seconds(), what) }
	poolAddr := d.Addr("pool")
	newKey := func(name string, args ...string) string {
		_, err := d.CLI(append([]string{"keys", "add", name, "--keyring-backend", "test"}, args...)...)
		require.NoError(t, err)
		out, err := d.CLI("keys", "show", name, "-a", "--keyring-backend", "test")
		require.NoError(t, err)
		return strings.TrimSpace(string(out))
	}
	pubHex := func(name string) string {
		out, err := d.CLI("keys", "show", name, "--keyring-backend", "test", "--output", "json")
		require.NoError(t, err)
		var keyInfo struct {
			PubKey string `json:"pubkey"`
		}
		require.NoError(t, json.Unmarshal(out, &keyInfo))
		var pk struct {
			Key []byte `json:"key"`
		}
		require.NoError(t, json.Unmarshal([]byte(keyInfo.PubKey), &pk))
		require.Len(t, pk.Key, 32)
		return hex.EncodeToString(pk.Key)
	}

	// The pool server, a real process with its own home.
	dir := filepath.Join(d.Home, "testpool")
	require.NoError(t, os.MkdirAll(dir, 0o750))
	cfg := pool.DefaultConfig(dir)
	cfg.Server.Listen = freeAddr(t)
	cfg.Pool.URL = "http://" + cfg.Server.Listen
	cfg.Pool.Address = poolAddr
	cfg.Pool.MinDifficulty, cfg.Pool.DefaultDifficulty = 1, 1
	cfg.Pool.RelativeLock = 10
	cfg.Payout.PPLNSWindow = pool.Duration(time.Hour)
	// Short loops (the devnet's blocks are 300 ms): a round every 4 s, absorbs and membership
	// every second.
	cfg.Payout.Interval = pool.Duration(4 * time.Second)
	cfg.Payout.AbsorbInterval = pool.Duration(time.Second)
	cfg.Payout.MinPayout = 1
	// A payout signed while one of the pool's absorb transactions is in the mempool is refused
	// (sequence); it is re-signed after this many blocks.
	cfg.Payout.TxTimeoutBlocks = 8
	cfg.Chain.RPC, cfg.Chain.GRPC, cfg.Chain.ChainID = d.Info.RPC, d.Info.GRPC, d.Info.ChainID
	cfg.Chain.KeyringDir, cfg.Chain.Key = d.Home, devnet.Pool
	cfg.Log.Format = "text"
	cfgPath := filepath.Join(dir, "pool.toml")
	poolLog := filepath.Join(dir, "pool.log")
	writeCfg := func() {
		raw, err := cfg.Marshal()
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(cfgPath, raw, 0o600))
	}
	startPool := func() *exec.Cmd {
		logf, err := os.OpenFile(poolLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		require.NoError(t, err)
		cmd := exec.Command(d.Bin, "pool", "serve", "--config", cfgPath, "--pool-home", dir)
		cmd.Stdout, cmd.Stderr = logf, logf
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait(); logf.Close() })
		return cmd
	}
	dumpLogs := func() string {
		var b strings.Builder
		for _, f := range []string{poolLog, filepath.Join(d.Home, "pf1.log"), filepath.Join(d.Home, "pf2.log")} {
			bz, _ := os.ReadFile(f)
			s := string(bz)
			if len(s) > 6000 {
				s = s[len(s)-6000:]
			}
			fmt.Fprintf(&b, "==== %s\n%s\n", f, s)
		}
		return b.String()
	}
	var onPoll func() // reads the open stretch's new signage points (below)
	wait := func(timeout time.Duration, what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(timeout)
		for time.Now().Before(deadline) {
			if cond() {
				return
			}
			if onPoll != nil {
				onPoll()
			}
			time.Sleep(250 * time.Millisecond)
		}
		t.Fatalf("timed out waiting for %s\n%s", what, dumpLogs())
	}
	writeCfg()
	srv := startPool()
	wait(30*time.Second, "the pool's /pool_info", func() bool {
		resp, err := http.Get(cfg.Pool.URL + "/pool_info")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var info struct {
			Target string `json:"target_puzzle_hash"`
		}
		return resp.StatusCode == 200 && json.NewDecoder(resp.Body).Decode(&info) == nil && info.Target == poolAddr
	})

	phase("pool server up")

	// Two farmers: the demo farmer (contract 1, owned by its first plot key) with one k=18 plot,
	// and a second one with its own owner key, contract 2 and two plots, whose proofs a separate
	// account submits (so that the owner's balance moves only by what its contract pays it). Each
	// has a fresh payout address. The three plots are made in parallel, beside the join txs.
	farmer2 := newKey("farmer2")
	f2sub := newKey("f2submit")
	newKey("f2plot", "--algo", "ed25519")
	newKey("f2plotb", "--algo", "ed25519")
	d.Tx("tenant", "bank", "multi-send", d.Addr("tenant"), farmer2, f2sub, "100000000ugld")
	res := d.Tx("farmer2", "farming", "create-pool-contract", pubHex("f2plot"))
	require.Equal(t, "2", strings.Trim(res.Attr("guild.farming.v1.EventPoolContractCreated", "id"), `"`))
	farmers := []*poolFarmer{
		{submitter: devnet.Farmer, owner: devnet.Farmer, plotKeys: []string{devnet.PlotKeys()[0]}, contract: "1", payout: newKey("payout1"), reward: newKey("reward1")},
		{submitter: "f2submit", owner: "farmer2", plotKeys: []string{"f2plot", "f2plotb"}, contract: "2", payout: newKey("payout2"), reward: newKey("reward2")},
	}
	var plotting sync.WaitGroup
	plotErrs := make(chan error, 3)
	for i, f := range farmers {
		f.plots = filepath.Join(d.Home, fmt.Sprintf("pplots%d", i+1))
		f.data = filepath.Join(d.Home, fmt.Sprintf("pf%d", i+1))
		for _, key := range f.plotKeys {
			plotting.Add(1)
			go func(contract, key, dir string) {
				defer plotting.Done()
				_, err := d.CLI("plots", "create", "-k", "18", "--pool-contract", contract, "--key", key, "--dir", dir, "--keyring-backend", "test", "--workers", "1")
				plotErrs <- err
			}(f.contract, key, f.plots)
		}
	}
	for _, f := range farmers {
		d.Tx(f.owner, "farming", "join-pool", f.contract, poolAddr, cfg.Pool.URL, "10")
		c := d.poolContract(t, f.contract)
		require.Equal(t, "POOL_STATE_FARMING_TO_POOL", c.State)
		require.Equal(t, poolAddr, c.Target)
	}
	plotting.Wait()
	close(plotErrs)
	for err := range plotErrs {
		require.NoError(t, err)
	}
	phase("farmers joined, 3 plots made")
	for i, f := range farmers {
		flags := []string{"farmer", "run", "--home", d.Home,
			"--rpc", "tcp://" + d.ports["rpc"], "--chain-id", d.Info.ChainID, "--keyring-dir", d.Home, "--keyring-backend", "test",
			"--submitter", f.submitter, "--plot-keys", strings.Join(f.plotKeys, ","), "--plot-dirs", f.plots, "--reward-address", f.reward,
			"--pool-contracts", f.contract, "--data-dir", f.data, "--listen", "", "--log-format", "text",
			"--pool-url", cfg.Pool.URL, "--pool-owner-key", f.plotKeys[0], "--pool-payout-address", f.payout}
		cmd := exec.Command(d.Bin, flags...)
		logf, err := os.Create(filepath.Join(d.Home, fmt.Sprintf("pf%d.log", i+1)))
		require.NoError(t, err)
		cmd.Stdout, cmd.Stderr = logf, logf
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait(); logf.Close() })
	}

	// The pool's own records, read from its SQLite store (WAL: a reader beside the server).
	openStore := func() store.Store {
		s, err := store.Open(ctx, cfg.Store.URL)
		require.NoError(t, err)
		return s
	}
	launchers := map[string]store.Key{}
	wait(60*time.Second, "both farmers known to the pool with recorded partials", func() bool {
		s := openStore()
		defer s.Close()
		fs, err := s.Farmers(ctx)
		require.NoError(t, err)
		for _, f := range fs {
			ps, err := s.RecentPartials(ctx, f.LauncherID, 10)
			require.NoError(t, err)
			if f.IsMember && len(ps) > 0 {
				launchers[fmt.Sprint(f.ContractID)] = f.LauncherID
			}
		}
		return len(launchers) == 2
	})
	phase("both farmers joined and have partials credited")
	// Stretches of signage points while the pool server runs and both farmers are members: the
	// proofs of their plots good enough for the pool must be credited (checkPartialsExact, at
	// the end). A stretch starts 5 signage points after a (re)start, once the server's subscription
	// feeds its cache, and ends 5 before a stop, so that those partials have arrived. Its
	// signage points are read as it goes (every poll of wait), as the chain keeps only the last
	// 100.
	exactView := newChainView(t, d)
	exactFrom := exactView.latestSP() + 1
	var stretches []spStretch
	var open *spStretch
	collect := func() {
		to := exactView.latestSP() - 5
		if exactFrom == 1<<62 || to < exactFrom {
			return
		}
		if open == nil {
			open = &spStretch{lo: exactFrom, hi: exactFrom - 1}
		}
		if to > open.hi {
			more := exactView.signagePoints(open.hi+1, to)
			open.sps, open.hi = append(open.sps, more.sps...), to
		}
	}
	onPoll = collect
	poolDown := func() {
		collect()
		if open != nil {
			stretches = append(stretches, *open)
		}
		open, exactFrom = nil, 1<<62
	}
	poolUp := func() {
		wait(30*time.Second, "the restarted pool's /pool_info", func() bool {
			resp, err := http.Get(cfg.Pool.URL + "/pool_info")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
		exactFrom = exactView.latestSP() + 5
	}

	// Payouts: wait until each farmer has a confirmed payout, then compare with the chain.
	paid := func(s store.Store, f *poolFarmer) (sum, sent uint64, n int) {
		ps, err := s.FarmerPayouts(ctx, launchers[f.contract], 1000)
		require.NoError(t, err)
		for _, p := range ps {
			require.Equal(t, f.payout, p.Address)
			switch p.State {
			case store.Confirmed:
				sum += p.Amount
				n++
			case store.Broadcast:
				sent += p.Amount
			}
		}
		return
	}
	wait(90*time.Second, "a confirmed payout to each farmer", func() bool {
		s := openStore()
		defer s.Close()
		for _, f := range farmers {
			if _, _, n := paid(s, f); n == 0 {
				return false
			}
		}
		return true
	})
	// Until the second farmer leaves, the pool absorbs from both contracts.
	view := newChainView(t, d)
	poolAbsorbed := func() int64 { return view.absorbed(1) + view.absorbed(2) }
	checkExact(t, view, openStore, farmers, paid, cfg.Pool.FeeBps, poolAbsorbed)
	phase("a confirmed payout to each farmer, exact")

	// Crash at every step of a payout: for each of planned, broadcast and included, restart the
	// server with the payout loop halting right after that step, kill -9 it there, check what
	// the kill left (the batch recorded at that step, and on chain only if it was sent), restart
	// it normally and check that every farmer was paid that batch exactly once (chain balance =
	// recorded payouts, every batch of the kill confirmed) with the ledger balanced.
	openBatches := func() []store.Batch {
		s := openStore()
		defer s.Close()
		open, err := s.OpenBatches(ctx)
		require.NoError(t, err)
		return open
	}
	for _, step := range []string{pool.StopAfterPlanned, pool.StopAfterBroadcast, pool.StopAfterIncluded} {
		// A round is planned in the same payout step that confirms the last one, so a batch is
		// nearly always open: note the ones open before the halted run, which it may confirm.
		poolDown()
		require.NoError(t, srv.Process.Signal(syscall.SIGTERM))
		_ = srv.Wait()
		before := map[uint64]bool{}
		for _, b := range openBatches() {
			before[b.ID] = true
		}
		cfg.Payout.StopAt = step
		writeCfg()
		srv = startPool()
		poolUp()
		wait(60*time.Second, "the payout loop halted after step "+step, func() bool {
			resp, err := http.Get(cfg.Pool.URL + "/healthz")
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			var h struct {
				Info struct {
					HaltedAt string `json:"halted_at"`
				} `json:"info"`
			}
			return json.NewDecoder(resp.Body).Decode(&h) == nil && h.Info.HaltedAt == step
		})
		poolDown()
		require.NoError(t, srv.Process.Kill())
		_ = srv.Wait()
		killed := map[uint64]bool{} // the batches the kill left open
		{
			s := openStore()
			l, err := s.Ledger(ctx)
			require.NoError(t, err)
			require.True(t, l.Balanced(), "after kill -9 at %s: %+v", step, l)
			require.Positive(t, l.InFlight, "the server killed at %s left a batch open: %+v", step, l)
			open, err := s.OpenBatches(ctx)
			require.NoError(t, err)
			require.NotEmpty(t, open, step)
			var openSum uint64
			states := map[store.BatchState]int{}
			for _, b := range open {
				killed[b.ID] = true
				openSum += b.Total()
				states[b.State]++
				if step == pool.StopAfterPlanned && !before[b.ID] {
					// planned by the halted run, and never signed
					require.Equal(t, store.Planned, b.State, "batch %d after kill -9 at %s", b.ID, step)
				}
			}
			require.Equal(t, l.InFlight, openSum, step)
			if step == pool.StopAfterPlanned {
				require.Positive(t, states[store.Planned], "a batch planned and not signed at %s: %v", step, states)
			} else {
				require.Positive(t, states[store.Broadcast], "a batch signed and sent at %s: %v", step, states)
			}
			for _, f := range farmers {
				conf, sent, _ := paid(s, f)
				bal := d.Balance(f.payout, "ugld")
				switch step {
				case pool.StopAfterPlanned, pool.StopAfterBroadcast:
					// The planned batches are not on chain; a sent one is in a block by now, or
					// about to be (planned: one left from before the halted run, if any).
					require.Contains(t, []int64{int64(conf), int64(conf + sent)}, bal, "contract %s at %s", f.contract, step)
				case pool.StopAfterIncluded: // in a block, not yet recorded confirmed
					require.Positive(t, sent, "contract %s at %s", f.contract, step)
					require.Equal(t, int64(conf+sent), bal, "contract %s at %s: that payout is on chain", f.contract, step)
				}
			}
			s.Close()
		}
		cfg.Payout.StopAt = ""
		writeCfg()
		srv = startPool()
		poolUp()
		wait(90*time.Second, "the batches open at the kill at "+step+" confirmed", func() bool {
			s := openStore()
			defer s.Close()
			open, err := s.OpenBatches(ctx)
			require.NoError(t, err)
			for _, b := range open {
				if killed[b.ID] {
					return false
				}
			}
			return true
		})
		checkExact(t, view, openStore, farmers, paid, cfg.Pool.FeeBps, poolAbsorbed)
		phase("kill -9 after " + step + ": every farmer paid exactly once")
	}

	// The splits: every round replays from its recorded points, and the points are the farmers'
	// partials; the two-plot farmer earned about twice the one-plot farmer's points.
	checkRounds(t, cfg.Pool.URL, openStore, launchers, farmers)
	out, err := d.CLI("pool", "payouts", "--pool-url", cfg.Pool.URL, "--limit", "2")
	require.NoError(t, err)
	require.Contains(t, string(out), "pplns")
	require.Contains(t, string(out), protocol.Bytes32(launchers["2"]).String(), "the CLI lists each farmer's share")
	phase("every round's split replayed from its recorded points")

	// Points proportional to plots, exactly: at the signage points of the stretches the pool
	// credited each farmer for, exactly the partials its plots make (from the plot files).
	poolDown()
	checkPartialsExact(t, exactView, openStore, launchers, farmers, stretches, dumpLogs)
	phase("partials credited exactly as the plots make them")

	// The second farmer leaves: the pool keeps receiving its rewards for the relative lock, then
	// stops crediting it, and its later rewards go to its own contract and owner.
	checkLeave(t, d, view, cfg, openStore, launchers, farmers, paid, wait)
	phase("farmer 2 left; its later rewards went to itself")
}

// checkExact waits until the pool's records are the same on two reads around a read of the
// chain and agree with it: it requires each farmer's payout address to hold exactly the
// sum of its confirmed payouts (so nothing was paid twice or lost), the ledger to balance, the
// rewards recorded to be exactly what was absorbed into the pool, and the fee to be the pool's
// fee_bps of the rewards (rounded up once per round).
func checkExact(t *testing.T, v *chainView, openStore func() store.Store, farmers []*poolFarmer,
	paid func(store.Store, *poolFarmer) (uint64, uint64, int), feeBps uint32, poolAbsorbed func() int64) {
	t.Helper()
	ctx := context.Background()
	type snap struct {
		l          store.Ledger
		sums, sent []uint64
	}
	read := func() snap {
		s := openStore()
		defer s.Close()
		l, err := s.Ledger(ctx)
		require.NoError(t, err)
		var sums, sent []uint64
		for _, f := range farmers {
			sum, bc, _ := paid(s, f)
			sums, sent = append(sums, sum), append(sent, bc)
		}
		return snap{l, sums, sent}
	}
	var last string
	deadline := time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) {
		a := read()
		bals := make([]int64, len(farmers))
		for i, f := range farmers {
			bals[i] = v.balance(f.payout)
		}
		absorbed := poolAbsorbed()
		b := read()
		last = fmt.Sprintf("ledger %+v, confirmed %v, broadcast %v, on chain %v, absorbed %d", b.l, b.sums, b.sent, bals, absorbed)
		same := a.l == b.l && fmt.Sprint(a.sums, a.sent) == fmt.Sprint(b.sums, b.sent)
		for i := range farmers {
			// One payout transaction is in flight at a time: the chain holds the confirmed
			// payouts, or those and the broadcast one, never anything else.
			c := int64(b.sums[i])
			same = same && bals[i] > 0 && (bals[i] == c || bals[i] == c+int64(b.sent[i]))
		}
		require.True(t, b.l.Balanced(), last)
		// A batch in flight may be in a block before the pool marks it confirmed: then the
		// chain is ahead, and the next look must agree.
		if !same || uint64(absorbed) != b.l.Rewards {
			time.Sleep(100 * time.Millisecond) // an absorb not yet read from its block
			continue
		}
		// The rounds so far shared the assigned rewards (less the dust carried on).
		minFee := (b.l.Rewards - b.l.Unassigned - b.l.Dust) * uint64(feeBps) / 10_000
		require.GreaterOrEqual(t, b.l.Fees, minFee, last)
		require.LessOrEqual(t, b.l.Fees, minFee+20, "rounded up at most once per round (%s)", last)
		require.Equal(t, b.l.Paid, b.sums[0]+b.sums[1], last)
		require.GreaterOrEqual(t, b.l.InFlight, b.sent[0]+b.sent[1], last)
		t.Logf("exact: %s", last)
		return
	}
	t.Fatalf("no quiet moment to compare the pool with the chain: %s", last)
}
