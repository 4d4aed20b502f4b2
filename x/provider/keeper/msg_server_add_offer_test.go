package keeper_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/provider/keeper"
	"github.com/guild-network/guild/x/provider/types"
)

func TestAddOffer(t *testing.T) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	id := f.addNode(1, stdBond)
	add := func(signer string, m types.MsgAddOffer) func() error {
		return func() error {
			m.Signer = signer
			_, err := f.msg.AddOffer(f.ctx, &m)
			return err
		}
	}
	vm := types.MsgAddOffer{NodeId: id, Kind: types.OFFER_KIND_VM, Resources: stdUnit, Price: usdc("0.001"), Units: 8}
	var res *types.MsgAddOfferResponse
	events := f.ok(func() error {
		m := vm
		m.Signer = operator
		var err error
		res, err = f.msg.AddOffer(f.ctx, &m)
		return err
	})
	require.Equal(t, []string{"guild.provider.v1.EventOfferAdded"}, events)
	require.Equal(t, uint64(1), res.OfferId)
	require.Equal(t, types.Offer{
		Id: 1, Provider: owner, NodeId: id, Kind: types.OFFER_KIND_VM, Resources: stdUnit,
		Price: usdc("0.001"), UnitsTotal: 8, Active: true,
	}, f.offer(1), "more units than fit at once are allowed: capacity is checked at booking")

	volume := types.MsgAddOffer{NodeId: id, Kind: types.OFFER_KIND_VOLUME, Resources: types.Resources{StorageBytes: 100 * gib}, Price: usdc("0.00002"), Units: 1}
	f.ok(add(owner, volume))
	require.Equal(t, types.OFFER_KIND_VOLUME, f.offer(2).Kind)

	with := func(mutate func(*types.MsgAddOffer)) types.MsgAddOffer {
		m := vm
		mutate(&m)
		return m
	}
	f.fails(types.ErrNodeNotFound, add(owner, with(func(m *types.MsgAddOffer) { m.NodeId = 99 })))
	f.fails(types.ErrNotController, add(stranger, vm))
	f.fails(types.ErrNotController, add(nodeAccount(t, 1), vm))
	f.fails(types.ErrInsufficientCapacity, add(owner, with(func(m *types.MsgAddOffer) { m.Resources.CpuMilli = 4001 })))
	f.fails(types.ErrInsufficientCapacity, add(owner, with(func(m *types.MsgAddOffer) { m.Resources.Gpus = 1 })))
	f.fails(types.ErrInvalidOfferKind, add(owner, with(func(m *types.MsgAddOffer) { m.Kind = types.OFFER_KIND_UNSPECIFIED })))
	f.fails(types.ErrInvalidResources, add(owner, with(func(m *types.MsgAddOffer) { m.Resources = types.Resources{} })))
	f.fails(types.ErrInvalidUnits, add(owner, with(func(m *types.MsgAddOffer) { m.Units = 0 })))
	f.fails(types.ErrInvalidPrice, add(owner, with(func(m *types.MsgAddOffer) { m.Price = usdc("0") })))
	f.fails(types.ErrInvalidPrice, add(owner, with(func(m *types.MsgAddOffer) {
		m.Price = sdk.DecCoin{Denom: "uusdc", Amount: sdkmath.LegacyNewDec(-1)}
	})))
	// The keeper checks on its own too (other modules call it without ValidateBasic).
	f.fails(types.ErrInvalidOfferKind, func() error {
		_, err := f.k.AddOffer(f.ctx, owner, keeper.NewOffer{NodeID: id, Kind: 9, Resources: stdUnit, Price: usdc("1"), Units: 1})
		return err
	})
	f.fails(types.ErrInvalidUnits, func() error {
		_, err := f.k.AddOffer(f.ctx, owner, keeper.NewOffer{NodeID: id, Kind: types.OFFER_KIND_VM, Resources: stdUnit, Price: usdc("1")})
		return err
	})
}

func TestAddOfferLimit(t *testing.T) {
	f := setup(t)
	f.register()
	params := types.DefaultParams()
	params.MaxOffersPerNode = 2
	f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, params) })
	a, b := f.addNode(1, 0), f.addNode(2, 0)
	f.addOffer(a, 1)
	o := f.addOffer(a, 1)
	f.fails(types.ErrTooManyOffers, func() error {
		_, err := f.msg.AddOffer(f.ctx, &types.MsgAddOffer{Signer: owner, NodeId: a, Kind: types.OFFER_KIND_VM, Resources: stdUnit, Price: usdc("1"), Units: 1})
		return err
	})
	f.addOffer(b, 1) // the bound is per node
	f.ok(func() error { return f.k.RemoveOffer(f.ctx, owner, o) })
	f.addOffer(a, 1)
}
