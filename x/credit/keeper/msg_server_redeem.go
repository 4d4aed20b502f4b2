package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// Redeem handles types.MsgRedeem.
func (s msgServer) Redeem(ctx context.Context, m *types.MsgRedeem) (*types.MsgRedeemResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	assets, err := s.Keeper.Redeem(ctx, m.Lender, m.Shares)
	if err != nil {
		return nil, err
	}
	return &types.MsgRedeemResponse{Assets: assets}, nil
}
