package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/provider/types"
)

// InitGenesis validates gs and writes it to the store, indexes and sequences included.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, p := range gs.Providers {
		if err := k.providers.Set(ctx, p.Address, p); err != nil {
			return errorsmod.Wrapf(err, "provider %s", p.Address)
		}
	}
	for _, n := range gs.Nodes {
		if err := k.nodes.Set(ctx, n.Id, n); err != nil {
			return errorsmod.Wrapf(err, "node %d", n.Id)
		}
	}
	for _, o := range gs.Offers {
		if err := k.offers.Set(ctx, o.Id, o); err != nil {
			return errorsmod.Wrapf(err, "offer %d", o.Id)
		}
	}
	if err := k.nextNodeID.Set(ctx, gs.NextNodeId); err != nil {
		return err
	}
	return k.nextOfferID.Set(ctx, gs.NextOfferId)
}

// ExportGenesis reads the whole state: providers by address, nodes and offers by id.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if err := k.providers.Walk(ctx, nil, func(_ string, p types.Provider) (bool, error) {
		gs.Providers = append(gs.Providers, p)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.nodes.Walk(ctx, nil, func(_ uint64, n types.Node) (bool, error) {
		gs.Nodes = append(gs.Nodes, n)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.offers.Walk(ctx, nil, func(_ uint64, o types.Offer) (bool, error) {
		gs.Offers = append(gs.Offers, o)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.NextNodeId, err = k.nextNodeID.Peek(ctx); err != nil {
		return nil, err
	}
	if gs.NextOfferId, err = k.nextOfferID.Peek(ctx); err != nil {
		return nil, err
	}
	// A store never initialised by genesis starts its sequences at 1 (see nextID).
	gs.NextNodeId, gs.NextOfferId = max(gs.NextNodeId, 1), max(gs.NextOfferId, 1)
	return gs, nil
}
