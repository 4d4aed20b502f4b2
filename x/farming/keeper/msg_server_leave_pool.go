package keeper

import (
	"context"

	"github.com/guild-network/guild/x/farming/types"
)

// LeavePool starts leaving the pool (owner only).
func (s msgServer) LeavePool(ctx context.Context, msg *types.MsgLeavePool) (*types.MsgLeavePoolResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	until, err := s.k.LeavePool(ctx, msg.Owner, msg.PoolContractId)
	if err != nil {
		return nil, err
	}
	return &types.MsgLeavePoolResponse{LeavingUntil: until}, nil
}
