package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// ProposeOwner starts (or, with an empty new owner, cancels) an owner change.
func (s msgServer) ProposeOwner(ctx context.Context, msg *types.MsgProposeOwner) (*types.MsgProposeOwnerResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.ProposeOwner(ctx, msg.Provider, msg.Owner, msg.NewOwner); err != nil {
		return nil, err
	}
	return &types.MsgProposeOwnerResponse{}, nil
}
