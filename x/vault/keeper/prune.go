package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

// pruneSnapshots deletes the vote snapshots of ended proposals (executed, rejected or failed),
// oldest end first, through the snapshot prune queue: at most limit snapshots and limit
// proposals per block, however many snapshots one proposal holds (one per position of its
// vault at most). A proposal whose snapshots are all gone is marked SnapshotsPruned, which takes
// it out of the queue; one with more left stays at the head and goes on next block. Nothing
// reads an ended proposal's snapshots: its tally is final and VoteWeight answers from the vote.
func (k Keeper) pruneSnapshots(ctx context.Context, now int64, limit int) error {
	due, err := modkit.Due(ctx, k.proposals.Indexes.Prune, now, limit)
	if err != nil {
		return err
	}
	budget := limit
	for _, d := range due {
		if budget == 0 {
			return nil
		}
		id := d.K2()
		keys, more, err := k.snapshotKeys(ctx, id, budget)
		if err != nil {
			return err
		}
		for _, key := range keys {
			if err := k.snapshots.Remove(ctx, key); err != nil {
				return err
			}
		}
		budget -= len(keys)
		p, err := k.GetProposal(ctx, id)
		if err != nil {
			return err
		}
		if !more {
			p.SnapshotsPruned = true
			if err := k.proposals.Set(ctx, id, p); err != nil {
				return err
			}
		}
		if len(keys) > 0 || !more {
			if err := modkit.Emit(ctx, &types.EventSnapshotsPruned{ProposalId: id, VaultId: p.VaultId, Pruned: uint64(len(keys)), Done: !more}); err != nil {
				return err
			}
		}
	}
	return nil
}

// snapshotKeys returns at most limit keys of proposal id's snapshots, and whether more remain.
func (k Keeper) snapshotKeys(ctx context.Context, id uint64, limit int) ([]collections.Pair[uint64, uint64], bool, error) {
	it, err := k.snapshots.Iterate(ctx, collections.NewPrefixedPairRange[uint64, uint64](id))
	if err != nil {
		return nil, false, err
	}
	defer it.Close()
	var keys []collections.Pair[uint64, uint64]
	for ; it.Valid(); it.Next() {
		if len(keys) == limit {
			return keys, true, nil
		}
		key, err := it.Key()
		if err != nil {
			return nil, false, err
		}
		keys = append(keys, key)
	}
	return keys, false, nil
}
