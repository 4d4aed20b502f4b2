package keeper

import (
	"context"

	"github.com/guild-network/guild/x/credit/types"
)

// PutOnAdministration handles types.MsgPutOnAdministration.
func (s msgServer) PutOnAdministration(ctx context.Context, m *types.MsgPutOnAdministration) (*types.MsgPutOnAdministrationResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.Keeper.PutOnAdministration(ctx, m.AgentId, m.Credential); err != nil {
		return nil, err
	}
	return &types.MsgPutOnAdministrationResponse{}, nil
}
