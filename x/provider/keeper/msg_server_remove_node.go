package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// RemoveNode removes a node and its offers and returns its bond.
func (s msgServer) RemoveNode(ctx context.Context, msg *types.MsgRemoveNode) (*types.MsgRemoveNodeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.RemoveNode(ctx, msg.Signer, msg.NodeId); err != nil {
		return nil, err
	}
	return &types.MsgRemoveNodeResponse{}, nil
}
