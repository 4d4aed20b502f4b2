package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/x/provider/types"
)

func requireInvalidArgument(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, codes.InvalidArgument, status.Code(err), err.Error())
}

func TestQueryProvidersAndScore(t *testing.T) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.RegisterProvider(f.ctx, stranger, "two", "", nil) })
	f.ok(func() error { return f.k.RegisterProvider(f.ctx, funder, "three", "", nil) })
	f.ok(func() error { return f.k.RecordOutcome(f.ctx, stranger, types.LEASE_OUTCOME_DEPLOY_TIMEOUT) })

	res, err := f.q.Provider(f.ctx, &types.QueryProviderRequest{Address: stranger})
	require.NoError(t, err)
	require.Equal(t, "two", res.Provider.Moniker)
	require.Equal(t, uint32(250), res.Score)
	res, err = f.q.Provider(f.ctx, &types.QueryProviderRequest{Address: owner})
	require.NoError(t, err)
	require.Equal(t, uint32(1000), res.Score)

	_, err = f.q.Provider(f.ctx, &types.QueryProviderRequest{Address: newOwner})
	require.ErrorIs(t, err, types.ErrProviderNotFound)
	_, err = f.q.Provider(f.ctx, &types.QueryProviderRequest{Address: "nope"})
	requireInvalidArgument(t, err)
	_, err = f.q.Provider(f.ctx, nil)
	requireInvalidArgument(t, err)
	_, err = f.q.Score(f.ctx, &types.QueryScoreRequest{Address: "nope"})
	requireInvalidArgument(t, err)
	_, err = f.q.Score(f.ctx, &types.QueryScoreRequest{Address: newOwner})
	require.ErrorIs(t, err, types.ErrProviderNotFound)

	// Pagination by key over all providers.
	var seen []string
	var key []byte
	for {
		page, err := f.q.Providers(f.ctx, &types.QueryProvidersRequest{Pagination: &query.PageRequest{Key: key, Limit: 2}})
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Providers), 2)
		for _, p := range page.Providers {
			seen = append(seen, p.Address)
		}
		if key = page.Pagination.NextKey; key == nil {
			break
		}
	}
	require.ElementsMatch(t, []string{owner, stranger, funder}, seen)
	all, err := f.q.Providers(f.ctx, &types.QueryProvidersRequest{Pagination: &query.PageRequest{CountTotal: true}})
	require.NoError(t, err)
	require.Equal(t, uint64(3), all.Pagination.Total)
	_, err = f.q.Providers(f.ctx, &types.QueryProvidersRequest{Pagination: &query.PageRequest{Key: []byte("x"), Offset: 1}})
	requireInvalidArgument(t, err)
}

func TestQueryNodesAndOffers(t *testing.T) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.RegisterProvider(f.ctx, stranger, "two", "", nil) })
	n1, n2 := f.addNode(1, stdBond), f.addNode(2, stdBond)
	var n3 uint64
	f.ok(func() error {
		var err error
		n3, _, err = f.k.AddNode(f.ctx, stranger, stranger, pubKey(3), stdCapacity, ugld(0))
		return err
	})
	o1, o2 := f.addOffer(n1, 1), f.addOffer(n2, 1)
	var o3 uint64
	f.ok(func() error {
		var err error
		o3, err = f.k.AddOffer(f.ctx, stranger, keeperOffer(n3))
		return err
	})

	node, err := f.q.Node(f.ctx, &types.QueryNodeRequest{Id: n1})
	require.NoError(t, err)
	require.Equal(t, f.node(n1), node.Node)
	require.Equal(t, types.NODE_STATUS_ONLINE, node.EffectiveStatus)
	_, err = f.q.Node(f.ctx, &types.QueryNodeRequest{Id: 99})
	require.ErrorIs(t, err, types.ErrNodeNotFound)

	nodeIDs := func(req *types.QueryNodesRequest) []uint64 {
		res, err := f.q.Nodes(f.ctx, req)
		require.NoError(t, err)
		var ids []uint64
		for _, n := range res.Nodes {
			ids = append(ids, n.Id)
		}
		return ids
	}
	require.Equal(t, []uint64{n1, n2, n3}, nodeIDs(&types.QueryNodesRequest{}))
	require.Equal(t, []uint64{n1, n2}, nodeIDs(&types.QueryNodesRequest{Provider: owner}))
	require.Equal(t, []uint64{n3}, nodeIDs(&types.QueryNodesRequest{Provider: stranger}))
	require.Empty(t, nodeIDs(&types.QueryNodesRequest{Provider: funder}))
	page, err := f.q.Nodes(f.ctx, &types.QueryNodesRequest{Provider: owner, Pagination: &query.PageRequest{Limit: 1}})
	require.NoError(t, err)
	require.Equal(t, n1, page.Nodes[0].Id)
	require.Equal(t, []uint64{n2}, nodeIDs(&types.QueryNodesRequest{Provider: owner, Pagination: &query.PageRequest{Key: page.Pagination.NextKey}}))
	_, err = f.q.Nodes(f.ctx, &types.QueryNodesRequest{Provider: "bad"})
	requireInvalidArgument(t, err)

	offer, err := f.q.Offer(f.ctx, &types.QueryOfferRequest{Id: o2})
	require.NoError(t, err)
	require.Equal(t, f.offer(o2), offer.Offer)
	_, err = f.q.Offer(f.ctx, &types.QueryOfferRequest{Id: 99})
	require.ErrorIs(t, err, types.ErrOfferNotFound)
	offerIDs := func(req *types.QueryOffersRequest) []uint64 {
		res, err := f.q.Offers(f.ctx, req)
		require.NoError(t, err)
		var ids []uint64
		for _, o := range res.Offers {
			ids = append(ids, o.Id)
		}
		return ids
	}
	require.Equal(t, []uint64{o1, o2, o3}, offerIDs(&types.QueryOffersRequest{}))
	require.Equal(t, []uint64{o1, o2}, offerIDs(&types.QueryOffersRequest{Provider: owner}))
	require.Equal(t, []uint64{o3}, offerIDs(&types.QueryOffersRequest{Provider: stranger}))
	_, err = f.q.Offers(f.ctx, &types.QueryOffersRequest{Provider: "bad"})
	requireInvalidArgument(t, err)
	_, err = f.q.Offers(f.ctx, nil)
	requireInvalidArgument(t, err)
}
