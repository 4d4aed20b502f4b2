package types

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"pgregory.net/rapid"
)

// decGen draws a non-negative LegacyDec with up to 18 decimals below max whole units.
func decGen(max int64) *rapid.Generator[sdkmath.LegacyDec] {
	return rapid.Custom(func(t *rapid.T) sdkmath.LegacyDec {
		whole := rapid.Int64Range(0, max).Draw(t, "whole")
		frac := rapid.Int64Range(0, 999_999_999_999_999_999).Draw(t, "frac")
		return sdkmath.LegacyNewDec(whole).Add(sdkmath.LegacyNewDecWithPrec(frac, 18))
	})
}

// TestPayoutProperties: for any amount owed and any fee up to 100%, the payout, the fee and the
// carried fraction add up to what was owed exactly; the fee is the smallest whole number at or
// above gross × bps / 10000 (rounded up, never down); nothing is negative.
func TestPayoutProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		owed := decGen(1<<40).Draw(t, "owed")
		bps := rapid.Uint32Range(0, 10_000).Draw(t, "bps")
		gross, fee, net, rest := Payout(owed, bps)
		if !sdkmath.LegacyNewDecFromInt(net.Add(fee)).Add(rest).Equal(owed) {
			t.Fatalf("net %s + fee %s + rest %s != owed %s", net, fee, rest, owed)
		}
		if net.IsNegative() || fee.IsNegative() || rest.IsNegative() || rest.GTE(sdkmath.LegacyOneDec()) {
			t.Fatalf("out of range: net %s fee %s rest %s", net, fee, rest)
		}
		exact := gross.MulRaw(int64(bps)) // fee × 10000 must be ≥ exact and < exact + 10000
		if fee.MulRaw(10_000).LT(exact) || fee.MulRaw(10_000).GTE(exact.AddRaw(10_000)) {
			t.Fatalf("fee %s of %s at %d bps is not rounded up", fee, gross, bps)
		}
	})
}

// TestSettlementConservation drives one tenant account with several billed leases through
// random deposits, time steps and claims using only the pure settlement functions, and checks
// after every step that no value is created or lost: deposits = balance + Σ unclaimed + Σ paid
// out (net + fee), exactly; the balance never goes negative; and the account is never billed
// past funded_until.
func TestSettlementConservation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 5).Draw(t, "leases")
		rates := make([]sdkmath.LegacyDec, n)
		total := sdkmath.LegacyZeroDec()
		for i := range rates {
			price := decGen(50).Draw(t, "price")
			if !price.IsPositive() {
				price = sdkmath.LegacyNewDecWithPrec(1, 18)
			}
			rates[i] = LeaseRate(price, rapid.Uint64Range(1, 4).Draw(t, "units"))
			total = total.Add(rates[i])
		}
		bps := rapid.Uint32Range(0, 2_500).Draw(t, "bps")
		now := int64(1_000)
		balance := sdkmath.LegacyZeroDec()
		deposited := sdkmath.LegacyZeroDec()
		paid := sdkmath.ZeroInt()
		settledAt := now
		billed := make([]int64, n)
		unclaimed := make([]sdkmath.LegacyDec, n)
		for i := range billed {
			billed[i], unclaimed[i] = now, sdkmath.LegacyZeroDec()
		}
		steps := rapid.IntRange(1, 40).Draw(t, "steps")
		for s := 0; s < steps; s++ {
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0: // deposit whole units
				amt := sdkmath.LegacyNewDec(rapid.Int64Range(1, 1_000_000).Draw(t, "deposit"))
				balance, deposited = balance.Add(amt), deposited.Add(amt)
			case 1: // time passes
				now += rapid.Int64Range(1, 100_000).Draw(t, "dt")
			case 2: // a provider claims one lease
				i := rapid.IntRange(0, n-1).Draw(t, "lease")
				_, fee, net, rest := Payout(unclaimed[i], bps)
				paid = paid.Add(net).Add(fee)
				unclaimed[i] = rest
			}
			// Settle the account and accrue every lease to the settled time, as a touch does.
			fu := FundedUntil(balance, total, settledAt)
			balance, settledAt = Drain(balance, total, settledAt, fu, now)
			if settledAt > fu && total.IsPositive() {
				t.Fatalf("settled to %d past funded_until %d", settledAt, fu)
			}
			if balance.IsNegative() {
				t.Fatalf("negative balance %s", balance)
			}
			held := balance.Add(sdkmath.LegacyNewDecFromInt(paid))
			for i := range rates {
				unclaimed[i] = unclaimed[i].Add(Accrued(rates[i], billed[i], settledAt))
				billed[i] = max(billed[i], settledAt)
				held = held.Add(unclaimed[i])
			}
			if !held.Equal(deposited) {
				t.Fatalf("step %d: balance + unclaimed + paid = %s, deposited %s", s, held, deposited)
			}
		}
	})
}
