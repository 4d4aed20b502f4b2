package e2e

// The multi-validator harness: StartLocalnet runs `guildd localnet start --detach` in a fresh
// temporary home on free ports and returns a Localnet whose Client talks to node 0 through the
// same CLI helpers as a Devnet. Kill9, StartNode, Status and WaitAgree drive the fault tests;
// with Options.Proxied every peer link goes through a TCP proxy the test controls, so that
// Partition can really cut a validator's traffic (see docs/adr/0013-localnet.md).

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/guild-network/guild/internal/devnet"
)

// LocalnetOptions tune a localnet.
type LocalnetOptions struct {
	Validators int           // default 4
	BlockTime  time.Duration // default 300ms
	Proxied    bool          // route every peer link through a proxy the test controls
	ExtraArgs  []string      // more `guildd localnet start` flags
}

// Localnet is a running `guildd localnet` in a temporary home.
type Localnet struct {
	t       testing.TB
	Bin     string
	Home    string
	Net     devnet.Net
	Client  *Devnet // CLI, Query, Tx, Balance, Addr against node 0 (the localnet's client.toml)
	StartUp string  // what `localnet start` printed
	proxies *proxyMesh
}

// StartLocalnet creates and starts a localnet and waits until its chain is live and the demo
// setup is done. t.Cleanup stops every validator (and the proxies).
func StartLocalnet(t testing.TB, opts LocalnetOptions) *Localnet {
	t.Helper()
	if opts.Validators == 0 {
		opts.Validators = 4
	}
	if opts.BlockTime == 0 {
		opts.BlockTime = 300 * time.Millisecond
	}
	ln := &Localnet{t: t, Bin: Binary(t), Home: t.TempDir()}
	base := freePortRange(t, 10*opts.Validators)
	args := []string{"localnet", "start", "--detach", "--home", ln.Home,
		"--validators", strconv.Itoa(opts.Validators), "--base-port", strconv.Itoa(base),
		"--block-time", opts.BlockTime.String(), "--snapshot-interval", "10", "--snapshot-keep-recent", "5"}
	t.Cleanup(ln.Stop)
	if opts.Proxied {
		// The proxies listen before the nodes exist, on the ports the command will record.
		n := devnet.DefaultNet(ln.Home)
		n.Validators, n.BasePort = opts.Validators, base
		for n.ProxyBase == 0 || n.ValidateBasic() != nil {
			n.ProxyBase = freePortRange(t, opts.Validators*opts.Validators)
		}
		args = append(args, "--p2p-proxy-base", strconv.Itoa(n.ProxyBase))
		ln.proxies = startProxyMesh(t, n)
	}
	args = append(args, opts.ExtraArgs...)
	out, err := ln.run(args...)
	ln.StartUp = out
	if err != nil {
		t.Fatalf("guildd localnet start: %v\n%s", err, out)
	}
	if ln.Net, err = devnet.ReadNet(ln.Home); err != nil {
		t.Fatal(err)
	}
	info, err := devnet.ReadInfo(ln.Home)
	if err != nil {
		t.Fatalf("read dev.json: %v", err)
	}
	ln.Client = &Devnet{t: t, Bin: ln.Bin, Home: ln.Home, Info: info}
	return ln
}

func (ln *Localnet) run(args ...string) (string, error) {
	out, err := runBin(ln.Bin, args...)
	return string(out), err
}

// Stop stops the localnet (`guildd localnet stop`) and closes the proxies.
func (ln *Localnet) Stop() {
	if out, err := ln.run("localnet", "stop", "--home", ln.Home, "--timeout", "20s"); err != nil {
		ln.t.Logf("guildd localnet stop: %v\n%s", err, out)
	}
	if ln.proxies != nil {
		ln.proxies.close()
	}
}

// Status is `guildd localnet status --output json`.
func (ln *Localnet) Status() devnet.NetStatus {
	ln.t.Helper()
	out, err := ln.run("localnet", "status", "--home", ln.Home, "--output", "json")
	if err != nil {
		ln.t.Fatalf("localnet status: %v\n%s", err, out)
	}
	var st devnet.NetStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		ln.t.Fatalf("decode localnet status: %v\n%s", err, out)
	}
	return st
}

// NodeHeight is node i's latest height (0 if it does not answer).
func (ln *Localnet) NodeHeight(i int) int64 {
	ln.t.Helper()
	var st struct {
		SyncInfo struct {
			LatestBlockHeight string `json:"latest_block_height"`
		} `json:"sync_info"`
	}
	out, err := runBin(ln.Bin, "status", "--node", "tcp://"+ln.Net.Node(i).RPC)
	if err != nil || json.Unmarshal(out, &st) != nil {
		return 0
	}
	h, _ := strconv.ParseInt(st.SyncInfo.LatestBlockHeight, 10, 64)
	return h
}

// WaitNodeHeight waits until node i reaches height h.
func (ln *Localnet) WaitNodeHeight(i int, h int64, timeout time.Duration) {
	ln.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if ln.NodeHeight(i) >= h {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	ln.t.Fatalf("node %d: height %d not reached in %s (at %d)", i, h, timeout, ln.NodeHeight(i))
}

// Kill9 kills validator i with SIGKILL (its pid from `localnet status`) and waits until the
// status shows it stopped.
func (ln *Localnet) Kill9(i int) {
	ln.t.Helper()
	pid := ln.Status().Nodes[i].PID
	if pid == 0 {
		ln.t.Fatalf("node %d is not running", i)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		ln.t.Fatalf("kill -9 node %d (pid %d): %v", i, pid, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if !ln.Status().Nodes[i].Running {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	ln.t.Fatalf("node %d still running after kill -9", i)
}

// StartNode is `guildd localnet start-node i`.
func (ln *Localnet) StartNode(i int) {
	ln.t.Helper()
	if out, err := ln.run("localnet", "start-node", strconv.Itoa(i), "--home", ln.Home); err != nil {
		ln.t.Fatalf("start-node %d: %v\n%s", i, err, out)
	}
}

// WaitAgree waits until every validator runs and answers, none is catching up, the common
// height is at least min, and all report the same app hash after it. It returns that status.
func (ln *Localnet) WaitAgree(min int64, timeout time.Duration) devnet.NetStatus {
	ln.t.Helper()
	deadline := time.Now().Add(timeout)
	var st devnet.NetStatus
	for time.Now().Before(deadline) {
		st = ln.Status()
		ok := st.AppHashesAgree && st.CommonHeight >= min
		for _, n := range st.Nodes {
			ok = ok && n.Running && n.Responding && !n.CatchingUp && n.AppHash != ""
		}
		if ok {
			return st
		}
		time.Sleep(300 * time.Millisecond)
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	ln.t.Fatalf("nodes do not agree at a height ≥ %d after %s:\n%s", min, timeout, b)
	return st
}

// CLIOn runs guildd with args against node i (its rpc) and returns stdout.
func (ln *Localnet) CLIOn(i int, args ...string) ([]byte, error) {
	return ln.Client.CLI(append(args, "--node", "tcp://"+ln.Net.Node(i).RPC)...)
}

// QueryOn runs a query against node i and decodes its JSON output into out.
func (ln *Localnet) QueryOn(i int, out any, args ...string) {
	ln.t.Helper()
	bz, err := ln.CLIOn(i, append([]string{"query"}, append(args, "--output", "json")...)...)
	if err != nil {
		ln.t.Fatal(err)
	}
	if err := json.Unmarshal(bz, out); err != nil {
		ln.t.Fatalf("decode %q: %v\n%s", strings.Join(args, " "), err, bz)
	}
}

// Partition cuts validator i off: every proxied link to or from it is closed and new ones are
// refused until Heal.
func (ln *Localnet) Partition(i int) {
	ln.t.Helper()
	if ln.proxies == nil {
		ln.t.Fatal("Partition needs LocalnetOptions.Proxied")
	}
	ln.proxies.setCut(i, true)
}

// Heal lets every link through again.
func (ln *Localnet) Heal() { ln.proxies.setCut(-1, false) }

// ProxiedBytes is how many bytes the proxies carried to or from validator i so far.
func (ln *Localnet) ProxiedBytes(i int) int64 { return ln.proxies.bytesOf(i) }

// proxyMesh is one TCP proxy per ordered pair of validators: link (i, j) listens on the port
// at which node i dials node j and forwards to node j's p2p listener.
type proxyMesh struct {
	mu     sync.Mutex
	n      devnet.Net
	cut    map[int]bool
	links  []*proxyLink
	closed bool
}

type proxyLink struct {
	from, to int
	l        net.Listener
	mu       sync.Mutex
	conns    map[net.Conn]bool
	bytes    int64
}

func startProxyMesh(t testing.TB, n devnet.Net) *proxyMesh {
	m := &proxyMesh{n: n, cut: map[int]bool{}}
	for i := 0; i < n.Validators; i++ {
		for j := 0; j < n.Validators; j++ {
			if i == j {
				continue
			}
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(n.ProxyPort(i, j)))
			if err != nil {
				m.close()
				t.Fatalf("proxy %d→%d: %v", i, j, err)
			}
			link := &proxyLink{from: i, to: j, l: l, conns: map[net.Conn]bool{}}
			m.links = append(m.links, link)
			go m.serve(link, n.Node(j).P2P)
		}
	}
	return m
}

func (m *proxyMesh) blocked(link *proxyLink) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cut[link.from] || m.cut[link.to]
}

func (m *proxyMesh) serve(link *proxyLink, target string) {
	for {
		in, err := link.l.Accept()
		if err != nil {
			return
		}
		if m.blocked(link) {
			in.Close()
			continue
		}
		out, err := net.DialTimeout("tcp", target, 2*time.Second)
		if err != nil {
			in.Close()
			continue
		}
		link.mu.Lock()
		link.conns[in], link.conns[out] = true, true
		link.mu.Unlock()
		pipe := func(dst, src net.Conn) {
			k, _ := io.Copy(dst, src)
			link.mu.Lock()
			link.bytes += k
			delete(link.conns, dst)
			delete(link.conns, src)
			link.mu.Unlock()
			dst.Close()
			src.Close()
		}
		go pipe(out, in)
		go pipe(in, out)
	}
}

// setCut cuts node i (cut true) or heals every node (cut false), closing live connections of
// links that become blocked.
func (m *proxyMesh) setCut(i int, cut bool) {
	m.mu.Lock()
	if cut {
		m.cut[i] = true
	} else {
		m.cut = map[int]bool{}
	}
	m.mu.Unlock()
	for _, link := range m.links {
		if !m.blocked(link) {
			continue
		}
		link.mu.Lock()
		for c := range link.conns {
			c.Close()
		}
		link.mu.Unlock()
	}
}

func (m *proxyMesh) bytesOf(i int) int64 {
	var total int64
	for _, link := range m.links {
		if link.from == i || link.to == i {
			link.mu.Lock()
			total += link.bytes
			link.mu.Unlock()
		}
	}
	return total
}

func (m *proxyMesh) close() {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.closed = true
	m.mu.Unlock()
	for _, link := range m.links {
		link.l.Close()
		link.mu.Lock()
		for c := range link.conns {
			c.Close()
		}
		link.mu.Unlock()
	}
}

// freePortRange returns a base port p such that p .. p+count-1 are all free on 127.0.0.1.
func freePortRange(t testing.TB, count int) int {
	t.Helper()
	for attempt := 0; attempt < 200; attempt++ {
		base := 20000 + rand.IntN(30000)
		ok := true
		for p := base; p < base+count && ok; p++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				ok = false
				continue
			}
			l.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatalf("no %d free consecutive ports", count)
	return 0
}

func runBin(bin string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return []byte(stdout.String()), fmt.Errorf("guildd %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return []byte(stdout.String()), nil
}
