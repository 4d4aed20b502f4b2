package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// CreateAgent handles types.MsgCreateAgent.
func (s msgServer) CreateAgent(ctx context.Context, m *types.MsgCreateAgent) (*types.MsgCreateAgentResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	id, addr, err := s.Keeper.CreateAgent(ctx, m.Owner, m.Operator, m.RequesterKey)
	if err != nil {
		return nil, err
	}
	return &types.MsgCreateAgentResponse{AgentId: id, Address: addr}, nil
}
