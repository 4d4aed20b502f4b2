package keeper

import "context"

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
