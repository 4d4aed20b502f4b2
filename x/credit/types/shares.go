package types

import (
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
)

// VirtualShares and VirtualAssets are the ERC-4626 virtual offset (OpenZeppelin's decimals
// offset of 3): the pool prices shares as if it always held VirtualAssets more assets and
// VirtualShares more shares. The first depositor therefore gets 1,000 shares per unit, and an
// attacker who donates to an empty pool to inflate the share price loses most of the donation to
// the virtual shares instead of stealing the next deposit.
var (
	VirtualShares = sdkmath.NewInt(1000)
	VirtualAssets = sdkmath.NewInt(1)
)

// SharesForDeposit is how many shares a deposit of assets mints when the pool holds totalAssets
// worth and totalShares exist:
//
//	shares = floor(assets × (totalShares + 1000) / (totalAssets + 1))
//
// Rounding: down (the pool's favour). A result of zero is refused. Callers pass totalAssets
// rounded up, for the same reason.
//
// Worked example: the first deposit of 1,000,000 into an empty pool mints
// 1,000,000 × 1,000 / 1 = 1,000,000,000 shares; after interest took the assets to 1,100,000, a
// deposit of 110 mints floor(110 × 1,000,001,000 / 1,100,001) = 100,000 shares.
func SharesForDeposit(assets, totalAssets, totalShares sdkmath.Int) (sdkmath.Int, error) {
	if !assets.IsPositive() {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "deposit %s is not positive", assets)
	}
	shares := assets.Mul(totalShares.Add(VirtualShares)).Quo(totalAssets.Add(VirtualAssets))
	if !shares.IsPositive() {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrZeroShares, "a deposit of %s mints no share at the current price", assets)
	}
	return shares, nil
}

// AssetsForRedeem is what burning shares pays:
//
//	assets = floor(shares × (totalAssets + 1) / (totalShares + 1000))
//
// Rounding: down (the pool's favour). A result of zero is refused. Callers pass totalAssets
// rounded down.
//
// Worked example: redeeming all 1,000,000,000 shares of a pool worth 1,100,000 pays
// floor(1,000,000,000 × 1,100,001 / 1,000,001,000) = 1,099,999: the virtual shares keep one
// unit, and the pool never pays out more than it holds.
func AssetsForRedeem(shares, totalAssets, totalShares sdkmath.Int) (sdkmath.Int, error) {
	if !shares.IsPositive() {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "redeem %s shares is not positive", shares)
	}
	if shares.GT(totalShares) {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "redeem %s shares of %s", shares, totalShares)
	}
	assets := shares.Mul(totalAssets.Add(VirtualAssets)).Quo(totalShares.Add(VirtualShares))
	if !assets.IsPositive() {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrZeroShares, "redeeming %s shares pays nothing at the current price", shares)
	}
	return assets, nil
}

// SharePrice is assets per share with the virtual offset, for display.
func SharePrice(totalAssets, totalShares sdkmath.Int) sdkmath.LegacyDec {
	return sdkmath.LegacyNewDecFromInt(totalAssets.Add(VirtualAssets)).QuoInt(totalShares.Add(VirtualShares))
}
