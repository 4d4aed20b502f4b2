package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestRemoveOffer(t *testing.T) {
	f := setup(t)
	f.register()
	node := f.addNode(1, stdBond)
	id, other := f.addOffer(node, 2), f.addOffer(node, 2)
	remove := func(signer string, offer uint64) func() error {
		return func() error {
			_, err := f.msg.RemoveOffer(f.ctx, &types.MsgRemoveOffer{Signer: signer, OfferId: offer})
			return err
		}
	}
	f.fails(types.ErrOfferNotFound, remove(owner, 99))
	f.fails(types.ErrNotController, remove(stranger, id))

	f.ok(func() error { _, _, err := f.k.ReserveUnits(f.ctx, id, 1); return err })
	f.fails(types.ErrOfferBooked, remove(owner, id))
	f.ok(func() error { return f.k.ReleaseUnits(f.ctx, id, 1) })

	events := f.ok(remove(owner, id))
	require.Equal(t, []string{"guild.provider.v1.EventOfferRemoved"}, events)
	_, err := f.k.GetOffer(f.ctx, id)
	require.ErrorIs(t, err, types.ErrOfferNotFound)
	res, err := f.q.Offers(f.ctx, &types.QueryOffersRequest{Provider: owner})
	require.NoError(t, err)
	require.Len(t, res.Offers, 1)
	require.Equal(t, other, res.Offers[0].Id)
	f.fails(types.ErrOfferNotFound, remove(owner, id))
}
