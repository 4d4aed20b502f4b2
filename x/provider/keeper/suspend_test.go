package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/guild-network/guild/x/provider/types"
)

// TestSuspendNode: a deploy timeout suspends a node (one incident); booking on it is refused
// with ErrNodeSuspended; a second suspension in the same incident changes nothing and reports
// false (so x/market does not slash again); a heartbeat does not lift it; the operator's
// UpdateNode ONLINE does, and then a new incident can begin.
func TestSuspendNode(t *testing.T) {
	f := setup(t)
	f.register()
	node := f.addNode(1, stdBond)
	offer := f.addOffer(node, 2)
	f.at(100)

	var fresh bool
	events := f.ok(func() error {
		var err error
		fresh, err = f.k.SuspendNode(f.ctx, node, "deploy timeout of lease 7")
		return err
	})
	require.True(t, fresh, "the first timeout begins an incident")
	require.Equal(t, []string{"guild.provider.v1.EventNodeSuspended"}, events)
	n := f.node(node)
	require.True(t, n.Suspended)
	require.Equal(t, startTime+100, n.SuspendedAt)
	require.Equal(t, "deploy timeout of lease 7", n.SuspendReason)

	f.fails(types.ErrNodeSuspended, reserve(f, offer, 1))
	avail, err := f.q.AvailableOffers(f.ctx, &types.QueryAvailableOffersRequest{})
	require.NoError(t, err)
	require.Empty(t, avail.Offers, "a suspended node's offers are not listed as bookable")

	f.at(200)
	events = f.ok(func() error {
		var err error
		fresh, err = f.k.SuspendNode(f.ctx, node, "deploy timeout of lease 8")
		return err
	})
	require.False(t, fresh, "a second timeout in the same incident is not a new incident")
	require.Empty(t, events)
	require.Equal(t, startTime+100, f.node(node).SuspendedAt, "the incident keeps its start")

	// The agent heartbeats, but only the operator ends the incident.
	f.ok(func() error { return f.k.Heartbeat(f.ctx, f.node(node).Account, node) })
	require.True(t, f.node(node).Suspended)
	f.fails(types.ErrNodeSuspended, reserve(f, offer, 1))
	f.fails(types.ErrNotController, func() error {
		return f.k.UpdateNode(f.ctx, stranger, node, types.Resources{}, types.NODE_STATUS_ONLINE)
	})
	// Standby keeps the suspension; ONLINE lifts it.
	f.ok(func() error { return f.k.UpdateNode(f.ctx, owner, node, types.Resources{}, types.NODE_STATUS_STANDBY) })
	require.True(t, f.node(node).Suspended)
	events = f.ok(func() error { return f.k.UpdateNode(f.ctx, owner, node, types.Resources{}, types.NODE_STATUS_ONLINE) })
	require.Equal(t, []string{"guild.provider.v1.EventNodeUpdated", "guild.provider.v1.EventNodeResumed"}, events)
	n = f.node(node)
	require.False(t, n.Suspended)
	require.Zero(t, n.SuspendedAt)
	require.Empty(t, n.SuspendReason)
	f.ok(reserve(f, offer, 1))

	f.ok(func() error {
		var err error
		fresh, err = f.k.SuspendNode(f.ctx, node, "deploy timeout of lease 9")
		return err
	})
	require.True(t, fresh, "after the operator's return, a timeout is a new incident")

	f.fails(types.ErrNodeNotFound, func() error { _, err := f.k.SuspendNode(f.ctx, 99, "x"); return err })
	f.fails(types.ErrInvalidStatus, func() error {
		_, err := f.k.SuspendNode(f.ctx, node, string(make([]byte, types.MaxReasonLength+1)))
		return err
	})
}

// TestQueryNotFoundIsGRPCNotFound: unknown providers, nodes and offers answer gRPC NotFound
// (HTTP 404 through the gateway), not Unknown / 500.
func TestQueryNotFoundIsGRPCNotFound(t *testing.T) {
	f := setup(t)
	_, err := f.q.Provider(f.ctx, &types.QueryProviderRequest{Address: stranger})
	require.ErrorIs(t, err, types.ErrProviderNotFound)
	require.Equal(t, codes.NotFound, status.Code(err), err.Error())
	_, err = f.q.Node(f.ctx, &types.QueryNodeRequest{Id: 5})
	require.ErrorIs(t, err, types.ErrNodeNotFound)
	require.Equal(t, codes.NotFound, status.Code(err), err.Error())
	_, err = f.q.Offer(f.ctx, &types.QueryOfferRequest{Id: 5})
	require.ErrorIs(t, err, types.ErrOfferNotFound)
	require.Equal(t, codes.NotFound, status.Code(err), err.Error())
	_, err = f.q.Score(f.ctx, &types.QueryScoreRequest{Address: stranger})
	require.Equal(t, codes.NotFound, status.Code(err), err.Error())
}
