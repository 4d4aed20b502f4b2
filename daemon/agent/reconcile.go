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
	"unicode/utf8"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/daemon/agent/driver"
	"github.com/guild-network/guild/daemon/agent/store"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// Clock tells the time; tests inject a fake one.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now implements Clock.
func (SystemClock) Now() time.Time { return time.Now() }

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
	clock   Clock
	log     *slog.Logger
	metrics *Metrics
	cfg     LoopConfig
	node    Node
	maxInfo int

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
func NewReconciler(chain Chain, st *store.Store, drivers map[string]driver.Driver, clock Clock, log *slog.Logger,
	metrics *Metrics, cfg LoopConfig, node Node,
) *Reconciler {
	return &Reconciler{
		chain: chain, store: st, drivers: drivers, clock: clock, log: log, metrics: metrics, cfg: cfg, node: node,
		maxInfo:  280,
		attached: map[uint64]bool{}, retryAt: map[uint64]time.Time{}, backoff: map[uint64]time.Duration{},
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

// scan reads the market events of the blocks after the cursor (at most MaxCatchupBlocks of
// them): bookings of this node are recorded for the deploy-latency figures, state changes are
// logged. Workloads are driven by Reconcile from the chain's state, never by events alone, so
// a skipped block loses nothing.
func (r *Reconciler) scan(ctx context.Context, head int64) error {
	cursor, err := r.store.Cursor(ctx)
	if err != nil {
		return err
	}
	from := cursor + 1
	if cursor == 0 || head-from+1 > r.cfg.MaxCatchupBlocks {
		if cursor != 0 {
			r.log.Warn("too far behind to read every block's events; state is reconciled in full", "cursor", cursor, "height", head)
		}
		from = max(1, head-min(r.cfg.MaxCatchupBlocks, 10)+1)
	}
	for h := from; h <= head; h++ {
		events, err := r.chain.BlockEvents(ctx, h)
		if err != nil && h == head {
			// CometBFT reports a height as soon as the block is stored, a moment before its
			// results are: read it on the next step.
			r.log.Debug("results of the newest block not available yet", "height", h, "err", err)
			return nil
		}
		if err != nil {
			return err
		}
		for _, ev := range events {
			r.onEvent(ctx, h, ev)
		}
		if err := r.store.SetCursor(ctx, h); err != nil {
			return err
		}
		r.metrics.Height.Set(float64(h))
	}
	return nil
}

func (r *Reconciler) onEvent(ctx context.Context, height int64, ev any) {
	switch e := ev.(type) {
	case *markettypes.EventLeaseCreated:
		if e.NodeId != r.node.ID {
			return
		}
		if err := r.store.SetBooked(ctx, e.LeaseId, height); err != nil {
			r.log.Error("record booking", "lease", e.LeaseId, "err", err)
		}
		r.log.Info("lease booked", "lease", e.LeaseId, "height", height, "tenant", e.Tenant, "offer", e.OfferId)
	case *markettypes.EventLeaseStateChanged:
		if e.NodeId == r.node.ID {
			r.log.Info("lease state changed", "lease", e.LeaseId, "height", height, "from", e.From.String(),
				"to", e.To.String(), "reason", e.CloseReason)
		}
	case *markettypes.EventDeploymentUpdated:
		if e.NodeId == r.node.ID {
			r.log.Info("lease deployment updated", "lease", e.LeaseId, "height", height)
		}
	}
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
	sem := make(chan struct{}, r.cfg.DeployWorkers)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var errs []error
	for _, id := range ids {
		if !r.due(id) {
			continue
		}
		l := live[id]
		w, known := local[id]
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := r.converge(ctx, l, w, known); err != nil {
				errMu.Lock()
				errs = append(errs, err)
				errMu.Unlock()
			}
		}()
	}
	wg.Wait()

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

// deploy records the intent, runs the driver's Deploy and records the outcome. A permanent
// failure marks the workload failed (and, for a pending lease, due a FAILED report); a
// transient one is retried with backoff.
func (r *Reconciler) deploy(ctx context.Context, l markettypes.Lease, prev store.Workload, known bool) (store.Workload, error) {
	now := r.clock.Now()
	w := store.Workload{
		LeaseID: l.Id, Phase: store.Deploying, Hash: hex.EncodeToString(l.Deployment.Hash), Data: l.Deployment.Data,
		FirstSeen: now, Updated: now,
	}
	if known {
		w.FirstSeen, w.DeployedAt = prev.FirstSeen, prev.DeployedAt
		w.Report, w.ReportedHeight = prev.Report, prev.ReportedHeight
	}
	pending := l.State == markettypes.LEASE_STATE_PENDING
	drv, err := r.prepare(ctx, l, &w)
	if err != nil && !driver.Permanent(err) {
		return w, r.retry(l.Id, "deploy", err)
	}
	if err == nil {
		if err = r.store.PutWorkload(ctx, w); err != nil {
			return w, err
		}
		var info string
		err = r.act(ctx, w, "deploy", func() error {
			var derr error
			info, derr = drv.Deploy(ctx, r.workload(w))
			return derr
		})
		if err == nil {
			w.Phase, w.Info, w.Error, w.Updated = store.Running, info, "", r.clock.Now()
			if w.DeployedAt.IsZero() {
				w.DeployedAt = w.Updated
			}
			if pending {
				w.Report, w.ReportedHeight = store.ReportDeployed, 0
			}
			r.setAttached(l.Id)
			r.log.Info("workload deployed", "lease", l.Id, "driver", w.Driver, "info", info)
			return w, r.store.PutWorkload(ctx, w)
		}
		if ctx.Err() != nil {
			return w, ctx.Err()
		}
		if !driver.Permanent(err) {
			w.Error = err.Error()
			_ = r.store.PutWorkload(ctx, w)
			return w, r.retry(l.Id, "deploy", err)
		}
	}
	w.Phase, w.Info, w.Error, w.Updated = store.Failed, err.Error(), err.Error(), r.clock.Now()
	r.metrics.Errors.WithLabelValues("deploy").Inc()
	r.log.Warn("deployment failed", "lease", l.Id, "driver", w.Driver, "err", err)
	if pending {
		w.Report, w.ReportedHeight = store.ReportFailed, 0
	} else {
		_ = r.retry(l.Id, "deploy", err) // a billed lease: try again later
	}
	return w, r.store.PutWorkload(ctx, w)
}

// prepare fills in the workload's driver and resources from its offer and deployment data.
func (r *Reconciler) prepare(ctx context.Context, l markettypes.Lease, w *store.Workload) (driver.Driver, error) {
	offer, err := r.offer(ctx, l.OfferId)
	if err != nil {
		return nil, err
	}
	w.Resources = driver.Scale(offer.Resources, l.Units)
	name, err := driver.Select(l.Deployment.Data, offer.Kind)
	w.Driver = name
	if err != nil {
		return nil, err
	}
	drv, ok := r.drivers[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", driver.ErrUnknownDriver, name)
	}
	return drv, nil
}

func (r *Reconciler) offer(ctx context.Context, id uint64) (providertypes.Offer, error) {
	r.mu.Lock()
	o, ok := r.offers[id]
	r.mu.Unlock()
	if ok {
		return o, nil // an offer's resources and kind never change
	}
	o, err := r.chain.Offer(ctx, id)
	if err != nil {
		return o, err
	}
	r.mu.Lock()
	r.offers[id] = o
	r.mu.Unlock()
	return o, nil
}

// ensure makes sure a running workload is known to its driver (after a restart) and exists.
func (r *Reconciler) ensure(ctx context.Context, l markettypes.Lease, w store.Workload) error {
	if w.Phase != store.Running {
		return nil
	}
	drv, err := r.driverOf(w)
	if err != nil {
		return err
	}
	if r.isAttached(w.LeaseID) {
		st, err := drv.Status(ctx, r.workload(w))
		if err != nil {
			return r.retry(w.LeaseID, "status", err)
		}
		if st.State != driver.StateMissing {
			return nil
		}
		r.log.Warn("workload missing; deploying it again", "lease", w.LeaseID, "detail", st.Detail)
	}
	err = r.act(ctx, w, "ensure", func() error {
		_, derr := drv.Deploy(ctx, r.workload(w))
		return derr
	})
	if err != nil {
		return r.retry(w.LeaseID, "ensure", err)
	}
	r.setAttached(w.LeaseID)
	return nil
}

func (r *Reconciler) pause(ctx context.Context, w store.Workload) error {
	return r.transition(ctx, w, "pause", store.Pausing, store.Paused, func(d driver.Driver, dw driver.Workload) error {
		return d.Pause(ctx, dw)
	})
}

func (r *Reconciler) resume(ctx context.Context, w store.Workload) error {
	return r.transition(ctx, w, "resume", store.Resuming, store.Running, func(d driver.Driver, dw driver.Workload) error {
		return d.Resume(ctx, dw)
	})
}

// teardown stops a closed lease's workload for good and deletes its data.
func (r *Reconciler) teardown(ctx context.Context, w store.Workload, reason uint32) error {
	r.log.Info("lease closed; tearing down", "lease", w.LeaseID, "driver", w.Driver, "reason", reason)
	if _, ok := r.drivers[w.Driver]; !ok {
		// No usable driver was ever found for it, so nothing was deployed.
		if w.Phase != store.Failed {
			r.log.Warn("no enabled driver to tear down with", "lease", w.LeaseID, "driver", w.Driver)
		}
		w.Phase, w.Updated = store.Removed, r.clock.Now()
		return r.store.PutWorkload(ctx, w)
	}
	err := r.transition(ctx, w, "teardown", store.Removing, store.Removed, func(d driver.Driver, dw driver.Workload) error {
		return d.Teardown(ctx, dw)
	})
	if err == nil {
		r.mu.Lock()
		delete(r.attached, w.LeaseID)
		r.mu.Unlock()
	}
	return err
}

// transition records the intent (phase via), runs step and records the result (phase to).
func (r *Reconciler) transition(ctx context.Context, w store.Workload, action string, via, to store.Phase,
	step func(driver.Driver, driver.Workload) error,
) error {
	drv, err := r.driverOf(w)
	if err != nil {
		return err
	}
	w.Phase, w.Updated = via, r.clock.Now()
	if err := r.store.PutWorkload(ctx, w); err != nil {
		return err
	}
	if err := r.act(ctx, w, action, func() error { return step(drv, r.workload(w)) }); err != nil {
		w.Error = err.Error()
		_ = r.store.PutWorkload(ctx, w)
		return r.retry(w.LeaseID, action, err)
	}
	w.Phase, w.Error, w.Updated = to, "", r.clock.Now()
	r.setAttached(w.LeaseID)
	r.log.Info("workload "+string(to), "lease", w.LeaseID, "driver", w.Driver)
	return r.store.PutWorkload(ctx, w)
}

// act journals an action around the driver call and counts it.
func (r *Reconciler) act(ctx context.Context, w store.Workload, action string, f func() error) error {
	id, err := r.store.Begin(ctx, w.LeaseID, action, w.Driver, r.clock.Now())
	if err != nil {
		return err
	}
	err = f()
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	r.metrics.Actions.WithLabelValues(action, outcome).Inc()
	if ferr := r.store.Finish(context.WithoutCancel(ctx), id, err, r.clock.Now()); ferr != nil && err == nil {
		err = ferr
	}
	if err == nil {
		r.clearRetry(w.LeaseID)
	}
	return err
}

func (r *Reconciler) driverOf(w store.Workload) (driver.Driver, error) {
	drv, ok := r.drivers[w.Driver]
	if !ok {
		return nil, fmt.Errorf("lease %d: %w: %q", w.LeaseID, driver.ErrUnknownDriver, w.Driver)
	}
	return drv, nil
}

func (r *Reconciler) workload(w store.Workload) driver.Workload {
	hash, _ := hex.DecodeString(w.Hash)
	return driver.Workload{LeaseID: w.LeaseID, Resources: w.Resources, Data: w.Data, Hash: hash}
}

func (r *Reconciler) isAttached(id uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attached[id]
}

func (r *Reconciler) setAttached(id uint64) {
	r.mu.Lock()
	r.attached[id] = true
	r.mu.Unlock()
}

// retry schedules another attempt at a lease with exponential backoff (1 s … 1 min) and
// returns err with context.
func (r *Reconciler) retry(id uint64, op string, err error) error {
	r.mu.Lock()
	b := r.backoff[id]
	if b == 0 {
		b = time.Second
	}
	r.retryAt[id] = r.clock.Now().Add(b)
	r.backoff[id] = min(2*b, time.Minute)
	r.mu.Unlock()
	r.metrics.Errors.WithLabelValues(op).Inc()
	r.log.Warn("action failed; will retry", "lease", id, "op", op, "in", b, "err", err)
	return fmt.Errorf("lease %d: %s: %w", id, op, err)
}

// retryDue reports whether some lease's retry time has come.
func (r *Reconciler) retryDue(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, at := range r.retryAt {
		if !now.Before(at) {
			return true
		}
	}
	return false
}

func (r *Reconciler) clearRetry(id uint64) {
	r.mu.Lock()
	delete(r.retryAt, id)
	delete(r.backoff, id)
	r.mu.Unlock()
}

func (r *Reconciler) due(id uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.retryAt[id]
	return !ok || !r.clock.Now().Before(at)
}

// report sends the due DEPLOYED/FAILED reports of pending leases in one transaction (one by
// one if the batch is refused, so that one bad report does not hold up the others).
func (r *Reconciler) report(ctx context.Context, live map[uint64]markettypes.Lease) error {
	locals, err := r.store.Workloads(ctx)
	if err != nil {
		return err
	}
	var due []store.Workload
	for _, w := range locals {
		if w.Report == store.ReportNone || w.ReportedHeight != 0 {
			continue
		}
		if l, ok := live[w.LeaseID]; !ok || l.State != markettypes.LEASE_STATE_PENDING {
			// The lease left PENDING (our report landed before a crash, or it was cancelled
			// or timed out): nothing more to report.
			w.ReportedHeight = -1
			if err := r.store.PutWorkload(ctx, w); err != nil {
				return err
			}
			continue
		}
		if r.due(w.LeaseID) {
			due = append(due, w)
		}
	}
	if len(due) == 0 {
		return nil
	}
	if err := r.submitReports(ctx, due); err == nil || len(due) == 1 {
		return err
	}
	var errs []error
	for _, w := range due {
		errs = append(errs, r.submitReports(ctx, []store.Workload{w}))
	}
	return errors.Join(errs...)
}

func (r *Reconciler) submitReports(ctx context.Context, ws []store.Workload) error {
	msgs := make([]sdk.Msg, 0, len(ws))
	for _, w := range ws {
		result := markettypes.DEPLOYMENT_RESULT_DEPLOYED
		if w.Report == store.ReportFailed {
			result = markettypes.DEPLOYMENT_RESULT_FAILED
		}
		msgs = append(msgs, &markettypes.MsgReportDeployment{
			NodeAccount: r.node.Account, LeaseId: w.LeaseID, Result: result, Info: truncate(w.Info, r.maxInfo),
		})
	}
	tctx, cancel := context.WithTimeout(ctx, r.txTimeout())
	defer cancel()
	res, err := r.chain.Submit(tctx, msgs...)
	if err != nil {
		for _, w := range ws {
			if len(ws) == 1 {
				_ = r.retry(w.LeaseID, "report", err)
			}
		}
		r.metrics.Errors.WithLabelValues("report").Inc()
		return fmt.Errorf("report %d deployments: %w", len(ws), err)
	}
	now := r.clock.Now()
	for _, w := range ws {
		w.ReportedHeight, w.Updated = res.Height, now
		if err := r.store.PutWorkload(ctx, w); err != nil {
			return err
		}
		r.metrics.Reports.WithLabelValues(w.Report).Inc()
		booked, _ := r.store.Booked(ctx, w.LeaseID)
		attrs := []any{"lease", w.LeaseID, "result", w.Report, "height", res.Height, "booked_height", booked, "tx", res.Hash}
		if booked > 0 {
			attrs = append(attrs, "blocks", res.Height-booked)
		}
		if w.Report == store.ReportDeployed {
			r.metrics.DeploySeconds.Observe(now.Sub(w.FirstSeen).Seconds())
			if booked > 0 {
				r.metrics.DeployBlocks.Observe(float64(res.Height - booked))
			}
		}
		r.log.Info("lease reported", attrs...)
	}
	return nil
}

func (r *Reconciler) txTimeout() time.Duration { return 30 * time.Second }

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
