package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
)

// testStateSync sets up a new full node the way an operator would (init, the network's genesis,
// the validators as persistent peers, state sync on with a trust height and hash read from a
// validator's RPC), starts it, and checks that it restored a snapshot instead of replaying from
// genesis, reached the head, and answers queries at a common height exactly as a validator does.
func testStateSync(t *testing.T, ln *Localnet) {
	start := time.Now()
	n := ln.Net
	// A snapshot must exist above the trust height: wait for one past the current height.
	trustHeight := ln.NodeHeight(0) - 2
	ln.WaitNodeHeight(0, trustHeight+2+int64(n.SnapshotInterval)+2, 60*time.Second)
	trustHash := blockHash(t, n.Node(0).RPC, trustHeight)

	home := t.TempDir()
	_, err := runBin(ln.Bin, "init", "joiner", "--chain-id", n.ChainID, "--home", home)
	require.NoError(t, err)
	gen, err := os.ReadFile(filepath.Join(n.NodeHome(0), "config", "genesis.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(home, "config", "genesis.json"), gen, 0o644))
	base := freePortRange(t, 4)
	addr := func(k int) string { return "127.0.0.1:" + strconv.Itoa(base+k) }
	var peers []string
	for i := 0; i < n.Validators; i++ {
		id, err := n.NodeID(i)
		require.NoError(t, err)
		peers = append(peers, id+"@"+n.Node(i).P2P)
	}
	cfg := devnet.Config{Home: home, ChainID: n.ChainID, BlockTime: n.BlockTime, Moniker: "joiner",
		P2P: addr(0), RPC: addr(1), GRPC: addr(2), API: addr(3),
		TuneCometBFT: func(c *cmtcfg.Config) {
			c.P2P.PersistentPeers = strings.Join(peers, ",")
			c.P2P.PexReactor = false
			c.StateSync.Enable = true
			c.StateSync.RPCServers = []string{"http://" + n.Node(0).RPC, "http://" + n.Node(1).RPC}
			c.StateSync.TrustHeight = trustHeight
			c.StateSync.TrustHash = trustHash
			c.StateSync.TrustPeriod = 168 * time.Hour
			c.StateSync.DiscoveryTime = 5 * time.Second
		}}
	require.NoError(t, devnet.WriteNodeConfig(cfg))

	logPath := filepath.Join(home, "node.log")
	logf, err := os.Create(logPath)
	require.NoError(t, err)
	defer logf.Close()
	cmd := exec.Command(ln.Bin, "start", "--home", home, "--log_level", "info")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})

	// Synced: not catching up and at least at the height the validators had when it started.
	head := ln.NodeHeight(0)
	var st joinerStatus
	deadline := time.Now().Add(120 * time.Second)
	for {
		select {
		case <-done:
			t.Fatalf("the state-sync node exited:\n%s", tail(logPath))
		default:
		}
		st = joinerSyncStatus(cfg.RPC)
		if st.ok && !st.CatchingUp && st.Latest >= head {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the state-sync node did not reach height %d (status %+v):\n%s", head, st, tail(logPath))
		}
		time.Sleep(500 * time.Millisecond)
	}
	restored := snapshotHeight(logPath)
	t.Logf("StateSync: trust height %d; snapshot restored at height %d; earliest block %d; at head %d after %s",
		trustHeight, restored, st.Earliest, st.Latest, time.Since(start).Round(time.Millisecond))
	require.Greater(t, st.Earliest, int64(1), "the node started from a snapshot, not from genesis")
	require.Greater(t, restored, int64(0), "the log shows a restored snapshot")

	// The same answers as a validator at the same height.
	h := st.Latest - 1
	d := ln.Client
	joiner := func(args ...string) []byte {
		out, err := d.CLI(append(args, "--node", "tcp://"+cfg.RPC, "--height", strconv.FormatInt(h, 10), "--output", "json")...)
		require.NoError(t, err)
		return out
	}
	validator := func(args ...string) []byte {
		out, err := d.CLI(append(args, "--node", "tcp://"+n.Node(1).RPC, "--height", strconv.FormatInt(h, 10), "--output", "json")...)
		require.NoError(t, err)
		return out
	}
	tenant := d.Addr(devnet.Tenant)
	for _, q := range [][]string{
		{"query", "bank", "balances", tenant},
		{"query", "bank", "balances", d.Addr(devnet.Provider)},
		{"query", "market", "totals"},
		{"query", "market", "account", tenant},
		{"query", "market", "leases", "--tenant", tenant},
		{"query", "vault", "vaults"},
		{"query", "credit", "pools"},
		{"query", "credit", "agents"},
		{"query", "farming", "pool-contracts"},
		{"query", "farming", "state"},
	} {
		want, got := validator(q...), joiner(q...)
		require.JSONEq(t, string(want), string(got), "%s at height %d", strings.Join(q, " "), h)
		require.Greater(t, len(bytes.TrimSpace(want)), 2, "%s says something", strings.Join(q, " "))
	}
	t.Logf("StateSync: 10 queries at height %d identical on the joiner and validator 1", h)
}

type joinerStatus struct {
	ok               bool
	Latest, Earliest int64
	CatchingUp       bool
}

func joinerSyncStatus(rpc string) joinerStatus {
	var st struct {
		Result struct {
			SyncInfo struct {
				Latest     string `json:"latest_block_height"`
				Earliest   string `json:"earliest_block_height"`
				CatchingUp bool   `json:"catching_up"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := httpJSON("http://"+rpc+"/status", &st); err != nil {
		return joinerStatus{}
	}
	latest, _ := strconv.ParseInt(st.Result.SyncInfo.Latest, 10, 64)
	earliest, _ := strconv.ParseInt(st.Result.SyncInfo.Earliest, 10, 64)
	return joinerStatus{ok: true, Latest: latest, Earliest: earliest, CatchingUp: st.Result.SyncInfo.CatchingUp}
}

func blockHash(t *testing.T, rpc string, h int64) string {
	var res struct {
		Result struct {
			BlockID struct {
				Hash string `json:"hash"`
			} `json:"block_id"`
		} `json:"result"`
	}
	require.NoError(t, httpJSON(fmt.Sprintf("http://%s/block?height=%d", rpc, h), &res))
	require.NotEmpty(t, res.Result.BlockID.Hash)
	return res.Result.BlockID.Hash
}

func httpJSON(url string, out any) error {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// snapshotHeight finds the height of the snapshot the node restored in its log (0 if none).
func snapshotHeight(logPath string) int64 {
	f, err := os.Open(logPath)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := ansi.ReplaceAllString(sc.Text(), "")
		if !strings.Contains(line, "Snapshot restored") && !strings.Contains(line, "Restored snapshot") {
			continue
		}
		if k := strings.Index(line, "height="); k >= 0 {
			v := strings.Fields(line[k+len("height="):])[0]
			if h, err := strconv.ParseInt(v, 10, 64); err == nil {
				return h
			}
		}
	}
	return 0
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
