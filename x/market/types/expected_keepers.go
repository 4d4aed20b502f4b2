package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	providertypes "github.com/guild-network/guild/x/provider/types"
)

// ProviderReader is what x/market reads from x/provider.
type ProviderReader interface {
	GetProvider(ctx context.Context, address string) (providertypes.Provider, error)
	GetNode(ctx context.Context, id uint64) (providertypes.Node, error)
	GetOffer(ctx context.Context, id uint64) (providertypes.Offer, error)
	// IsController reports whether addr is the provider's owner or operator.
	IsController(ctx context.Context, provider, addr string) (bool, error)
}

// CapacityKeeper books and releases a node's capacity for leases.
type CapacityKeeper interface {
	// ReserveUnits books units of an offer: the offer must be active with enough free units and
	// its node bookable (not suspended, effectively online, bonded as the parameters require)
	// with free capacity for units × the offer's resources. It updates units_booked, the node's
	// reserved capacity and live_leases, and returns the offer and node as they were before.
	ReserveUnits(ctx context.Context, offerID, units uint64) (providertypes.Offer, providertypes.Node, error)
	// ReleaseUnits undoes ReserveUnits when a lease closes.
	ReleaseUnits(ctx context.Context, offerID, units uint64) error
}

// ConductKeeper records how a provider behaved: reputation, earnings, suspension and slashing.
type ConductKeeper interface {
	// RecordOutcome updates the provider's reputation counters.
	RecordOutcome(ctx context.Context, provider string, outcome providertypes.LeaseOutcome) error
	// AddEarnings adds a payout to the provider's total_earned.
	AddEarnings(ctx context.Context, provider string, amount sdk.Coin) error
	// SuspendNode takes a node out of the bookable set after a deploy timeout, until its
	// operator brings it back; it returns true when this began a new incident (the node was not
	// suspended), so that the bond is slashed at most once per incident.
	SuspendNode(ctx context.Context, nodeID uint64, reason string) (bool, error)
	// SlashBond removes bps/10000 of a node's bond and sends it to the community pool.
	SlashBond(ctx context.Context, nodeID uint64, bps uint32, reason string) (sdk.Coin, error)
}

// ProviderKeeper is everything x/market needs from x/provider: the reader and the two narrow
// writers above.
type ProviderKeeper interface {
	ProviderReader
	CapacityKeeper
	ConductKeeper
}

// BankKeeper is what x/market needs from x/bank.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, sender sdk.AccAddress, module string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, module string, recipient sdk.AccAddress, amt sdk.Coins) error
	GetAllBalances(ctx context.Context, addr sdk.AccAddress) sdk.Coins
}

// DistributionKeeper funds the community pool with the market's fees.
type DistributionKeeper interface {
	FundCommunityPool(ctx context.Context, amount sdk.Coins, sender sdk.AccAddress) error
}
