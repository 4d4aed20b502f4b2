package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// DepositBond adds to a node's bond.
func (s msgServer) DepositBond(ctx context.Context, msg *types.MsgDepositBond) (*types.MsgDepositBondResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.DepositBond(ctx, msg.Sender, msg.NodeId, msg.Amount); err != nil {
		return nil, err
	}
	return &types.MsgDepositBondResponse{}, nil
}
