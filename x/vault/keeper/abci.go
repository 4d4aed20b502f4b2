package keeper

import (
	"context"

	"github.com/guild-network/guild/x/internal/modkit"
)

// EndBlocker does the per-block work, bounded by the parameters whatever the queues hold: it ends
// the proposals whose voting is over (executing those that passed), deletes a bounded number of
// ended proposals' vote snapshots (pruneSnapshots), then harvests the vaults
// whose next harvest is due, each with a page of market earnings. A harvest that fails (its
// error is logged) changes nothing but is rescheduled, so one broken vault never holds the queue.
func (k Keeper) EndBlocker(ctx context.Context) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	now := modkit.BlockTime(ctx)
	if _, err := modkit.WalkDue(ctx, k.proposals.Indexes.End, now, int(params.MaxExecutionsPerBlock), func(_ int64, id uint64) error {
		return k.endProposal(ctx, id)
	}); err != nil {
		return err
	}
	if err := k.pruneSnapshots(ctx, now, int(params.MaxSnapshotPrunesPerBlock)); err != nil {
		return err
	}
	_, err = modkit.WalkDue(ctx, k.vaults.Indexes.Harvest, now, int(params.MaxHarvestsPerBlock), func(_ int64, id uint64) error {
		cache, write := sdkUnwrap(ctx).CacheContext()
		if _, herr := k.Harvest(cache, id, true); herr == nil {
			write()
			return nil
		} else {
			sdkUnwrap(ctx).Logger().Error("vault harvest failed", "vault", id, "err", herr)
		}
		v, err := k.GetVault(ctx, id)
		if err != nil {
			return err
		}
		v.NextHarvest = now + params.HarvestInterval
		return k.saveVault(ctx, v)
	})
	return err
}
