package modkit_test

import (
	"context"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
)

// groupedIndexes: a queue and a by-due Multi index, grouped by OneRead, the Multi wrapped by
// SkipUnchanged when skip is set.
type groupedIndexes struct {
	Queue *modkit.PartialIndex[int64, uint64, job]
	ByDue *indexes.Multi[int64, uint64, job]
	skip  bool
}

func byDue(_ uint64, j job) (int64, error) { return j.due, nil }

func (i groupedIndexes) IndexesList() []collections.Index[uint64, job] {
	var multi collections.Index[uint64, job] = i.ByDue
	if i.skip {
		multi = modkit.SkipUnchanged(i.ByDue, byDue)
	}
	return modkit.OneRead[uint64, job](i.Queue, multi)
}

func groupedSetup(t *testing.T, skip bool) (sdk.Context, *collections.IndexedMap[uint64, job, groupedIndexes], *int) {
	key := storetypes.NewKVStoreKey("kit")
	ctx := testutil.DefaultContext(key, storetypes.NewTransientStoreKey("t")).WithBlockTime(time.Unix(1000, 0))
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	decodes := new(int)
	m := collections.NewIndexedMap(sb, collections.NewPrefix(1), "jobs", collections.Uint64Key, countingValue{decodes: decodes},
		groupedIndexes{
			Queue: modkit.NewPartialIndex(sb, collections.NewPrefix(2), "queue", collections.Int64Key, collections.Uint64Key,
				func(_ uint64, j job) (int64, bool) { return j.due, !j.done }),
			ByDue: indexes.NewMulti(sb, collections.NewPrefix(3), "by_due", collections.Int64Key, collections.Uint64Key, byDue),
			skip:  skip,
		})
	_, err := sb.Build()
	require.NoError(t, err)
	return ctx, m, decodes
}

func byDueKeys(t *testing.T, ctx context.Context, m *collections.IndexedMap[uint64, job, groupedIndexes]) []collections.Pair[int64, uint64] {
	it, err := m.Indexes.ByDue.Iterate(ctx, nil)
	require.NoError(t, err)
	keys, err := it.FullKeys()
	require.NoError(t, err)
	return keys
}

// TestOneReadDecodesTheOldObjectOnce: a rewrite and a delete decode the stored object once for
// both indexes (collections alone decodes it once per index), and the indexes follow the
// objects exactly as before.
// TestOneReadWithSkipUnchanged: grouped with OneRead, a SkipUnchanged-wrapped Multi still reads
// the old object once per write and delete, and its entries follow the object.
func TestOneReadWithSkipUnchanged(t *testing.T) {
	for _, skip := range []bool{false, true} {
		ctx, m, decodes := groupedSetup(t, skip)
		require.NoError(t, m.Set(ctx, 1, job{due: 10}))
		require.NoError(t, m.Set(ctx, 2, job{due: 20}))
		*decodes = 0
		require.NoError(t, m.Set(ctx, 1, job{due: 30}))
		require.Equal(t, 1, *decodes, "skip=%v", skip)
		require.Equal(t, []collections.Pair[int64, uint64]{collections.Join(int64(20), uint64(2)), collections.Join(int64(30), uint64(1))}, byDueKeys(t, ctx, m))
		*decodes = 0
		require.NoError(t, m.Remove(ctx, 2))
		require.Equal(t, 1, *decodes, "skip=%v", skip)
		require.Equal(t, []collections.Pair[int64, uint64]{collections.Join(int64(30), uint64(1))}, byDueKeys(t, ctx, m))
		has, err := m.Indexes.Queue.Has(ctx, 30, 1)
		require.NoError(t, err)
		require.True(t, has)
	}
}

// TestSkipUnchangedWritesNothing: rewriting an object whose Multi key did not change costs no
// index write (measured as store gas), and a changed key still moves the entry.
func TestSkipUnchangedWritesNothing(t *testing.T) {
	gasOf := func(skip bool, next job) (uint64, []collections.Pair[int64, uint64]) {
		ctx, m, _ := groupedSetup(t, skip)
		require.NoError(t, m.Set(ctx, 1, job{due: 10}))
		meter := storetypes.NewInfiniteGasMeter()
		ctx = ctx.WithGasMeter(meter)
		require.NoError(t, m.Set(ctx, 1, next))
		return meter.GasConsumed(), byDueKeys(t, ctx, m)
	}
	plain, keys := gasOf(false, job{due: 10, done: true})
	skipped, skipKeys := gasOf(true, job{due: 10, done: true})
	require.Less(t, skipped, plain)
	require.Equal(t, keys, skipKeys)
	require.Equal(t, []collections.Pair[int64, uint64]{collections.Join(int64(10), uint64(1))}, skipKeys)
	_, moved := gasOf(true, job{due: 40})
	require.Equal(t, []collections.Pair[int64, uint64]{collections.Join(int64(40), uint64(1))}, moved)
}
