package keeper

import (
	"context"
	"slices"

	"cosmossdk.io/collections"

	"github.com/guild-network/guild/x/credit/types"
)

// InitGenesis writes a validated genesis state.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.params.Set(ctx, gs.Params); err != nil {
		return err
	}
	denoms := make([]string, 0, len(gs.Pools))
	for _, p := range gs.Pools {
		if err := k.pools.Set(ctx, p.Denom, p); err != nil {
			return err
		}
		denoms = append(denoms, p.Denom)
	}
	slices.Sort(denoms)
	if err := k.poolDenoms.Set(ctx, types.PoolDenoms{Denoms: denoms}); err != nil {
		return err
	}
	for _, a := range gs.Agents {
		if err := k.agents.Set(ctx, a.Id, a); err != nil {
			return err
		}
	}
	for _, l := range gs.Loans {
		if err := k.loans.Set(ctx, collections.Join(l.AgentId, l.Denom), l); err != nil {
			return err
		}
	}
	for _, u := range gs.UsedCredentials {
		if err := k.used.Set(ctx, u.Hash, u); err != nil {
			return err
		}
	}
	return k.nextAgentID.Set(ctx, gs.NextAgentId)
}

// ExportGenesis reads the whole module state.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if gs.Pools, err = values(ctx, k.pools); err != nil {
		return nil, err
	}
	it, err := k.agents.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if gs.Agents, err = it.Values(); err != nil {
		return nil, err
	}
	if gs.Loans, err = values(ctx, k.loans); err != nil {
		return nil, err
	}
	uit, err := k.used.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if gs.UsedCredentials, err = uit.Values(); err != nil {
		return nil, err
	}
	next, err := k.nextAgentID.Peek(ctx)
	if err != nil {
		return nil, err
	}
	if next == 0 {
		next = 1
	}
	gs.NextAgentId = next
	return gs, nil
}

func values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	it, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return it.Values()
}
