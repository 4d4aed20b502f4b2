package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/provider/types"
)

func TestUpdateOffer(t *testing.T) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	node := f.addNode(1, stdBond)
	id := f.addOffer(node, 4)
	update := func(signer string, offer uint64, p sdk.DecCoin, units uint64, active bool) func() error {
		return func() error {
			_, err := f.msg.UpdateOffer(f.ctx, &types.MsgUpdateOffer{Signer: signer, OfferId: offer, Price: p, UnitsTotal: units, Active: active})
			return err
		}
	}
	available := func() []uint64 {
		res, err := f.q.AvailableOffers(f.ctx, &types.QueryAvailableOffersRequest{})
		require.NoError(t, err)
		var ids []uint64
		for _, o := range res.Offers {
			ids = append(ids, o.Id)
		}
		return ids
	}

	// A booking sees the price of its time; a later change applies to new bookings only.
	booked, _, err := f.k.ReserveUnits(f.ctx, id, 2)
	require.NoError(t, err)
	require.Equal(t, usdc("0.001"), booked.Price)
	events := f.ok(update(operator, id, usdc("0.002"), 6, true))
	require.Equal(t, []string{"guild.provider.v1.EventOfferUpdated"}, events)
	o := f.offer(id)
	require.Equal(t, usdc("0.002"), o.Price)
	require.Equal(t, uint64(6), o.UnitsTotal)
	require.Equal(t, uint64(2), o.UnitsBooked, "bookings are untouched")
	next, _, err := f.k.ReserveUnits(f.ctx, id, 1)
	require.NoError(t, err)
	require.Equal(t, usdc("0.002"), next.Price)

	// units_total may go down to units_booked, not below; at units_booked the offer is full.
	f.fails(types.ErrUnitsBelowBooked, update(owner, id, usdc("0.002"), 2, true))
	f.ok(update(owner, id, usdc("0.002"), 3, true))
	require.Empty(t, available())
	f.ok(update(owner, id, usdc("0.002"), 4, true))
	require.Equal(t, []uint64{id}, available())

	// Deactivating takes it out of the available offers; reactivating puts it back.
	f.ok(update(owner, id, usdc("0.002"), 4, false))
	require.Empty(t, available())
	_, _, err = f.k.ReserveUnits(f.ctx, id, 1)
	require.ErrorIs(t, err, types.ErrOfferInactive)
	f.ok(update(owner, id, usdc("0.003"), 4, true))
	require.Equal(t, []uint64{id}, available())

	f.fails(types.ErrOfferNotFound, update(owner, 99, usdc("1"), 1, true))
	f.fails(types.ErrNotController, update(stranger, id, usdc("1"), 4, true))
	f.fails(types.ErrInvalidUnits, update(owner, id, usdc("1"), 0, true))
	f.fails(types.ErrInvalidPrice, update(owner, id, usdc("0"), 4, true))
	f.fails(types.ErrInvalidUnits, func() error { return f.k.UpdateOffer(f.ctx, owner, id, usdc("1"), 0, true) })
}
