package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// AcceptCustody makes the vault the provider's owner and beneficiary.
func (s msgServer) AcceptCustody(ctx context.Context, m *types.MsgAcceptCustody) (*types.MsgAcceptCustodyResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.AcceptCustody(ctx, m.Operator, m.VaultId); err != nil {
		return nil, err
	}
	return &types.MsgAcceptCustodyResponse{}, nil
}
