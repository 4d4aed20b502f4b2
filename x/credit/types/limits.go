package types

import (
	sdkmath "cosmossdk.io/math"
)

// Binding limits named by the MaxBorrow query.
const (
	LimitNone       = "none"
	LimitDTL        = "dtl"
	LimitLiquidity  = "liquidity"
	LimitAgentCap   = "agent_cap"
	LimitState      = "state"
	LimitCollateral = "collateral"
)

// DTLBps is debt / collateral in basis points, rounded up; with no collateral it is 0 for no
// debt and MaxDTLBps for any debt.
func DTLBps(debt, collateral sdkmath.Int) uint64 {
	if !debt.IsPositive() {
		return 0
	}
	if !collateral.IsPositive() {
		return MaxDTLBps
	}
	v := debt.MulRaw(BpsDenominator).Add(collateral.SubRaw(1)).Quo(collateral)
	if !v.IsUint64() || v.Uint64() > MaxDTLBps {
		return MaxDTLBps
	}
	return v.Uint64()
}

// MaxDTLBps stands for an unbounded DTL (debt with no collateral).
const MaxDTLBps = 1_000_000_000

// WithinDTL reports whether debt / collateral <= maxBps: debt × 10000 <= maxBps × collateral.
func WithinDTL(debt, collateral sdkmath.Int, maxBps uint32) bool {
	return debt.MulRaw(BpsDenominator).LTE(collateral.MulRaw(int64(maxBps)))
}

// FaultsWithin reports whether faulty / live <= toleranceBps (no units at all passes; faulty
// units with no live ones do not).
func FaultsWithin(faulty, live uint64, toleranceBps uint32) bool {
	f := sdkmath.NewIntFromUint64(faulty).MulRaw(BpsDenominator)
	return f.LTE(sdkmath.NewIntFromUint64(live).MulRaw(int64(toleranceBps)))
}

// BorrowByDTL is the largest borrow x with (debt + x) / (collateral + x) <= m, where the borrowed
// funds land in the agent and count as collateral (the credential is a post-action snapshot):
//
//	x <= (m × collateral − debt) / (1 − m),  m = maxBps / 10000, rounded down
//
// collateral here is the pre-borrow value. Worked example: collateral 1,000, debt 0, 75% →
// 3,000; with debt 500 → 1,000.
func BorrowByDTL(debt, collateral sdkmath.Int, maxBps uint32) sdkmath.Int {
	num := collateral.MulRaw(int64(maxBps)).Sub(debt.MulRaw(BpsDenominator))
	if !num.IsPositive() {
		return sdkmath.ZeroInt()
	}
	return num.QuoRaw(int64(BpsDenominator - maxBps))
}

// BorrowByLiquidity is the largest borrow that leaves liquid >= minBps of the pool's assets
// (rounded up): liquid − ceil(assets × minBps / 10000), at least zero.
func BorrowByLiquidity(liquid sdkmath.Int, assets sdkmath.LegacyDec, minBps uint32) sdkmath.Int {
	reserve := assets.MulInt64(int64(minBps)).QuoInt64(BpsDenominator).Ceil().TruncateInt()
	x := liquid.Sub(reserve)
	if x.IsNegative() {
		return sdkmath.ZeroInt()
	}
	return x
}

// BorrowByCap is what the per-agent principal cap leaves (no cap when cap is zero: nil result).
func BorrowByCap(principal, cap sdkmath.Int) (sdkmath.Int, bool) {
	if cap.IsZero() {
		return sdkmath.Int{}, false
	}
	x := cap.Sub(principal)
	if x.IsNegative() {
		return sdkmath.ZeroInt(), true
	}
	return x, true
}
