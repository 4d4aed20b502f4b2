package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/market/types"
)

func TestNetEarnings(t *testing.T) {
	dec := sdkmath.LegacyMustNewDecFromStr
	for _, c := range []struct {
		name  string
		gross string
		n     uint64
		bps   uint32
		want  int64
	}{
		{"worked example: 1,000.5 over 2 leases at 500 bps", "1000.5", 2, 500, 946},
		{"one lease, no fee: loses the rounding of one lease twice", "200", 1, 0, 198},
		{"one lease owing 200 at 500 bps (a claim pays 190)", "200", 1, 500, 188},
		{"less than one unit per lease: nothing", "1.9", 2, 500, 0},
		{"nothing owed", "0", 0, 500, 0},
		{"fee of 100%", "1000", 1, 10_000, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, types.NetEarnings(dec(c.gross), c.n, c.bps).Int64())
		})
	}
	// The worked example's two leases owing 500.25 each really pay 475 each.
	gross, fee, net, _ := types.Payout(dec("500.25"), 500)
	require.Equal(t, []int64{500, 25, 475}, []int64{gross.Int64(), fee.Int64(), net.Int64()})
}
