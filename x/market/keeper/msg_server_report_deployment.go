package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// ReportDeployment records the node's report on a PENDING lease (Keeper.ReportDeployment).
func (s msgServer) ReportDeployment(ctx context.Context, msg *types.MsgReportDeployment) (*types.MsgReportDeploymentResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.ReportDeployment(ctx, msg.NodeAccount, msg.LeaseId, msg.Result, msg.Info); err != nil {
		return nil, err
	}
	return &types.MsgReportDeploymentResponse{}, nil
}
