package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/market/types"
)

// ReportDeployment records the node's report on a PENDING lease. Only the node's own key may
// report: DEPLOYED starts billing (or parks the lease in GRACE if the tenant has run out of
// funds meanwhile); FAILED closes it with reason 201 and a full refund of nothing billed.
func (s msgServer) ReportDeployment(ctx context.Context, m *types.MsgReportDeployment) (*types.MsgReportDeploymentResponse, error) {
	l, err := s.getLease(ctx, m.LeaseId)
	if err != nil {
		return nil, err
	}
	node, err := s.provider.GetNode(ctx, l.NodeId)
	if err != nil {
		return nil, err
	}
	if node.Account != m.NodeAccount {
		return nil, errorsmod.Wrapf(types.ErrWrongSigner, "lease %d is on node %d, whose key is %s, not %s",
			l.Id, node.Id, node.Account, m.NodeAccount)
	}
	if l.State != types.LEASE_STATE_PENDING {
		return nil, errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s, not pending", l.Id, l.State)
	}
	a, err := s.touchAccount(ctx, l.Tenant, l.Denom)
	if err != nil {
		return nil, err
	}
	l.DeployInfo = m.Info
	switch m.Result {
	case types.DEPLOYMENT_RESULT_DEPLOYED:
		if err := s.DeployQueue.Remove(ctx, collections.Join(l.DeployDeadline, l.Id)); err != nil {
			return nil, err
		}
		l.DeployedAt = now(ctx)
		if a.GraceUntil != 0 {
			err = s.setState(ctx, &l, types.LEASE_STATE_GRACE, 0, "deployed while the tenant is out of funds")
		} else {
			s.startBilling(ctx, &a, &l)
			err = s.setState(ctx, &l, types.LEASE_STATE_ACTIVE, 0, m.Info)
		}
	case types.DEPLOYMENT_RESULT_FAILED:
		err = s.closeLease(ctx, &a, &l, types.ReasonDeployFailed, m.Info)
	default:
		return nil, errorsmod.Wrapf(types.ErrInvalidRequest, "result %s", m.Result)
	}
	if err != nil {
		return nil, err
	}
	return &types.MsgReportDeploymentResponse{}, s.saveAccount(ctx, a)
}

// UpdateDeployment replaces the deployment of an ACTIVE lease; the node redeploys it.
func (s msgServer) UpdateDeployment(ctx context.Context, m *types.MsgUpdateDeployment) (*types.MsgUpdateDeploymentResponse, error) {
	params, err := s.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if err := types.ValidateDeployment(m.DeploymentHash, m.DeploymentData, params.MaxDeploymentData); err != nil {
		return nil, err
	}
	l, err := s.getLease(ctx, m.LeaseId)
	if err != nil {
		return nil, err
	}
	if l.Tenant != m.Tenant {
		return nil, errorsmod.Wrapf(types.ErrWrongSigner, "lease %d belongs to %s", l.Id, l.Tenant)
	}
	if l.State != types.LEASE_STATE_ACTIVE {
		return nil, errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s, not active", l.Id, l.State)
	}
	l.Deployment = types.Deployment{Hash: m.DeploymentHash, Data: m.DeploymentData}
	if err := s.Leases.Set(ctx, l.Id, l); err != nil {
		return nil, err
	}
	return &types.MsgUpdateDeploymentResponse{}, emit(ctx, &types.EventDeploymentUpdated{LeaseId: l.Id, NodeId: l.NodeId, Hash: l.Deployment.Hash})
}
