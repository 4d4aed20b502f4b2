package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// CloseLease is the provider's exit from a lease (Keeper.CloseLease).
func (s msgServer) CloseLease(ctx context.Context, msg *types.MsgCloseLease) (*types.MsgCloseLeaseResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.CloseLease(ctx, msg.Signer, msg.LeaseId); err != nil {
		return nil, err
	}
	return &types.MsgCloseLeaseResponse{}, nil
}
