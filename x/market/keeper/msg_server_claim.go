package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// Claim pays one lease's earnings to its provider's beneficiary (Keeper.ClaimLease).
func (s msgServer) Claim(ctx context.Context, msg *types.MsgClaim) (*types.MsgClaimResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	net, fee, err := s.k.ClaimLease(ctx, msg.LeaseId)
	if err != nil {
		return nil, err
	}
	return &types.MsgClaimResponse{Paid: net, Fee: fee}, nil
}
