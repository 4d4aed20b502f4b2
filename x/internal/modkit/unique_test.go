package modkit_test

import (
	"context"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
)

func jobDue(_ uint64, j job) int64 { return j.due }

// collIndexes are collections' own Multi and Unique indexes on a job's due time.
type collIndexes struct {
	ByDue *indexes.Multi[int64, uint64, job]
	Slot  *indexes.Unique[int64, uint64, job]
}

func (i collIndexes) IndexesList() []collections.Index[uint64, job] {
	return []collections.Index[uint64, job]{i.ByDue, i.Slot}
}

// kitIndexes are modkit's counterparts, grouped by OneRead.
type kitIndexes struct {
	ByDue *modkit.PartialIndex[int64, uint64, job]
	Slot  *modkit.UniqueIndex[int64, uint64, job]
}

func (i kitIndexes) IndexesList() []collections.Index[uint64, job] {
	return modkit.OneRead[uint64, job](i.ByDue, i.Slot)
}

type twin struct {
	key      *storetypes.KVStoreKey
	ctx      sdk.Context
	coll     *collections.IndexedMap[uint64, job, collIndexes]
	kit      *collections.IndexedMap[uint64, job, kitIndexes]
	collKey  *storetypes.KVStoreKey
	collCtx  sdk.Context
	decodes  *int
	plain    collections.Map[uint64, job]
	plainCtx sdk.Context
}

// newTwin builds the same map twice, in two stores: once with collections' indexes, once with
// modkit's, on the same prefixes; and a plain map without indexes.
func newTwin(t *testing.T) *twin {
	tw := &twin{key: storetypes.NewKVStoreKey("kit"), collKey: storetypes.NewKVStoreKey("coll"), decodes: new(int)}
	tw.ctx = testutil.DefaultContext(tw.key, storetypes.NewTransientStoreKey("t1"))
	tw.collCtx = testutil.DefaultContext(tw.collKey, storetypes.NewTransientStoreKey("t2"))
	plainKey := storetypes.NewKVStoreKey("plain")
	tw.plainCtx = testutil.DefaultContext(plainKey, storetypes.NewTransientStoreKey("t3"))

	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(tw.key))
	tw.kit = collections.NewIndexedMap(sb, collections.NewPrefix(1), "jobs", collections.Uint64Key, countingValue{decodes: tw.decodes},
		kitIndexes{
			ByDue: modkit.NewIndex(sb, collections.NewPrefix(2), "by_due", collections.Int64Key, collections.Uint64Key, jobDue),
			Slot:  modkit.NewUniqueIndex(sb, collections.NewPrefix(3), "slot", collections.Int64Key, collections.Uint64Key, jobDue),
		})
	_, err := sb.Build()
	require.NoError(t, err)

	sb = collections.NewSchemaBuilder(runtime.NewKVStoreService(tw.collKey))
	ref := func(pk uint64, j job) (int64, error) { return jobDue(pk, j), nil }
	tw.coll = collections.NewIndexedMap(sb, collections.NewPrefix(1), "jobs", collections.Uint64Key, jobValue{},
		collIndexes{
			ByDue: indexes.NewMulti(sb, collections.NewPrefix(2), "by_due", collections.Int64Key, collections.Uint64Key, ref),
			Slot:  indexes.NewUnique(sb, collections.NewPrefix(3), "slot", collections.Int64Key, collections.Uint64Key, ref),
		})
	_, err = sb.Build()
	require.NoError(t, err)

	sb = collections.NewSchemaBuilder(runtime.NewKVStoreService(plainKey))
	tw.plain = collections.NewMap(sb, collections.NewPrefix(1), "jobs", collections.Uint64Key, jobValue{})
	_, err = sb.Build()
	require.NoError(t, err)
	return tw
}

func rawStore(ctx sdk.Context, key *storetypes.KVStoreKey) [][2]string {
	it := ctx.KVStore(key).Iterator(nil, nil)
	defer it.Close()
	var out [][2]string
	for ; it.Valid(); it.Next() {
		out = append(out, [2]string{string(it.Key()), string(it.Value())})
	}
	return out
}

func (tw *twin) eachKit(ctx context.Context) func(fn func(uint64, job) error) error {
	return func(fn func(uint64, job) error) error { return modkit.Each(ctx, tw.kit, fn) }
}

// TestIndexesKeepCollectionsLayout: the same writes through modkit's NewIndex and
// NewUniqueIndex and through collections' Multi and Unique leave byte-identical stores after
// every step (so moving a module from one to the other needs no migration), and the unique
// index refuses a taken key as collections' does.
func TestIndexesKeepCollectionsLayout(t *testing.T) {
	tw := newTwin(t)
	steps := []struct {
		id     uint64
		j      job
		remove bool
	}{
		{id: 1, j: job{due: 10}}, {id: 2, j: job{due: 20}}, {id: 1, j: job{due: 10, done: true}},
		{id: 1, j: job{due: 30}}, {id: 2, remove: true}, {id: 3, j: job{due: 20}}, {id: 3, j: job{due: 20}},
	}
	for n, s := range steps {
		if s.remove {
			require.NoError(t, tw.kit.Remove(tw.ctx, s.id))
			require.NoError(t, tw.coll.Remove(tw.collCtx, s.id))
		} else {
			require.NoError(t, tw.kit.Set(tw.ctx, s.id, s.j))
			require.NoError(t, tw.coll.Set(tw.collCtx, s.id, s.j))
		}
		require.Equal(t, rawStore(tw.collCtx, tw.collKey), rawStore(tw.ctx, tw.key), "step %d", n)
		require.NoError(t, tw.kit.Indexes.ByDue.Verify(tw.ctx, tw.eachKit(tw.ctx)))
		require.NoError(t, tw.kit.Indexes.Slot.Verify(tw.ctx, tw.eachKit(tw.ctx)))
	}
	id, err := tw.kit.Indexes.Slot.MatchExact(tw.ctx, 20)
	require.NoError(t, err)
	require.Equal(t, uint64(3), id)
	_, err = tw.kit.Indexes.Slot.MatchExact(tw.ctx, 10)
	require.ErrorIs(t, err, collections.ErrNotFound)

	// A second object under a taken unique key is refused by both.
	require.ErrorIs(t, tw.kit.Set(tw.ctx, 4, job{due: 30}), collections.ErrConflict)
	require.ErrorIs(t, tw.coll.Set(tw.collCtx, 4, job{due: 30}), collections.ErrConflict)
}

// TestUnchangedEntriesCostNoIndexWrite: rewriting an object whose Multi and Unique keys are
// unchanged costs exactly the object's write and one read of the old object (one decode for
// both indexes), where collections' indexes delete and re-insert both entries; a changed key
// still moves both entries.
func TestUnchangedEntriesCostNoIndexWrite(t *testing.T) {
	tw := newTwin(t)
	require.NoError(t, tw.kit.Set(tw.ctx, 1, job{due: 10}))
	require.NoError(t, tw.coll.Set(tw.collCtx, 1, job{due: 10}))
	require.NoError(t, tw.plain.Set(tw.plainCtx, 1, job{due: 10}))
	gasOf := func(ctx sdk.Context, write func(ctx sdk.Context) error) storetypes.Gas {
		meter := storetypes.NewInfiniteGasMeter()
		require.NoError(t, write(ctx.WithGasMeter(meter)))
		return meter.GasConsumed()
	}
	next := job{due: 10, done: true}
	plainWrite := gasOf(tw.plainCtx, func(ctx sdk.Context) error { return tw.plain.Set(ctx, 1, next) })
	plainRead := gasOf(tw.plainCtx, func(ctx sdk.Context) error { _, err := tw.plain.Get(ctx, 1); return err })
	*tw.decodes = 0
	kit := gasOf(tw.ctx, func(ctx sdk.Context) error { return tw.kit.Set(ctx, 1, next) })
	require.Equal(t, 1, *tw.decodes, "one decode of the old object for both indexes")
	require.Equal(t, plainWrite+plainRead, kit, "no index write")
	coll := gasOf(tw.collCtx, func(ctx sdk.Context) error { return tw.coll.Set(ctx, 1, next) })
	require.Greater(t, coll, kit)

	moved := gasOf(tw.ctx, func(ctx sdk.Context) error { return tw.kit.Set(ctx, 1, job{due: 40}) })
	require.Greater(t, moved, kit)
	ids, err := tw.kit.Indexes.ByDue.PrimaryKeys(tw.ctx, 40, 0)
	require.NoError(t, err)
	require.Equal(t, []uint64{1}, ids)
	id, err := tw.kit.Indexes.Slot.MatchExact(tw.ctx, 40)
	require.NoError(t, err)
	require.Equal(t, uint64(1), id)
	_, err = tw.kit.Indexes.Slot.MatchExact(tw.ctx, 10)
	require.ErrorIs(t, err, collections.ErrNotFound)
}

// TestUniqueIndexVerify: an entry removed, added or repointed behind the index's back is caught.
func TestUniqueIndexVerify(t *testing.T) {
	tw := newTwin(t)
	require.NoError(t, tw.kit.Set(tw.ctx, 1, job{due: 10}))
	require.NoError(t, tw.kit.Set(tw.ctx, 2, job{due: 20}))
	slot := tw.kit.Indexes.Slot
	each := tw.eachKit(tw.ctx)
	require.NoError(t, slot.Verify(tw.ctx, each))
	t.Run("missing entry", func(t *testing.T) {
		require.NoError(t, slot.KeysForTest().Remove(tw.ctx, 10))
		require.ErrorContains(t, slot.Verify(tw.ctx, each), "missing")
		require.NoError(t, slot.KeysForTest().Set(tw.ctx, 10, 1))
	})
	t.Run("entry pointing elsewhere", func(t *testing.T) {
		require.NoError(t, slot.KeysForTest().Set(tw.ctx, 10, 2))
		require.ErrorContains(t, slot.Verify(tw.ctx, each), "points at")
		require.NoError(t, slot.KeysForTest().Set(tw.ctx, 10, 1))
	})
	t.Run("stale entry", func(t *testing.T) {
		require.NoError(t, slot.KeysForTest().Set(tw.ctx, 7, 2))
		require.ErrorContains(t, slot.Verify(tw.ctx, each), "stale")
	})
}
