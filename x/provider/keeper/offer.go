package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
)

// GetOffer returns an offer, or ErrOfferNotFound.
func (k Keeper) GetOffer(ctx context.Context, id uint64) (types.Offer, error) {
	o, err := k.offers.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Offer{}, errorsmod.Wrapf(types.ErrOfferNotFound, "offer %d", id)
	}
	return o, err
}

// NewOffer is what AddOffer needs to create an offer.
type NewOffer struct {
	NodeID    uint64
	Kind      types.OfferKind
	Resources types.Resources
	Price     sdk.DecCoin
	Units     uint64
}

// AddOffer creates an active offer of units of a node's capacity; signer must be the owner or
// operator of the node's provider. One unit must fit in the node's capacity; the provider may
// offer more units than fit at once, since capacity is checked again at every booking.
func (k Keeper) AddOffer(ctx context.Context, signer string, in NewOffer) (uint64, error) {
	n, _, err := k.controlledNode(ctx, in.NodeID, signer)
	if err != nil {
		return 0, err
	}
	if !types.IsValidOfferKind(in.Kind) {
		return 0, errorsmod.Wrapf(types.ErrInvalidOfferKind, "kind %d", int32(in.Kind))
	}
	if err := types.ValidateOfferResources(in.Resources); err != nil {
		return 0, err
	}
	if !in.Resources.FitsIn(n.Capacity) {
		return 0, errorsmod.Wrapf(types.ErrInsufficientCapacity, "a unit %s does not fit in node %d's capacity %s", in.Resources.Short(), n.Id, n.Capacity.Short())
	}
	if err := types.ValidatePrice(in.Price); err != nil {
		return 0, err
	}
	if in.Units == 0 {
		return 0, errorsmod.Wrap(types.ErrInvalidUnits, "offer at least one unit")
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return 0, err
	}
	ids, err := k.nodeOfferIDs(ctx, n.Id)
	if err != nil {
		return 0, err
	}
	if uint64(len(ids)) >= uint64(params.MaxOffersPerNode) {
		return 0, errorsmod.Wrapf(types.ErrTooManyOffers, "node %d has %d offers, at most %d", n.Id, len(ids), params.MaxOffersPerNode)
	}
	id, err := modkit.NextID(ctx, k.nextOfferID)
	if err != nil {
		return 0, err
	}
	o := types.Offer{
		Id:         id,
		Provider:   n.Provider,
		NodeId:     n.Id,
		Kind:       in.Kind,
		Resources:  in.Resources,
		Price:      in.Price,
		UnitsTotal: in.Units,
		Active:     true,
	}
	if err := k.offers.Set(ctx, id, o); err != nil {
		return 0, err
	}
	return id, modkit.Emit(ctx, &types.EventOfferAdded{OfferId: id, NodeId: n.Id})
}

// UpdateOffer replaces an offer's price, total units and active flag; signer must be the owner
// or operator of its provider. The new price applies to new bookings only (leases lock their
// rate); units_total may not go below units_booked.
func (k Keeper) UpdateOffer(ctx context.Context, signer string, offerID uint64, price sdk.DecCoin, unitsTotal uint64, active bool) error {
	o, err := k.controlledOffer(ctx, offerID, signer)
	if err != nil {
		return err
	}
	if err := types.ValidatePrice(price); err != nil {
		return err
	}
	if unitsTotal == 0 {
		return errorsmod.Wrapf(types.ErrInvalidUnits, "offer %d: units_total must be at least 1", offerID)
	}
	if unitsTotal < o.UnitsBooked {
		return errorsmod.Wrapf(types.ErrUnitsBelowBooked, "offer %d: units_total %d, booked %d", offerID, unitsTotal, o.UnitsBooked)
	}
	o.Price, o.UnitsTotal, o.Active = price, unitsTotal, active
	if err := k.offers.Set(ctx, offerID, o); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventOfferUpdated{OfferId: offerID})
}

// RemoveOffer deletes an offer without booked units; signer must be the owner or operator of
// its provider.
func (k Keeper) RemoveOffer(ctx context.Context, signer string, offerID uint64) error {
	o, err := k.controlledOffer(ctx, offerID, signer)
	if err != nil {
		return err
	}
	if o.UnitsBooked > 0 {
		return errorsmod.Wrapf(types.ErrOfferBooked, "offer %d has %d booked units", offerID, o.UnitsBooked)
	}
	if err := k.offers.Remove(ctx, offerID); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventOfferRemoved{OfferId: offerID})
}

// controlledOffer loads an offer and checks that signer is its provider's owner or operator.
func (k Keeper) controlledOffer(ctx context.Context, offerID uint64, signer string) (types.Offer, error) {
	o, err := k.GetOffer(ctx, offerID)
	if err != nil {
		return types.Offer{}, err
	}
	if _, err := k.controlledProvider(ctx, o.Provider, signer); err != nil {
		return types.Offer{}, err
	}
	return o, nil
}
