package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// SetRequesterKey handles types.MsgSetRequesterKey.
func (s msgServer) SetRequesterKey(ctx context.Context, m *types.MsgSetRequesterKey) (*types.MsgSetRequesterKeyResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.Keeper.SetRequesterKey(ctx, m.Owner, m.AgentId, m.RequesterKey); err != nil {
		return nil, err
	}
	return &types.MsgSetRequesterKeyResponse{}, nil
}
