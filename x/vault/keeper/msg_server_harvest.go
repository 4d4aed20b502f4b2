package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// Harvest books a vault's untracked income as reward.
func (s msgServer) Harvest(ctx context.Context, m *types.MsgHarvest) (*types.MsgHarvestResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	booked, err := s.k.Harvest(ctx, m.VaultId, m.ClaimMarket)
	if err != nil {
		return nil, err
	}
	return &types.MsgHarvestResponse{Booked: booked}, nil
}
