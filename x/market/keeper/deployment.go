package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// ReportDeployment records the node's report on a PENDING lease. Only the node's own key may
// report: DEPLOYED starts billing (or parks the lease in GRACE if the tenant has run out of
// funds meanwhile); FAILED closes it with reason 201 and a full refund (nothing was billed).
func (k Keeper) ReportDeployment(ctx context.Context, nodeAccount string, leaseID uint64, result types.DeploymentResult, info string) error {
	if result != types.DEPLOYMENT_RESULT_DEPLOYED && result != types.DEPLOYMENT_RESULT_FAILED {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "result %s", result)
	}
	l, err := k.GetLease(ctx, leaseID)
	if err != nil {
		return err
	}
	node, err := k.provider.GetNode(ctx, l.NodeId)
	if err != nil {
		return err
	}
	if node.Account != nodeAccount {
		return errorsmod.Wrapf(types.ErrNotNodeAccount, "lease %d is on node %d, whose key is %s, not %s",
			l.Id, node.Id, node.Account, nodeAccount)
	}
	if l.State != types.LEASE_STATE_PENDING {
		return errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s, not pending", l.Id, l.State)
	}
	return atomic(ctx, func(ctx context.Context) error {
		a, err := k.touchAccount(ctx, l.Tenant, l.Denom)
		if err != nil {
			return err
		}
		l.DeployInfo = info
		switch result {
		case types.DEPLOYMENT_RESULT_DEPLOYED:
			l.DeployedAt = modkit.BlockTime(ctx)
			if a.GraceUntil != 0 {
				err = k.setState(ctx, &l, types.LEASE_STATE_GRACE, 0, "deployed while the tenant is out of funds")
			} else {
				k.startBilling(ctx, &a, &l)
				err = k.setState(ctx, &l, types.LEASE_STATE_ACTIVE, 0, info)
			}
		default:
			err = k.closeLease(ctx, &a, &l, types.ReasonDeployFailed, info)
		}
		if err != nil {
			return err
		}
		return k.saveAccount(ctx, a)
	})
}

// UpdateDeployment replaces the deployment of an ACTIVE lease; the node redeploys it.
func (k Keeper) UpdateDeployment(ctx context.Context, tenant string, leaseID uint64, deployment types.Deployment) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	if err := types.ValidateDeployment(deployment.Hash, deployment.Data, params.MaxDeploymentData); err != nil {
		return err
	}
	l, err := k.GetLease(ctx, leaseID)
	if err != nil {
		return err
	}
	if l.Tenant != tenant {
		return errorsmod.Wrapf(types.ErrNotTenant, "lease %d belongs to %s", l.Id, l.Tenant)
	}
	if l.State != types.LEASE_STATE_ACTIVE {
		return errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s, not active", l.Id, l.State)
	}
	l.Deployment = deployment
	if err := k.leases.Set(ctx, l.Id, l); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventDeploymentUpdated{LeaseId: l.Id, NodeId: l.NodeId, Hash: l.Deployment.Hash})
}
