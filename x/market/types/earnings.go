package types

import sdkmath "cosmossdk.io/math"

// Earnings is what claiming every live lease of a provider would pay its beneficiary in one
// denom now, as a lower bound.
type Earnings struct {
	// Gross is what the provider's leases in the denom owe now (lower bound, 18 decimals).
	Gross sdkmath.LegacyDec
	// Net is a lower bound of what the claims pay the beneficiary, after per-lease rounding
	// down and the community fee.
	Net sdkmath.Int
	// LiveLeases counts the provider's live leases in every denom: a claim of all of them takes
	// ceil(LiveLeases / max_claim_page) pages of MsgClaimProvider.
	LiveLeases uint64
	// ClaimPages is that number of pages.
	ClaimPages uint64
}

// NetEarnings is the lower bound of what n leases owing gross in total pay their beneficiary:
// floor((gross − n) × (10000 − feeBps) / 10000) − n, at least 0. Each lease pays
// floor(owed_i) (less than 1 lost per lease) minus ceil(floor(owed_i) × feeBps / 10000) (less
// than 1 more than the exact fee per lease). Example: gross 1,000.5 over 2 leases at 500 bps:
// floor(998.5 × 0.95) − 2 = 946; two leases owing 500.25 each pay 500 − 25 = 475 each, 950.
func NetEarnings(gross sdkmath.LegacyDec, n uint64, feeBps uint32) sdkmath.Int {
	g := gross.Sub(sdkmath.LegacyNewDec(int64(n)))
	if !g.IsPositive() {
		return sdkmath.ZeroInt()
	}
	net := g.MulInt64(int64(10_000 - min(feeBps, 10_000))).QuoInt64(10_000).TruncateInt().SubRaw(int64(n))
	if net.IsNegative() {
		return sdkmath.ZeroInt()
	}
	return net
}
