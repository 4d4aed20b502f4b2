package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// UpdateDeployment replaces an ACTIVE lease's deployment (Keeper.UpdateDeployment).
func (s msgServer) UpdateDeployment(ctx context.Context, msg *types.MsgUpdateDeployment) (*types.MsgUpdateDeploymentResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.UpdateDeployment(ctx, msg.Tenant, msg.LeaseId,
		types.Deployment{Hash: msg.DeploymentHash, Data: msg.DeploymentData}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateDeploymentResponse{}, nil
}
