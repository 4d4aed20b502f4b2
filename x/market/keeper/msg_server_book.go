package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// Book creates a PENDING lease on an offer (Keeper.Book).
func (s msgServer) Book(ctx context.Context, msg *types.MsgBook) (*types.MsgBookResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	id, err := s.k.Book(ctx, msg.Tenant, msg.OfferId, msg.Units,
		types.Deployment{Hash: msg.DeploymentHash, Data: msg.DeploymentData}, msg.MaxPrice)
	if err != nil {
		return nil, err
	}
	return &types.MsgBookResponse{LeaseId: id}, nil
}
