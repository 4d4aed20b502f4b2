package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, the name of its module account (which mints rewards and
	// holds the pool contracts' balances and the carried reward) and the prefix of its events and
	// errors.
	ModuleName = "farming"
	// StoreKey is the name of the module's KV store.
	StoreKey = ModuleName
)

// One prefix per collection. Never reuse or renumber a prefix: it is part of the state layout.
var (
	ParamsKey                   = collections.NewPrefix(0)
	StateKey                    = collections.NewPrefix(1)
	SignagePointsPrefix         = collections.NewPrefix(2)
	SPAwardQueuePrefix          = collections.NewPrefix(3)
	SPPruneQueuePrefix          = collections.NewPrefix(4)
	PoolContractsPrefix         = collections.NewPrefix(5)
	PoolContractsByOwnerPrefix  = collections.NewPrefix(6)
	PoolContractsByTargetPrefix = collections.NewPrefix(7)
	LeavingQueuePrefix          = collections.NewPrefix(8)
	NextPoolContractIDKey       = collections.NewPrefix(9)
)
