package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// UsedCount is the number of burnt credential hashes, for tests.
func (k Keeper) UsedCount(ctx context.Context) (int, error) {
	it, err := k.used.Iterate(ctx, nil)
	if err != nil {
		return 0, err
	}
	keys, err := it.Keys()
	return len(keys), err
}

// SetPoolForTest overwrites a pool, for tests that show CheckInvariants catches a broken one.
func (k Keeper) SetPoolForTest(ctx context.Context, p types.Pool) error {
	return k.pools.Set(ctx, p.Denom, p)
}

// SetAgentForTest writes an agent through the agents map (and so its indexes).
func (k Keeper) SetAgentForTest(ctx context.Context, a types.Agent) error {
	return k.agents.Set(ctx, a.Id, a)
}

// SetPoolDenomsForTest overwrites the list of pool denoms, for the test that shows
// CheckInvariants catches a list that misses a pool.
func (k Keeper) SetPoolDenomsForTest(ctx context.Context, denoms []string) error {
	return k.poolDenoms.Set(ctx, types.PoolDenoms{Denoms: denoms})
}
