package types_test

import (
	"math"
	"math/big"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/provider/types"
)

const gib = 1 << 30

func TestRequiredBond(t *testing.T) {
	def := types.DefaultParams()
	huge := def
	huge.BondPerGpu = sdkmath.NewIntFromBigInt(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1)))
	for _, tc := range []struct {
		name string
		c    types.Resources
		p    types.Params
		want string
	}{
		{"nothing", res(0, 0, 0, 0), def, "0"},
		// 4 × 1_000_000 + 8 × 100_000 + 100 × 10_000
		{"worked example", res(4000, 8*gib, 100*gib, 0), def, "5800000"},
		{"fractional core floors", res(1500, 0, 0, 0), def, "1500000"},
		{"one milli-core", res(1, 0, 0, 0), def, "1000"},
		{"one byte of memory floors to zero", res(0, 1, 0, 0), def, "0"},
		{"half a GiB of memory", res(0, gib/2, 0, 0), def, "50000"},
		// each term floors on its own: 0.50002 + 0.50001 is 1 together but 0 + 0 apart
		{"terms floor separately", res(0, 5369, 53688, 0), def, "0"},
		{"gpus", res(0, 0, 0, 2), def, "20000000"},
		{"everything", res(16000, 64*gib, 1024*gib, 1), def, "42640000"},
		{"zero rates", res(4000, gib, gib, 1), zeroRates(), "0"},
		{"max quantities", res(math.MaxUint64, math.MaxUint64, math.MaxUint64, math.MaxUint64), def,
			maxQuantities(def)},
		{"max quantity times 2^128−1", res(0, 0, 0, math.MaxUint64), huge,
			sdkmath.NewIntFromUint64(math.MaxUint64).Mul(huge.BondPerGpu).String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := types.RequiredBond(tc.c, tc.p)
			require.NoError(t, err)
			require.Equal(t, tc.want, got.String())
		})
	}
	bad := def
	bad.BondPerCpuCore = sdkmath.Int{}
	_, err := types.RequiredBond(res(1, 0, 0, 0), bad)
	require.ErrorIs(t, err, types.ErrInvalidParams)
	bad.BondPerCpuCore = sdkmath.NewInt(-1)
	_, err = types.RequiredBond(res(1, 0, 0, 0), bad)
	require.ErrorIs(t, err, types.ErrInvalidParams)
}

func zeroRates() types.Params {
	p := types.DefaultParams()
	p.BondPerCpuCore, p.BondPerGibMemory, p.BondPerGibStorage, p.BondPerGpu =
		sdkmath.ZeroInt(), sdkmath.ZeroInt(), sdkmath.ZeroInt(), sdkmath.ZeroInt()
	return p
}

func maxQuantities(p types.Params) string {
	m := sdkmath.NewIntFromUint64(math.MaxUint64)
	g := sdkmath.NewInt(gib)
	return m.Mul(p.BondPerCpuCore).QuoRaw(1000).
		Add(m.Mul(p.BondPerGibMemory).Quo(g)).
		Add(m.Mul(p.BondPerGibStorage).Quo(g)).
		Add(m.Mul(p.BondPerGpu)).String()
}

func TestSlashAmount(t *testing.T) {
	c := func(a int64) sdk.Coin { return sdk.NewInt64Coin("ugld", a) }
	for _, tc := range []struct {
		name string
		bond sdk.Coin
		bps  uint32
		want int64
	}{
		{"worked example", c(5_800_000), 250, 145_000},
		{"too small to lose a unit", c(39), 250, 0},
		{"floor", c(41), 250, 1},
		{"zero bps", c(1_000_000), 0, 0},
		{"everything", c(1_234_567), 10_000, 1_234_567},
		{"above 100% counts as 100%", c(1_234_567), 20_000, 1_234_567},
		{"one bp", c(10_000), 1, 1},
		{"zero bond", c(0), 5_000, 0},
		{"half of odd", c(3), 5_000, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := types.SlashAmount(tc.bond, tc.bps)
			require.Equal(t, "ugld", got.Denom)
			require.Equal(t, sdkmath.NewInt(tc.want), got.Amount)
		})
	}
	// The split computation equals the direct floor for large amounts and never overflows.
	// (a direct bond × bps would overflow math.Int's 256 bits here).
	b := new(big.Int).Lsh(big.NewInt(1), 250)
	got := types.SlashAmount(sdk.Coin{Denom: "ugld", Amount: sdkmath.NewIntFromBigInt(b)}, 9_999)
	want := new(big.Int).Quo(new(big.Int).Mul(b, big.NewInt(9_999)), big.NewInt(10_000))
	require.Equal(t, want.String(), got.Amount.String())
	require.True(t, types.SlashAmount(sdk.Coin{Denom: "ugld"}, 100).Amount.IsZero())
}
