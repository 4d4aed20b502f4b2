package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// UpdateOffer changes an offer's price, units and active flag.
func (s msgServer) UpdateOffer(ctx context.Context, msg *types.MsgUpdateOffer) (*types.MsgUpdateOfferResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.UpdateOffer(ctx, msg.Signer, msg.OfferId, msg.Price, msg.UnitsTotal, msg.Active); err != nil {
		return nil, err
	}
	return &types.MsgUpdateOfferResponse{}, nil
}
