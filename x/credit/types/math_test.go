package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/credit/types"
)

func i(n int64) sdkmath.Int { return sdkmath.NewInt(n) }

func dec(s string) sdkmath.LegacyDec { return sdkmath.LegacyMustNewDecFromStr(s) }

func TestSharesForDeposit(t *testing.T) {
	for _, c := range []struct {
		name                  string
		assets, total, shares int64
		want                  int64
		err                   error
	}{
		{"first depositor: 1,000 shares per unit (virtual offset)", 1_000_000, 0, 0, 1_000_000_000, nil},
		{"worked example after interest", 110, 1_100_000, 1_000_000_000, 100_000, nil},
		{"rounds down", 1, 3, 2000, 750, nil},
		{"zero refused", 0, 0, 0, 0, types.ErrInvalidAmount},
		{"a deposit that mints nothing is refused", 1, 10_000_000, 1000, 0, types.ErrZeroShares},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := types.SharesForDeposit(i(c.assets), i(c.total), i(c.shares))
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, got.Int64())
		})
	}
}

func TestAssetsForRedeem(t *testing.T) {
	for _, c := range []struct {
		name                  string
		shares, total, supply int64
		want                  int64
		err                   error
	}{
		{"worked example: all shares, one unit kept by the virtual share", 1_000_000_000, 1_100_000, 1_000_000_000, 1_099_999, nil},
		{"rounds down", 1000, 10, 2000, 3, nil},
		{"more than the supply", 2, 10, 1, 0, types.ErrInvalidAmount},
		{"pays nothing", 1, 0, 1000, 0, types.ErrZeroShares},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := types.AssetsForRedeem(i(c.shares), i(c.total), i(c.supply))
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, got.Int64())
		})
	}
}

// An attacker who donates to an empty pool cannot steal the next deposit: the virtual shares
// take most of the donation.
func TestInflationAttackFails(t *testing.T) {
	s1, err := types.SharesForDeposit(i(1), i(0), i(0)) // 1,000 shares for 1 unit
	require.NoError(t, err)
	assets := i(1).Add(i(1_000_000)) // a donation of 1,000,000
	s2, err := types.SharesForDeposit(i(1_000_000), assets, s1)
	require.NoError(t, err)
	total := assets.Add(i(1_000_000))
	supply := s1.Add(s2)
	victim, err := types.AssetsForRedeem(s2, total, supply)
	require.NoError(t, err)
	require.Greater(t, victim.Int64(), int64(490_000), "the victim keeps about half, not nothing")
	attacker, err := types.AssetsForRedeem(s1, total, supply)
	require.NoError(t, err)
	require.Less(t, attacker.Int64(), int64(1_000_001), "the attacker does not profit from the donation")
}

func TestBorrowRateAndIndex(t *testing.T) {
	p := types.DefaultParams()
	for _, c := range []struct{ u, want string }{
		{"0", "0.02"}, {"0.4", "0.07"}, {"0.8", "0.12"}, {"0.9", "0.62"}, {"1", "1.12"},
	} {
		t.Run("u="+c.u, func(t *testing.T) { require.Equal(t, dec(c.want), types.BorrowRate(p, dec(c.u))) })
	}
	t.Run("worked example: 10% for a year, twice", func(t *testing.T) {
		idx := types.AccrueIndex(sdkmath.LegacyOneDec(), dec("0.1"), types.SecondsPerYear)
		require.Equal(t, dec("1.1"), idx)
		require.Equal(t, dec("1.21"), types.AccrueIndex(idx, dec("0.1"), types.SecondsPerYear))
	})
	t.Run("rounds up: one second at 1%", func(t *testing.T) {
		idx := types.AccrueIndex(sdkmath.LegacyOneDec(), dec("0.01"), 1)
		require.True(t, idx.GT(sdkmath.LegacyOneDec()))
		// 0.01 / 31,536,000 = 0.000000000317097919… rounded up at the 18th decimal.
		require.Equal(t, dec("1.000000000317097920"), idx)
	})
	t.Run("no time, no change", func(t *testing.T) {
		require.Equal(t, dec("1.5"), types.AccrueIndex(dec("1.5"), dec("0.1"), 0))
	})
	t.Run("debt rounds up", func(t *testing.T) {
		require.Equal(t, i(2), types.DebtOf(dec("1.000000000000000001"), sdkmath.LegacyOneDec()))
	})
}

func TestApplyPayment(t *testing.T) {
	loan := types.Loan{Principal: i(1000), Scaled: dec("1000")}
	for _, c := range []struct {
		name                                  string
		pay                                   int64
		interest, treasury, principal, refund int64
		scaled                                string
	}{
		{"worked example: interest, principal, refund", 1100, 50, 5, 1000, 50, "1000"},
		{"interest only", 30, 30, 3, 0, 0, "28.571428571428571428"},
		{"exact debt", 1050, 50, 5, 1000, 0, "1000"},
		{"treasury rounds down", 9, 9, 0, 0, 0, "8.571428571428571428"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := types.ApplyPayment(loan, dec("1.05"), i(c.pay), 1000)
			require.Equal(t, []int64{c.interest, c.treasury, c.principal, c.refund},
				[]int64{p.Interest.Int64(), p.Treasury.Int64(), p.Principal.Int64(), p.Refund.Int64()})
			require.Equal(t, dec(c.scaled), p.ScaledRepaid)
			require.Equal(t, i(c.pay), p.Interest.Add(p.Principal).Add(p.Refund), "every unit accounted for")
		})
	}
}

func TestSplitLiquidation(t *testing.T) {
	loan := types.Loan{Denom: "ugld", Principal: i(1000), Scaled: dec("1000")}
	for _, c := range []struct {
		name                                                string
		recovered                                           int64
		interest, principal, fee, owner, writtenP, writtenI int64
	}{
		{"worked example: fee takes what is left", 1150, 100, 1000, 50, 0, 0, 0},
		{"full fee and a rest to the owner", 2000, 100, 1000, 110, 790, 0, 0},
		{"shortfall written off", 600, 100, 500, 0, 0, 500, 0},
		{"not even the interest", 40, 40, 0, 0, 0, 1000, 60},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, l := types.SplitLiquidation(loan, dec("1.1"), i(c.recovered), 1000, 1000)
			require.Equal(t, []int64{c.interest, c.principal, c.fee, c.owner, c.writtenP, c.writtenI},
				[]int64{l.InterestPaid.Int64(), l.PrincipalPaid.Int64(), l.Fee.Int64(), l.ReturnedToOwner.Int64(),
					l.PrincipalWrittenOff.Int64(), l.InterestWrittenOff.Int64()})
			require.Equal(t, l.Recovered, l.InterestPaid.Add(l.PrincipalPaid).Add(l.Fee).Add(l.ReturnedToOwner))
		})
	}
}

func TestLimits(t *testing.T) {
	t.Run("borrow by DTL: worked examples", func(t *testing.T) {
		require.Equal(t, i(3000), types.BorrowByDTL(i(0), i(1000), 7500))
		require.Equal(t, i(1000), types.BorrowByDTL(i(500), i(1000), 7500))
		require.Equal(t, i(0), types.BorrowByDTL(i(800), i(1000), 7500))
	})
	t.Run("liquidity keeps the reserve, rounded up", func(t *testing.T) {
		require.Equal(t, i(899), types.BorrowByLiquidity(i(1000), dec("1001"), 1000))
		require.Equal(t, i(0), types.BorrowByLiquidity(i(50), dec("1000"), 1000))
	})
	t.Run("DTL in bps rounds up; no collateral is unbounded", func(t *testing.T) {
		require.Equal(t, uint64(3334), types.DTLBps(i(1), i(3)))
		require.Equal(t, uint64(types.MaxDTLBps), types.DTLBps(i(1), i(0)))
		require.Equal(t, uint64(0), types.DTLBps(i(0), i(0)))
	})
	t.Run("faults", func(t *testing.T) {
		require.True(t, types.FaultsWithin(0, 0, 1000))
		require.True(t, types.FaultsWithin(1, 10, 1000))
		require.False(t, types.FaultsWithin(2, 10, 1000))
		require.False(t, types.FaultsWithin(1, 0, 1000))
	})
}
