package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// AvailableOfferIDs lists the offer ids in the available index, in (kind, id) order; tests
// compare it with the offers themselves.
func (k Keeper) AvailableOfferIDs(ctx context.Context) ([]uint64, error) {
	keys, err := k.offers.Indexes.Available.All(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(keys))
	for i, key := range keys {
		ids[i] = key.K2()
	}
	return ids, nil
}

// SetParamsRaw writes params without validation, as a store written by an older consensus
// version holds them (migration tests).
func (k Keeper) SetParamsRaw(ctx context.Context, p types.Params) error { return k.params.Set(ctx, p) }

// SetNodeForTest and SetOfferForTest write an object as the keeper's operations do (through
// its indexed map), for gas tests of the index writes.
func (k Keeper) SetNodeForTest(ctx context.Context, n types.Node) error {
	return k.nodes.Set(ctx, n.Id, n)
}

func (k Keeper) SetOfferForTest(ctx context.Context, o types.Offer) error {
	return k.offers.Set(ctx, o.Id, o)
}
