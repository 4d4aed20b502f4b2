package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// GovCloseLease closes a lease by governance (Keeper.GovCloseLease).
func (s msgServer) GovCloseLease(ctx context.Context, msg *types.MsgGovCloseLease) (*types.MsgGovCloseLeaseResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.GovCloseLease(ctx, msg.Authority, msg.LeaseId, msg.Note); err != nil {
		return nil, err
	}
	return &types.MsgGovCloseLeaseResponse{}, nil
}
