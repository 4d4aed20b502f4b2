package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/x/provider/keeper"
	"github.com/guild-network/guild/x/provider/types"
)

func keeperOffer(node uint64) keeper.NewOffer {
	return keeper.NewOffer{NodeID: node, Kind: types.OFFER_KIND_VM, Resources: stdUnit, Price: usdc("0.001"), Units: 1}
}

// availableFixture: provider owner (score 1000) and stranger (score 200) with offers of every
// situation; it returns the ids by name.
func availableFixture(t *testing.T) (*fixture, map[string]uint64) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.RegisterProvider(f.ctx, stranger, "two", "", nil) })
	f.ok(func() error { return f.k.RecordOutcome(f.ctx, stranger, types.LEASE_OUTCOME_MISBEHAVIOUR_REPORT) })
	ids := map[string]uint64{}
	good := f.addNode(1, stdBond)
	unbonded := f.addNode(2, 0)
	standby := f.addNode(3, stdBond)
	f.ok(func() error {
		return f.k.UpdateNode(f.ctx, owner, standby, types.Resources{}, types.NODE_STATUS_STANDBY)
	})
	full := f.addNode(4, stdBond)
	var other uint64
	f.ok(func() error {
		var err error
		other, _, err = f.k.AddNode(f.ctx, stranger, stranger, pubKey(5), stdCapacity, ugld(stdBond))
		return err
	})
	add := func(name, signer string, node uint64, kind types.OfferKind, unit types.Resources, price sdk.DecCoin, units uint64) {
		f.ok(func() error {
			id, err := f.k.AddOffer(f.ctx, signer, keeper.NewOffer{NodeID: node, Kind: kind, Resources: unit, Price: price, Units: units})
			ids[name] = id
			return err
		})
	}
	big := types.Resources{CpuMilli: 2000, MemoryBytes: 4 * gib, StorageBytes: 20 * gib}
	add("small", owner, good, types.OFFER_KIND_VM, stdUnit, usdc("0.001"), 2)
	add("big", owner, good, types.OFFER_KIND_VM, big, usdc("0.003"), 1)
	add("volume", owner, good, types.OFFER_KIND_VOLUME, types.Resources{StorageBytes: 10 * gib}, usdc("0.0001"), 5)
	add("atom", owner, good, types.OFFER_KIND_VM, stdUnit, sdk.NewDecCoinFromDec("uatom", usdc("0.0001").Amount), 1)
	add("inactive", owner, good, types.OFFER_KIND_VM, stdUnit, usdc("0.001"), 1)
	f.ok(func() error { return f.k.UpdateOffer(f.ctx, owner, ids["inactive"], usdc("0.001"), 1, false) })
	add("booked", owner, good, types.OFFER_KIND_VM, stdUnit, usdc("0.001"), 1)
	f.ok(reserve(f, ids["booked"], 1))
	add("unbonded", owner, unbonded, types.OFFER_KIND_VM, stdUnit, usdc("0.001"), 1)
	add("standby", owner, standby, types.OFFER_KIND_VM, stdUnit, usdc("0.001"), 1)
	add("nofit", owner, full, types.OFFER_KIND_VM, big, usdc("0.001"), 2)
	add("filler", owner, full, types.OFFER_KIND_VM, stdUnit, usdc("0.001"), 4)
	f.ok(reserve(f, ids["filler"], 3)) // 1 core left: "filler" still fits, "nofit" does not
	add("other", stranger, other, types.OFFER_KIND_VM, stdUnit, usdc("0.0005"), 1)
	return f, ids
}

func TestQueryAvailableOffers(t *testing.T) {
	f, ids := availableFixture(t)
	list := func(req *types.QueryAvailableOffersRequest) []uint64 {
		t.Helper()
		res, err := f.q.AvailableOffers(f.ctx, req)
		require.NoError(t, err)
		var out []uint64
		for _, o := range res.Offers {
			out = append(out, o.Id)
		}
		return out
	}
	id := func(names ...string) []uint64 {
		var out []uint64
		for _, n := range names {
			out = append(out, ids[n])
		}
		return out
	}
	// Ordered by kind, then id; inactive, fully booked, unbonded, standby and full nodes are out.
	require.Equal(t, id("small", "big", "atom", "filler", "other", "volume"), list(&types.QueryAvailableOffersRequest{}))
	require.Equal(t, id("small", "big", "atom", "filler", "other"), list(&types.QueryAvailableOffersRequest{Kind: types.OFFER_KIND_VM}))
	require.Equal(t, id("volume"), list(&types.QueryAvailableOffersRequest{Kind: types.OFFER_KIND_VOLUME}))
	require.Equal(t, id("big"), list(&types.QueryAvailableOffersRequest{MinCpuMilli: 2000}))
	require.Equal(t, id("big"), list(&types.QueryAvailableOffersRequest{MinMemoryBytes: 3 * gib}))
	require.Equal(t, id("big"), list(&types.QueryAvailableOffersRequest{MinStorageBytes: 11 * gib}))
	require.Empty(t, list(&types.QueryAvailableOffersRequest{MinGpus: 1}))
	require.Equal(t, id("atom"), list(&types.QueryAvailableOffersRequest{Denom: "uatom"}))
	require.Equal(t, id("small", "filler", "other", "volume"), list(&types.QueryAvailableOffersRequest{Denom: "uusdc", MaxPrice: "0.002"}))
	require.Equal(t, id("other", "volume"), list(&types.QueryAvailableOffersRequest{Denom: "uusdc", MaxPrice: "0.0005"}))
	require.Equal(t, id("other"), list(&types.QueryAvailableOffersRequest{Kind: types.OFFER_KIND_VM, Denom: "uusdc", MaxPrice: "0.0005"}))
	require.Equal(t, id("small", "big", "atom", "filler", "volume"), list(&types.QueryAvailableOffersRequest{MinScore: 201}))
	require.Equal(t, id("small", "big", "atom", "filler", "other", "volume"), list(&types.QueryAvailableOffersRequest{MinScore: 200}))
	require.Empty(t, list(&types.QueryAvailableOffersRequest{MinScore: 1000, Denom: "uusdc", MaxPrice: "0.00001"}))

	// The node of "standby" comes back: its offer is listed again.
	f.ok(func() error {
		return f.k.UpdateNode(f.ctx, owner, f.offer(ids["standby"]).NodeId, types.Resources{}, types.NODE_STATUS_ONLINE)
	})
	require.Contains(t, list(&types.QueryAvailableOffersRequest{}), ids["standby"])
	// Heartbeats matter: past the timeout nothing is bookable.
	f.at(601)
	require.Empty(t, list(&types.QueryAvailableOffersRequest{}))
}

func TestQueryAvailableOffersPagination(t *testing.T) {
	f, ids := availableFixture(t)
	want := []uint64{ids["small"], ids["big"], ids["atom"], ids["filler"], ids["other"]}
	var got []uint64
	var key []byte
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		res, err := f.q.AvailableOffers(f.ctx, &types.QueryAvailableOffersRequest{
			Kind: types.OFFER_KIND_VM, Pagination: &query.PageRequest{Key: key, Limit: 2},
		})
		require.NoError(t, err)
		require.LessOrEqual(t, len(res.Offers), 2)
		for _, o := range res.Offers {
			got = append(got, o.Id)
		}
		if key = res.Pagination.NextKey; key == nil {
			break
		}
	}
	require.Equal(t, want, got)
	res, err := f.q.AvailableOffers(f.ctx, &types.QueryAvailableOffersRequest{Pagination: &query.PageRequest{Offset: 1, Limit: 2, CountTotal: true}})
	require.NoError(t, err)
	require.Equal(t, []uint64{ids["big"], ids["atom"]}, []uint64{res.Offers[0].Id, res.Offers[1].Id})
	require.Equal(t, uint64(6), res.Pagination.Total)
}

func TestQueryAvailableOffersInvalid(t *testing.T) {
	f, _ := availableFixture(t)
	for name, req := range map[string]*types.QueryAvailableOffersRequest{
		"nil":                 nil,
		"bad decimal":         {Denom: "uusdc", MaxPrice: "abc"},
		"negative price":      {Denom: "uusdc", MaxPrice: "-1"},
		"price without denom": {MaxPrice: "1"},
		"bad denom":           {Denom: "u"},
		"score above 1000":    {MinScore: 1001},
		"unknown kind":        {Kind: 9},
		"both key and offset": {Pagination: &query.PageRequest{Key: []byte{1}, Offset: 1}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.q.AvailableOffers(f.ctx, req)
			requireInvalidArgument(t, err)
		})
	}
}
