package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/codec"
	"github.com/stretchr/testify/require"

	sdkcodec "github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/guild-network/guild/x/provider/types"
)

// rawIndexes opens the node and offer index prefixes directly, as collections' Unique and
// Multi lay them out, to corrupt them behind the keeper's back.
func (f *fixture) rawIndexes() (collections.Map[string, uint64], collections.KeySet[collections.Pair[string, uint64]], collections.KeySet[collections.Pair[uint64, uint64]]) {
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(f.key))
	byAccount := collections.NewMap(sb, types.NodesByAccountPrefix, "a", collections.StringKey, codec.KeyToValueCodec(collections.Uint64Key))
	byProvider := collections.NewKeySet(sb, types.NodesByProviderPrefix, "p", collections.PairKeyCodec(collections.StringKey, collections.Uint64Key))
	offersByNode := collections.NewKeySet(sb, types.OffersByNodePrefix, "n", collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key))
	return byAccount, byProvider, offersByNode
}

// TestInvariantsCheckIndexesBothWays: an index entry removed, added or repointed behind the
// keeper's back fails CheckInvariants; the indexes keep collections' store layout (the raw
// maps above read what the keeper wrote).
func TestInvariantsCheckIndexesBothWays(t *testing.T) {
	f := setup(t)
	f.register()
	n1, n2 := f.addNode(1, 0), f.addNode(2, 0)
	f.addOffer(n1, 3)
	byAccount, byProvider, offersByNode := f.rawIndexes()
	acct := f.node(n1).Account
	id, err := byAccount.Get(f.ctx, acct)
	require.NoError(t, err)
	require.Equal(t, n1, id, "node account index in indexes.Unique's layout")
	has, err := byProvider.Has(f.ctx, collections.Join(owner, n2))
	require.NoError(t, err)
	require.True(t, has, "nodes-by-provider index in indexes.Multi's layout")
	require.NoError(t, f.k.CheckInvariants(f.ctx))

	for _, c := range []struct {
		name    string
		corrupt func() error
		undo    func() error
		want    string
	}{
		{"missing unique entry", func() error { return byAccount.Remove(f.ctx, acct) }, func() error { return byAccount.Set(f.ctx, acct, n1) }, "missing"},
		{"repointed unique entry", func() error { return byAccount.Set(f.ctx, acct, n2) }, func() error { return byAccount.Set(f.ctx, acct, n1) }, "points at"},
		{"stale unique entry", func() error { return byAccount.Set(f.ctx, "guild1stale", n1) }, func() error { return byAccount.Remove(f.ctx, "guild1stale") }, "stale"},
		{"missing multi entry", func() error { return byProvider.Remove(f.ctx, collections.Join(owner, n2)) }, func() error { return byProvider.Set(f.ctx, collections.Join(owner, n2)) }, "missing"},
		{"stale multi entry", func() error { return offersByNode.Set(f.ctx, collections.Join(n2, uint64(99))) }, func() error { return offersByNode.Remove(f.ctx, collections.Join(n2, uint64(99))) }, "stale"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, c.corrupt())
			require.ErrorContains(t, f.k.CheckInvariants(f.ctx), c.want)
			require.NoError(t, c.undo())
			require.NoError(t, f.k.CheckInvariants(f.ctx))
		})
	}
}

// TestNodeUpdateWritesNoIndex: a node update that keeps the node's provider and account (all
// of them do) costs the node's own write and one read of the old node, and nothing for its two
// indexes; the same holds for an offer update that keeps its provider, node and availability (more units).
func TestNodeUpdateWritesNoIndex(t *testing.T) {
	f := setup(t)
	f.register()
	n1 := f.addNode(1, 0)
	o1 := f.addOffer(n1, 3)
	gasOf := func(fn func() error) storetypes.Gas {
		meter := storetypes.NewInfiniteGasMeter()
		ctx := f.ctx
		f.ctx = f.ctx.WithGasMeter(meter)
		require.NoError(t, fn())
		f.ctx = ctx
		return meter.GasConsumed()
	}
	node := f.node(n1)
	node.LastHeartbeat++
	offer, err := f.k.GetOffer(f.ctx, o1)
	require.NoError(t, err)
	offer.UnitsTotal++
	require.True(t, offer.Available())

	// The same writes to a plain map of the same codec, on the same store.
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(f.key))
	plainNodes := collections.NewMap(sb, collections.NewPrefix(200), "n", collections.Uint64Key, sdkcodec.CollValue[types.Node](f.cdc))
	plainOffers := collections.NewMap(sb, collections.NewPrefix(201), "o", collections.Uint64Key, sdkcodec.CollValue[types.Offer](f.cdc))
	require.NoError(t, plainNodes.Set(f.ctx, n1, f.node(n1)))
	old, err := f.k.GetOffer(f.ctx, o1)
	require.NoError(t, err)
	require.NoError(t, plainOffers.Set(f.ctx, o1, old))
	plain := gasOf(func() error {
		if _, err := plainNodes.Get(f.ctx, n1); err != nil {
			return err
		}
		return plainNodes.Set(f.ctx, n1, node)
	})
	require.Equal(t, plain, gasOf(func() error { return f.k.SetNodeForTest(f.ctx, node) }), "node write: no index write")
	plain = gasOf(func() error {
		if _, err := plainOffers.Get(f.ctx, o1); err != nil {
			return err
		}
		return plainOffers.Set(f.ctx, o1, offer)
	})
	require.Equal(t, plain, gasOf(func() error { return f.k.SetOfferForTest(f.ctx, offer) }), "offer write: no index write")
	f.checkInvariants()
}
