package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/guild-network/guild/x/market/types"
)

// Test access to the unexported collections.

// GraceQueueLen is the number of accounts waiting in the grace queue.
func (k Keeper) GraceQueueLen(ctx context.Context) (int, error) {
	all, err := k.accounts.Indexes.Grace.All(ctx)
	return len(all), err
}

// ClosedQueueLen is the number of closed leases waiting to be pruned.
func (k Keeper) ClosedQueueLen(ctx context.Context) (int, error) {
	all, err := k.leases.Indexes.Closed.All(ctx)
	return len(all), err
}

// SetLeaseRaw writes a lease as given, bypassing every operation (for invariant tests).
func (k Keeper) SetLeaseRaw(ctx context.Context, l types.Lease) error {
	return k.leases.Set(ctx, l.Id, l)
}

// SetEarningsRaw overwrites a provider's earnings aggregate (for invariant tests).
func (k Keeper) SetEarningsRaw(ctx context.Context, e types.ProviderEarnings) error {
	return k.leases.Indexes.Earnings.sums.Set(ctx, collections.Join(e.Provider, e.Denom), e)
}
