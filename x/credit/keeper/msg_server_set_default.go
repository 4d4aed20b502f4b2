package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// SetDefault handles types.MsgSetDefault.
func (s msgServer) SetDefault(ctx context.Context, m *types.MsgSetDefault) (*types.MsgSetDefaultResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	ls, err := s.Keeper.SetDefault(ctx, m.AgentId, m.Credential)
	if err != nil {
		return nil, err
	}
	return &types.MsgSetDefaultResponse{Liquidations: ls}, nil
}
