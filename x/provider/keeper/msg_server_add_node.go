package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// AddNode adds a node with its key and capacity, funding its bond from the signer.
func (s msgServer) AddNode(ctx context.Context, msg *types.MsgAddNode) (*types.MsgAddNodeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	id, account, err := s.k.AddNode(ctx, msg.Signer, msg.Provider, msg.PubKey, msg.Capacity, msg.Bond)
	if err != nil {
		return nil, err
	}
	return &types.MsgAddNodeResponse{NodeId: id, NodeAccount: account}, nil
}
