package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, the name of its module account (which holds node bonds)
	// and the prefix of its events and errors.
	ModuleName = "provider"
	// StoreKey is the name of the module's KV store.
	StoreKey = ModuleName
)

// One prefix per collection. Never reuse or renumber a prefix: it is part of the state layout.
var (
	ParamsKey              = collections.NewPrefix(0)
	ProvidersPrefix        = collections.NewPrefix(1)
	NodesPrefix            = collections.NewPrefix(2)
	NodesByProviderPrefix  = collections.NewPrefix(3)
	NodesByAccountPrefix   = collections.NewPrefix(4)
	OffersPrefix           = collections.NewPrefix(5)
	OffersByProviderPrefix = collections.NewPrefix(6)
	OffersByNodePrefix     = collections.NewPrefix(7)
	AvailableOffersPrefix  = collections.NewPrefix(8)
	NextNodeIDKey          = collections.NewPrefix(9)
	NextOfferIDKey         = collections.NewPrefix(10)
)
