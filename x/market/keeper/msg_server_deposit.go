package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// Deposit moves coins into the tenant's escrow (Keeper.Deposit).
func (s msgServer) Deposit(ctx context.Context, msg *types.MsgDeposit) (*types.MsgDepositResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.Deposit(ctx, msg.Tenant, msg.Amount); err != nil {
		return nil, err
	}
	return &types.MsgDepositResponse{}, nil
}
