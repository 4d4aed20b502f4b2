package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// SetRecovered handles types.MsgSetRecovered.
func (s msgServer) SetRecovered(ctx context.Context, m *types.MsgSetRecovered) (*types.MsgSetRecoveredResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.Keeper.SetRecovered(ctx, m.Signer, m.AgentId, m.Credential); err != nil {
		return nil, err
	}
	return &types.MsgSetRecoveredResponse{}, nil
}
