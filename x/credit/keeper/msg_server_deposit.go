package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// Deposit handles types.MsgDeposit.
func (s msgServer) Deposit(ctx context.Context, m *types.MsgDeposit) (*types.MsgDepositResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	shares, err := s.Keeper.Deposit(ctx, m.Lender, m.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgDepositResponse{Shares: shares}, nil
}
