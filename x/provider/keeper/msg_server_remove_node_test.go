package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestRemoveNode(t *testing.T) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	id := f.addNode(1, stdBond)
	other := f.addNode(2, stdBond)
	o1, o2 := f.addOffer(id, 2), f.addOffer(id, 3)
	keep := f.addOffer(other, 1)
	remove := func(signer string, node uint64) func() error {
		return func() error {
			_, err := f.msg.RemoveNode(f.ctx, &types.MsgRemoveNode{Signer: signer, NodeId: node})
			return err
		}
	}
	f.fails(types.ErrNodeNotFound, remove(owner, 99))
	f.fails(types.ErrNotController, remove(stranger, id))

	// Refused while a lease is live; allowed once it is released.
	f.ok(func() error { _, _, err := f.k.ReserveUnits(f.ctx, o2, 1); return err })
	f.fails(types.ErrNodeHasLeases, remove(owner, id))
	f.ok(func() error { return f.k.ReleaseUnits(f.ctx, o2, 1) })

	ownerBefore := f.bank.balance(owner)
	events := f.ok(remove(operator, id)) // the operator removes; the bond still goes to the owner
	require.Equal(t, []string{
		"guild.provider.v1.EventOfferRemoved", "guild.provider.v1.EventOfferRemoved",
		"guild.provider.v1.EventBondChanged", "guild.provider.v1.EventNodeRemoved",
	}, events)
	require.Equal(t, ownerBefore.Add(ugld(stdBond)), f.bank.balance(owner))
	_, err := f.k.GetNode(f.ctx, id)
	require.ErrorIs(t, err, types.ErrNodeNotFound)
	for _, o := range []uint64{o1, o2} {
		_, err := f.k.GetOffer(f.ctx, o)
		require.ErrorIs(t, err, types.ErrOfferNotFound)
	}
	require.Equal(t, keep, f.offer(keep).Id, "other nodes' offers stay")
	_, err = f.k.NodeByAccount(f.ctx, nodeAccount(t, 1))
	require.ErrorIs(t, err, types.ErrNodeNotFound)
	avail, err := f.q.AvailableOffers(f.ctx, &types.QueryAvailableOffersRequest{})
	require.NoError(t, err)
	require.Len(t, avail.Offers, 1)
	require.Equal(t, keep, avail.Offers[0].Id)

	// The key is free again and ids are never reused.
	require.Equal(t, uint64(3), f.addNode(1, 0))
	// A node without bond is removed without a transfer.
	transfers := len(f.bank.transfers)
	events = f.ok(remove(owner, 3))
	require.Equal(t, []string{"guild.provider.v1.EventNodeRemoved"}, events)
	require.Len(t, f.bank.transfers, transfers)
}
