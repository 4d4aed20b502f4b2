package keeper

import (
	"context"

	"github.com/guild-network/guild/x/market/types"
)

// InitGenesis loads the state. Every live set and queue is an index of the accounts and leases,
// so storing them rebuilds the indexes; nothing derived is imported.
func (k Keeper) InitGenesis(ctx context.Context, g types.GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if err := k.params.Set(ctx, g.Params); err != nil {
		return err
	}
	for _, a := range g.Accounts {
		if err := k.accounts.Set(ctx, accountKey(a.Tenant, a.Denom), a); err != nil {
			return err
		}
	}
	for _, l := range g.Leases {
		if err := k.leases.Set(ctx, l.Id, l); err != nil {
			return err
		}
	}
	for _, t := range g.Totals {
		if err := k.totals.Set(ctx, t.Denom, t); err != nil {
			return err
		}
	}
	return k.nextLeaseID.Set(ctx, g.NextLeaseId)
}

// ExportGenesis writes the state out; indexes and queues are derived and not exported.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	g := &types.GenesisState{Params: params}
	ait, err := k.accounts.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.Accounts, err = ait.Values(); err != nil {
		return nil, err
	}
	lit, err := k.leases.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.Leases, err = lit.Values(); err != nil {
		return nil, err
	}
	tit, err := k.totals.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.Totals, err = tit.Values(); err != nil {
		return nil, err
	}
	if g.NextLeaseId, err = k.nextLeaseID.Peek(ctx); err != nil {
		return nil, err
	}
	return g, nil
}
