package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/guild-network/guild/x/market/types"
)

// InitGenesis loads the state and rebuilds every derived index and queue from it.
func (k Keeper) InitGenesis(ctx context.Context, g types.GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, g.Params); err != nil {
		return err
	}
	for _, a := range g.Accounts {
		if err := k.Accounts.Set(ctx, accountKey(a.Tenant, a.Denom), a); err != nil {
			return err
		}
		if a.FundedUntil != 0 {
			if err := k.FundsQueue.Set(ctx, collections.Join3(a.FundedUntil, a.Tenant, a.Denom)); err != nil {
				return err
			}
		}
		if a.GraceUntil != 0 {
			if err := k.GraceQueue.Set(ctx, collections.Join3(a.GraceUntil, a.Tenant, a.Denom)); err != nil {
				return err
			}
		}
	}
	for _, l := range g.Leases {
		if err := k.Leases.Set(ctx, l.Id, l); err != nil {
			return err
		}
		if !types.IsLive(l.State) {
			continue
		}
		if err := k.LiveByAccount.Set(ctx, collections.Join3(l.Tenant, l.Denom, l.Id)); err != nil {
			return err
		}
		if err := k.LiveByProvider.Set(ctx, collections.Join(l.Provider, l.Id)); err != nil {
			return err
		}
		if err := k.LiveByNode.Set(ctx, collections.Join(l.NodeId, l.Id)); err != nil {
			return err
		}
		switch l.State {
		case types.LEASE_STATE_PENDING:
			err := k.DeployQueue.Set(ctx, collections.Join(l.DeployDeadline, l.Id))
			if err != nil {
				return err
			}
		case types.LEASE_STATE_CLOSING:
			if err := k.NoticeQueue.Set(ctx, collections.Join(l.ClosingAt, l.Id)); err != nil {
				return err
			}
		}
	}
	for _, t := range g.Totals {
		if err := k.Totals.Set(ctx, t.Denom, t); err != nil {
			return err
		}
	}
	return k.NextLeaseID.Set(ctx, g.NextLeaseId)
}

// ExportGenesis writes the state out; queues and indexes are derived and not exported.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	g := &types.GenesisState{Params: params}
	ait, err := k.Accounts.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.Accounts, err = ait.Values(); err != nil {
		return nil, err
	}
	lit, err := k.Leases.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.Leases, err = lit.Values(); err != nil {
		return nil, err
	}
	tit, err := k.Totals.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.Totals, err = tit.Values(); err != nil {
		return nil, err
	}
	if g.NextLeaseId, err = k.NextLeaseID.Peek(ctx); err != nil {
		return nil, err
	}
	return g, nil
}
