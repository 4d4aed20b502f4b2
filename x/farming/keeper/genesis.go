package keeper

import (
	"context"
	"errors"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/farming/types"
)

// InitGenesis validates gs and writes it to the store, indexes, queues and sequence included.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.state.Set(ctx, gs.State); err != nil {
		return err
	}
	for _, sp := range gs.SignagePoints {
		if err := k.sps.Set(ctx, sp.Height, sp); err != nil {
			return errorsmod.Wrapf(err, "signage point %d", sp.Height)
		}
	}
	for _, c := range gs.PoolContracts {
		if err := k.pools.Set(ctx, c.Id, c); err != nil {
			return errorsmod.Wrapf(err, "pool contract %d", c.Id)
		}
	}
	return k.nextPoolID.Set(ctx, gs.NextPoolContractId)
}

// ExportGenesis reads the whole state: signage points by height, pool contracts by id.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	st, err := k.state.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params, State: st}
	if err := k.sps.Walk(ctx, nil, func(_ int64, sp types.SignagePoint) (bool, error) {
		gs.SignagePoints = append(gs.SignagePoints, sp)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.pools.Walk(ctx, nil, func(_ uint64, c types.PoolContract) (bool, error) {
		gs.PoolContracts = append(gs.PoolContracts, c)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.NextPoolContractId, err = k.nextPoolID.Peek(ctx); err != nil {
		return nil, err
	}
	gs.NextPoolContractId = max(gs.NextPoolContractId, 1)
	return gs, nil
}

// CheckInvariants checks the module's invariants, for tests after every step of a scenario:
// the exported state validates (difficulty within bounds; minted = paid to farmers + pool
// contract balances + absorbed + carried; at most one winner per signage point), the module
// account holds exactly the pool balances plus the carried reward, and every index and queue
// (award and prune queues of signage points; pool contracts by owner, by target, and the
// leaving queue) holds exactly the entries its objects derive, checked in both directions.
func (k Keeper) CheckInvariants(ctx context.Context) error {
	gs, err := k.ExportGenesis(ctx)
	if err != nil {
		return err
	}
	if err := gs.Validate(); err != nil {
		return err
	}
	held := gs.State.Carried
	for _, c := range gs.PoolContracts {
		held = held.Add(c.Balance)
	}
	if bal := k.bank.GetBalance(ctx, k.moduleAddr, gs.Params.RewardDenom).Amount; !bal.Equal(held) {
		return fmt.Errorf("farming module account holds %s%s, pool balances + carried = %s", bal, gs.Params.RewardDenom, held)
	}
	// Every index and queue holds exactly the entries its objects derive, both ways.
	eachSP := func(fn func(int64, types.SignagePoint) error) error {
		for _, sp := range gs.SignagePoints {
			if err := fn(sp.Height, sp); err != nil {
				return err
			}
		}
		return nil
	}
	eachPool := func(fn func(uint64, types.PoolContract) error) error {
		for _, c := range gs.PoolContracts {
			if err := fn(c.Id, c); err != nil {
				return err
			}
		}
		return nil
	}
	si, pi := k.sps.Indexes, k.pools.Indexes
	return errors.Join(si.Award.Verify(ctx, eachSP), si.Prune.Verify(ctx, eachSP),
		pi.Owner.Verify(ctx, eachPool), pi.Target.Verify(ctx, eachPool), pi.Leaving.Verify(ctx, eachPool))
}
