package types

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"
)

func d(s string) sdkmath.LegacyDec { return sdkmath.LegacyMustNewDecFromStr(s) }

func TestFundedUntil(t *testing.T) {
	cases := []struct {
		name      string
		balance   string
		rate      string
		settledAt int64
		want      int64
	}{
		{"no rate", "100", "0", 10, 0},
		{"exact", "100", "2", 10, 60},
		{"fraction truncates", "100", "3", 0, 33},
		{"less than a second", "1", "1.5", 50, 50},
		{"empty", "0", "1", 50, 50},
		{"tiny rate", "1", "0.000000000000000001", 0, 1_000_000_000_000_000_000},
		{"huge balance caps", "100000000000000000000000000000", "0.000000000000000001", 0, farFuture},
		// 1/3 is stored as 0.333333333333333333; 1 / that is 3.000000000000000003 → 3 s, never 4.
		{"rounded rate", "1", "0.333333333333333333", 0, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := FundedUntil(d(c.balance), d(c.rate), c.settledAt)
			require.Equal(t, c.want, got)
		})
	}
}

func TestDrainNeverGoesNegative(t *testing.T) {
	for _, c := range []struct{ balance, rate string }{
		{"1000", "1.5"}, {"1", "0.333333333333333333"}, {"7", "7"}, {"0.5", "1"}, {"123456.789", "0.000001"},
	} {
		t.Run(c.balance+"@"+c.rate, func(t *testing.T) {
			bal, rate := d(c.balance), d(c.rate)
			fu := FundedUntil(bal, rate, 0)
			got, at := Drain(bal, rate, 0, fu, fu+1000)
			require.Equal(t, fu, at)
			require.False(t, got.IsNegative(), "%s at %s", c.balance, c.rate)
			require.True(t, got.LT(rate), "left %s should be under one second (%s)", got, rate)
			// Drained + left is the original balance, exactly.
			require.True(t, got.Add(rate.MulInt64(fu)).Equal(bal))
		})
	}
}

func TestDrain(t *testing.T) {
	cases := []struct {
		name                   string
		balance, rate          string
		settledAt, funded, now int64
		wantBalance            string
		wantAt                 int64
	}{
		{"before settled", "100", "1", 10, 110, 5, "100", 10},
		{"no rate moves clock", "100", "0", 10, 0, 50, "100", 50},
		{"partial", "100", "1", 10, 110, 40, "70", 40},
		{"stops at funded_until", "100", "1", 10, 110, 500, "0", 110},
		{"fractional", "10", "0.75", 0, 13, 4, "7", 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, at := Drain(d(c.balance), d(c.rate), c.settledAt, c.funded, c.now)
			require.True(t, b.Equal(d(c.wantBalance)), "balance %s", b)
			require.Equal(t, c.wantAt, at)
		})
	}
}

func TestPayout(t *testing.T) {
	cases := []struct {
		name            string
		unclaimed       string
		bps             uint32
		gross, fee, net int64
		rest            string
	}{
		{"fee rounds up", "451.5", 500, 451, 23, 428, "0.5"},
		{"less than a unit", "0.9", 500, 0, 0, 0, "0.9"},
		{"no fee", "100", 0, 100, 0, 100, "0"},
		{"fee cap exact", "100", 2500, 100, 25, 75, "0"},
		{"small payout still pays a fee unit", "19.999999999999999999", 500, 19, 1, 18, "0.999999999999999999"},
		{"one unit", "1", 1, 1, 1, 0, "0"},
		{"zero", "0", 500, 0, 0, 0, "0"},
		{"whole fee", "7", 10_000, 7, 7, 0, "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gross, fee, net, rest := Payout(d(c.unclaimed), c.bps)
			require.EqualValues(t, c.gross, gross.Int64())
			require.EqualValues(t, c.fee, fee.Int64())
			require.EqualValues(t, c.net, net.Int64())
			require.True(t, rest.Equal(d(c.rest)), "rest %s", rest)
			// Nothing is created or lost.
			require.True(t, sdkmath.LegacyNewDecFromInt(net.Add(fee)).Add(rest).Equal(d(c.unclaimed)))
		})
	}
}

func TestCommunityFee(t *testing.T) {
	cases := []struct {
		name   string
		amount int64
		bps    uint32
		want   int64
	}{
		{"exact", 400, 500, 20},
		{"rounds up", 401, 500, 21},
		{"a fraction is a unit", 1, 500, 1},
		{"zero bps", 1_000, 0, 0},
		{"zero amount", 0, 500, 0},
		{"never above the amount", 3, 20_000, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.EqualValues(t, c.want, CommunityFee(sdkmath.NewInt(c.amount), c.bps).Int64())
		})
	}
}

func TestCoverAndWithdrawable(t *testing.T) {
	week := int64(7 * 24 * 3600)
	// 1 uusdc/s for a week is 604,800.
	covers := []struct {
		name                     string
		balance, committed, rate string
		want                     bool
	}{
		{"exactly a week", "604800", "0", "1", true},
		{"a fraction short", "604799.9", "0", "1", false},
		{"committed counts", "604800", "0.5", "1", false},
		{"committed covered", "907200", "0.5", "1", true},
	}
	for _, c := range covers {
		t.Run("covers/"+c.name, func(t *testing.T) {
			require.Equal(t, c.want, Covers(d(c.balance), d(c.committed), d(c.rate), week))
		})
	}
	withdrawable := []struct {
		name               string
		balance, committed string
		want               int64
	}{
		{"rounds down", "604900.7", "1", 100},
		{"nothing free", "600000", "1", 0},
		{"no lease", "5.9", "0", 5},
	}
	for _, c := range withdrawable {
		t.Run("withdrawable/"+c.name, func(t *testing.T) {
			require.EqualValues(t, c.want, Withdrawable(d(c.balance), d(c.committed), week).Int64())
		})
	}
}

// TestWorkedExample follows the example in settle.go's comment step by step.
func TestWorkedExample(t *testing.T) {
	rate := LeaseRate(d("0.75"), 2)
	require.True(t, rate.Equal(d("1.5")))
	bal, at := Drain(d("1000"), rate, 100, FundedUntil(d("1000"), rate, 100), 400)
	require.True(t, bal.Equal(d("550")))
	require.EqualValues(t, 400, at)
	fu := FundedUntil(bal, rate, at)
	require.EqualValues(t, 766, fu)

	owed := Accrued(rate, 100, 401)
	require.True(t, owed.Equal(d("451.5")))
	gross, fee, net, rest := Payout(owed, 500)
	require.EqualValues(t, 451, gross.Int64())
	require.EqualValues(t, 23, fee.Int64(), "22.55 rounds up")
	require.EqualValues(t, 428, net.Int64())
	require.True(t, rest.Equal(d("0.5")))

	bal, at = Drain(bal, rate, 400, fu, 10_000)
	require.EqualValues(t, 766, at)
	require.True(t, bal.Equal(d("1")))
	owed = Accrued(rate, 401, 766).Add(rest)
	require.True(t, owed.Equal(d("548")))
	// Everything adds up: paid 451 + owed 548 + left 1 = 1000.
	require.True(t, d("451").Add(owed).Add(bal).Equal(d("1000")))
}
