package types_test

import (
	"math/big"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	d := types.DefaultParams()
	require.Equal(t, "1000000", d.BondPerCpuCore.String())
	require.Equal(t, "100000", d.BondPerGibMemory.String())
	require.Equal(t, "10000", d.BondPerGibStorage.String())
	require.Equal(t, "10000000", d.BondPerGpu.String())
	require.Equal(t, "ugld", d.BondDenom)
	require.Equal(t, int64(600), d.HeartbeatTimeout)
	require.Equal(t, uint32(16), d.MaxAttributes)
	require.Equal(t, uint32(64), d.MaxNodesPerProvider)
	require.Equal(t, uint32(16), d.MaxOffersPerNode)

	max128 := sdkmath.NewIntFromBigInt(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1)))
	for _, tc := range []struct {
		name   string
		mutate func(*types.Params)
		ok     bool
	}{
		{"zero rates", func(p *types.Params) { *p = zeroRates() }, true},
		{"rate at 2^128−1", func(p *types.Params) { p.BondPerGpu = max128 }, true},
		{"rate at 2^128", func(p *types.Params) { p.BondPerGpu = max128.AddRaw(1) }, false},
		{"nil rate", func(p *types.Params) { p.BondPerGibMemory = sdkmath.Int{} }, false},
		{"negative rate", func(p *types.Params) { p.BondPerGibStorage = sdkmath.NewInt(-1) }, false},
		{"bad denom", func(p *types.Params) { p.BondDenom = "" }, false},
		{"zero timeout", func(p *types.Params) { p.HeartbeatTimeout = 0 }, false},
		{"negative timeout", func(p *types.Params) { p.HeartbeatTimeout = -1 }, false},
		{"no attributes", func(p *types.Params) { p.MaxAttributes = 0 }, true},
		{"attributes above limit", func(p *types.Params) { p.MaxAttributes = types.MaxAttributesLimit + 1 }, false},
		{"zero nodes", func(p *types.Params) { p.MaxNodesPerProvider = 0 }, false},
		{"nodes above limit", func(p *types.Params) { p.MaxNodesPerProvider = types.MaxNodesPerProviderLimit + 1 }, false},
		{"zero offers", func(p *types.Params) { p.MaxOffersPerNode = 0 }, false},
		{"offers above limit", func(p *types.Params) { p.MaxOffersPerNode = types.MaxOffersPerNodeLimit + 1 }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := types.DefaultParams()
			tc.mutate(&p)
			err := p.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, types.ErrInvalidParams)
			}
		})
	}
}
