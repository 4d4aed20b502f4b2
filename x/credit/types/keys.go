package types

import (
	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
)

const (
	// ModuleName is the module's name, the name of its module account (which holds the pools'
	// liquid funds and mints their shares) and the prefix of its events and errors.
	ModuleName = "credit"
	// StoreKey is the name of the module's KV store.
	StoreKey = ModuleName
	// ShareDenomPrefix prefixes a pool's share denom: "credit/ugld".
	ShareDenomPrefix = ModuleName + "/"
	// CredentialDomain is the domain separator of credential hashes: module and version.
	CredentialDomain = "guild/credit/v1/credential"
)

// One prefix per collection. Never reuse or renumber a prefix: it is part of the state layout.
var (
	ParamsKey              = collections.NewPrefix(0)
	PoolsPrefix            = collections.NewPrefix(1)
	AgentsPrefix           = collections.NewPrefix(2)
	AgentsByOwnerPrefix    = collections.NewPrefix(3)
	AgentsByProviderPrefix = collections.NewPrefix(4)
	LoansPrefix            = collections.NewPrefix(5)
	UsedCredentialsPrefix  = collections.NewPrefix(6)
	CredentialQueuePrefix  = collections.NewPrefix(7)
	NextAgentIDKey         = collections.NewPrefix(8)
	PoolDenomsKey          = collections.NewPrefix(9)
)

// ShareDenom is the share denom of the pool of denom.
func ShareDenom(denom string) string { return ShareDenomPrefix + denom }

// AgentAddress is the account of agent id, derived from the module name and the id. It is not a
// registered module account: nobody holds its key and only x/credit moves its funds.
func AgentAddress(id uint64) sdk.AccAddress {
	return address.Module(ModuleName, []byte("agent"), sdk.Uint64ToBigEndian(id))
}
