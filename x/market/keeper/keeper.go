// Package keeper implements x/market's state machine: tenant escrow accounts that settle
// lazily, leases and their life cycle, provider claims, and the end-blocker that works through
// time-ordered queues a bounded number of entries per block.
package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/x/market/types"
)

// LeaseIndexes index leases by tenant, provider and node, in every state.
type LeaseIndexes struct {
	Tenant   *indexes.Multi[string, uint64, types.Lease]
	Provider *indexes.Multi[string, uint64, types.Lease]
	Node     *indexes.Multi[uint64, uint64, types.Lease]
}

// IndexesList implements collections.Indexes.
func (i LeaseIndexes) IndexesList() []collections.Index[uint64, types.Lease] {
	return []collections.Index[uint64, types.Lease]{i.Tenant, i.Provider, i.Node}
}

// Keeper holds x/market's state.
type Keeper struct {
	cdc       codec.BinaryCodec
	authority string
	provider  types.ProviderKeeper
	bank      types.BankKeeper
	distr     types.DistributionKeeper
	escrow    sdk.AccAddress

	Schema   collections.Schema
	Params   collections.Item[types.Params]
	Accounts collections.Map[collections.Pair[string, string], types.Account]
	Leases   *collections.IndexedMap[uint64, types.Lease, LeaseIndexes]
	// LiveByAccount, LiveByProvider and LiveByNode hold only live leases, so that per-account,
	// per-provider and per-node work never visits closed history.
	LiveByAccount  collections.KeySet[collections.Triple[string, string, uint64]]
	LiveByProvider collections.KeySet[collections.Pair[string, uint64]]
	LiveByNode     collections.KeySet[collections.Pair[uint64, uint64]]
	// Time-ordered queues the end-blocker pops.
	FundsQueue  collections.KeySet[collections.Triple[int64, string, string]]
	GraceQueue  collections.KeySet[collections.Triple[int64, string, string]]
	DeployQueue collections.KeySet[collections.Pair[int64, uint64]]
	NoticeQueue collections.KeySet[collections.Pair[int64, uint64]]
	Totals      collections.Map[string, types.Totals]
	NextLeaseID collections.Sequence
}

// NewKeeper builds the keeper. authority is the governance module account.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, authority string,
	provider types.ProviderKeeper, bank types.BankKeeper, distr types.DistributionKeeper,
) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc: cdc, authority: authority, provider: provider, bank: bank, distr: distr,
		escrow:   authtypes.NewModuleAddress(types.ModuleName),
		Params:   collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Accounts: collections.NewMap(sb, types.AccountsKey, "accounts", collections.PairKeyCodec(collections.StringKey, collections.StringKey), codec.CollValue[types.Account](cdc)),
		Leases: collections.NewIndexedMap(sb, types.LeasesKey, "leases", collections.Uint64Key, codec.CollValue[types.Lease](cdc), LeaseIndexes{
			Tenant: indexes.NewMulti(sb, types.LeasesByTenantKey, "leases_by_tenant", collections.StringKey, collections.Uint64Key,
				func(_ uint64, l types.Lease) (string, error) { return l.Tenant, nil }),
			Provider: indexes.NewMulti(sb, types.LeasesByProvKey, "leases_by_provider", collections.StringKey, collections.Uint64Key,
				func(_ uint64, l types.Lease) (string, error) { return l.Provider, nil }),
			Node: indexes.NewMulti(sb, types.LeasesByNodeKey, "leases_by_node", collections.Uint64Key, collections.Uint64Key,
				func(_ uint64, l types.Lease) (uint64, error) { return l.NodeId, nil }),
		}),
		LiveByAccount:  collections.NewKeySet(sb, types.LiveByAccountKey, "live_by_account", collections.TripleKeyCodec(collections.StringKey, collections.StringKey, collections.Uint64Key)),
		LiveByProvider: collections.NewKeySet(sb, types.LiveByProviderKey, "live_by_provider", collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
		LiveByNode:     collections.NewKeySet(sb, types.LiveByNodeKey, "live_by_node", collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key)),
		FundsQueue:     collections.NewKeySet(sb, types.FundsQueueKey, "funds_queue", collections.TripleKeyCodec(collections.Int64Key, collections.StringKey, collections.StringKey)),
		GraceQueue:     collections.NewKeySet(sb, types.GraceQueueKey, "grace_queue", collections.TripleKeyCodec(collections.Int64Key, collections.StringKey, collections.StringKey)),
		DeployQueue:    collections.NewKeySet(sb, types.DeployQueueKey, "deploy_queue", collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		NoticeQueue:    collections.NewKeySet(sb, types.NoticeQueueKey, "notice_queue", collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		Totals:         collections.NewMap(sb, types.TotalsKey, "totals", collections.StringKey, codec.CollValue[types.Totals](cdc)),
		NextLeaseID:    collections.NewSequence(sb, types.NextLeaseIDKey, "next_lease_id"),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err) // static schema; a failure is a programming error
	}
	k.Schema = schema
	return k
}

// Authority returns the address allowed to change parameters.
func (k Keeper) Authority() string { return k.authority }

// EscrowAddress is the module account that holds every tenant's escrow.
func (k Keeper) EscrowAddress() sdk.AccAddress { return k.escrow }

func now(ctx context.Context) int64 { return sdk.UnwrapSDKContext(ctx).BlockTime().Unix() }

func emit(ctx context.Context, events ...proto.Message) error {
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvents(events...)
}
