package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// RemoveProvider handles types.MsgRemoveProvider.
func (s msgServer) RemoveProvider(ctx context.Context, m *types.MsgRemoveProvider) (*types.MsgRemoveProviderResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.Keeper.RemoveProvider(ctx, m.Owner, m.AgentId, m.Provider, m.Credential); err != nil {
		return nil, err
	}
	return &types.MsgRemoveProviderResponse{}, nil
}
