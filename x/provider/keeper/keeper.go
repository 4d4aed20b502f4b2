// Package keeper holds x/provider's state and the operations on it: providers and their owner,
// beneficiary and operator; nodes with their keys, capacity, bonds and heartbeats; offers; the
// reputation counters; and the methods x/market calls to book and release capacity, record lease
// outcomes and slash bonds. Every operation checks everything before it writes anything, so a
// failed call changes nothing, and emits a typed event for every change of state. The message
// server (msg_server_*.go) and the query server (grpc_query.go) are thin layers over it.
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
	"github.com/guild-network/guild/x/provider/types"
)

// Keeper owns the x/provider store. It is safe to copy; all copies share the store.
type Keeper struct {
	authority string
	bank      types.BankKeeper
	distr     types.DistributionKeeper
	// moduleAddr is the provider module account, which holds the node bonds.
	moduleAddr sdk.AccAddress

	schema      collections.Schema
	params      collections.Item[types.Params]
	providers   collections.Map[string, types.Provider]
	nodes       *collections.IndexedMap[uint64, types.Node, NodeIndexes]
	offers      *collections.IndexedMap[uint64, types.Offer, OfferIndexes]
	nextNodeID  collections.Sequence
	nextOfferID collections.Sequence
}

// NodeIndexes index nodes by provider and, uniquely, by node account. Both keys are fixed for
// a node's life, so a node's writes (heartbeats, status, capacity, bond) leave them alone.
type NodeIndexes struct {
	Provider *modkit.PartialIndex[string, uint64, types.Node]
	Account  *modkit.UniqueIndex[string, uint64, types.Node]
}

// IndexesList implements collections.Indexes: one read of the old node for both indexes.
func (i NodeIndexes) IndexesList() []collections.Index[uint64, types.Node] {
	return modkit.OneRead[uint64, types.Node](i.Provider, i.Account)
}

// OfferIndexes index offers by provider, by node, and the available ones by kind.
type OfferIndexes struct {
	Provider  *modkit.PartialIndex[string, uint64, types.Offer]
	Node      *modkit.PartialIndex[uint64, uint64, types.Offer]
	Available *modkit.PartialIndex[int32, uint64, types.Offer]
}

// IndexesList implements collections.Indexes: one read of the old offer for the three indexes.
func (i OfferIndexes) IndexesList() []collections.Index[uint64, types.Offer] {
	return modkit.OneRead[uint64, types.Offer](i.Provider, i.Node, i.Available)
}

// The ref functions of the node and offer indexes.
func nodeProviderRef(_ uint64, n types.Node) string   { return n.Provider }
func nodeAccountRef(_ uint64, n types.Node) string    { return n.Account }
func offerProviderRef(_ uint64, o types.Offer) string { return o.Provider }
func offerNodeRef(_ uint64, o types.Offer) uint64     { return o.NodeId }

// availableRef places an offer in the available index: keyed by (kind, id) while it takes
// bookings (active, with free units).
func availableRef(_ uint64, o types.Offer) (int32, bool) { return int32(o.Kind), o.Available() }

// NewKeeper builds the keeper. authority is the address allowed to change the parameters (the
// governance module account); it panics if that is not a valid address, which is a wiring error.
func NewKeeper(
	cdc codec.BinaryCodec, storeService corestore.KVStoreService, authority string,
	bank types.BankKeeper, distr types.DistributionKeeper,
) Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("x/provider: invalid authority %q: %v", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		authority:  authority,
		bank:       bank,
		distr:      distr,
		moduleAddr: authtypes.NewModuleAddress(types.ModuleName),
		params:     collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		providers: collections.NewMap(sb, types.ProvidersPrefix, "providers",
			collections.StringKey, codec.CollValue[types.Provider](cdc)),
		nodes: collections.NewIndexedMap(sb, types.NodesPrefix, "nodes",
			collections.Uint64Key, codec.CollValue[types.Node](cdc),
			NodeIndexes{
				Provider: modkit.NewIndex(sb, types.NodesByProviderPrefix, "nodes_by_provider",
					collections.StringKey, collections.Uint64Key,
					nodeProviderRef),
				Account: modkit.NewUniqueIndex(sb, types.NodesByAccountPrefix, "nodes_by_account",
					collections.StringKey, collections.Uint64Key,
					nodeAccountRef),
			}),
		offers: collections.NewIndexedMap(sb, types.OffersPrefix, "offers",
			collections.Uint64Key, codec.CollValue[types.Offer](cdc),
			OfferIndexes{
				Provider: modkit.NewIndex(sb, types.OffersByProviderPrefix, "offers_by_provider",
					collections.StringKey, collections.Uint64Key,
					offerProviderRef),
				Node: modkit.NewIndex(sb, types.OffersByNodePrefix, "offers_by_node",
					collections.Uint64Key, collections.Uint64Key,
					offerNodeRef),
				Available: modkit.NewPartialIndex(sb, types.AvailableOffersPrefix, "available_offers",
					collections.Int32Key, collections.Uint64Key, availableRef),
			}),
		nextNodeID:  collections.NewSequence(sb, types.NextNodeIDKey, "next_node_id"),
		nextOfferID: collections.NewSequence(sb, types.NextOfferIDKey, "next_offer_id"),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Sprintf("x/provider: building the store schema: %v", err))
	}
	k.schema = schema
	return k
}

// Authority is the address allowed to change the parameters.
func (k Keeper) Authority() string { return k.authority }

// ModuleAddress is the provider module account, which holds the node bonds.
func (k Keeper) ModuleAddress() sdk.AccAddress { return k.moduleAddr }

// GetParams returns the parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.params.Get(ctx)
}
