package types

import (
	sdkmath "cosmossdk.io/math"
)

// SecondsPerYear converts annual rates to per-second growth (365 days).
const SecondsPerYear = 365 * 24 * 3600

// Utilization is principal / (liquid + principal), or zero for an empty pool.
func Utilization(liquid, principal sdkmath.Int) sdkmath.LegacyDec {
	total := liquid.Add(principal)
	if !total.IsPositive() {
		return sdkmath.LegacyZeroDec()
	}
	return sdkmath.LegacyNewDecFromInt(principal).QuoInt(total)
}

// BorrowRate is the annual rate of the kinked curve at utilization u:
//
//	u <= kink: base + slope1 × u / kink
//	u >  kink: base + slope1 + slope2 × (u − kink) / (1 − kink)
//
// Worked example (defaults 2%, kink 80%, 10%, 100%): u = 40% → 7%; u = 90% → 62%.
func BorrowRate(p Params, u sdkmath.LegacyDec) sdkmath.LegacyDec {
	if u.LTE(p.KinkUtilization) {
		return p.BaseRate.Add(p.Slope1.Mul(u).Quo(p.KinkUtilization))
	}
	over := u.Sub(p.KinkUtilization).Quo(sdkmath.LegacyOneDec().Sub(p.KinkUtilization))
	return p.BaseRate.Add(p.Slope1).Add(p.Slope2.Mul(over))
}

// AccrueIndex grows the borrow index by simple interest at the annual rate over dt seconds:
//
//	index' = index × (1 + rate × dt / SecondsPerYear)
//
// compounding at every touch. Rounding: up at each step (interest accrues in the lenders'
// favour). dt <= 0 leaves the index unchanged.
//
// Worked example: index 1, rate 10%, one year → 1.1; a second year → 1.21.
func AccrueIndex(index, rate sdkmath.LegacyDec, dt int64) sdkmath.LegacyDec {
	if dt <= 0 || rate.IsZero() {
		return index
	}
	growth := rate.MulInt64(dt).QuoRoundUp(sdkmath.LegacyNewDec(SecondsPerYear))
	return index.Add(index.MulRoundUp(growth))
}

// DebtOf is an agent's debt for scaled debt at index: ceil(scaled × index) (lenders' favour).
func DebtOf(scaled, index sdkmath.LegacyDec) sdkmath.Int {
	return scaled.MulRoundUp(index).Ceil().TruncateInt()
}

// ScaledFor is the scaled debt a borrow of amount adds at index: amount / index, rounded up
// (the borrower owes at least amount at once).
func ScaledFor(amount sdkmath.Int, index sdkmath.LegacyDec) sdkmath.LegacyDec {
	return sdkmath.LegacyNewDecFromInt(amount).QuoRoundUp(index)
}

// PoolAssets is what a pool's shares are worth: liquid funds and principal lent out, plus the
// lenders' part of interest accrued but not paid yet (the treasury's part, treasury_bps of it,
// is not theirs):
//
//	assets = liquid + principal + (totalScaled × index − principal) × (1 − treasury_bps / 10000)
//
// It is a decimal; deposits price it rounded up and redemptions rounded down.
func PoolAssets(pool Pool, treasuryBps uint32) sdkmath.LegacyDec {
	principal := sdkmath.LegacyNewDecFromInt(pool.TotalPrincipal)
	unpaid := pool.TotalScaled.Mul(pool.BorrowIndex).Sub(principal)
	if unpaid.IsNegative() {
		unpaid = sdkmath.LegacyZeroDec()
	}
	lenders := unpaid.MulInt64(int64(BpsDenominator - treasuryBps)).QuoInt64(BpsDenominator)
	return sdkmath.LegacyNewDecFromInt(pool.Liquid).Add(principal).Add(lenders)
}

func oneDec() sdkmath.LegacyDec { return sdkmath.LegacyOneDec() }
