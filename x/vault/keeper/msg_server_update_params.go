package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// UpdateParams replaces the parameters (the chain's authority only).
func (s msgServer) UpdateParams(ctx context.Context, m *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.UpdateParams(ctx, m.Authority, m.Params); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, nil
}
