package keeper

import (
	"context"

	"github.com/guild-network/guild/x/farming/types"
)

// JoinPool makes a self-pooling contract farm to a pool (owner only).
func (s msgServer) JoinPool(ctx context.Context, msg *types.MsgJoinPool) (*types.MsgJoinPoolResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.JoinPool(ctx, msg.Owner, msg.PoolContractId, msg.Target, msg.PoolUrl, msg.RelativeLock); err != nil {
		return nil, err
	}
	return &types.MsgJoinPoolResponse{}, nil
}
