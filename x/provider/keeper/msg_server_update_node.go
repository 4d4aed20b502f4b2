package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// UpdateNode changes a node's capacity and status.
func (s msgServer) UpdateNode(ctx context.Context, msg *types.MsgUpdateNode) (*types.MsgUpdateNodeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.UpdateNode(ctx, msg.Signer, msg.NodeId, msg.Capacity, msg.Status); err != nil {
		return nil, err
	}
	return &types.MsgUpdateNodeResponse{}, nil
}
