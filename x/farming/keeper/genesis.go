package keeper

import (
	"context"
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
// account holds exactly the pool balances plus the carried reward, the award queue holds exactly
// the signage points not awarded, and the leaving queue exactly the leaving contracts.
func (k Keeper) CheckInvariants(ctx context.Context) error {
	gs, err := k.ExportGenesis(ctx)
	if err != nil {
		return err
	}
	if err := gs.Validate(); err != nil {
		return err
	}
	held := gs.State.Carried
	leaving := 0
	for _, c := range gs.PoolContracts {
		held = held.Add(c.Balance)
		if c.State == types.POOL_STATE_LEAVING_POOL {
			leaving++
		}
	}
	if bal := k.bank.GetBalance(ctx, k.moduleAddr, gs.Params.RewardDenom).Amount; !bal.Equal(held) {
		return fmt.Errorf("farming module account holds %s%s, pool balances + carried = %s", bal, gs.Params.RewardDenom, held)
	}
	unawarded := 0
	for _, sp := range gs.SignagePoints {
		if !sp.Awarded {
			unawarded++
		}
	}
	awardQ, err := k.sps.Indexes.Award.All(ctx)
	if err != nil {
		return err
	}
	leavingQ, err := k.pools.Indexes.Leaving.All(ctx)
	if err != nil {
		return err
	}
	if len(awardQ) != unawarded || len(leavingQ) != leaving {
		return fmt.Errorf("queues: award %d vs %d unawarded, leaving %d vs %d", len(awardQ), unawarded, len(leavingQ), leaving)
	}
	return nil
}
