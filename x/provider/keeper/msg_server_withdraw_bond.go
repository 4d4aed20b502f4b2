package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// WithdrawBond returns part of a node's bond to the owner.
func (s msgServer) WithdrawBond(ctx context.Context, msg *types.MsgWithdrawBond) (*types.MsgWithdrawBondResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.WithdrawBond(ctx, msg.Owner, msg.NodeId, msg.Amount); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawBondResponse{}, nil
}
