package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// Pledge moves liquid principal into a node bond.
func (s msgServer) Pledge(ctx context.Context, m *types.MsgPledge) (*types.MsgPledgeResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.Pledge(ctx, m.Operator, m.VaultId, m.NodeId, m.Amount); err != nil {
		return nil, err
	}
	return &types.MsgPledgeResponse{}, nil
}
