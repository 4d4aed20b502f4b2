package modkit_test

import (
	"testing"
	"time"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
)

// job is a stand-in object: due at a time while waiting, done afterwards.
type job struct {
	due  int64
	done bool
}

type jobValue struct{}

func (jobValue) Encode(j job) ([]byte, error) {
	b := []byte{0}
	if j.done {
		b[0] = 1
	}
	due, err := collections.Int64Value.Encode(j.due)
	return append(b, due...), err
}

func (jobValue) Decode(b []byte) (job, error) {
	due, err := collections.Int64Value.Decode(b[1:])
	return job{due: due, done: b[0] == 1}, err
}
func (jobValue) EncodeJSON(j job) ([]byte, error) { return nil, nil }
func (jobValue) DecodeJSON([]byte) (job, error)   { return job{}, nil }
func (jobValue) Stringify(j job) string           { return "" }
func (jobValue) ValueType() string                { return "job" }

type jobIndexes struct {
	Queue *modkit.PartialIndex[int64, uint64, job]
}

func (i jobIndexes) IndexesList() []collections.Index[uint64, job] {
	return []collections.Index[uint64, job]{i.Queue}
}

func setup(t *testing.T) (sdk.Context, *collections.IndexedMap[uint64, job, jobIndexes], collections.Sequence) {
	key := storetypes.NewKVStoreKey("kit")
	ctx := testutil.DefaultContext(key, storetypes.NewTransientStoreKey("t")).WithBlockTime(time.Unix(1000, 0))
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	m := collections.NewIndexedMap(sb, collections.NewPrefix(1), "jobs", collections.Uint64Key, jobValue{},
		jobIndexes{Queue: modkit.NewPartialIndex(sb, collections.NewPrefix(2), "queue",
			collections.Int64Key, collections.Uint64Key,
			func(_ uint64, j job) (int64, bool) { return j.due, !j.done })})
	seq := collections.NewSequence(sb, collections.NewPrefix(3), "seq")
	_, err := sb.Build()
	require.NoError(t, err)
	return ctx, m, seq
}

func TestPartialIndexFollowsObjects(t *testing.T) {
	ctx, m, _ := setup(t)
	require.NoError(t, m.Set(ctx, 1, job{due: 10}))
	require.NoError(t, m.Set(ctx, 2, job{due: 5}))
	require.NoError(t, m.Set(ctx, 3, job{due: 10}))
	require.NoError(t, m.Set(ctx, 4, job{due: 20}))

	t.Run("due in queue order, bounded, inclusive", func(t *testing.T) {
		due, err := modkit.Due(ctx, m.Indexes.Queue, 10, 2)
		require.NoError(t, err)
		require.Equal(t, []collections.Pair[int64, uint64]{collections.Join(int64(5), uint64(2)), collections.Join(int64(10), uint64(1))}, due)
		due, err = modkit.Due(ctx, m.Indexes.Queue, 10, 10)
		require.NoError(t, err)
		require.Len(t, due, 3)
	})
	t.Run("a rewrite moves the entry, completion drops it", func(t *testing.T) {
		require.NoError(t, m.Set(ctx, 2, job{due: 30}))
		require.NoError(t, m.Set(ctx, 1, job{due: 10, done: true}))
		require.NoError(t, m.Remove(ctx, 3))
		all, err := m.Indexes.Queue.All(ctx)
		require.NoError(t, err)
		require.Equal(t, []collections.Pair[int64, uint64]{collections.Join(int64(20), uint64(4)), collections.Join(int64(30), uint64(2))}, all)
	})
	t.Run("walk handles and may write", func(t *testing.T) {
		var seen []uint64
		n, err := modkit.WalkDue(ctx, m.Indexes.Queue, 100, 1, func(_ int64, id uint64) error {
			seen = append(seen, id)
			return m.Set(ctx, id, job{due: 20, done: true})
		})
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, []uint64{4}, seen)
		ids, err := m.Indexes.Queue.PrimaryKeys(ctx, 30, 0)
		require.NoError(t, err)
		require.Equal(t, []uint64{2}, ids)
	})
}

func TestNextIDStartsAtOne(t *testing.T) {
	ctx, _, seq := setup(t)
	for want := uint64(1); want <= 3; want++ {
		id, err := modkit.NextID(ctx, seq)
		require.NoError(t, err)
		require.Equal(t, want, id)
	}
}

func TestValidators(t *testing.T) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	good := sdk.AccAddress(make([]byte, 20)).String()
	require.NoError(t, modkit.ValidateAddress("owner", good))
	require.Error(t, modkit.ValidateAddress("owner", ""))
	require.Error(t, modkit.ValidateAddress("owner", "cosmos1xyz"))
	require.NoError(t, modkit.ValidateOptionalAddress("owner", ""))
	require.NoError(t, modkit.ValidatePositiveCoin("amount", sdk.NewInt64Coin("ugld", 1), "ugld"))
	require.Error(t, modkit.ValidatePositiveCoin("amount", sdk.NewInt64Coin("ugld", 0)))
	require.Error(t, modkit.ValidatePositiveCoin("amount", sdk.NewInt64Coin("uatom", 1), "ugld", "uusdc"))
}

func TestPartialIndexVerify(t *testing.T) {
	ctx, m, _ := setup(t)
	require.NoError(t, m.Set(ctx, 1, job{due: 10}))
	require.NoError(t, m.Set(ctx, 2, job{due: 5, done: true}))
	each := func(fn func(uint64, job) error) error { return modkit.Each(ctx, m, fn) }
	require.NoError(t, m.Indexes.Queue.Verify(ctx, each))

	// An entry removed or added behind the index's back is caught, in both directions.
	t.Run("missing entry", func(t *testing.T) {
		require.NoError(t, m.Indexes.Queue.KeysForTest().Remove(ctx, collections.Join(int64(10), uint64(1))))
		require.ErrorContains(t, m.Indexes.Queue.Verify(ctx, each), "missing")
		require.NoError(t, m.Indexes.Queue.KeysForTest().Set(ctx, collections.Join(int64(10), uint64(1))))
	})
	t.Run("stale entry", func(t *testing.T) {
		require.NoError(t, m.Indexes.Queue.KeysForTest().Set(ctx, collections.Join(int64(7), uint64(2))))
		require.ErrorContains(t, m.Indexes.Queue.Verify(ctx, each), "stale")
	})
}
