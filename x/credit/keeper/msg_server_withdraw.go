package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// Withdraw handles types.MsgWithdraw.
func (s msgServer) Withdraw(ctx context.Context, m *types.MsgWithdraw) (*types.MsgWithdrawResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.Keeper.Withdraw(ctx, m.Owner, m.AgentId, m.Amount, m.Recipient, m.Credential); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawResponse{}, nil
}
