package app

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// Name is the application name reported over ABCI.
	Name = "guild"
	// Bech32Prefix is the account address prefix: guild1….
	Bech32Prefix = "guild"
	// BondDenom is the native token: staking, fees, collateral, farming rewards, vaults and credit.
	BondDenom = "ugld"
	// StableDenom is the devnet stablecoin in which offers are priced and tenants pay.
	StableDenom = "uusdc"
	// DefaultChainID is the chain id used by `guildd dev`.
	DefaultChainID = "guild-dev-1"
)

// SetAddressPrefixes installs Guild's bech32 prefixes in the SDK's global configuration. It is
// idempotent and must run before any address is encoded; the binary and the tests call it once.
func SetAddressPrefixes() {
	cfg := sdk.GetConfig()
	if cfg.GetBech32AccountAddrPrefix() == Bech32Prefix {
		return
	}
	cfg.SetBech32PrefixForAccount(Bech32Prefix, Bech32Prefix+sdk.PrefixPublic)
	cfg.SetBech32PrefixForValidator(Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator,
		Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator+sdk.PrefixPublic)
	cfg.SetBech32PrefixForConsensusNode(Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus,
		Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus+sdk.PrefixPublic)
	sdk.DefaultBondDenom = BondDenom
}
