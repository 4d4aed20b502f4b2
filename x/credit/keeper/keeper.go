// Package keeper holds x/credit's state and the operations on it: the lending pools (deposits,
// redemptions, the borrow index), the agents and the providers they hold as collateral, the
// credentials they burn, their loans (borrow, pay, withdraw), and their standing (administration,
// recovery, default and its liquidation waterfall). Every operation checks everything before it
// writes anything, so a failed call changes nothing, and emits a typed event for every change of
// state. The message server (msg_server_*.go) and the query server (query.go) are thin layers
// over it.
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

	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

// Keeper owns the x/credit store. It is safe to copy; all copies share the store.
type Keeper struct {
	authority  string
	bank       types.BankKeeper
	distr      types.DistributionKeeper
	provider   types.ProviderKeeper
	market     types.MarketKeeper
	moduleAddr sdk.AccAddress

	schema      collections.Schema
	params      collections.Item[types.Params]
	pools       collections.Map[string, types.Pool]
	poolDenoms  collections.Item[types.PoolDenoms] // the pools' denoms, sorted: read by key
	agents      *collections.IndexedMap[uint64, types.Agent, AgentIndexes]
	loans       collections.Map[collections.Pair[uint64, string], types.Loan]
	used        *collections.IndexedMap[[]byte, types.UsedCredential, UsedIndexes]
	nextAgentID collections.Sequence
}

// AgentIndexes index agents by owner. The owner never changes once an agent exists, so the
// index is a modkit.NewIndex (the store layout of indexes.Multi, but a write that keeps the
// owner writes nothing to it), and the map's indexes read the old agent once per write
// (modkit.OneRead).
type AgentIndexes struct {
	Owner *modkit.PartialIndex[string, uint64, types.Agent]
}

// IndexesList implements collections.Indexes.
func (i AgentIndexes) IndexesList() []collections.Index[uint64, types.Agent] {
	return modkit.OneRead[uint64, types.Agent](i.Owner)
}

// UsedIndexes is the expiry queue of burnt credential hashes, by valid_until_height.
type UsedIndexes struct {
	Expiry *modkit.PartialIndex[int64, []byte, types.UsedCredential]
}

// IndexesList implements collections.Indexes.
func (i UsedIndexes) IndexesList() []collections.Index[[]byte, types.UsedCredential] {
	return modkit.OneRead[[]byte, types.UsedCredential](i.Expiry)
}

// NewKeeper builds the keeper. authority is the address allowed to change the parameters (the
// governance module account); it panics if that is not a valid address, which is a wiring error.
func NewKeeper(
	cdc codec.BinaryCodec, storeService corestore.KVStoreService, authority string,
	bank types.BankKeeper, distr types.DistributionKeeper, provider types.ProviderKeeper, market types.MarketKeeper,
) Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("x/credit: invalid authority %q: %v", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		authority:  authority,
		bank:       bank,
		distr:      distr,
		provider:   provider,
		market:     market,
		moduleAddr: authtypes.NewModuleAddress(types.ModuleName),
		params:     collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		pools: collections.NewMap(sb, types.PoolsPrefix, "pools",
			collections.StringKey, codec.CollValue[types.Pool](cdc)),
		poolDenoms: collections.NewItem(sb, types.PoolDenomsKey, "pool_denoms", codec.CollValue[types.PoolDenoms](cdc)),
		agents: collections.NewIndexedMap(sb, types.AgentsPrefix, "agents",
			collections.Uint64Key, codec.CollValue[types.Agent](cdc),
			AgentIndexes{Owner: modkit.NewIndex(sb, types.AgentsByOwnerPrefix, "agents_by_owner",
				collections.StringKey, collections.Uint64Key,
				func(_ uint64, a types.Agent) string { return a.Owner })}),
		loans: collections.NewMap(sb, types.LoansPrefix, "loans",
			collections.PairKeyCodec(collections.Uint64Key, collections.StringKey), codec.CollValue[types.Loan](cdc)),
		used: collections.NewIndexedMap(sb, types.UsedCredentialsPrefix, "used_credentials",
			collections.BytesKey, codec.CollValue[types.UsedCredential](cdc),
			UsedIndexes{Expiry: modkit.NewPartialIndex(sb, types.CredentialQueuePrefix, "credential_expiry",
				collections.Int64Key, collections.BytesKey,
				func(_ []byte, u types.UsedCredential) (int64, bool) { return u.ValidUntilHeight, true })}),
		nextAgentID: collections.NewSequence(sb, types.NextAgentIDKey, "next_agent_id"),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Sprintf("x/credit: building the store schema: %v", err))
	}
	k.schema = schema
	return k
}

// Authority is the address allowed to change the parameters.
func (k Keeper) Authority() string { return k.authority }

// ModuleAddress is the credit module account: the pools' liquid funds.
func (k Keeper) ModuleAddress() sdk.AccAddress { return k.moduleAddr }

// GetParams returns the parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) { return k.params.Get(ctx) }

// UpdateParams replaces the parameters; only the authority may. Every pool (delisted ones too)
// is accrued at its old rate first and re-rated on the new curve: O(pools), never a loop over
// agents, and each pool read by key from the list of pool denoms — no store iterator, whose
// set-up cost grows with the database (x/credit/README.md, "Benchmarks").
func (k Keeper) UpdateParams(ctx context.Context, signer string, p types.Params) error {
	if err := modkit.CheckAuthority(k.authority, signer, types.ErrInvalidAuthority); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	old, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	denoms, err := k.PoolDenoms(ctx)
	if err != nil {
		return err
	}
	pools := make([]types.Pool, 0, len(denoms))
	for _, d := range denoms {
		pool, err := k.pools.Get(ctx, d)
		if err != nil {
			return errorsmod.Wrapf(err, "pool %s of the pool denoms list", d)
		}
		pools = append(pools, pool)
	}
	if err := k.params.Set(ctx, p); err != nil {
		return err
	}
	for _, pool := range pools {
		accrue(&pool, old, modkit.BlockTime(ctx))
		if err := k.savePool(ctx, p, pool); err != nil {
			return err
		}
	}
	return modkit.Emit(ctx, &types.EventParamsUpdated{})
}

// GetAgent returns an agent, or ErrAgentNotFound.
func (k Keeper) GetAgent(ctx context.Context, id uint64) (types.Agent, error) {
	a, err := k.agents.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Agent{}, errorsmod.Wrapf(types.ErrAgentNotFound, "agent %d", id)
	}
	return a, err
}

// GetPool returns a pool as stored (not accrued), or ErrPoolNotFound.
func (k Keeper) GetPool(ctx context.Context, denom string) (types.Pool, error) {
	p, err := k.pools.Get(ctx, denom)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Pool{}, errorsmod.Wrapf(types.ErrPoolNotFound, "pool %s (no deposit yet, or not a lending denom)", denom)
	}
	return p, err
}
