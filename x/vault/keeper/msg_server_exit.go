package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// Exit burns shares of a position for principal.
func (s msgServer) Exit(ctx context.Context, m *types.MsgExit) (*types.MsgExitResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	paid, fee, err := s.k.Exit(ctx, m.Owner, m.PositionId, m.Shares)
	if err != nil {
		return nil, err
	}
	return &types.MsgExitResponse{Paid: paid, Fee: fee}, nil
}
