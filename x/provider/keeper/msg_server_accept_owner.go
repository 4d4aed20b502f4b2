package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// AcceptOwner completes an owner change.
func (s msgServer) AcceptOwner(ctx context.Context, msg *types.MsgAcceptOwner) (*types.MsgAcceptOwnerResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.AcceptOwner(ctx, msg.Provider, msg.NewOwner); err != nil {
		return nil, err
	}
	return &types.MsgAcceptOwnerResponse{}, nil
}
