// Package farmer is `guildd farmer run`: it follows the chain's signage points (a block
// subscription with a polling fallback, and catch-up from a persisted cursor after a restart),
// runs the harvester over every plot for each one (filter, then qualities, then full proofs only
// for winners and partials), submits the best winning proof within the signage point's window
// signed by the plot key, hands partials to a pool client, and serves /healthz and /metrics.
package farmer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/guild-network/guild/internal/clock"
	"github.com/guild-network/guild/internal/daemonkit"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// Log keys of the farmer (beyond daemonkit's).
const (
	keySP     = "sp_height"
	keyPlot   = "plot"
	keyIters  = "required_iters"
	keyPassed = "passed_filter"
)

// Farmer is the farming daemon.
type Farmer struct {
	cfg       Config
	chain     Chain
	signer    Signer
	harvester *Harvester
	pool      PoolClient
	clk       clock.Clock
	log       *slog.Logger
	registry  *prometheus.Registry
	m         *metrics
	listener  net.Listener

	mu        sync.Mutex
	cursor    int64            // last signage point height looked up
	submitted map[int64][]byte // sp height → plot id we hold the best proof with
	closeOnce sync.Once
}

// Options are the farmer's collaborators; zero values get real ones.
type Options struct {
	Clock  clock.Clock
	Log    *slog.Logger
	Pool   PoolClient
	Signer Signer
}

// New validates cfg, opens the plots and the listener and reads the cursor.
func New(cfg Config, chain Chain, opts Options) (*Farmer, error) {
	if err := cfg.ValidateBasic(); err != nil {
		return nil, err
	}
	if opts.Signer == nil {
		s, ok := chain.(Signer)
		if !ok {
			return nil, errors.New("farmer: no signer for plot keys")
		}
		opts.Signer = s
	}
	if opts.Log == nil {
		opts.Log = daemonkit.NewLogger(os.Stderr, cfg.Log)
	}
	h, skipped, err := OpenHarvester(cfg.Farming.PlotDirs, cfg.Farming.PoolContracts)
	for _, s := range skipped {
		opts.Log.Warn("plot skipped", daemonkit.KeyPath, s)
	}
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Farming.DataDir, 0o755); err != nil {
		h.Close()
		return nil, err
	}
	reg := daemonkit.NewRegistry()
	f := &Farmer{
		cfg: cfg, chain: chain, signer: opts.Signer, harvester: h, pool: opts.Pool,
		clk: clock.OrReal(opts.Clock), log: opts.Log, registry: reg, m: newMetrics(reg),
		submitted: map[int64][]byte{},
	}
	var space int64
	for _, p := range h.Plots() {
		space += p.Size
	}
	f.m.plots.Set(float64(len(h.Plots())))
	f.m.space.Set(float64(space))
	if f.cursor, err = readCursor(f.cursorPath()); err != nil {
		h.Close()
		return nil, err
	}
	if cfg.Server.Listen != "" {
		if f.listener, err = daemonkit.Listen(cfg.Server.Listen); err != nil {
			h.Close()
			return nil, err
		}
	}
	f.log.Info("farmer ready", daemonkit.KeyCount, len(h.Plots()), "space_bytes", space, keySP, f.cursor)
	return f, nil
}

// Harvester returns the farmer's harvester.
func (f *Farmer) Harvester() *Harvester { return f.harvester }

// Registry returns the metrics registry.
func (f *Farmer) Registry() *prometheus.Registry { return f.registry }

// Run follows signage points until ctx is done; it owns every goroutine.
func (f *Farmer) Run(ctx context.Context) error {
	defer f.Close()
	health := daemonkit.NewHealth(f.clk)
	loop := health.Loop("signage_points", 10*f.cfg.Loop.PollInterval.D()+30*time.Second)
	wake := make(chan struct{}, 1)
	fns := []daemonkit.Func{daemonkit.Named("signage_points", func(ctx context.Context) error {
		t := f.clk.NewTimer(0)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C():
			case <-wake:
			}
			if err := f.Step(ctx); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				f.log.Warn("signage point step failed", daemonkit.KeyErr, err)
				loop.Fail(err)
			} else {
				loop.Beat()
			}
			t.Reset(f.cfg.Loop.PollInterval.D())
		}
	})}
	if f.cfg.Loop.Subscribe {
		fns = append(fns, func(ctx context.Context) error {
			return subscribeBlocks(ctx, f.clk, f.cfg.Chain.RPC, wake, func(msg string, args ...any) { f.log.Debug(msg, args...) })
		})
	}
	if f.listener != nil {
		fns = append(fns, daemonkit.HTTPService{Listener: f.listener, Handler: daemonkit.Mux(health, f.registry), Log: f.log}.Run)
	}
	return daemonkit.Run(ctx, fns...)
}

// Close releases the plots and the listener; it is idempotent.
func (f *Farmer) Close() error {
	var err error
	f.closeOnce.Do(func() {
		err = f.harvester.Close()
		if f.listener != nil {
			_ = f.listener.Close()
		}
	})
	return err
}

// Step looks up every signage point newer than the cursor that is still open (catching up after
// a restart), submits winning proofs, hands partials to the pool client, records wins of earlier
// submissions and persists the cursor.
func (f *Farmer) Step(ctx context.Context) error {
	params, err := f.chain.Params(ctx)
	if err != nil {
		return err
	}
	latest, err := f.chain.LatestSignagePoint(ctx)
	if errors.Is(err, ErrSPNotFound) {
		return nil // no signage point yet
	}
	if err != nil {
		return err
	}
	f.checkWins(ctx, latest.Height)
	f.mu.Lock()
	from := f.cursor + 1
	f.mu.Unlock()
	// Only signage points still open at the next block are worth looking at.
	if oldest := latest.Height - int64(params.ClaimWindow) + 1; from < oldest {
		from = oldest
	}
	for h := from; h <= latest.Height; h++ {
		sp := latest
		if h != latest.Height {
			if sp, err = f.chain.SignagePoint(ctx, h); errors.Is(err, ErrSPNotFound) {
				continue
			} else if err != nil {
				return err
			}
		}
		if err := f.farm(ctx, params, sp); err != nil {
			return err
		}
		f.mu.Lock()
		f.cursor = h
		f.mu.Unlock()
		if err := writeCursor(f.cursorPath(), h); err != nil {
			return err
		}
	}
	return nil
}

// farm answers one signage point.
func (f *Farmer) farm(ctx context.Context, params farmingtypes.Params, sp farmingtypes.SignagePoint) error {
	start := f.clk.Now()
	wins, partials, passed, err := f.harvester.Lookup(params, sp, f.pool)
	f.m.lookup.Observe(f.clk.Since(start).Seconds())
	if err != nil {
		return err
	}
	f.m.sps.Inc()
	f.m.passed.Add(float64(passed))
	f.m.lastSP.Set(float64(sp.Height))
	f.m.found.Add(float64(len(wins)))
	for _, p := range partials {
		if err := f.pool.SubmitPartial(ctx, p); err != nil {
			f.log.Warn("partial refused by the pool client", keySP, sp.Height, keyPlot, p.Plot.ID.String(), daemonkit.KeyErr, err)
			continue
		}
		f.m.partials.Inc()
	}
	f.log.Debug("signage point", keySP, sp.Height, keyPassed, passed, daemonkit.KeyCount, len(wins), daemonkit.KeyDuration, f.clk.Since(start))
	if len(wins) == 0 {
		return nil
	}
	// The chain keeps only the best proof per signage point: submit our best one only, unless
	// the chain already holds a better one.
	best := wins[0]
	if sp.Best != nil && !farmingtypes.Better(best.RequiredIters, best.Quality[:], sp.Best) {
		return nil
	}
	msg, err := f.message(best)
	if err != nil {
		return err
	}
	height, err := f.chain.SubmitProof(ctx, msg)
	if err != nil {
		f.m.submitFails.Inc()
		f.log.Warn("proof submission failed", keySP, sp.Height, keyPlot, best.Plot.ID.String(), keyIters, best.RequiredIters, daemonkit.KeyErr, err)
		return nil
	}
	f.m.submitted.Inc()
	f.mu.Lock()
	f.submitted[sp.Height] = best.Plot.ID[:]
	f.mu.Unlock()
	f.log.Info("proof submitted", keySP, sp.Height, keyPlot, best.Plot.ID.String(), keyIters, best.RequiredIters, daemonkit.KeyHeight, height)
	return nil
}

// message builds the signed MsgSubmitProof for a proof.
func (f *Farmer) message(p Proof) (*farmingtypes.MsgSubmitProof, error) {
	sig, err := f.signer.Sign(p.Plot.PublicKey, farmingtypes.ProofSignBytes(f.cfg.Chain.ChainID, p.SPHeight, p.SPHash, f.cfg.Farming.RewardAddress))
	if err != nil {
		return nil, err
	}
	return &farmingtypes.MsgSubmitProof{
		Submitter: f.chain.Submitter(), SpHeight: p.SPHeight, PlotPublicKey: p.Plot.PublicKey,
		PoolContractId: p.Plot.PoolContractID, K: p.Plot.K, Proof: p.Proof,
		RewardAddress: f.cfg.Farming.RewardAddress, Signature: sig,
	}, nil
}

// checkWins looks at signage points we submitted to whose window has closed by now.
func (f *Farmer) checkWins(ctx context.Context, latest int64) {
	f.mu.Lock()
	var due []int64
	for h := range f.submitted {
		due = append(due, h)
	}
	f.mu.Unlock()
	for _, h := range due {
		sp, err := f.chain.SignagePoint(ctx, h)
		if err != nil && !errors.Is(err, ErrSPNotFound) {
			continue
		}
		if err == nil && !sp.Awarded {
			continue
		}
		f.mu.Lock()
		ours := f.submitted[h]
		delete(f.submitted, h)
		f.mu.Unlock()
		if err == nil && sp.Best != nil && string(sp.Best.PlotId) == string(ours) && sp.Best.RewardAddress == f.cfg.Farming.RewardAddress {
			f.m.won.Inc()
			f.log.Info("signage point won", keySP, h, daemonkit.KeyAmount, sp.Reward.String())
		}
	}
}

func (f *Farmer) cursorPath() string { return filepath.Join(f.cfg.Farming.DataDir, "cursor.json") }

type cursorFile struct {
	LastSPHeight int64 `json:"last_sp_height"`
}

func readCursor(path string) (int64, error) {
	bz, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var c cursorFile
	if err := json.Unmarshal(bz, &c); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return c.LastSPHeight, nil
}

// writeCursor replaces the cursor file atomically.
func writeCursor(path string, h int64) error {
	bz, _ := json.Marshal(cursorFile{LastSPHeight: h})
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, bz, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
