package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// BankKeeper moves pool funds, agent funds and shares.
type BankKeeper interface {
	SendCoins(ctx context.Context, from, to sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromAccountToModule(ctx context.Context, sender sdk.AccAddress, module string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, module string, recipient sdk.AccAddress, amt sdk.Coins) error
	MintCoins(ctx context.Context, module string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, module string, amt sdk.Coins) error
	BankReader
}

// BankReader reads balances and supplies.
type BankReader interface {
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	GetAllBalances(ctx context.Context, addr sdk.AccAddress) sdk.Coins
	GetSupply(ctx context.Context, denom string) sdk.Coin
}

// DistributionKeeper receives the treasury's share of interest and the liquidation fees.
type DistributionKeeper interface {
	FundCommunityPool(ctx context.Context, amount sdk.Coins, sender sdk.AccAddress) error
}

// ProviderKeeper is the part of x/provider an agent needs to hold providers as collateral and
// seize them at default.
type ProviderKeeper interface {
	GetProvider(ctx context.Context, address string) (providertypes.Provider, error)
	AcceptOwner(ctx context.Context, provider, newOwner string) error
	ProposeOwner(ctx context.Context, provider, owner, newOwner string) error
	SetBeneficiary(ctx context.Context, provider, owner, beneficiary string) error
	ProviderBonds(ctx context.Context, provider string) (sdk.Coins, error)
	SeizeBonds(ctx context.Context, provider, owner string) (sdk.Coins, error)
}

// MarketKeeper is the part of x/market an agent needs for its providers' earnings: the provider
// claim, which pays a page of a provider's live leases to its beneficiary (the agent, for a
// provider the agent holds), and the lower bound of what claiming all of them pays now.
type MarketKeeper interface {
	ClaimProvider(ctx context.Context, m *markettypes.MsgClaimProvider) (*markettypes.MsgClaimProviderResponse, error)
	ProviderEarnings(ctx context.Context, provider, denom string) (markettypes.Earnings, error)
}
