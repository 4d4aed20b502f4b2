package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// AddOffer creates an offer of units of a node's capacity.
func (s msgServer) AddOffer(ctx context.Context, msg *types.MsgAddOffer) (*types.MsgAddOfferResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	id, err := s.k.AddOffer(ctx, msg.Signer, NewOffer{
		NodeID: msg.NodeId, Kind: msg.Kind, Resources: msg.Resources, Price: msg.Price, Units: msg.Units,
	})
	if err != nil {
		return nil, err
	}
	return &types.MsgAddOfferResponse{OfferId: id}, nil
}
