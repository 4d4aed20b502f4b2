// Package e2e drives real guildd processes end to end.
//
// A test calls StartDevnet, which builds guildd once per test binary (or uses $GUILDD_BIN),
// picks free loopback ports, runs `guildd dev` in a fresh temporary home with short blocks, and
// waits for the first block. The returned Devnet runs CLI commands against that node and parses
// their JSON output: CLI for raw output, Query for decoded JSON, Tx to sign, broadcast and wait
// for inclusion of a transaction. t.Cleanup always stops the process (SIGINT, then SIGKILL after a
// timeout), even when the test fails. Restart and Kill9 exercise resumption after a clean stop or
// a crash. Each later capability adds its own *_test.go here and reuses this harness.
package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/guild-network/guild/internal/devnet"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary returns the path of a guildd built from this checkout.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		if p := os.Getenv("GUILDD_BIN"); p != "" {
			binPath, buildErr = filepath.Abs(p)
			return
		}
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		dir, err := os.MkdirTemp("", "guildd-e2e-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "guildd")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/guildd")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build guildd: %v", buildErr)
	}
	return binPath
}

// Options tune a devnet.
type Options struct {
	BlockTime time.Duration // default 300ms
	ExtraArgs []string      // more `guildd dev` flags
	Home      string        // devnet home; default a fresh temporary directory
	Launcher  []string      // program (and its first args) that runs guildd, e.g. {cosmovisor, "run"}
	Env       []string      // extra environment of the process, KEY=VALUE
}

// Devnet is a running `guildd dev` process.
type Devnet struct {
	t     testing.TB
	Bin   string
	Home  string
	Info  devnet.Info
	args  []string
	cmd   *exec.Cmd
	log   *syncBuffer
	done  chan struct{}
	ports map[string]string
	opts  Options
}

// StartDevnet starts a devnet in a temporary home and waits for its first block.
func StartDevnet(t testing.TB, opts Options) *Devnet {
	t.Helper()
	if opts.BlockTime == 0 {
		opts.BlockTime = 300 * time.Millisecond
	}
	d := &Devnet{t: t, Bin: Binary(t), Home: opts.Home, log: &syncBuffer{}, opts: opts}
	if d.Home == "" {
		d.Home = t.TempDir()
	}
	d.ports = map[string]string{}
	for _, name := range []string{"rpc", "p2p", "grpc", "api"} {
		d.ports[name] = freeAddr(t)
	}
	d.args = append([]string{"dev", "--home", d.Home,
		"--rpc-addr", d.ports["rpc"], "--p2p-addr", d.ports["p2p"],
		"--grpc-addr", d.ports["grpc"], "--api-addr", d.ports["api"],
		"--block-time", opts.BlockTime.String()}, opts.ExtraArgs...)
	t.Cleanup(d.Stop)
	d.start()
	return d
}

func (d *Devnet) start() {
	d.t.Helper()
	d.cmd = exec.Command(d.Bin, d.args...)
	if len(d.opts.Launcher) > 0 {
		d.cmd = exec.Command(d.opts.Launcher[0], append(append([]string{}, d.opts.Launcher[1:]...), d.args...)...)
	}
	d.cmd.Env = append(os.Environ(), d.opts.Env...)
	pr, pw := io.Pipe()
	d.cmd.Stdout, d.cmd.Stderr = pw, pw
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	live := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			d.log.WriteString(line + "\n")
			if strings.Contains(line, "the chain is live") {
				once.Do(func() { close(live) })
			}
		}
	}()
	if err := d.cmd.Start(); err != nil {
		d.t.Fatalf("start guildd dev: %v", err)
	}
	d.done = make(chan struct{})
	go func() { _ = d.cmd.Wait(); pw.Close(); close(d.done) }()
	select {
	case <-live:
	case <-d.done:
		d.t.Fatalf("guildd dev exited before the first block:\n%s", d.log.String())
	case <-time.After(120 * time.Second):
		d.t.Fatalf("guildd dev: no first block after 120s:\n%s", d.log.String())
	}
	info, err := devnet.ReadInfo(d.Home)
	if err != nil {
		d.t.Fatalf("read dev.json: %v", err)
	}
	d.Info = info
}

// Log returns everything the devnet process printed so far.
func (d *Devnet) Log() string { return d.log.String() }

// Stop interrupts the devnet and waits for it to exit (SIGKILL after 30 s).
func (d *Devnet) Stop() {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	select {
	case <-d.done:
		return
	default:
	}
	if len(d.opts.Launcher) > 0 {
		_ = d.cmd.Process.Signal(syscall.SIGTERM) // a launcher such as cosmovisor forwards SIGTERM, not SIGINT
	} else {
		_ = d.cmd.Process.Signal(os.Interrupt)
	}
	select {
	case <-d.done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-d.done
	}
}

// Kill9 kills the devnet's whole process group without warning, as a crash would.
func (d *Devnet) Kill9() {
	_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
	<-d.done
}

// Restart starts the devnet again on the same home and ports, after Stop or Kill9.
func (d *Devnet) Restart() {
	d.t.Helper()
	d.start()
}

// CLI runs guildd with args against this devnet and returns stdout.
func (d *Devnet) CLI(args ...string) ([]byte, error) {
	args = append(args, "--home", d.Home)
	cmd := exec.Command(d.Bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("guildd %s: %w: %s%s", strings.Join(args, " "), err, stderr.String(), stdout.String())
	}
	return stdout.Bytes(), nil
}

// Query runs a query command and decodes its JSON output into out.
func (d *Devnet) Query(out any, args ...string) {
	d.t.Helper()
	bz, err := d.CLI(append([]string{"query"}, append(args, "--output", "json")...)...)
	if err != nil {
		d.t.Fatal(err)
	}
	if err := json.Unmarshal(bz, out); err != nil {
		d.t.Fatalf("decode %q: %v\n%s", strings.Join(args, " "), err, bz)
	}
}

// TxResult is the part of a committed transaction's result tests look at.
type TxResult struct {
	Height string `json:"height"`
	TxHash string `json:"txhash"`
	Code   uint32 `json:"code"`
	RawLog string `json:"raw_log"`
	Events []struct {
		Type       string `json:"type"`
		Attributes []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"attributes"`
	} `json:"events"`
}

// Attr returns the first value of attribute key in events of type typ, unquoted.
func (r TxResult) Attr(typ, key string) string {
	for _, e := range r.Events {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key {
				if s, err := strconv.Unquote(a.Value); err == nil {
					return s
				}
				return a.Value
			}
		}
	}
	return ""
}

// ErrTxFailed is returned by TryTx for a transaction rejected in CheckTx or in the block.
var ErrTxFailed = errors.New("transaction failed")

// TryTx signs args (a `tx` subcommand) as from, broadcasts it and waits until it is in a
// block. It returns ErrTxFailed (wrapped, with the log) for a non-zero code.
func (d *Devnet) TryTx(from string, args ...string) (TxResult, error) {
	full := append([]string{"tx"}, args...)
	full = append(full, "--from", from, "--yes", "--keyring-backend", "test", "--output", "json",
		"--gas", "auto", "--gas-adjustment", "1.5")
	bz, err := d.CLI(full...)
	var res TxResult
	if err != nil {
		// Simulation errors (gas auto) end here: the message was refused before broadcast. A
		// transaction that failed in CheckTx or in its block also exits non-zero, after
		// printing its result.
		_ = json.Unmarshal(lastJSON(bz), &res)
		return res, fmt.Errorf("%w: %v", ErrTxFailed, err)
	}
	if err := json.Unmarshal(lastJSON(bz), &res); err != nil {
		return res, fmt.Errorf("decode broadcast result: %w\n%s", err, bz)
	}
	if res.Code != 0 {
		return res, fmt.Errorf("%w: code %d: %s", ErrTxFailed, res.Code, res.RawLog)
	}
	if res.Height != "" && res.Height != "0" {
		return res, nil // the CLI waited for the block (the default)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		out, err := d.CLI("query", "tx", res.TxHash, "--output", "json")
		if err == nil {
			var final TxResult
			if err := json.Unmarshal(out, &final); err != nil {
				return res, err
			}
			if final.Code != 0 {
				return final, fmt.Errorf("%w: code %d: %s", ErrTxFailed, final.Code, final.RawLog)
			}
			return final, nil
		}
		time.Sleep(150 * time.Millisecond)
	}
	return res, fmt.Errorf("tx %s not included after 30s", res.TxHash)
}

// Tx is TryTx that fails the test on error.
func (d *Devnet) Tx(from string, args ...string) TxResult {
	d.t.Helper()
	res, err := d.TryTx(from, args...)
	if err != nil {
		d.t.Fatalf("tx %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// Height returns the latest block height.
func (d *Devnet) Height() int64 {
	d.t.Helper()
	var st struct {
		SyncInfo struct {
			LatestBlockHeight string `json:"latest_block_height"`
		} `json:"sync_info"`
	}
	bz, err := d.CLI("status")
	if err != nil {
		d.t.Fatal(err)
	}
	if err := json.Unmarshal(bz, &st); err != nil {
		d.t.Fatalf("decode status: %v\n%s", err, bz)
	}
	h, _ := strconv.ParseInt(st.SyncInfo.LatestBlockHeight, 10, 64)
	return h
}

// WaitHeight waits until the chain reaches height h.
func (d *Devnet) WaitHeight(h int64) {
	d.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if d.Height() >= h {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	d.t.Fatalf("height %d not reached", h)
}

// Balance returns addr's balance of denom as an integer.
func (d *Devnet) Balance(addr, denom string) int64 {
	d.t.Helper()
	var res struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	d.Query(&res, "bank", "balance", addr, denom)
	n, err := strconv.ParseInt(res.Balance.Amount, 10, 64)
	if err != nil {
		d.t.Fatalf("balance %q: %v", res.Balance.Amount, err)
	}
	return n
}

// Addr is the address of a demo account.
func (d *Devnet) Addr(name string) string {
	a, ok := d.Info.Accounts[name]
	if !ok {
		d.t.Fatalf("no demo account %q", name)
	}
	return a
}

// lastJSON returns the last line of out that looks like a JSON object (the CLI may print
// "gas estimate: N" before the result).
func lastJSON(out []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		if bytes.HasPrefix(bytes.TrimSpace(lines[i]), []byte("{")) {
			return lines[i]
		}
	}
	return out
}

// freeAddr is a free 127.0.0.1 address (freePortRange's single-port case).
func freeAddr(t testing.TB) string {
	t.Helper()
	return "127.0.0.1:" + strconv.Itoa(freePortRange(t, 1))
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.WriteString(s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
