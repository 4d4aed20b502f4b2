package agent

import (
	"context"

	markettypes "github.com/guild-network/guild/x/market/types"
)

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
