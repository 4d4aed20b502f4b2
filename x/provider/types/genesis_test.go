package types_test

import (
	"fmt"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/provider/types"
)

// validGenesis has two providers, two nodes (one with live leases) and three offers.
func validGenesis(t *testing.T) types.GenesisState {
	t.Helper()
	acc := func(seed byte) string {
		a, err := types.NodeAccount(pubKey(seed))
		require.NoError(t, err)
		return a
	}
	p1, p2 := addr(1), addr(2)
	unit := types.Resources{CpuMilli: 1000, MemoryBytes: 1 << 30}
	return types.GenesisState{
		Params: types.DefaultParams(),
		Providers: []types.Provider{
			{Address: p1, Owner: p1, Beneficiary: p1, Operator: addr(3), PendingOwner: addr(4), Moniker: "one",
				Attributes: []types.Attribute{{Key: "region", Value: "eu"}},
				Reputation: types.Reputation{LeasesCompleted: 3, TotalEarned: sdk.NewCoins(sdk.NewInt64Coin("uusdc", 10))}},
			{Address: p2, Owner: addr(5), Beneficiary: addr(5), Operator: p2, Moniker: "two"},
		},
		Nodes: []types.Node{
			{Id: 2, Provider: p1, PubKey: pubKey(10), Account: acc(10), Capacity: types.Resources{CpuMilli: 8000, MemoryBytes: 16 << 30},
				Reserved: types.Resources{CpuMilli: 3000, MemoryBytes: 3 << 30}, Status: types.NODE_STATUS_ONLINE,
				Bond: sdk.NewInt64Coin("ugld", 9_000_000), LiveLeases: 2},
			{Id: 5, Provider: p2, PubKey: pubKey(20), Account: acc(20), Capacity: types.Resources{StorageBytes: 1 << 40},
				Status: types.NODE_STATUS_STANDBY, Bond: sdk.NewInt64Coin("ugld", 0)},
		},
		Offers: []types.Offer{
			{Id: 1, Provider: p1, NodeId: 2, Kind: types.OFFER_KIND_VM, Resources: unit, Price: price("0.001"), UnitsTotal: 4, UnitsBooked: 3, Active: true},
			{Id: 3, Provider: p1, NodeId: 2, Kind: types.OFFER_KIND_VM, Resources: unit, Price: price("0.002"), UnitsTotal: 4, Active: false},
			{Id: 4, Provider: p2, NodeId: 5, Kind: types.OFFER_KIND_VOLUME, Resources: types.Resources{StorageBytes: 1 << 30}, Price: price("0.00001"), UnitsTotal: 100},
		},
		NextNodeId:  6,
		NextOfferId: 5,
	}
}

func TestGenesisValidate(t *testing.T) {
	require.NoError(t, types.DefaultGenesis().Validate())
	require.NoError(t, func() error { g := validGenesis(t); return g.Validate() }())
	// A lowered max_attributes does not invalidate providers registered before.
	require.NoError(t, func() error { g := validGenesis(t); g.Params.MaxAttributes = 0; return g.Validate() }())
	// A suspended node carries its incident's start and reason.
	require.NoError(t, func() error {
		g := validGenesis(t)
		g.Nodes[0].Suspended, g.Nodes[0].SuspendedAt, g.Nodes[0].SuspendReason = true, 100, "deploy timeout of lease 3"
		return g.Validate()
	}())

	for _, tc := range []struct {
		name   string
		mutate func(*types.GenesisState)
		err    error
	}{
		{"bad params", func(g *types.GenesisState) { g.Params.HeartbeatTimeout = 0 }, types.ErrInvalidParams},
		{"suspension time on a node that is not suspended", func(g *types.GenesisState) { g.Nodes[0].SuspendedAt = 5 }, types.ErrInvalidStatus},
		{"suspension reason on a node that is not suspended", func(g *types.GenesisState) { g.Nodes[0].SuspendReason = "x" }, types.ErrInvalidStatus},
		{"next node id 0", func(g *types.GenesisState) { g.NextNodeId = 0 }, types.ErrInvalidGenesis},
		{"next offer id 0", func(g *types.GenesisState) { g.NextOfferId = 0 }, types.ErrInvalidGenesis},
		{"duplicate provider", func(g *types.GenesisState) { g.Providers = append(g.Providers, g.Providers[0]) }, types.ErrInvalidGenesis},
		{"bad provider address", func(g *types.GenesisState) { g.Providers[1].Owner = "x" }, types.ErrInvalidAddress},
		{"bad pending owner", func(g *types.GenesisState) { g.Providers[0].PendingOwner = "x" }, types.ErrInvalidAddress},
		{"too many attributes", func(g *types.GenesisState) {
			for i := 0; i <= types.MaxAttributesLimit; i++ {
				g.Providers[1].Attributes = append(g.Providers[1].Attributes, types.Attribute{Key: fmt.Sprintf("k%d", i)})
			}
		}, types.ErrTooManyAttributes},
		{"bad earnings", func(g *types.GenesisState) {
			g.Providers[0].Reputation.TotalEarned = sdk.Coins{{Denom: "uusdc", Amount: sdkmath.NewInt(-1)}}
		}, types.ErrInvalidGenesis},
		{"node id 0", func(g *types.GenesisState) { g.Nodes[1].Id = 0 }, types.ErrInvalidGenesis},
		{"node id not below next", func(g *types.GenesisState) { g.NextNodeId = 5 }, types.ErrInvalidGenesis},
		{"duplicate node id", func(g *types.GenesisState) {
			n := g.Nodes[1]
			n.PubKey, n.Account = pubKey(30), mustAccount(t, pubKey(30))
			n.Id = 2
			g.Nodes[1] = n
			g.Offers = g.Offers[:2]
		}, types.ErrInvalidGenesis},
		{"node of unknown provider", func(g *types.GenesisState) { g.Nodes[1].Provider = addr(9) }, types.ErrInvalidGenesis},
		{"node account mismatch", func(g *types.GenesisState) { g.Nodes[1].Account = addr(9) }, types.ErrInvalidGenesis},
		{"node bad key", func(g *types.GenesisState) { g.Nodes[1].PubKey = []byte{1} }, types.ErrInvalidPubKey},
		{"duplicate node key", func(g *types.GenesisState) {
			g.Nodes[1].PubKey, g.Nodes[1].Account = g.Nodes[0].PubKey, g.Nodes[0].Account
		}, types.ErrInvalidGenesis},
		{"reserved above capacity", func(g *types.GenesisState) { g.Nodes[0].Capacity.CpuMilli = 2000 }, types.ErrCapacityBelowReserved},
		{"empty capacity", func(g *types.GenesisState) { g.Nodes[1].Capacity = types.Resources{} }, types.ErrInvalidResources},
		{"bad status", func(g *types.GenesisState) { g.Nodes[1].Status = types.NODE_STATUS_UNSPECIFIED }, types.ErrInvalidStatus},
		{"bad bond", func(g *types.GenesisState) { g.Nodes[1].Bond = sdk.Coin{Denom: "ugld"} }, types.ErrInvalidBond},
		{"reserved differs from offers", func(g *types.GenesisState) { g.Nodes[0].Reserved.CpuMilli = 2000 }, types.ErrInvalidGenesis},
		{"live leases above booked units", func(g *types.GenesisState) { g.Nodes[0].LiveLeases = 4 }, types.ErrInvalidGenesis},
		{"booked units without live lease", func(g *types.GenesisState) { g.Nodes[0].LiveLeases = 0 }, types.ErrInvalidGenesis},
		{"live lease without booked units", func(g *types.GenesisState) { g.Nodes[1].LiveLeases = 1 }, types.ErrInvalidGenesis},
		{"offer id 0", func(g *types.GenesisState) { g.Offers[2].Id = 0 }, types.ErrInvalidGenesis},
		{"offer id not below next", func(g *types.GenesisState) { g.NextOfferId = 4 }, types.ErrInvalidGenesis},
		{"duplicate offer id", func(g *types.GenesisState) { g.Offers[1].Id = 1 }, types.ErrInvalidGenesis},
		{"offer on unknown node", func(g *types.GenesisState) { g.Offers[2].NodeId = 3 }, types.ErrInvalidGenesis},
		{"offer of another provider's node", func(g *types.GenesisState) { g.Offers[2].Provider = addr(1) }, types.ErrInvalidGenesis},
		{"offer bad kind", func(g *types.GenesisState) { g.Offers[2].Kind = 0 }, types.ErrInvalidOfferKind},
		{"offer empty unit", func(g *types.GenesisState) { g.Offers[2].Resources = types.Resources{} }, types.ErrInvalidResources},
		{"offer bad price", func(g *types.GenesisState) { g.Offers[2].Price = price("0") }, types.ErrInvalidPrice},
		{"offer no units", func(g *types.GenesisState) { g.Offers[2].UnitsTotal = 0 }, types.ErrInvalidUnits},
		{"offer overbooked", func(g *types.GenesisState) { g.Offers[2].UnitsBooked = 101 }, types.ErrUnitsBelowBooked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := validGenesis(t)
			tc.mutate(&g)
			require.ErrorIs(t, g.Validate(), tc.err)
		})
	}
}

func mustAccount(t *testing.T, pk []byte) string {
	t.Helper()
	a, err := types.NodeAccount(pk)
	require.NoError(t, err)
	return a
}
