package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// ClaimProvider claims a bounded page of a provider's leases (Keeper.ClaimProvider).
func (s msgServer) ClaimProvider(ctx context.Context, msg *types.MsgClaimProvider) (*types.MsgClaimProviderResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	res, err := s.k.ClaimProvider(ctx, msg.Provider, msg.StartAfter, msg.Limit)
	if err != nil {
		return nil, err
	}
	return &types.MsgClaimProviderResponse{Paid: res.Paid, Fees: res.Fees, Leases: res.Leases, Next: res.Next}, nil
}
