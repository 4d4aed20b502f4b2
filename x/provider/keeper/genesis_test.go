package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/guild-network/guild/x/provider/keeper"
	providermodule "github.com/guild-network/guild/x/provider/module"
	"github.com/guild-network/guild/x/provider/types"
)

// reload builds a second keeper on a fresh store, imports gs into it and returns a fixture on it
// (sharing the bank).
func reload(t *testing.T, f *fixture, gs *types.GenesisState) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tc := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	enc := moduletestutil.MakeTestEncodingConfig(providermodule.AppModuleBasic{})
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), f.authority, f.bank, f.bank)
	g := &fixture{
		t: t, ctx: tc.Ctx.WithBlockTime(f.ctx.BlockTime()), k: k,
		msg: keeper.NewMsgServerImpl(k), q: keeper.NewQueryServerImpl(k), bank: f.bank, authority: f.authority,
	}
	require.NoError(t, k.InitGenesis(g.ctx, gs))
	return g
}

func TestGenesisRoundTrip(t *testing.T) {
	f, ids := availableFixture(t)
	params := types.DefaultParams()
	params.HeartbeatTimeout = 900
	f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, params) })
	f.ok(func() error { return f.k.ProposeOwner(f.ctx, owner, owner, newOwner) })
	f.ok(func() error { return f.k.AddEarnings(f.ctx, owner, ugld(12)) })
	f.ok(func() error { return f.k.RemoveOffer(f.ctx, owner, ids["volume"]) }) // leaves a gap in the ids
	exported := f.export()
	require.NoError(t, exported.Validate())
	require.Equal(t, uint64(6), exported.NextNodeId)
	require.Equal(t, uint64(12), exported.NextOfferId)

	g := reload(t, f, exported)
	require.Equal(t, exported, g.export(), "export → import → export is the identity")

	// Indexes were rebuilt: queries by provider, by account and over available offers agree.
	for _, a := range []string{owner, stranger} {
		want, err := f.q.Offers(f.ctx, &types.QueryOffersRequest{Provider: a})
		require.NoError(t, err)
		got, err := g.q.Offers(g.ctx, &types.QueryOffersRequest{Provider: a})
		require.NoError(t, err)
		require.Equal(t, want.Offers, got.Offers)
		wantNodes, err := f.q.Nodes(f.ctx, &types.QueryNodesRequest{Provider: a})
		require.NoError(t, err)
		gotNodes, err := g.q.Nodes(g.ctx, &types.QueryNodesRequest{Provider: a})
		require.NoError(t, err)
		require.Equal(t, wantNodes.Nodes, gotNodes.Nodes)
	}
	want, err := f.q.AvailableOffers(f.ctx, &types.QueryAvailableOffersRequest{})
	require.NoError(t, err)
	got, err := g.q.AvailableOffers(g.ctx, &types.QueryAvailableOffersRequest{})
	require.NoError(t, err)
	require.Equal(t, want.Offers, got.Offers)
	n, err := g.k.NodeByAccount(g.ctx, nodeAccount(t, 1))
	require.NoError(t, err)
	require.Equal(t, uint64(1), n.Id)

	// The sequences continue and the unique key index holds.
	g.fails(types.ErrDuplicateNode, func() error {
		_, _, err := g.k.AddNode(g.ctx, owner, owner, pubKey(1), stdCapacity, ugld(0))
		return err
	})
	require.Equal(t, uint64(6), g.addNode(9, 0))
	require.Equal(t, uint64(12), g.addOffer(6, 1))
	// Live leases survive: the booked offer can be released in the new store.
	g.ok(release(g, ids["booked"], 1))
	// The pending owner can still accept.
	g.ok(func() error { return g.k.AcceptOwner(g.ctx, owner, newOwner) })
}

func TestInitGenesisRejectsInvalid(t *testing.T) {
	f := setup(t)
	gs := types.DefaultGenesis()
	gs.NextNodeId = 0
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tc := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	enc := moduletestutil.MakeTestEncodingConfig(providermodule.AppModuleBasic{})
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), f.authority, f.bank, f.bank)
	require.ErrorIs(t, k.InitGenesis(tc.Ctx, gs), types.ErrInvalidGenesis)
}

func TestDefaultGenesisExport(t *testing.T) {
	f := setup(t)
	require.Equal(t, types.DefaultGenesis(), f.export())
	// The first ids are 1.
	f.register()
	require.Equal(t, uint64(1), f.addNode(1, 0))
	require.Equal(t, uint64(1), f.addOffer(1, 1))
}
