package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// Unpledge withdraws pledged principal from a node bond.
func (s msgServer) Unpledge(ctx context.Context, m *types.MsgUnpledge) (*types.MsgUnpledgeResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.Unpledge(ctx, m.Operator, m.VaultId, m.NodeId, m.Amount); err != nil {
		return nil, err
	}
	return &types.MsgUnpledgeResponse{}, nil
}
