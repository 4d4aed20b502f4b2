package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// Withdraw returns escrow to the tenant (Keeper.Withdraw).
func (s msgServer) Withdraw(ctx context.Context, msg *types.MsgWithdraw) (*types.MsgWithdrawResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.Withdraw(ctx, msg.Tenant, msg.Amount); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawResponse{}, nil
}
