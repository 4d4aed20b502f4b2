package keeper

import (
	"context"

	"github.com/guild-network/guild/x/farming/types"
)

// AwardQueueLen and LeavingQueueLen expose the queue sizes to tests.
func (k Keeper) AwardQueueLen(ctx context.Context) (int, error) {
	all, err := k.sps.Indexes.Award.All(ctx)
	return len(all), err
}

// LeavingQueueLen is the number of contracts waiting for their lock to end.
func (k Keeper) LeavingQueueLen(ctx context.Context) (int, error) {
	all, err := k.pools.Indexes.Leaving.All(ctx)
	return len(all), err
}

// SetPoolContractForTest and SetSignagePointForTest write an object as the keeper's
// operations do (through its indexed map), for gas tests of the index writes.
func (k Keeper) SetPoolContractForTest(ctx context.Context, c types.PoolContract) error {
	return k.pools.Set(ctx, c.Id, c)
}

func (k Keeper) SetSignagePointForTest(ctx context.Context, sp types.SignagePoint) error {
	return k.sps.Set(ctx, sp.Height, sp)
}
