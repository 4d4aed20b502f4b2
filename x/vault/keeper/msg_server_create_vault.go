package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// CreateVault creates a vault for a provider.
func (s msgServer) CreateVault(ctx context.Context, m *types.MsgCreateVault) (*types.MsgCreateVaultResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	v, err := s.k.CreateVault(ctx, m.Operator, m.Provider, m.Terms, m.Governance)
	if err != nil {
		return nil, err
	}
	return &types.MsgCreateVaultResponse{VaultId: v.Id, Account: v.Account, ClassId: types.ClassID(v.Id)}, nil
}
