package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and escrow account name.
	ModuleName = "market"
	// StoreKey is the module's KV store key.
	StoreKey = ModuleName
)

// One prefix per collection; never reuse or renumber them.
var (
	ParamsKey         = collections.NewPrefix(0)
	AccountsKey       = collections.NewPrefix(1)
	LeasesKey         = collections.NewPrefix(2)
	LeasesByTenantKey = collections.NewPrefix(3)
	LeasesByProvKey   = collections.NewPrefix(4)
	LeasesByNodeKey   = collections.NewPrefix(5)
	LiveByAccountKey  = collections.NewPrefix(6)
	LiveByProviderKey = collections.NewPrefix(7)
	FundsQueueKey     = collections.NewPrefix(8)
	GraceQueueKey     = collections.NewPrefix(9)
	DeployQueueKey    = collections.NewPrefix(10)
	NoticeQueueKey    = collections.NewPrefix(11)
	TotalsKey         = collections.NewPrefix(12)
	NextLeaseIDKey    = collections.NewPrefix(13)
	LiveByNodeKey     = collections.NewPrefix(14)
	ClosedQueueKey    = collections.NewPrefix(15)
	// ProviderEarningsKey is the per-(provider, denom) earnings aggregate of the live leases.
	ProviderEarningsKey = collections.NewPrefix(16)
)

// Close reasons, coded by who caused the close: 1xx tenant, 2xx provider, 3xx network, 4xx
// governance.
const (
	ReasonTenantDone           uint32 = 100
	ReasonProviderMisbehaviour uint32 = 101
	ReasonProviderNotice       uint32 = 200
	ReasonDeployFailed         uint32 = 201
	ReasonOutOfFunds           uint32 = 300
	ReasonDeployTimeout        uint32 = 301
	ReasonNodeRemoved          uint32 = 302
	ReasonGovernance           uint32 = 400
)

// IsLive reports whether a lease in state s still holds capacity.
func IsLive(s LeaseState) bool {
	return s == LEASE_STATE_PENDING || s == LEASE_STATE_ACTIVE || s == LEASE_STATE_GRACE || s == LEASE_STATE_CLOSING
}

// IsBilling reports whether a lease in state s is being charged.
func IsBilling(s LeaseState) bool { return s == LEASE_STATE_ACTIVE || s == LEASE_STATE_CLOSING }
