package agent

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/guild-network/guild/daemon/agent/driver"
	"github.com/guild-network/guild/daemon/agent/store"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

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
