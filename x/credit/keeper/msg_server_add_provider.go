package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// AddProvider handles types.MsgAddProvider.
func (s msgServer) AddProvider(ctx context.Context, m *types.MsgAddProvider) (*types.MsgAddProviderResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.Keeper.AddProvider(ctx, m.Signer, m.AgentId, m.Provider); err != nil {
		return nil, err
	}
	return &types.MsgAddProviderResponse{}, nil
}
