package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// Claim pays a position's rewards to the token's owner.
func (s msgServer) Claim(ctx context.Context, m *types.MsgClaim) (*types.MsgClaimResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	paid, err := s.k.Claim(ctx, m.Owner, m.PositionId)
	if err != nil {
		return nil, err
	}
	return &types.MsgClaimResponse{Paid: paid}, nil
}
