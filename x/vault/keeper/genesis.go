package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/guild-network/guild/x/vault/types"
)

// InitGenesis writes a validated genesis state; the indexes and queues follow the objects.
func (k Keeper) InitGenesis(ctx context.Context, g *types.GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if err := k.params.Set(ctx, g.Params); err != nil {
		return err
	}
	for _, v := range g.Vaults {
		if err := k.vaults.Set(ctx, v.Id, v); err != nil {
			return err
		}
	}
	for _, p := range g.Positions {
		if err := k.positions.Set(ctx, p.Id, p); err != nil {
			return err
		}
	}
	for _, p := range g.Pledges {
		if err := k.pledges.Set(ctx, collections.Join(p.VaultId, p.NodeId), p); err != nil {
			return err
		}
	}
	for _, p := range g.Proposals {
		if err := k.proposals.Set(ctx, p.Id, p); err != nil {
			return err
		}
	}
	for _, v := range g.Votes {
		if err := k.votes.Set(ctx, collections.Join(v.ProposalId, v.PositionId), v); err != nil {
			return err
		}
	}
	for _, s := range g.VoteSnapshots {
		if err := k.snapshots.Set(ctx, collections.Join(s.ProposalId, s.PositionId), s); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		seq  collections.Sequence
		next uint64
	}{{k.nextVaultID, g.NextVaultId}, {k.nextPositionID, g.NextPositionId}, {k.nextProposalID, g.NextProposalId}} {
		if err := s.seq.Set(ctx, s.next); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis reads the whole state.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	g := &types.GenesisState{Params: params}
	if g.Vaults, err = values(ctx, k.vaults.Iterate); err != nil {
		return nil, err
	}
	if g.Positions, err = values(ctx, k.positions.Iterate); err != nil {
		return nil, err
	}
	pit, err := k.pledges.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.Pledges, err = pit.Values(); err != nil {
		return nil, err
	}
	if g.Proposals, err = values(ctx, k.proposals.Iterate); err != nil {
		return nil, err
	}
	vit, err := k.votes.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.Votes, err = vit.Values(); err != nil {
		return nil, err
	}
	sit, err := k.snapshots.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if g.VoteSnapshots, err = sit.Values(); err != nil {
		return nil, err
	}
	if g.NextVaultId, err = k.nextVaultID.Peek(ctx); err != nil {
		return nil, err
	}
	if g.NextPositionId, err = k.nextPositionID.Peek(ctx); err != nil {
		return nil, err
	}
	if g.NextProposalId, err = k.nextProposalID.Peek(ctx); err != nil {
		return nil, err
	}
	for _, n := range []*uint64{&g.NextVaultId, &g.NextPositionId, &g.NextProposalId} {
		if *n == 0 {
			*n = 1
		}
	}
	return g, nil
}

func values[V any](ctx context.Context, iterate func(context.Context, collections.Ranger[uint64]) (collections.Iterator[uint64, V], error)) ([]V, error) {
	it, err := iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return it.Values()
}
