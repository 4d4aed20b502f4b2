package modkit_test

import (
	"context"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"

	"github.com/guild-network/guild/x/internal/modkit"
)

// countingValue is jobValue counting its decodes: each read of the old object is one.
type countingValue struct {
	jobValue
	decodes *int
}

func (c countingValue) Decode(b []byte) (job, error) {
	*c.decodes++
	return c.jobValue.Decode(b)
}

// spy is an index that only records which old object it was shown.
type spy struct{ seen []job }

func (s *spy) Reference(_ context.Context, _ uint64, _ job, lazyOld func() (job, error)) error {
	old, err := lazyOld()
	if err == nil {
		s.seen = append(s.seen, old)
	}
	return nil
}

func (s *spy) Unreference(_ context.Context, _ uint64, lazyOld func() (job, error)) error {
	old, err := lazyOld()
	if err != nil {
		return err
	}
	s.seen = append(s.seen, old)
	return nil
}

type groupIndexes struct {
	Queue *modkit.PartialIndex[int64, uint64, job]
	All   *modkit.PartialIndex[bool, uint64, job]
	Spies [3]*spy
}

func (i groupIndexes) IndexesList() []collections.Index[uint64, job] {
	return modkit.OneRead[uint64, job](i.Queue, i.All, i.Spies[0], i.Spies[1], i.Spies[2])
}

func TestOneReadDecodesTheOldObjectOnce(t *testing.T) {
	key := storetypes.NewKVStoreKey("kit")
	ctx := testutil.DefaultContext(key, storetypes.NewTransientStoreKey("t"))
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	decodes := 0
	idx := groupIndexes{
		Queue: modkit.NewPartialIndex(sb, collections.NewPrefix(2), "queue", collections.Int64Key, collections.Uint64Key,
			func(_ uint64, j job) (int64, bool) { return j.due, !j.done }),
		All: modkit.NewIndex(sb, collections.NewPrefix(3), "by_done", collections.BoolKey, collections.Uint64Key,
			func(_ uint64, j job) bool { return j.done }),
		Spies: [3]*spy{{}, {}, {}},
	}
	m := collections.NewIndexedMap(sb, collections.NewPrefix(1), "jobs", collections.Uint64Key, countingValue{decodes: &decodes}, idx)
	_, err := sb.Build()
	require.NoError(t, err)

	require.NoError(t, m.Set(ctx, 1, job{due: 10}))
	require.Equal(t, 0, decodes, "a new object: nothing to decode")
	decodes = 0
	require.NoError(t, m.Set(ctx, 1, job{due: 20}))
	require.Equal(t, 1, decodes, "five indexes, one decode of the old object")
	decodes = 0
	require.NoError(t, m.Set(ctx, 1, job{due: 20, done: true}))
	require.Equal(t, 1, decodes)
	for _, s := range idx.Spies {
		require.Equal(t, []job{{due: 10}, {due: 20}}, s.seen, "every index sees the same old object")
	}

	t.Run("the indexes follow the object", func(t *testing.T) {
		ids, err := idx.All.PrimaryKeys(ctx, true, 0)
		require.NoError(t, err)
		require.Equal(t, []uint64{1}, ids)
		ids, err = idx.All.PrimaryKeys(ctx, false, 0)
		require.NoError(t, err)
		require.Empty(t, ids)
		each := func(fn func(uint64, job) error) error { return modkit.Each(ctx, m, fn) }
		require.NoError(t, idx.Queue.Verify(ctx, each))
		require.NoError(t, idx.All.Verify(ctx, each))
	})

	t.Run("remove reads once and clears every index", func(t *testing.T) {
		decodes = 0
		require.NoError(t, m.Remove(ctx, 1))
		require.Equal(t, 1, decodes)
		all, err := idx.All.All(ctx)
		require.NoError(t, err)
		require.Empty(t, all)
	})
}

// TestNewIndexKeepsAnUnchangedEntry: a write that keeps the ref key leaves the entry alone (no
// delete and re-insert), which a write meter sees as no index write at all.
func TestNewIndexKeepsAnUnchangedEntry(t *testing.T) {
	key := storetypes.NewKVStoreKey("kit")
	ctx := testutil.DefaultContext(key, storetypes.NewTransientStoreKey("t"))
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	byDue := modkit.NewIndex(sb, collections.NewPrefix(2), "by_due", collections.Int64Key, collections.Uint64Key,
		func(_ uint64, j job) int64 { return j.due })
	m := collections.NewIndexedMap(sb, collections.NewPrefix(1), "jobs", collections.Uint64Key, jobValue{}, jobIndexes{Queue: byDue})
	_, err := sb.Build()
	require.NoError(t, err)
	require.NoError(t, m.Set(ctx, 1, job{due: 10}))

	plain := collections.NewMap(collections.NewSchemaBuilder(runtime.NewKVStoreService(key)), collections.NewPrefix(9), "plain", collections.Uint64Key, jobValue{})
	require.NoError(t, plain.Set(ctx, 1, job{due: 10}))
	gasOf := func(write func() error) storetypes.Gas {
		before := ctx.GasMeter().GasConsumed()
		require.NoError(t, write())
		return ctx.GasMeter().GasConsumed() - before
	}
	// Same ref key: the indexed write costs the object's write and one read of the old object.
	plainGas := gasOf(func() error { return plain.Set(ctx, 1, job{due: 10, done: true}) })
	readGas := gasOf(func() error { _, err := plain.Get(ctx, 1); return err })
	require.Equal(t, plainGas+readGas, gasOf(func() error { return m.Set(ctx, 1, job{due: 10, done: true}) }))
	// A changed ref key moves the entry.
	require.Greater(t, gasOf(func() error { return m.Set(ctx, 1, job{due: 30}) }), plainGas+readGas)
	ids, err := byDue.PrimaryKeys(ctx, 30, 0)
	require.NoError(t, err)
	require.Equal(t, []uint64{1}, ids)
	ids, err = byDue.PrimaryKeys(ctx, 10, 0)
	require.NoError(t, err)
	require.Empty(t, ids)
}
