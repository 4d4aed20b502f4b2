package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// CancelLease closes a lease by its tenant (Keeper.CancelLease).
func (s msgServer) CancelLease(ctx context.Context, msg *types.MsgCancelLease) (*types.MsgCancelLeaseResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.CancelLease(ctx, msg.Tenant, msg.LeaseId, msg.Reason, msg.Report); err != nil {
		return nil, err
	}
	return &types.MsgCancelLeaseResponse{}, nil
}
