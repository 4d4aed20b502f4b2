package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/devnet"
	"github.com/guild-network/guild/internal/loadgen"
)

// RPCs are the validators' CometBFT RPC addresses.
func (ln *Localnet) RPCs() []string {
	var out []string
	for i := 0; i < ln.Net.Validators; i++ {
		out = append(out, ln.Net.Node(i).RPC)
	}
	return out
}

// TestLoadUnderChaos runs the load generator (bank sends, bookings and claims from 16 senders
// over all four validators) while validators are killed with SIGKILL and restarted at random, one
// at a time (the chain keeps its two-thirds), from a logged seed (GUILD_CHAOS_SEED replays one).
// Afterwards: every transaction the generator reported committed is in a block at its height on
// every node, all nodes agree on the app hash at a common height, and x/market's invariants
// hold when read through queries on every node. GUILD_CHAOS_LONG=1 (make test-chaos) runs 90 s of
// load with more kills instead of 25 s.
func TestLoadUnderChaos(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("GUILD_CHAOS_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
	}
	loadFor := 25 * time.Second
	if os.Getenv("GUILD_CHAOS_LONG") != "" {
		loadFor = 90 * time.Second
	}
	t.Logf("chaos seed %d (GUILD_CHAOS_SEED=%d replays it), %s of load", seed, seed, loadFor)
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))

	dir := t.TempDir()
	params := filepath.Join(dir, "params.json")
	require.NoError(t, os.WriteFile(params, []byte(`{"market":{"max_leases_per_account":1000}}`), 0o644))
	l := StartLocalnet(t, LocalnetOptions{BlockTime: 500 * time.Millisecond,
		ExtraArgs: []string{"--genesis-params", params, "--snapshot-interval", "0", "--node-log-level", "error"}})
	rpcs := l.RPCs()

	hashes, summary := filepath.Join(dir, "hashes.txt"), filepath.Join(dir, "summary.json")
	load := exec.Command(l.Bin, "load", "--home", l.Net.Home, "--rpc", strings.Join(rpcs, ","),
		"--senders", "16", "--mix", "bank,book,claim", "--duration", loadFor.String(),
		"--tx-timeout", "8s", "--drain", "45s", "--hashes", hashes, "--json", summary)
	stdout, err := load.StdoutPipe()
	require.NoError(t, err)
	load.Stderr = load.Stdout
	require.NoError(t, load.Start())
	t.Cleanup(func() { _ = load.Process.Kill() })
	started := make(chan struct{})
	var logBuf strings.Builder
	exited := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		once := false
		for sc.Scan() {
			logBuf.WriteString(sc.Text() + "\n")
			if !once && strings.HasPrefix(sc.Text(), "load: 16 senders") {
				once = true
				close(started)
			}
		}
		exited <- load.Wait()
	}()
	select {
	case <-started:
	case err := <-exited:
		t.Fatalf("guildd load exited during setup: %v\n%s", err, logBuf.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("guildd load: setup not done after 2m\n%s", logBuf.String())
	}

	// Chaos: one validator at a time, killed for 1.5–4 s, then 1–3 s of full strength.
	end := time.Now().Add(loadFor - 4*time.Second)
	kills := 0
	for time.Now().Before(end) {
		i := rng.IntN(len(rpcs))
		down := time.Duration(1500+rng.IntN(2500)) * time.Millisecond
		up := time.Duration(1000+rng.IntN(2000)) * time.Millisecond
		t.Logf("chaos: kill -9 validator %d for %s, then %s up", i, down, up)
		l.Kill9(i)
		time.Sleep(down)
		l.StartNode(i)
		kills++
		time.Sleep(up)
	}
	select {
	case err := <-exited:
		require.NoError(t, err, "guildd load:\n%s", logBuf.String())
	case <-time.After(3 * time.Minute):
		t.Fatalf("guildd load did not finish\n%s", logBuf.String())
	}
	t.Logf("guildd load:\n%s", logBuf.String())

	var sum loadgen.Summary
	bz, err := os.ReadFile(summary)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(bz, &sum))
	require.Positive(t, kills)
	for _, k := range loadgen.Kinds {
		require.Positive(t, sum.CommittedByKind[k], "no %s committed under chaos", k)
	}
	cs, err := loadgen.ReadHashes(hashes)
	require.NoError(t, err)
	require.Len(t, cs, sum.Committed)

	// Every node catches up to a common height and agrees on the app hash there.
	ctx := context.Background()
	clients := make([]*chainclient.Client, len(rpcs))
	var top int64
	for i, rpc := range rpcs {
		clients[i], err = chainclient.New(chainclient.Config{RPC: rpc, ChainID: l.Net.ChainID, KeyringDir: l.Net.Home})
		require.NoError(t, err)
		if h, err := clients[i].Height(ctx); err == nil && h > top {
			top = h
		}
	}
	common := top + 1
	waitFor(t, fmt.Sprintf("every node past height %d", common+1), 90*time.Second, func() bool {
		for _, c := range clients {
			if h, err := c.Height(ctx); err != nil || h <= common+1 {
				return false
			}
		}
		return true
	})
	var want string
	for i, rpc := range rpcs {
		got, err := devnet.AppHashAfter(ctx, rpc, common)
		require.NoError(t, err)
		if i == 0 {
			want = got
		}
		require.Equal(t, want, got, "node %d's app hash after height %d", i, common)
		n, err := loadgen.VerifyHashes(ctx, clients[i].Context(), cs)
		require.NoError(t, err, "node %d", i)
		require.Equal(t, len(cs), n)
		mc, err := loadgen.CheckMarket(ctx, clients[i].Context(), common)
		require.NoError(t, err, "node %d", i)
		require.Positive(t, mc.LiveLeases)
		t.Logf("node %d: %d committed txs found, app hash %s at %d, market: %d accounts, %d live leases, escrow %v",
			i, n, got, common, mc.Accounts, mc.LiveLeases, mc.Escrow)
	}
	t.Logf("%d kills; %d committed (%v), %.1f tx/s, p50 %dms p99 %dms; rejected %v failed %v lost %v",
		kills, sum.Committed, sum.CommittedByKind, sum.TPS, sum.Latency.P50, sum.Latency.P99, sum.Rejected, sum.Failed, sum.Lost)
}
