package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/guild-network/guild/x/market/types"
)

// EndBlocker works through the time-ordered queues: accounts whose funds ran out, grace periods
// that ended, deployments that timed out and provider notices that elapsed. Each queue handles
// at most max_due_per_block entries per block; the rest wait for the next block. Nothing here
// ever visits a lease or account that is not due.
func (k Keeper) EndBlocker(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	t := now(ctx)
	limit := int(params.MaxDuePerBlock)

	due3, err := dueTriples(ctx, k.FundsQueue, t, limit)
	if err != nil {
		return err
	}
	for _, key := range due3 {
		if err := k.FundsQueue.Remove(ctx, key); err != nil {
			return err
		}
		// touchAccount settles the account to its funded_until and pauses its leases.
		a, err := k.touchAccount(ctx, key.K2(), key.K3())
		if err != nil {
			return err
		}
		if err := k.saveAccount(ctx, a); err != nil {
			return err
		}
	}

	if due3, err = dueTriples(ctx, k.GraceQueue, t, limit); err != nil {
		return err
	}
	for _, key := range due3 {
		if err := k.endGrace(ctx, key.K2(), key.K3(), key.K1()); err != nil {
			return err
		}
	}

	due2, err := duePairs(ctx, k.DeployQueue, t, limit)
	if err != nil {
		return err
	}
	for _, key := range due2 {
		if err := k.DeployQueue.Remove(ctx, key); err != nil {
			return err
		}
		l, err := k.Leases.Get(ctx, key.K2())
		if err != nil || l.State != types.LEASE_STATE_PENDING {
			continue // stale entry
		}
		if err := k.closeNow(ctx, l.Id, types.ReasonDeployTimeout, "not deployed before the deploy timeout"); err != nil {
			return err
		}
		if params.DeployTimeoutSlashBps > 0 {
			if _, err := k.provider.SlashBond(ctx, l.NodeId, params.DeployTimeoutSlashBps, "deploy timeout"); err != nil {
				return err
			}
		}
	}

	if due2, err = duePairs(ctx, k.NoticeQueue, t, limit); err != nil {
		return err
	}
	for _, key := range due2 {
		if err := k.NoticeQueue.Remove(ctx, key); err != nil {
			return err
		}
		l, err := k.Leases.Get(ctx, key.K2())
		if err != nil || l.State != types.LEASE_STATE_CLOSING {
			continue
		}
		if err := k.closeNow(ctx, l.Id, types.ReasonProviderNotice, "provider notice elapsed"); err != nil {
			return err
		}
	}
	return nil
}

// endGrace closes an account's paused leases with reason 300 once its grace period is over.
func (k Keeper) endGrace(ctx context.Context, tenant, denom string, until int64) error {
	if err := k.GraceQueue.Remove(ctx, collections.Join3(until, tenant, denom)); err != nil {
		return err
	}
	a, err := k.touchAccount(ctx, tenant, denom)
	if err != nil {
		return err
	}
	if a.GraceUntil != until {
		return nil // resumed meanwhile
	}
	ids, err := k.liveLeases(ctx, tenant, denom)
	if err != nil {
		return err
	}
	for _, id := range ids {
		l, err := k.Leases.Get(ctx, id)
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

func dueTriples(ctx context.Context, q collections.KeySet[collections.Triple[int64, string, string]], t int64, limit int,
) ([]collections.Triple[int64, string, string], error) {
	rng := new(collections.Range[collections.Triple[int64, string, string]]).
		EndExclusive(collections.Join3(t+1, "", ""))
	it, err := q.Iterate(ctx, rng)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []collections.Triple[int64, string, string]
	for ; it.Valid() && len(out) < limit; it.Next() {
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		out = append(out, key)
	}
	return out, nil
}

func duePairs(ctx context.Context, q collections.KeySet[collections.Pair[int64, uint64]], t int64, limit int,
) ([]collections.Pair[int64, uint64], error) {
	rng := new(collections.Range[collections.Pair[int64, uint64]]).EndExclusive(collections.Join(t+1, uint64(0)))
	it, err := q.Iterate(ctx, rng)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []collections.Pair[int64, uint64]
	for ; it.Valid() && len(out) < limit; it.Next() {
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		out = append(out, key)
	}
	return out, nil
}
