package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// Heartbeat records that a node is alive.
func (s msgServer) Heartbeat(ctx context.Context, msg *types.MsgHeartbeat) (*types.MsgHeartbeatResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.Heartbeat(ctx, msg.NodeAccount, msg.NodeId); err != nil {
		return nil, err
	}
	return &types.MsgHeartbeatResponse{}, nil
}
