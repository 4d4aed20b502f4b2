package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// SetOperator changes who manages nodes and offers.
func (s msgServer) SetOperator(ctx context.Context, msg *types.MsgSetOperator) (*types.MsgSetOperatorResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.SetOperator(ctx, msg.Provider, msg.Owner, msg.Operator); err != nil {
		return nil, err
	}
	return &types.MsgSetOperatorResponse{}, nil
}
