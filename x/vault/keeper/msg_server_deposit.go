package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// Deposit deposits ugld and mints a position token.
func (s msgServer) Deposit(ctx context.Context, m *types.MsgDeposit) (*types.MsgDepositResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	p, err := s.k.Deposit(ctx, m.Depositor, m.VaultId, m.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgDepositResponse{PositionId: p.Id, Shares: p.Shares}, nil
}
