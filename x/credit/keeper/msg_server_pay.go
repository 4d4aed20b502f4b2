package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// Pay handles types.MsgPay.
func (s msgServer) Pay(ctx context.Context, m *types.MsgPay) (*types.MsgPayResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	r, err := s.Keeper.Pay(ctx, m.Payer, m.AgentId, m.Amount, m.FromAgent)
	if err != nil {
		return nil, err
	}
	return &types.MsgPayResponse{Interest: r.Interest, Principal: r.Principal, Refunded: r.Refunded, Debt: r.Debt}, nil
}
