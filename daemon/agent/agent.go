// Package agent is the provider node agent (`guildd agent run`): the provider's side of the
// market. It follows the chain, and for the leases of its node deploys workloads through
// drivers (a file-backed volume, a supervised process), reports each deployment DEPLOYED or
// FAILED signed by the node's own key, pauses workloads while their lease is in GRACE, resumes
// them when it is ACTIVE again, tears them down and deletes their data when it is CLOSED,
// sends heartbeats, and claims the provider's earnings on a schedule. Fees are paid by the
// provider's fee grant to the node.
//
// Design: a level-triggered reconciler. Every new block (a CometBFT websocket subscription
// wakes the agent; a poll is the fallback) the agent lists the node's live leases, compares them
// with its own record of workloads in SQLite, and acts on the difference. Each action is
// written to the store before it is taken and every driver step is idempotent, so after a crash
// (kill -9) and restart the agent redoes interrupted steps and converges: no workload is
// deployed twice, none is leaked, none keeps running for a closed lease. The store also keeps
// the cursor (last height whose events were read) so that bookings made while the agent was down
// are still measured, and the heartbeat and claim schedules.
package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/prometheus/client_golang/prometheus"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/daemon/agent/driver"
	"github.com/guild-network/guild/daemon/agent/driver/process"
	"github.com/guild-network/guild/daemon/agent/driver/volume"
	"github.com/guild-network/guild/daemon/agent/store"
	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/clock"
	"github.com/guild-network/guild/internal/daemonkit"
)

// Agent is a running provider node agent.
type Agent struct {
	cfg      Config
	log      *slog.Logger
	clk      clock.Clock
	store    *store.Store
	client   *chainclient.Client
	chain    *RPCChain
	drivers  map[string]driver.Driver
	registry *prometheus.Registry
	metrics  *Metrics
	rec      *Reconciler
	health   *daemonkit.Health
	limits   string
}

// Option adjusts an agent at construction.
type Option func(*Agent)

// WithClock makes the agent read time and wait through clk (tests pass a fake one).
func WithClock(clk clock.Clock) Option { return func(a *Agent) { a.clk = clk } }

// NewLogger returns the agent's structured logger for a log section.
func NewLogger(w io.Writer, c LogConfig) *slog.Logger { return daemonkit.NewLogger(w, c) }

// New opens the agent's store and keyring, connects to the chain, finds its node and sets up
// the enabled drivers. It checks that the key is the node's key.
func New(ctx context.Context, cfg Config, log *slog.Logger, opts ...Option) (*Agent, error) {
	if err := cfg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Node.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	a := &Agent{cfg: cfg, log: log, clk: clock.Real, registry: daemonkit.NewRegistry()}
	for _, o := range opts {
		o(a)
	}
	ok := false
	defer func() {
		if !ok {
			a.close()
		}
	}()
	var err error
	if a.store, err = store.Open(filepath.Join(cfg.Node.DataDir, "agent.db")); err != nil {
		return nil, err
	}
	ccfg := chainclient.Config{RPC: cfg.Chain.RPC, ChainID: cfg.Chain.ChainID, KeyringDir: cfg.Chain.KeyringDir,
		KeyringBackend: cfg.Chain.KeyringBackend, GasAdjustment: cfg.Chain.GasAdjustment}
	if cfg.Chain.PassphraseFile != "" {
		pass, err := os.ReadFile(cfg.Chain.PassphraseFile)
		if err != nil {
			return nil, fmt.Errorf("passphrase file: %w", err)
		}
		line := strings.TrimRight(string(pass), "\r\n") + "\n"
		ccfg.Input = strings.NewReader(strings.Repeat(line, 16))
	}
	if a.client, err = chainclient.New(ccfg); err != nil {
		return nil, err
	}
	addr, err := a.client.Address(cfg.Chain.Key)
	if err != nil {
		return nil, err
	}
	var granter sdk.AccAddress
	if cfg.Chain.FeeGranter != "" {
		granter, _ = sdk.AccAddressFromBech32(cfg.Chain.FeeGranter)
	}
	a.chain = NewRPCChain(a.client, cfg.Chain.Key, granter)
	node, err := a.findNode(ctx, addr.String())
	if err != nil {
		return nil, err
	}
	if granter == nil {
		granter, _ = sdk.AccAddressFromBech32(node.Provider)
		a.chain.SetGranter(granter)
	}
	if prev, err := a.store.NodeID(ctx); err != nil {
		return nil, err
	} else if prev != 0 && prev != node.ID {
		return nil, daemonkit.Section("node", daemonkit.KeyErrorf("data_dir", "%s belongs to node %d, not %d", cfg.Node.DataDir, prev, node.ID))
	}
	if err := a.store.SetNodeID(ctx, node.ID); err != nil {
		return nil, err
	}
	if a.drivers, err = a.newDrivers(); err != nil {
		return nil, err
	}
	a.metrics = NewMetrics(a.registry)
	a.rec = NewReconciler(a.chain, a.store, a.drivers, a.clk, log, a.metrics, cfg.Loop, cfg.Chain.TxTimeout.D(), node)
	a.health = newHealth(a.clk, cfg.Loop, a.rec, a.store, a.limits)
	log.Info("agent ready", daemonkit.KeyNode, node.ID, daemonkit.KeyAccount, node.Account, daemonkit.KeyProvider, node.Provider,
		"fee_granter", granter.String(), "data_dir", cfg.Node.DataDir, "drivers", cfg.Drivers.Enabled, "process_limits", a.limits)
	ok = true
	return a, nil
}

// findNode resolves the configured node and checks the key is its key.
func (a *Agent) findNode(ctx context.Context, addr string) (Node, error) {
	var n Node
	if id := a.cfg.Node.ID; id != 0 {
		node, err := a.chain.Node(ctx, id)
		if err != nil {
			return n, err
		}
		if node.Account != addr {
			return n, daemonkit.Section("chain", daemonkit.KeyErrorf("key", "%q (%s) is not node %d's key (%s)", a.cfg.Chain.Key, addr, id, node.Account))
		}
		return Node{ID: node.Id, Account: node.Account, Provider: node.Provider}, nil
	}
	node, err := a.chain.FindNode(ctx, a.cfg.Chain.FeeGranter, addr)
	if err != nil {
		return n, err
	}
	return Node{ID: node.Id, Account: node.Account, Provider: node.Provider}, nil
}

func (a *Agent) newDrivers() (map[string]driver.Driver, error) {
	out := map[string]driver.Driver{}
	for _, name := range a.cfg.Drivers.Enabled {
		root := filepath.Join(a.cfg.Node.DataDir, name)
		switch name {
		case driver.Volume:
			v := a.cfg.Drivers.Volume
			d, err := volume.New(volume.Config{Root: root, MinFreeBytes: v.MinFreeBytes, Mkfs: v.Mkfs})
			if err != nil {
				return nil, err
			}
			out[name] = d
		case driver.Process:
			p := a.cfg.Drivers.Process
			wrapper := p.Wrapper
			if len(wrapper) == 0 {
				exe, err := os.Executable()
				if err != nil {
					return nil, err
				}
				wrapper = []string{exe, "agent", "exec"}
			}
			pc := process.DefaultConfig(root, wrapper)
			pc.Limits, pc.CgroupName = p.Limits, p.CgroupName
			pc.StartupWindow, pc.RestartBackoff, pc.MaxBackoff = p.StartupWindow.D(), p.RestartBackoff.D(), p.MaxBackoff.D()
			pc.StopTimeout, pc.LogMaxBytes, pc.Nice, pc.NoFile = p.StopTimeout.D(), p.LogMaxBytes, p.Nice, p.NoFile
			pc.StopOnClose, pc.Logger = p.StopOnExit, a.log
			d, err := process.New(pc)
			if err != nil {
				return nil, err
			}
			a.limits = d.Mode()
			out[name] = d
		}
	}
	return out, nil
}

// Run follows the chain until ctx is cancelled, then shuts down: the HTTP server stops, the
// drivers stop supervising (workloads keep running unless stop_on_exit), the store closes.
// Every goroutine belongs to one daemonkit.Run group: the chain loop, the block subscription
// and the /healthz and /metrics server; the first to fail stops the others and its error is
// returned.
func (a *Agent) Run(ctx context.Context) error {
	defer a.close()
	if err := a.rec.Start(ctx); err != nil {
		return err
	}
	wake := make(chan struct{}, 1)
	parts := []daemonkit.Func{
		daemonkit.Named("follow", func(ctx context.Context) error { return a.follow(ctx, wake) }),
		daemonkit.Named("subscribe", func(ctx context.Context) error { a.subscribe(ctx, wake); return nil }),
	}
	if a.cfg.Server.Listen != "" {
		l, err := daemonkit.Listen(a.cfg.Server.Listen)
		if err != nil {
			return err
		}
		a.log.Info("serving /healthz and /metrics", daemonkit.KeyAddr, l.Addr().String())
		srv := daemonkit.HTTPService{Listener: l, Handler: daemonkit.Mux(a.health, a.registry)}
		parts = append(parts, daemonkit.Named("http", srv.Run))
	}
	err := daemonkit.Run(ctx, parts...)
	a.log.Info("agent stopping")
	return err
}

// follow is the chain loop: on every new block (woken by the subscription) or poll tick it
// reads the height and steps the reconciler. Chain and step errors are logged and retried on
// the next round; they never stop the agent.
func (a *Agent) follow(ctx context.Context, wake <-chan struct{}) error {
	loop := a.health.Loop(loopFollow, followStaleAfter(a.cfg.Loop))
	ticker := a.clk.NewTicker(a.cfg.Loop.PollInterval.D())
	defer ticker.Stop()
	for {
		if head, err := a.chain.Height(ctx); err != nil {
			if ctx.Err() == nil {
				a.metrics.Errors.WithLabelValues("height").Inc()
				a.log.Warn("chain unreachable", daemonkit.KeyErr, err)
				loop.Fail(err)
			}
		} else if err := a.rec.Step(ctx, head); err != nil && ctx.Err() == nil {
			a.log.Warn("step finished with errors", daemonkit.KeyHeight, head, daemonkit.KeyErr, err)
			loop.Fail(err)
		} else {
			loop.Beat()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-ticker.C():
		}
	}
}

// subscribe wakes the loop on every new block, reconnecting after failures.
func (a *Agent) subscribe(ctx context.Context, wake chan<- struct{}) {
	for ctx.Err() == nil {
		err := a.subscribeOnce(ctx, wake)
		if ctx.Err() != nil {
			return
		}
		a.log.Debug("block subscription ended; polling meanwhile", daemonkit.KeyErr, err)
		if a.clk.Sleep(ctx, 5*time.Second) != nil {
			return
		}
	}
}

func (a *Agent) subscribeOnce(ctx context.Context, wake chan<- struct{}) error {
	remote := a.cfg.Chain.RPC
	if !strings.Contains(remote, "://") {
		remote = "tcp://" + remote
	}
	ws, err := rpchttp.New(remote, "/websocket")
	if err != nil {
		return err
	}
	if err := ws.Start(); err != nil {
		return err
	}
	defer func() { _ = ws.Stop() }()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	events, err := ws.Subscribe(sctx, "guild-agent", cmttypes.EventQueryNewBlockHeader.String(), 16)
	cancel()
	if err != nil {
		return err
	}
	a.log.Info("subscribed to new blocks")
	// A silent websocket (node restarted) is noticed by the poll; resubscribe after a while
	// without events so that the subscription comes back.
	idle := a.clk.NewTimer(time.Minute)
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-idle.C():
			return errors.New("no block for a minute")
		case <-events:
			idle.Reset(time.Minute)
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
}

func (a *Agent) close() {
	for _, d := range a.drivers {
		if c, ok := d.(driver.Closer); ok {
			if err := c.Close(); err != nil {
				a.log.Error("close driver", "driver", d.Name(), daemonkit.KeyErr, err)
			}
		}
	}
	a.drivers = nil
	if a.store != nil {
		_ = a.store.Close()
		a.store = nil
	}
}
