package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// Borrow handles types.MsgBorrow.
func (s msgServer) Borrow(ctx context.Context, m *types.MsgBorrow) (*types.MsgBorrowResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	debt, err := s.Keeper.Borrow(ctx, m.Signer, m.AgentId, m.Amount, m.Credential)
	if err != nil {
		return nil, err
	}
	return &types.MsgBorrowResponse{Debt: debt}, nil
}
