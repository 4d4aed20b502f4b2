package agent

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/guild-network/guild/daemon/agent/driver"
	"github.com/guild-network/guild/daemon/agent/store"
	"github.com/guild-network/guild/internal/clock"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// Scheduled tasks in the store.
const (
	taskHeartbeat = "heartbeat"
	taskClaim     = "claim"
)

// liveStates are the lease states the agent lists each pass; a lease in none of them is closed.
var liveStates = []markettypes.LeaseState{
	markettypes.LEASE_STATE_PENDING, markettypes.LEASE_STATE_ACTIVE,
	markettypes.LEASE_STATE_GRACE, markettypes.LEASE_STATE_CLOSING,
}

// Node identifies the node the agent runs.
type Node struct {
	ID       uint64
	Account  string // the node key's address: signer of reports, heartbeats and claims
	Provider string // whose earnings the claims pay out
}

// Reconciler brings the node's workloads to what the chain says, one Step at a time. Step is
// not safe for concurrent use; the agent calls it from one goroutine.
type Reconciler struct {
	chain   Chain
	store   *store.Store
	drivers map[string]driver.Driver
	clock   clock.Clock
	log     *slog.Logger
	metrics *Metrics
	cfg     LoopConfig
	node    Node
	maxInfo int
	// txTimeoutD bounds each transaction ([chain] tx_timeout).
	txTimeoutD time.Duration

	mu       sync.Mutex
	attached map[uint64]bool      // workloads handed to their driver since this run started
	retryAt  map[uint64]time.Time // leases whose last action failed, and when to try again
	backoff  map[uint64]time.Duration
	offers   map[uint64]providertypes.Offer

	height     int64 // last height reconciled
	nextResync time.Time
	billing    int // leases of the node being billed, at the last pass
	health     Health
}

// NewReconciler returns a reconciler for node.
//
// txTimeout bounds every transaction the reconciler sends, from signing to inclusion ([chain]
// tx_timeout).
func NewReconciler(chain Chain, st *store.Store, drivers map[string]driver.Driver, clk clock.Clock, log *slog.Logger,
	metrics *Metrics, cfg LoopConfig, txTimeout time.Duration, node Node,
) *Reconciler {
	return &Reconciler{
		chain: chain, store: st, drivers: drivers, clock: clock.OrReal(clk), log: log, metrics: metrics, cfg: cfg, node: node,
		txTimeoutD: txTimeout,
		maxInfo:    280,
		attached:   map[uint64]bool{}, retryAt: map[uint64]time.Time{}, backoff: map[uint64]time.Duration{},
		offers: map[uint64]providertypes.Offer{},
		health: Health{NodeID: node.ID},
	}
}

// Start prepares a run: it records the journal entries a crash left open (their steps are
// redone from the workloads' phases) and reads the chain's limit on report text.
func (r *Reconciler) Start(ctx context.Context) error {
	open, err := r.store.Interrupted(ctx, r.clock.Now())
	if err != nil {
		return err
	}
	for _, a := range open {
		r.log.Warn("action interrupted by a crash; it will be redone", "lease", a.LeaseID, "action", a.Action, "started", a.Started)
	}
	if p, err := r.chain.MarketParams(ctx); err == nil && p.MaxReportText > 0 {
		r.maxInfo = int(p.MaxReportText)
	}
	return nil
}

// Health reports the agent's health: healthy while reconciliation succeeded recently.
func (r *Reconciler) Health() Health {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.health
	stale := max(3*r.cfg.ResyncInterval.D(), 60*time.Second)
	h.OK = !h.LastReconcile.IsZero() && r.clock.Now().Sub(h.LastReconcile) < stale
	return h
}

// Step processes the chain up to head: events since the cursor, a full reconciliation when
// head is new or a resync is due, then heartbeat and claim when they are due.
func (r *Reconciler) Step(ctx context.Context, head int64) error {
	var errs []error
	if err := r.scan(ctx, head); err != nil {
		errs = append(errs, fmt.Errorf("scan: %w", err))
		r.metrics.Errors.WithLabelValues("scan").Inc()
	}
	now := r.clock.Now()
	if head > r.height || !now.Before(r.nextResync) || r.retryDue(now) {
		if err := r.Reconcile(ctx); err != nil {
			errs = append(errs, fmt.Errorf("reconcile: %w", err))
			r.metrics.Errors.WithLabelValues("reconcile").Inc()
		} else {
			r.height, r.nextResync = head, now.Add(r.cfg.ResyncInterval.D())
			r.mu.Lock()
			r.health.LastReconcile, r.health.Height = now, head
			r.mu.Unlock()
		}
	}
	if err := r.heartbeat(ctx); err != nil {
		errs = append(errs, err)
	}
	if err := r.claim(ctx); err != nil {
		errs = append(errs, err)
	}
	err := errors.Join(errs...)
	r.mu.Lock()
	r.health.LastError = ""
	if err != nil {
		r.health.LastError = err.Error()
	}
	r.mu.Unlock()
	return err
}

// Reconcile compares the node's live leases on chain with the local workloads and acts: it
// deploys, pauses, resumes, redeploys and tears down, then reports new deployments. Every
// action is recorded before it is taken and is idempotent, so a pass interrupted at any point
// is completed by the next one.
func (r *Reconciler) Reconcile(ctx context.Context) error {
	live := map[uint64]markettypes.Lease{}
	counts := map[markettypes.LeaseState]int{}
	for _, st := range liveStates {
		leases, err := r.chain.NodeLeases(ctx, r.node.ID, st)
		if err != nil {
			return err
		}
		for _, l := range leases {
			live[l.Id] = l
		}
		counts[st] = len(leases)
	}
	for _, st := range liveStates {
		r.metrics.Leases.WithLabelValues(st.String()).Set(float64(counts[st]))
	}
	r.billing = counts[markettypes.LEASE_STATE_ACTIVE] + counts[markettypes.LEASE_STATE_GRACE] + counts[markettypes.LEASE_STATE_CLOSING]
	locals, err := r.store.Workloads(ctx)
	if err != nil {
		return err
	}
	local := map[uint64]store.Workload{}
	for _, w := range locals {
		local[w.LeaseID] = w
	}

	ids := make([]uint64, 0, len(live))
	for id := range live {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	// At most deploy_workers leases are acted on at once; one lease's failure does not stop
	// the others (the group has no shared cancellation), and every error is kept.
	var g errgroup.Group
	g.SetLimit(r.cfg.DeployWorkers)
	var errMu sync.Mutex
	var errs []error
	for _, id := range ids {
		if !r.due(id) {
			continue
		}
		l := live[id]
		w, known := local[id]
		g.Go(func() error {
			if err := r.converge(ctx, l, w, known); err != nil {
				errMu.Lock()
				errs = append(errs, err)
				errMu.Unlock()
			}
			return nil
		})
	}
	_ = g.Wait() // the workers return nil; their errors are in errs

	// Local workloads whose lease is not live: closed (or the chain forgot it) means teardown.
	for _, w := range locals {
		if _, ok := live[w.LeaseID]; ok || !r.due(w.LeaseID) {
			continue
		}
		l, err := r.chain.Lease(ctx, w.LeaseID)
		switch {
		case errors.Is(err, ErrLeaseNotFound) || (err == nil && l.State == markettypes.LEASE_STATE_CLOSED):
			if err := r.teardown(ctx, w, l.CloseReason); err != nil {
				errs = append(errs, err)
			}
		case err != nil:
			errs = append(errs, err)
		}
		// A lease that became live between the two queries is handled next pass.
	}
	if err := r.report(ctx, live); err != nil {
		errs = append(errs, err)
	}
	if counts, err := r.store.CountByPhase(ctx); err == nil {
		total := 0
		for _, p := range []store.Phase{store.Deploying, store.Running, store.Failed, store.Pausing, store.Paused,
			store.Resuming, store.Removing, store.Removed} {
			r.metrics.Workloads.WithLabelValues(string(p)).Set(float64(counts[p]))
			if p != store.Removed {
				total += counts[p]
			}
		}
		r.mu.Lock()
		r.health.Workloads = total
		r.mu.Unlock()
	}
	return errors.Join(errs...)
}

// converge brings one live lease's workload to the state its lease asks for.
func (r *Reconciler) converge(ctx context.Context, l markettypes.Lease, w store.Workload, known bool) error {
	if !known || w.Phase == store.Deploying || w.Phase == store.Removing {
		var err error
		if w, err = r.deploy(ctx, l, w, known); err != nil || w.Phase != store.Running {
			return err
		}
	}
	switch l.State {
	case markettypes.LEASE_STATE_PENDING:
		return r.ensure(ctx, l, w)
	case markettypes.LEASE_STATE_ACTIVE, markettypes.LEASE_STATE_CLOSING:
		switch w.Phase {
		case store.Pausing, store.Paused, store.Resuming:
			return r.resume(ctx, w)
		case store.Failed:
			// The chain runs a lease whose deployment failed here (its report was lost):
			// try again.
			_, err := r.deploy(ctx, l, w, true)
			return err
		}
		if w.Hash != hex.EncodeToString(l.Deployment.Hash) || w.Data != l.Deployment.Data {
			_, err := r.deploy(ctx, l, w, true)
			return err
		}
		return r.ensure(ctx, l, w)
	case markettypes.LEASE_STATE_GRACE:
		switch w.Phase {
		case store.Running, store.Resuming, store.Pausing:
			return r.pause(ctx, w)
		case store.Paused:
			if !r.isAttached(w.LeaseID) {
				return r.pause(ctx, w) // re-attach after a restart; pausing is idempotent
			}
		}
	}
	return nil
}
