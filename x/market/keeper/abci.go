package keeper

import (
	"context"
	"fmt"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// EndBlocker works through the time-ordered queues: accounts whose funds ran out, grace periods
// that ended, deployments that timed out, provider notices that elapsed and closed leases whose
// retention ended. Each queue handles at most max_due_per_block entries per block
// (modkit.WalkDue); the rest wait for the next block. The queues are indexes of the objects, so
// every entry is due for real: nothing here visits a lease or account that is not due, and
// every store error stops the block with its cause.
func (k Keeper) EndBlocker(ctx context.Context) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	t := modkit.BlockTime(ctx)
	limit := int(params.MaxDuePerBlock)

	// touchAccount settles a due account to its funded_until and pauses its leases, which takes
	// it out of the funds queue.
	if _, err := modkit.WalkDue(ctx, k.accounts.Indexes.Funds, t, limit, func(_ int64, key AccountKey) error {
		a, err := k.touchAccount(ctx, key.K1(), key.K2())
		if err != nil {
			return err
		}
		return k.saveAccount(ctx, a)
	}); err != nil {
		return err
	}
	if _, err := modkit.WalkDue(ctx, k.accounts.Indexes.Grace, t, limit, func(_ int64, key AccountKey) error {
		return k.endGrace(ctx, key.K1(), key.K2())
	}); err != nil {
		return err
	}
	if _, err := modkit.WalkDue(ctx, k.leases.Indexes.Deploy, t, limit, func(_ int64, id uint64) error {
		return k.deployTimedOut(ctx, id, params.DeployTimeoutSlashBps)
	}); err != nil {
		return err
	}
	if _, err := modkit.WalkDue(ctx, k.leases.Indexes.Notice, t, limit, func(_ int64, id uint64) error {
		return k.closeNow(ctx, id, types.ReasonProviderNotice, "provider notice elapsed")
	}); err != nil {
		return err
	}
	_, err = modkit.WalkDue(ctx, k.leases.Indexes.Closed, t-params.ClosedLeaseRetention, limit, func(closedAt int64, id uint64) error {
		if err := k.leases.Remove(ctx, id); err != nil {
			return err
		}
		return modkit.Emit(ctx, &types.EventLeasePruned{LeaseId: id, ClosedAt: closedAt})
	})
	return err
}

// deployTimedOut closes a lease still PENDING at its deploy deadline with reason 301 (full
// refund) and suspends its node: the node leaves the bookable set until its operator brings it
// back. The bond is slashed (slashBps) only when this timeout began the incident, so a node
// whose agent is down loses at most one slash however many bookings time out on it.
func (k Keeper) deployTimedOut(ctx context.Context, id uint64, slashBps uint32) error {
	l, err := k.GetLease(ctx, id)
	if err != nil {
		return err
	}
	if err := k.closeNow(ctx, id, types.ReasonDeployTimeout, "not deployed before the deploy timeout"); err != nil {
		return err
	}
	incident, err := k.provider.SuspendNode(ctx, l.NodeId, fmt.Sprintf("deploy timeout of lease %d", id))
	if err != nil {
		return err
	}
	if incident && slashBps > 0 {
		if _, err := k.provider.SlashBond(ctx, l.NodeId, slashBps, "deploy timeout"); err != nil {
			return err
		}
	}
	return nil
}

// endGrace closes an account's paused leases with reason 300 once its grace period is over.
func (k Keeper) endGrace(ctx context.Context, tenant, denom string) error {
	a, err := k.touchAccount(ctx, tenant, denom)
	if err != nil {
		return err
	}
	ids, err := k.liveLeases(ctx, tenant, denom)
	if err != nil {
		return err
	}
	for _, id := range ids {
		l, err := k.leases.Get(ctx, id)
		if err != nil {
			return err
		}
		if l.State == types.LEASE_STATE_GRACE {
			if err := k.closeLease(ctx, &a, &l, types.ReasonOutOfFunds, "grace period ended without a top-up"); err != nil {
				return err
			}
		}
	}
	a.GraceUntil = 0
	return k.saveAccount(ctx, a)
}
