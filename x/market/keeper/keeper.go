// Package keeper implements x/market's state machine: tenant escrow accounts that settle
// lazily, leases and their life cycle, provider claims, and the end-blocker that works through
// time-ordered queues a bounded number of entries per block.
//
// Each operation is one exported keeper method named after it (Deposit, Withdraw, Book,
// ReportDeployment, UpdateDeployment, ClaimLease, ClaimProvider, CancelLease, CloseLease,
// GovCloseLease, UpdateParams). It runs its stateless checks first, then settles and checks on
// a cached copy of the store, and writes nothing (no state, no coin, no event) unless the whole
// operation succeeds, so another module can call it safely. The message server
// (msg_server_*.go) and the query server (grpc_query.go) are thin layers over it.
//
// Every live set and every queue is an index of the Leases or Accounts map
// (modkit.PartialIndex), kept by the IndexedMap on each write, so an entry can never be stale.
package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// AccountKey is (tenant, denom).
type AccountKey = collections.Pair[string, string]

// AccountIndexes are the two account queues: billed accounts by the second their funds run out,
// and paused accounts by the end of their grace period.
type AccountIndexes struct {
	Funds *modkit.PartialIndex[int64, AccountKey, types.Account]
	Grace *modkit.PartialIndex[int64, AccountKey, types.Account]
}

// IndexesList implements collections.Indexes; the old account is read once per write for both
// queues (modkit.OneRead).
func (i AccountIndexes) IndexesList() []collections.Index[AccountKey, types.Account] {
	return modkit.OneRead[AccountKey, types.Account](i.Funds, i.Grace)
}

// LeaseIndexes index leases by tenant, provider and node in every state (for queries); the live
// leases by account, provider and node (so per-account, per-provider and per-node work never
// visits closed history); and the three lease queues: PENDING leases by deploy deadline,
// CLOSING leases by the end of their notice, CLOSED leases by the time they closed (pruning).
type LeaseIndexes struct {
	Tenant   *modkit.PartialIndex[string, uint64, types.Lease]
	Provider *modkit.PartialIndex[string, uint64, types.Lease]
	Node     *modkit.PartialIndex[uint64, uint64, types.Lease]

	LiveByAccount  *modkit.PartialIndex[AccountKey, uint64, types.Lease]
	LiveByProvider *modkit.PartialIndex[string, uint64, types.Lease]
	LiveByNode     *modkit.PartialIndex[uint64, uint64, types.Lease]

	Deploy *modkit.PartialIndex[int64, uint64, types.Lease]
	Notice *modkit.PartialIndex[int64, uint64, types.Lease]
	Closed *modkit.PartialIndex[int64, uint64, types.Lease]

	// Earnings is the per-(provider, denom) aggregate of the live leases' unclaimed and billing
	// sums, from which ProviderEarnings reads a provider's unclaimed earnings in O(1).
	Earnings *EarningsIndex
}

// IndexesList implements collections.Indexes; the old lease is read and decoded once per write
// for all ten indexes (modkit.OneRead), not once per index.
func (i LeaseIndexes) IndexesList() []collections.Index[uint64, types.Lease] {
	return modkit.OneRead[uint64, types.Lease](
		i.Tenant, i.Provider, i.Node, i.LiveByAccount, i.LiveByProvider, i.LiveByNode, i.Deploy, i.Notice, i.Closed,
		i.Earnings,
	)
}

// The ref functions: each says under which key an object belongs in an index, and whether it
// belongs at all. They are pure functions of the object.
func fundsRef(_ AccountKey, a types.Account) (int64, bool) { return a.FundedUntil, a.FundedUntil != 0 }
func graceRef(_ AccountKey, a types.Account) (int64, bool) { return a.GraceUntil, a.GraceUntil != 0 }
func liveAccountRef(_ uint64, l types.Lease) (AccountKey, bool) {
	return collections.Join(l.Tenant, l.Denom), types.IsLive(l.State)
}
func liveProviderRef(_ uint64, l types.Lease) (string, bool) {
	return l.Provider, types.IsLive(l.State)
}
func liveNodeRef(_ uint64, l types.Lease) (uint64, bool) { return l.NodeId, types.IsLive(l.State) }
func deployRef(_ uint64, l types.Lease) (int64, bool) {
	return l.DeployDeadline, l.State == types.LEASE_STATE_PENDING
}
func noticeRef(_ uint64, l types.Lease) (int64, bool) {
	return l.ClosingAt, l.State == types.LEASE_STATE_CLOSING
}
func closedRef(_ uint64, l types.Lease) (int64, bool) {
	return l.ClosedAt, l.State == types.LEASE_STATE_CLOSED
}

// Keeper owns x/market's store. It is safe to copy; all copies share the store.
type Keeper struct {
	cdc       codec.BinaryCodec
	authority string
	provider  types.ProviderKeeper
	bank      types.BankKeeper
	distr     types.DistributionKeeper
	escrow    sdk.AccAddress

	schema      collections.Schema
	params      collections.Item[types.Params]
	accounts    *collections.IndexedMap[AccountKey, types.Account, AccountIndexes]
	leases      *collections.IndexedMap[uint64, types.Lease, LeaseIndexes]
	totals      collections.Map[string, types.Totals]
	nextLeaseID collections.Sequence
}

// NewKeeper builds the keeper. authority is the address allowed to change the parameters and
// close leases by governance (the governance module account); it panics if that is not a valid
// address, which is a wiring error.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, authority string,
	provider types.ProviderKeeper, bank types.BankKeeper, distr types.DistributionKeeper,
) Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("x/market: invalid authority %q: %v", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	accountKey := collections.PairKeyCodec(collections.StringKey, collections.StringKey)
	k := Keeper{
		cdc: cdc, authority: authority, provider: provider, bank: bank, distr: distr,
		escrow: authtypes.NewModuleAddress(types.ModuleName),
		params: collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		accounts: collections.NewIndexedMap(sb, types.AccountsKey, "accounts", accountKey, codec.CollValue[types.Account](cdc), AccountIndexes{
			Funds: modkit.NewPartialIndex(sb, types.FundsQueueKey, "funds_queue", collections.Int64Key, accountKey, fundsRef),
			Grace: modkit.NewPartialIndex(sb, types.GraceQueueKey, "grace_queue", collections.Int64Key, accountKey, graceRef),
		}),
		leases: collections.NewIndexedMap(sb, types.LeasesKey, "leases", collections.Uint64Key, codec.CollValue[types.Lease](cdc), LeaseIndexes{
			Tenant: modkit.NewIndex(sb, types.LeasesByTenantKey, "leases_by_tenant", collections.StringKey, collections.Uint64Key,
				func(_ uint64, l types.Lease) string { return l.Tenant }),
			Provider: modkit.NewIndex(sb, types.LeasesByProvKey, "leases_by_provider", collections.StringKey, collections.Uint64Key,
				func(_ uint64, l types.Lease) string { return l.Provider }),
			Node: modkit.NewIndex(sb, types.LeasesByNodeKey, "leases_by_node", collections.Uint64Key, collections.Uint64Key,
				func(_ uint64, l types.Lease) uint64 { return l.NodeId }),
			LiveByAccount:  modkit.NewPartialIndex(sb, types.LiveByAccountKey, "live_by_account", accountKey, collections.Uint64Key, liveAccountRef),
			LiveByProvider: modkit.NewPartialIndex(sb, types.LiveByProviderKey, "live_by_provider", collections.StringKey, collections.Uint64Key, liveProviderRef),
			LiveByNode:     modkit.NewPartialIndex(sb, types.LiveByNodeKey, "live_by_node", collections.Uint64Key, collections.Uint64Key, liveNodeRef),
			Deploy:         modkit.NewPartialIndex(sb, types.DeployQueueKey, "deploy_queue", collections.Int64Key, collections.Uint64Key, deployRef),
			Notice:         modkit.NewPartialIndex(sb, types.NoticeQueueKey, "notice_queue", collections.Int64Key, collections.Uint64Key, noticeRef),
			Closed:         modkit.NewPartialIndex(sb, types.ClosedQueueKey, "closed_queue", collections.Int64Key, collections.Uint64Key, closedRef),
			Earnings:       NewEarningsIndex(sb, cdc),
		}),
		totals:      collections.NewMap(sb, types.TotalsKey, "totals", collections.StringKey, codec.CollValue[types.Totals](cdc)),
		nextLeaseID: collections.NewSequence(sb, types.NextLeaseIDKey, "next_lease_id"),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Sprintf("x/market: building the store schema: %v", err))
	}
	k.schema = schema
	return k
}

// Authority returns the address allowed to change parameters.
func (k Keeper) Authority() string { return k.authority }

// EscrowAddress is the module account that holds every tenant's escrow.
func (k Keeper) EscrowAddress() sdk.AccAddress { return k.escrow }

// GetParams returns the parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) { return k.params.Get(ctx) }

// atomic runs an operation on a cached copy of the store and writes it, with its events, only
// if the operation succeeds: a refused operation changes nothing, even when settling the tenant
// (which may pause or close leases) came before the check that refused it.
func atomic(ctx context.Context, op func(ctx context.Context) error) error {
	cc, write := sdk.UnwrapSDKContext(ctx).CacheContext()
	if err := op(cc); err != nil {
		return err
	}
	write()
	return nil
}
