package types

import (
	sdkmath "cosmossdk.io/math"
)

// The money math of a vault (ADR 0007). Every function is pure: integers in, integers out, the
// rounding direction stated on each. Inputs are non-negative; callers guarantee it.

// BasisPoints is 100%.
const BasisPoints = 10_000

var (
	bps10k = sdkmath.NewInt(BasisPoints)
	// VirtualShares and VirtualAssets are the virtual offset of share pricing: the price is
	// computed as if VirtualShares shares backed by VirtualAssets ugld always existed. The first
	// depositor gets 1000 shares per ugld, and a would-be inflator would have to give up
	// 1000× what he hopes to steal (OpenZeppelin's decimals offset of 3).
	VirtualShares = sdkmath.NewInt(1_000)
	VirtualAssets = sdkmath.NewInt(1)
	// AccScale scales the reward-per-share accumulator. It must stay above any total of shares
	// (deposit caps are bounded by 2^70 ugld, 1000 shares each at the first price), so that
	// the accumulator's rounding is worth less than one unit in total (see Accrue).
	AccScale = sdkmath.NewIntWithDecimal(1, 27)
)

// SharesForDeposit is ⌊assets × (S + 1000) / (A + 1)⌋: the shares a deposit mints, rounded
// down (in the vault's favour). A zero result must be refused by the caller.
//
// Worked example: the first deposit of 1_000_000 ugld into an empty vault mints
// 1_000_000 × 1000 / 1 = 1_000_000_000 shares. With S = 1_000_000_000 and A = 1_200_000
// (early-exit fees stayed with the holders), a deposit of 300 ugld mints
// ⌊300 × 1_000_001_000 / 1_200_001⌋ = ⌊250_000.04…⌋ = 250_000 shares, and 1 ugld mints
// ⌊1_000_001_000 / 1_200_001⌋ = 833. Zero shares need A + 1 > assets × (S + 1000), which the
// virtual offset makes very costly to reach.
func SharesForDeposit(assets, totalShares, totalAssets sdkmath.Int) sdkmath.Int {
	return assets.Mul(totalShares.Add(VirtualShares)).Quo(totalAssets.Add(VirtualAssets))
}

// AssetsForShares is ⌊shares × (A + 1) / (S + 1000)⌋: the principal burning shares redeems,
// rounded down (in the vault's favour).
//
// Worked example: with S = 1_000_000_000 and A = 1_200_000, burning 250_000_000 shares redeems
// ⌊250_000_000 × 1_200_001 / 1_000_001_000⌋ = ⌊299_999.95⌋ = 299_999 ugld; the fraction lost to
// rounding stays with the remaining holders.
func AssetsForShares(shares, totalShares, totalAssets sdkmath.Int) sdkmath.Int {
	return shares.Mul(totalAssets.Add(VirtualAssets)).Quo(totalShares.Add(VirtualShares))
}

// EarlyExitFee is ⌈assets × bps / 10000⌉, rounded up (in the remaining holders' favour).
//
// Worked example: 299_999 ugld at 500 bps pays a fee of ⌈14_999.95⌉ = 15_000.
func EarlyExitFee(assets sdkmath.Int, bps uint32) sdkmath.Int {
	return ceilDiv(assets.MulRaw(int64(bps)), bps10k)
}

// MinLiquid is ⌈assets × bps / 10000⌉: the liquid principal a pledge must leave, rounded up
// (in favour of the holders' exit liquidity).
//
// Worked example: principal assets of 3_000_001 ugld with a 2000 bps reserve need 600_001 liquid.
func MinLiquid(assets sdkmath.Int, bps uint32) sdkmath.Int {
	return ceilDiv(assets.MulRaw(int64(bps)), bps10k)
}

// FeeSplit is the split of one harvest's income in one denom.
type FeeSplit struct {
	Operator, Dataset, Device, Holders sdkmath.Int
}

// SplitFees takes each fee as ⌊income × bps / 10000⌋ (rounded down, in the holders' favour)
// and gives the rest to the holders, so the four parts add up to income exactly.
//
// Worked example: 1_000_003 uusdc at 1000/300/200 bps: operator 100_000, dataset 30_000,
// device 20_000, holders 850_003.
func SplitFees(income sdkmath.Int, operatorBps, datasetBps, deviceBps uint32) FeeSplit {
	fee := func(bps uint32) sdkmath.Int { return income.MulRaw(int64(bps)).Quo(bps10k) }
	s := FeeSplit{Operator: fee(operatorBps), Dataset: fee(datasetBps), Device: fee(deviceBps)}
	s.Holders = income.Sub(s.Operator).Sub(s.Dataset).Sub(s.Device)
	return s
}

// Accrue spreads amount over totalShares (> 0): the scaled numerator amount × 10^27 + the carried
// remainder is divided by the shares, rounded up, and raises the accumulator; the new remainder
// (numerator − shares × increase, in (−shares, 0]) is carried into the next accrual, so the books
// stay exact: Σ over positions of shares × (acc − checkpoint) = Σ amounts × 10^27 − remainder.
// Rounding up means a position whose exact pro-rata share is a whole number gets it exactly; the
// excess over all positions is below shares / 10^27 < 1 unit in total, and since each credit is
// rounded down (Settle), credits can never add up to more than what was booked.
//
// Worked example: acc 0, remainder 0, 3 shares, 10 units: numerator 10^28, the accumulator rises
// by ⌈10^28 / 3⌉ = 3_333_333_333_333_333_333_333_333_334 and the remainder is −2. Each of three
// 1-share positions then settles 3 units (9 of the 10 booked) and keeps
// 333_333_333_333_333_333_333_333_334 as its own remainder (see Settle).
func Accrue(acc, remainder, totalShares, amount sdkmath.Int) (sdkmath.Int, sdkmath.Int) {
	num := amount.Mul(AccScale).Add(remainder)
	q := ceilDiv(num, totalShares)
	return acc.Add(q), num.Sub(q.Mul(totalShares))
}

// Settle credits a position: the scaled amount shares × (acc − checkpoint) + remainder, divided
// by 10^27, rounded down (in the vault's favour); the fraction is the position's new remainder
// (kept, not lost: it is paid when it adds up to a unit, or given back to the pool at close).
//
// Worked example: 1 share, acc 3_333_333_333_333_333_333_333_333_334 (the Accrue example),
// checkpoint 0, remainder 0: credit 3, remainder 333_333_333_333_333_333_333_333_334. After two
// more identical accruals (acc 10_000_000_000_000_000_000_000_000_000, the pool's remainder back at 0)
// settling from that checkpoint credits 7 more: 10 in all, exactly a third of 30.
func Settle(shares, acc, checkpoint, remainder sdkmath.Int) (credit, newRemainder sdkmath.Int) {
	num := shares.Mul(acc.Sub(checkpoint)).Add(remainder)
	return num.Quo(AccScale), num.Mod(AccScale)
}

// Passes decides a proposal: quorum is (yes + no) × 10000 ≥ quorumBps × total (total shares at
// the start), and it passes when also yes × 10000 > thresholdBps × (yes + no).
//
// Worked example: total 1000, yes 300, no 100, quorum 3334 bps: 400 × 10000 = 4_000_000 ≥
// 3_334_000, and at threshold 5000 bps 3_000_000 > 2_000_000: passed. With yes 200, no 200 it
// fails the threshold (2_000_000 is not above 2_000_000).
func Passes(yes, no, total sdkmath.Int, quorumBps, thresholdBps uint32) bool {
	cast := yes.Add(no)
	if cast.IsZero() || total.IsZero() {
		return false
	}
	if cast.Mul(bps10k).LT(total.MulRaw(int64(quorumBps))) {
		return false
	}
	return yes.Mul(bps10k).GT(cast.MulRaw(int64(thresholdBps)))
}

// ceilDiv is ⌈a / b⌉ for a ≥ 0, b > 0.
func ceilDiv(a, b sdkmath.Int) sdkmath.Int {
	q, r := a.Quo(b), a.Mod(b)
	if r.IsPositive() {
		return q.AddRaw(1)
	}
	return q
}
