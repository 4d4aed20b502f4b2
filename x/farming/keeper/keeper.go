// Package keeper holds x/farming's state and operations: signage points recorded at the start of
// each block, proof submissions that keep only the best proof per signage point, the award of
// each signage point when its window closes (a height queue walked with a per-block limit), the
// per-epoch difficulty adjustment from counters, and pool contracts with their join, leave and
// absorb operations. Every operation checks everything before its first write and emits one typed
// event per change of state, so other modules (a vault owning a pool contract) may call the
// exported methods directly. The message and query servers are thin layers over it.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/x/farming/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

// BankKeeper is what the keeper needs from x/bank: minting, paying out of the module account,
// the blocked-address check (a payout to a blocked address would fail in BeginBlock) and the
// module account's balance for the invariant.
type BankKeeper interface {
	types.BankKeeper
	types.BankViewKeeper
	BlockedAddr(addr sdk.AccAddress) bool
}

// Keeper owns the x/farming store. It is safe to copy; all copies share the store.
type Keeper struct {
	authority  string
	bank       BankKeeper
	moduleAddr sdk.AccAddress

	schema     collections.Schema
	params     collections.Item[types.Params]
	state      collections.Item[types.FarmingState]
	sps        *collections.IndexedMap[int64, types.SignagePoint, SPIndexes]
	pools      *collections.IndexedMap[uint64, types.PoolContract, PoolIndexes]
	nextPoolID collections.Sequence
	// lastBlockHash is the hash of the block being finalized, kept for the next block: the
	// SDK's header omits last_block_id, so the signage point of block h is recorded from it
	// when block h+1 begins.
	lastBlockHash collections.Item[[]byte]
}

// SPIndexes are the two height queues of signage points: awards (while not awarded, by close
// height) and pruning (by prune height).
type SPIndexes struct {
	Award *modkit.PartialIndex[int64, int64, types.SignagePoint]
	Prune *modkit.PartialIndex[int64, int64, types.SignagePoint]
}

// IndexesList implements collections.Indexes: one read of the old signage point for both.
func (i SPIndexes) IndexesList() []collections.Index[int64, types.SignagePoint] {
	return modkit.OneRead[int64, types.SignagePoint](i.Award, i.Prune)
}

// PoolIndexes index pool contracts by owner and by target, and queue the leaving ones by the
// height their lock ends. The owner never changes and the target only on join and leave, so
// the frequent writes (an award's reward, an absorb) leave every entry alone.
type PoolIndexes struct {
	Owner   *modkit.PartialIndex[string, uint64, types.PoolContract]
	Target  *modkit.PartialIndex[string, uint64, types.PoolContract]
	Leaving *modkit.PartialIndex[int64, uint64, types.PoolContract]
}

// IndexesList implements collections.Indexes: one read of the old contract for the three.
func (i PoolIndexes) IndexesList() []collections.Index[uint64, types.PoolContract] {
	return modkit.OneRead[uint64, types.PoolContract](i.Owner, i.Target, i.Leaving)
}

// NewKeeper builds the keeper. authority is the address allowed to change the parameters (the
// governance module account); it panics if that is not a valid address, which is a wiring error.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, authority string, bank BankKeeper) Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("x/farming: invalid authority %q: %v", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		authority:  authority,
		bank:       bank,
		moduleAddr: authtypes.NewModuleAddress(types.ModuleName),
		params:     collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		state:      collections.NewItem(sb, types.StateKey, "state", codec.CollValue[types.FarmingState](cdc)),
		sps: collections.NewIndexedMap(sb, types.SignagePointsPrefix, "signage_points",
			collections.Int64Key, codec.CollValue[types.SignagePoint](cdc),
			SPIndexes{
				Award: modkit.NewPartialIndex(sb, types.SPAwardQueuePrefix, "sp_award_queue",
					collections.Int64Key, collections.Int64Key,
					func(_ int64, sp types.SignagePoint) (int64, bool) { return sp.CloseHeight, !sp.Awarded }),
				Prune: modkit.NewPartialIndex(sb, types.SPPruneQueuePrefix, "sp_prune_queue",
					collections.Int64Key, collections.Int64Key,
					func(_ int64, sp types.SignagePoint) (int64, bool) { return sp.PruneHeight, true }),
			}),
		pools: collections.NewIndexedMap(sb, types.PoolContractsPrefix, "pool_contracts",
			collections.Uint64Key, codec.CollValue[types.PoolContract](cdc),
			PoolIndexes{
				Owner: modkit.NewIndex(sb, types.PoolContractsByOwnerPrefix, "pool_contracts_by_owner",
					collections.StringKey, collections.Uint64Key,
					func(_ uint64, c types.PoolContract) string { return c.Owner }),
				Target: modkit.NewIndex(sb, types.PoolContractsByTargetPrefix, "pool_contracts_by_target",
					collections.StringKey, collections.Uint64Key,
					func(_ uint64, c types.PoolContract) string { return c.Target }),
				Leaving: modkit.NewPartialIndex(sb, types.LeavingQueuePrefix, "leaving_queue",
					collections.Int64Key, collections.Uint64Key,
					func(_ uint64, c types.PoolContract) (int64, bool) {
						return c.LeavingUntil, c.State == types.POOL_STATE_LEAVING_POOL
					}),
			}),
		nextPoolID:    collections.NewSequence(sb, types.NextPoolContractIDKey, "next_pool_contract_id"),
		lastBlockHash: collections.NewItem(sb, types.LastBlockHashKey, "last_block_hash", collections.BytesValue),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Sprintf("x/farming: building the store schema: %v", err))
	}
	k.schema = schema
	return k
}

// Authority is the address allowed to change the parameters.
func (k Keeper) Authority() string { return k.authority }

// ModuleAddress is the farming module account: it mints rewards and holds the pool contracts'
// balances and the carried reward.
func (k Keeper) ModuleAddress() sdk.AccAddress { return k.moduleAddr }

// GetParams returns the parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.params.Get(ctx)
}

// GetState returns the difficulty, epoch counters and totals.
func (k Keeper) GetState(ctx context.Context) (types.FarmingState, error) {
	return k.state.Get(ctx)
}

// GetSignagePoint returns the signage point at a height.
func (k Keeper) GetSignagePoint(ctx context.Context, height int64) (types.SignagePoint, error) {
	sp, err := k.sps.Get(ctx, height)
	if errors.Is(err, collections.ErrNotFound) {
		return sp, errorsmod.Wrapf(types.ErrSignagePointNotFound, "height %d", height)
	}
	return sp, err
}

// GetPoolContract returns a pool contract.
func (k Keeper) GetPoolContract(ctx context.Context, id uint64) (types.PoolContract, error) {
	c, err := k.pools.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return c, errorsmod.Wrapf(types.ErrPoolContractNotFound, "id %d", id)
	}
	return c, err
}

// UpdateParams replaces the parameters; only the governance authority may. The reward denom
// cannot change once anything was minted (the module account's balances are in it); the
// difficulty is clamped into new bounds; signage points already recorded keep their window.
func (k Keeper) UpdateParams(ctx context.Context, authority string, params types.Params) error {
	if err := modkit.CheckAuthority(k.authority, authority, types.ErrInvalidAuthority); err != nil {
		return err
	}
	if err := params.Validate(); err != nil {
		return err
	}
	old, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	st, err := k.state.Get(ctx)
	if err != nil {
		return err
	}
	if params.RewardDenom != old.RewardDenom && !st.Minted.IsZero() {
		return errorsmod.Wrapf(types.ErrInvalidParams, "reward_denom cannot change from %s after rewards were minted", old.RewardDenom)
	}
	if err := k.params.Set(ctx, params); err != nil {
		return err
	}
	if d := min(max(st.Difficulty, params.MinDifficulty), params.MaxDifficulty); d != st.Difficulty {
		prev := st.Difficulty
		st.Difficulty = d
		if err := k.state.Set(ctx, st); err != nil {
			return err
		}
		if err := modkit.Emit(ctx, &types.EventDifficultyChanged{Epoch: st.Epoch, Previous: prev, Difficulty: d}); err != nil {
			return err
		}
	}
	return modkit.Emit(ctx, &types.EventParamsUpdated{Params: &params})
}
