package types

import (
	"context"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// BankKeeper moves coins between vault accounts and people; the vault accounts are plain
// accounts (not module accounts), so sends into them are ordinary sends.
type BankKeeper interface {
	SendCoins(ctx context.Context, from, to sdk.AccAddress, amt sdk.Coins) error
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	GetAllBalances(ctx context.Context, addr sdk.AccAddress) sdk.Coins
}

// ProviderReader reads providers and nodes (their bonds are the chain's word on pledges).
type ProviderReader interface {
	GetProvider(ctx context.Context, address string) (providertypes.Provider, error)
	GetNode(ctx context.Context, id uint64) (providertypes.Node, error)
	IsController(ctx context.Context, provider, addr string) (bool, error)
}

// ProviderOwner is x/provider's owner operations, which the vault calls as the vault account.
type ProviderOwner interface {
	ProposeOwner(ctx context.Context, provider, owner, newOwner string) error
	AcceptOwner(ctx context.Context, provider, newOwner string) error
	SetBeneficiary(ctx context.Context, provider, owner, beneficiary string) error
	SetOperator(ctx context.Context, provider, owner, operator string) error
}

// ProviderBonds places and withdraws node bonds.
type ProviderBonds interface {
	DepositBond(ctx context.Context, sender string, nodeID uint64, amount sdk.Coin) error
	WithdrawBond(ctx context.Context, owner string, nodeID uint64, amount sdk.Coin) error
}

// ProviderKeeper is everything x/vault needs from x/provider.
type ProviderKeeper interface {
	ProviderReader
	ProviderOwner
	ProviderBonds
}

// NFTReader reads the position tokens; x/vault never caches their owner.
type NFTReader interface {
	HasClass(ctx context.Context, classID string) bool
	GetOwner(ctx context.Context, classID, nftID string) sdk.AccAddress
	GetNFTsOfClassByOwner(ctx context.Context, classID string, owner sdk.AccAddress) []nft.NFT
	GetTotalSupply(ctx context.Context, classID string) uint64
}

// NFTWriter creates a vault's class and mints and burns its position tokens.
type NFTWriter interface {
	SaveClass(ctx context.Context, class nft.Class) error
	Mint(ctx context.Context, token nft.NFT, receiver sdk.AccAddress) error
	Burn(ctx context.Context, classID, nftID string) error
}

// NFTKeeper is everything x/vault needs from x/nft.
type NFTKeeper interface {
	NFTReader
	NFTWriter
}

// MarketClaimer claims a bounded page of a provider's market earnings for its beneficiary
// (x/market's message server; nothing of x/market is changed).
type MarketClaimer interface {
	ClaimProvider(ctx context.Context, m *markettypes.MsgClaimProvider) (*markettypes.MsgClaimProviderResponse, error)
}
