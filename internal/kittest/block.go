package kittest

import (
	"testing"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// MeasuredBlock runs op as one block of a keeper benchmark: in a cache of ctx's state (the
// committed state) with its own infinite gas meter, wrapped by measure (the benchmark's timer,
// e.g. benchkit.Ops.Measure), then — untimed — writes the cache and commits cms, as a chain
// commits every block. It fails t if op fails and returns the gas op used.
func MeasuredBlock(t testing.TB, ctx sdk.Context, cms storetypes.CommitMultiStore, measure func(func()), op func(sdk.Context) error) uint64 {
	t.Helper()
	cache, write := ctx.CacheContext()
	cache = cache.WithGasMeter(storetypes.NewInfiniteGasMeter())
	var err error
	measure(func() { err = op(cache) })
	if err != nil {
		t.Fatal(err)
	}
	write()
	cms.Commit()
	return cache.GasMeter().GasConsumed()
}
