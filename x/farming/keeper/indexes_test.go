package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/codec"
	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdkcodec "github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/farming/types"
)

// gasOf is the store gas fn uses on the fixture's context.
func (f *fixture) gasOf(fn func(ctx sdk.Context) error) storetypes.Gas {
	f.t.Helper()
	meter := storetypes.NewInfiniteGasMeter()
	require.NoError(f.t, fn(f.ctx.WithGasMeter(meter)))
	return meter.GasConsumed()
}

// plainGas is the gas of reading an object once and writing it, in a plain map of the same
// codec on the same store: what an indexed write costs when no index entry changes.
func plainGas[K, V any](f *fixture, kc codec.KeyCodec[K], vc codec.ValueCodec[V], k K, old, v V) storetypes.Gas {
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(f.key))
	m := collections.NewMap(sb, collections.NewPrefix(250), "plain", kc, vc)
	require.NoError(f.t, m.Set(f.ctx, k, old))
	return f.gasOf(func(ctx sdk.Context) error {
		if _, err := m.Get(ctx, k); err != nil {
			return err
		}
		return m.Set(ctx, k, v)
	})
}

// TestIndexedWritesReadOnceAndKeepEntries: a pool contract's balance change (an award, an
// absorb) and a signage point's new best proof cost one read of the old object and the object's
// write, nothing for their indexes (contracts by owner and by target, the leaving queue; the
// award and prune queues); a join still moves the target entry, and the invariants check every
// index both ways.
func TestIndexedWritesReadOnceAndKeepEntries(t *testing.T) {
	f := setup(t, testParams())
	f.createContracts()
	f.c.OK(f.join(farmerA, 1, 10), &types.EventPoolContractStateChanged{})

	c := f.contract(1)
	next := c
	next.Balance = c.Balance.Add(sdkmath.NewInt(7))
	want := plainGas(f, collections.Uint64Key, sdkcodec.CollValue[types.PoolContract](f.cdc), c.Id, c, next)
	require.Equal(t, want, f.gasOf(func(ctx sdk.Context) error { return f.k.SetPoolContractForTest(ctx, next) }),
		"pool contract write: one read, no index write")
	next.Balance = c.Balance // keep the module account's balance equal to the contracts'
	require.NoError(t, f.k.SetPoolContractForTest(f.ctx, next))

	f.next()
	sp := f.sp(f.ctx.BlockHeight() - 1)
	spNext := sp
	spNext.ProofsAccepted++
	want = plainGas(f, collections.Int64Key, sdkcodec.CollValue[types.SignagePoint](f.cdc), sp.Height, sp, spNext)
	require.Equal(t, want, f.gasOf(func(ctx sdk.Context) error { return f.k.SetSignagePointForTest(ctx, spNext) }),
		"signage point write: one read, no queue write")
	require.NoError(t, f.k.SetSignagePointForTest(f.ctx, sp))
	require.NoError(t, f.k.CheckInvariants(f.ctx))

	// Leaving moves the target entry back to the owner and queues the contract.
	f.c.OK(f.leave(farmerA, 1), &types.EventPoolContractStateChanged{})
	res, err := f.q.PoolContractsByTarget(f.ctx, &types.QueryPoolContractsByTargetRequest{Target: poolAddr})
	require.NoError(t, err)
	require.Len(t, res.PoolContracts, 1, "still the pool's while the lock runs")
}
