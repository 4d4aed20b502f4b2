package types_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/guild-network/guild/x/vault/types"
)

func i(n int64) sdkmath.Int { return sdkmath.NewInt(n) }

func is(s string) sdkmath.Int {
	v, ok := sdkmath.NewIntFromString(s)
	if !ok {
		panic(s)
	}
	return v
}

func TestSharesForDeposit(t *testing.T) {
	for _, c := range []struct {
		name                 string
		assets, shares, prin sdkmath.Int
		want                 sdkmath.Int
	}{
		{"first deposit: the virtual offset prices 1000 shares per ugld", i(1_000_000), i(0), i(0), i(1_000_000_000)},
		{"same price keeps 1000 per ugld", i(2_000_000), i(1_000_000_000), i(1_000_000), i(2_000_000_000)},
		{"worked example: fees raised the price, rounds down", i(300), i(1_000_000_000), i(1_200_000), i(250_000)},
		{"worked example: 1 ugld", i(1), i(1_000_000_000), i(1_200_000), i(833)},
		{"zero result when a share is worth more than the deposit", i(100), i(1), i(200_000), i(0)},
		{"a donation-inflated price cannot be made from the first deposit of 1", i(1), i(0), i(0), i(1000)},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want.String(), types.SharesForDeposit(c.assets, c.shares, c.prin).String())
		})
	}
}

func TestAssetsForShares(t *testing.T) {
	for _, c := range []struct {
		name               string
		burn, shares, prin sdkmath.Int
		want               sdkmath.Int
	}{
		{"worked example: rounds down", i(250_000_000), i(1_000_000_000), i(1_200_000), i(299_999)},
		{"all shares of a one-depositor vault give back the deposit", i(1_000_000_000), i(1_000_000_000), i(1_000_000), i(1_000_000)},
		{"one share is worth nothing at the first price", i(1), i(1_000_000_000), i(1_000_000), i(0)},
		{"a slash lowers every holder's value alike", i(500_000_000), i(1_000_000_000), i(900_000), i(450_000)},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want.String(), types.AssetsForShares(c.burn, c.shares, c.prin).String())
		})
	}
}

func TestFees(t *testing.T) {
	t.Run("early exit fee rounds up (worked example)", func(t *testing.T) {
		require.Equal(t, "15000", types.EarlyExitFee(i(299_999), 500).String())
		require.Equal(t, "0", types.EarlyExitFee(i(299_999), 0).String())
		require.Equal(t, "1", types.EarlyExitFee(i(1), 1).String())
	})
	t.Run("min liquid rounds up (worked example)", func(t *testing.T) {
		require.Equal(t, "600001", types.MinLiquid(i(3_000_001), 2000).String())
		require.Equal(t, "600000", types.MinLiquid(i(3_000_000), 2000).String())
	})
	t.Run("fee split rounds fees down and adds up (worked example)", func(t *testing.T) {
		s := types.SplitFees(i(1_000_003), 1000, 300, 200)
		require.Equal(t, []string{"100000", "30000", "20000", "850003"},
			[]string{s.Operator.String(), s.Dataset.String(), s.Device.String(), s.Holders.String()})
		s = types.SplitFees(i(9), 1000, 300, 200)
		require.Equal(t, "9", s.Holders.String())
	})
}

func TestAccrueAndSettle(t *testing.T) {
	t.Run("worked example", func(t *testing.T) {
		acc, rem := types.Accrue(i(0), i(0), i(3), i(10))
		require.Equal(t, "3333333333333333333333333334", acc.String())
		require.Equal(t, "-2", rem.String())
		credit, prem := types.Settle(i(1), acc, i(0), i(0))
		require.Equal(t, "3", credit.String())
		require.Equal(t, "333333333333333333333333334", prem.String())
		first := acc
		acc, rem = types.Accrue(acc, rem, i(3), i(10))
		acc, rem = types.Accrue(acc, rem, i(3), i(10))
		require.Equal(t, "10000000000000000000000000000", acc.String())
		require.Equal(t, "0", rem.String())
		credit, prem = types.Settle(i(1), acc, first, prem)
		require.Equal(t, "7", credit.String())
		require.Equal(t, "0", prem.String())
	})
	t.Run("a whole pro-rata share is paid whole", func(t *testing.T) {
		// 850_000 over 6e9 shares: the 3e9-share holder's exact share is 425_000.
		acc, _ := types.Accrue(i(0), i(0), i(6_000_000_000), i(850_000))
		for _, c := range []struct{ shares, want int64 }{{1_000_000_000, 141_666}, {2_000_000_000, 283_333}, {3_000_000_000, 425_000}} {
			credit, _ := types.Settle(i(c.shares), acc, i(0), i(0))
			require.Equal(t, c.want, credit.Int64())
		}
	})
}

func TestPasses(t *testing.T) {
	for _, c := range []struct {
		name           string
		yes, no, total int64
		quorum, thresh uint32
		want           bool
	}{
		{"worked example: passes", 300, 100, 1000, 3334, 5000, true},
		{"worked example: tie fails the threshold", 200, 200, 1000, 3334, 5000, false},
		{"below quorum", 300, 0, 1000, 3001, 5000, false},
		{"exactly at quorum", 300, 0, 1000, 3000, 5000, true},
		{"no votes", 0, 0, 1000, 1, 5000, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, types.Passes(i(c.yes), i(c.no), i(c.total), c.quorum, c.thresh))
		})
	}
}

// TestAccrualNeverOverpays: over random accruals and random share splits, the positions'
// credits add up to at most what was booked, and the books identity holds exactly.
func TestAccrualNeverOverpays(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "positions")
		shares := make([]sdkmath.Int, n)
		total := sdkmath.ZeroInt()
		for j := range shares {
			shares[j] = sdkmath.NewInt(rapid.Int64Range(1, 1_000_000_000_000).Draw(t, "shares"))
			total = total.Add(shares[j])
		}
		acc, rem, booked := sdkmath.ZeroInt(), sdkmath.ZeroInt(), sdkmath.ZeroInt()
		for range rapid.IntRange(1, 20).Draw(t, "accruals") {
			amt := sdkmath.NewInt(rapid.Int64Range(1, 1_000_000_000).Draw(t, "amount"))
			acc, rem = types.Accrue(acc, rem, total, amt)
			booked = booked.Add(amt)
		}
		paid, owed := sdkmath.ZeroInt(), sdkmath.ZeroInt()
		for _, s := range shares {
			credit, prem := types.Settle(s, acc, sdkmath.ZeroInt(), sdkmath.ZeroInt())
			paid = paid.Add(credit)
			owed = owed.Add(credit.Mul(types.AccScale)).Add(prem)
		}
		if paid.GT(booked) {
			t.Fatalf("paid %s of %s booked", paid, booked)
		}
		if !booked.Mul(types.AccScale).Equal(owed.Add(rem)) {
			t.Fatalf("identity: %s × 10^27 ≠ %s + %s", booked, owed, rem)
		}
	})
}

// TestShareRoundTripNeverProfits: depositing then redeeming at once never returns more.
func TestShareRoundTripNeverProfits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := sdkmath.NewInt(rapid.Int64Range(0, 1_000_000_000_000_000).Draw(t, "S"))
		a := sdkmath.NewInt(rapid.Int64Range(0, 1_000_000_000_000).Draw(t, "A"))
		in := sdkmath.NewInt(rapid.Int64Range(1, 1_000_000_000_000).Draw(t, "in"))
		minted := types.SharesForDeposit(in, s, a)
		out := types.AssetsForShares(minted, s.Add(minted), a.Add(in))
		if out.GT(in) {
			t.Fatalf("deposit %s at S=%s A=%s redeems %s", in, s, a, out)
		}
	})
}
