package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// UpdateParams handles types.MsgUpdateParams.
func (s msgServer) UpdateParams(ctx context.Context, m *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.Keeper.UpdateParams(ctx, m.Authority, m.Params); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, nil
}
