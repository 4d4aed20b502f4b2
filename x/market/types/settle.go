package types

import (
	"math/big"

	sdkmath "cosmossdk.io/math"
)

// Rounding, stated once for every formula below:
//   - FundedUntil rounds down (the last whole second the balance fully pays for), so a balance
//     never drains below zero;
//   - Drain, Accrued, LeaseRate and CoverRequired are exact (LegacyDec × whole seconds or units);
//   - Payout pays whole units rounded down (the fraction is carried in the lease, not lost) and
//     rounds the community fee up, in the protocol's favour, never above the payout itself;
//   - Withdrawable rounds down (a tenant never takes out a fraction of a unit it does not have).
//
// Settlement is pure arithmetic on LegacyDec (18 decimals) and whole seconds: a rate times a
// number of seconds is exact, so no value is created or lost between a tenant's balance, what
// leases owe their providers, and what is paid out. Only payouts and withdrawals are whole units;
// the fraction of a unit a lease has earned but not been paid is carried in lease.unclaimed.
//
// Worked example. A tenant deposits 1,000 uusdc and books 2 units of an offer at 0.75 uusdc per
// unit per second: rate 1.5/s. The node deploys at t=100. At t=400 the account settles:
// 1.5 × 300 = 450 consumed, balance 550, funded_until = 400 + floor(550/1.5) = 400 + 366 = 766.
// The provider claims at t=401: the lease owes 1.5 × 301 = 451.5; 451 is paid (fee 5% of 451 =
// 22.55, rounded up to 23 in the protocol's favour; beneficiary 428) and 0.5 stays unclaimed. At t=766 the account has 550 − 1.5 × 366 = 1
// left, less than one second's worth: the leases go to GRACE, and the lease owes
// 1.5 × 365 + 0.5 = 548. Paid 451 + owed 548 + left 1 = the 1,000 deposited.

// farFuture caps funded_until when a balance would last longer than any clock reaches.
const farFuture int64 = 1 << 62

// FundedUntil returns the last second a balance draining at rate from settledAt fully pays
// for: settledAt + floor(balance / rate) (rounded down), computed exactly on the 18-decimal integers. It
// returns 0 when rate is zero (nothing drains).
func FundedUntil(balance, rate sdkmath.LegacyDec, settledAt int64) int64 {
	if !rate.IsPositive() {
		return 0
	}
	if !balance.IsPositive() {
		return settledAt
	}
	secs := new(big.Int).Quo(balance.BigInt(), rate.BigInt())
	if !secs.IsInt64() || secs.Int64() > farFuture-settledAt {
		return farFuture
	}
	return settledAt + secs.Int64()
}

// Drain is an account's balance after draining at rate from settledAt to now, never past
// fundedUntil: balance − rate × seconds, exact. It returns the new balance and the time it is
// settled to.
func Drain(balance, rate sdkmath.LegacyDec, settledAt, fundedUntil, now int64) (sdkmath.LegacyDec, int64) {
	if now <= settledAt {
		return balance, settledAt
	}
	if !rate.IsPositive() {
		return balance, now
	}
	end := min(now, fundedUntil)
	if end <= settledAt {
		return balance, settledAt
	}
	return balance.Sub(rate.MulInt64(end - settledAt)), end
}

// Accrued is what a billed lease has earned from billedUntil up to upTo: rate × seconds, exact,
// or zero if upTo is not later.
func Accrued(rate sdkmath.LegacyDec, billedUntil, upTo int64) sdkmath.LegacyDec {
	if upTo <= billedUntil {
		return sdkmath.LegacyZeroDec()
	}
	return rate.MulInt64(upTo - billedUntil)
}

// Payout splits what a lease is owed into whole units paid now and the fraction carried:
//
//	gross = floor(unclaimed)                      rounded down: the fraction is carried in rest
//	fee   = ceil(gross × feeBps / 10000)           rounded up, in the protocol's favour
//	net   = gross − fee                            to the provider's beneficiary
//	rest  = unclaimed − gross                      exact
//
// so net + fee + rest = unclaimed exactly. Since feeBps ≤ 10000, fee ≤ gross and net ≥ 0.
// Example: 451.5 owed at 500 bps: gross 451, fee ceil(22.55) = 23, net 428, rest 0.5.
func Payout(unclaimed sdkmath.LegacyDec, feeBps uint32) (gross, fee, net sdkmath.Int, rest sdkmath.LegacyDec) {
	if !unclaimed.IsPositive() {
		z := sdkmath.ZeroInt()
		return z, z, z, unclaimed
	}
	gross = unclaimed.TruncateInt()
	fee = CommunityFee(gross, feeBps)
	net = gross.Sub(fee)
	rest = unclaimed.Sub(sdkmath.LegacyNewDecFromInt(gross))
	return gross, fee, net, rest
}

// CommunityFee is ceil(amount × bps / 10000): the fee rounds up, in the protocol's favour, and
// is never more than amount (bps is at most 10000; above that it is capped at amount).
func CommunityFee(amount sdkmath.Int, bps uint32) sdkmath.Int {
	if !amount.IsPositive() || bps == 0 {
		return sdkmath.ZeroInt()
	}
	fee := amount.MulRaw(int64(bps)).AddRaw(9_999).QuoRaw(10_000)
	if fee.GT(amount) {
		return amount
	}
	return fee
}

// CoverRequired is the balance needed to pay rate for minCover seconds: rate × minCover, exact.
func CoverRequired(rate sdkmath.LegacyDec, minCover int64) sdkmath.LegacyDec {
	return rate.MulInt64(minCover)
}

// Covers reports whether balance pays committed + newRate for minCover seconds: the booking rule.
func Covers(balance, committed, newRate sdkmath.LegacyDec, minCover int64) bool {
	return balance.GTE(CoverRequired(committed.Add(newRate), minCover))
}

// Withdrawable is the whole number of units a tenant may take out while leaving committed
// covered for minCover seconds: floor(balance − committed × minCover), rounded down, or 0.
func Withdrawable(balance, committed sdkmath.LegacyDec, minCover int64) sdkmath.Int {
	free := balance.Sub(CoverRequired(committed, minCover))
	if !free.IsPositive() {
		return sdkmath.ZeroInt()
	}
	return free.TruncateInt()
}

// LeaseRate is units × price per unit per second, exact (LegacyDec × integer).
func LeaseRate(price sdkmath.LegacyDec, units uint64) sdkmath.LegacyDec {
	return price.Mul(sdkmath.LegacyNewDecFromInt(sdkmath.NewIntFromUint64(units)))
}
