package types

import (
	sdkmath "cosmossdk.io/math"
)

// Payment is how a payment against one loan splits.
type Payment struct {
	Interest  sdkmath.Int // to the pool, of which Treasury goes to the community pool
	Treasury  sdkmath.Int
	Principal sdkmath.Int
	Refund    sdkmath.Int // overpayment, returned to the payer; never touches the totals
	// ScaledRepaid is the scaled debt the payment retires.
	ScaledRepaid sdkmath.LegacyDec
}

// ApplyPayment splits amount paid against a loan at index: interest first, then principal, the
// rest refunded (GLIF's order; its audit's "issue 5.4" was subtracting the refunded part from the
// totals — here the refund is never part of them).
//
//	debt      = ceil(scaled × index)
//	interest  = min(amount, debt − principal)
//	principal = min(amount − interest, principal)
//	treasury  = floor(interest × treasury_bps / 10000)   (rounds down: the rest stays with lenders)
//	scaled retired = all of it when the debt is cleared, else (interest + principal) / index
//	                 rounded down (the borrower keeps owing any dust: lenders' favour)
//
// Worked example: principal 1,000, scaled 1,000 at index 1.05 (debt 1,050), pay 1,100 with a
// 10% treasury share: interest 50 (treasury 5), principal 1,000, refund 50, scaled retired 1,000.
func ApplyPayment(loan Loan, index sdkmath.LegacyDec, amount sdkmath.Int, treasuryBps uint32) Payment {
	debt := DebtOf(loan.Scaled, index)
	owed := debt.Sub(loan.Principal)
	if owed.IsNegative() {
		owed = sdkmath.ZeroInt()
	}
	p := Payment{Interest: sdkmath.MinInt(amount, owed)}
	p.Principal = sdkmath.MinInt(amount.Sub(p.Interest), loan.Principal)
	p.Refund = amount.Sub(p.Interest).Sub(p.Principal)
	p.Treasury = p.Interest.MulRaw(int64(treasuryBps)).QuoRaw(BpsDenominator)
	paid := p.Interest.Add(p.Principal)
	if paid.GTE(debt) {
		p.ScaledRepaid = loan.Scaled
	} else {
		// Rounded down at the 18th decimal, so the borrower never owes less than it should.
		p.ScaledRepaid = sdkmath.LegacyNewDecFromInt(paid).QuoTruncate(index)
		if p.ScaledRepaid.GT(loan.Scaled) {
			p.ScaledRepaid = loan.Scaled
		}
	}
	return p
}

// Liquidation splits what was recovered from a defaulted agent against one loan: interest, then
// principal, then a fee of fee_bps of what was owed (rounded up: the protocol's favour, but
// never more than is left), the rest to the owner; whatever interest and principal stay unpaid
// is written off against the pool's share price. The treasury's share of the interest paid is
// taken as in a payment.
//
// Worked example: debt 1,100 (principal 1,000), recovered 1,150, fee 10%: interest 100,
// principal 1,000, fee min(ceil(110), 50) = 50, owner 0, nothing written off.
func SplitLiquidation(loan Loan, index sdkmath.LegacyDec, recovered sdkmath.Int, treasuryBps, feeBps uint32) (Payment, Liquidation) {
	debt := DebtOf(loan.Scaled, index)
	pay := ApplyPayment(loan, index, recovered, treasuryBps)
	pay.ScaledRepaid = loan.Scaled // the loan is closed whatever was recovered
	rest := pay.Refund
	pay.Refund = sdkmath.ZeroInt()
	fee := debt.MulRaw(int64(feeBps)).Add(sdkmath.NewInt(BpsDenominator - 1)).QuoRaw(BpsDenominator)
	fee = sdkmath.MinInt(fee, rest)
	owedInterest := debt.Sub(loan.Principal)
	if owedInterest.IsNegative() {
		owedInterest = sdkmath.ZeroInt()
	}
	l := Liquidation{
		Denom:               loan.Denom,
		Recovered:           recovered,
		InterestPaid:        pay.Interest,
		PrincipalPaid:       pay.Principal,
		Fee:                 fee,
		ReturnedToOwner:     rest.Sub(fee),
		PrincipalWrittenOff: loan.Principal.Sub(pay.Principal),
		InterestWrittenOff:  owedInterest.Sub(pay.Interest),
	}
	return pay, l
}
