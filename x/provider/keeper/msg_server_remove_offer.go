package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// RemoveOffer deletes an offer without booked units.
func (s msgServer) RemoveOffer(ctx context.Context, msg *types.MsgRemoveOffer) (*types.MsgRemoveOfferResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.RemoveOffer(ctx, msg.Signer, msg.OfferId); err != nil {
		return nil, err
	}
	return &types.MsgRemoveOfferResponse{}, nil
}
