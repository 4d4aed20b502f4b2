package types_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/pospace"
	"github.com/guild-network/guild/x/farming/types"
)

func TestPoolContractKeyAndPlotID(t *testing.T) {
	var buf []byte
	buf = append(buf, "guild/pool_contract"...)
	buf = binary.BigEndian.AppendUint64(buf, 5)
	require.Equal(t, sha256.Sum256(buf), types.PoolContractKey(5))
	require.NotEqual(t, types.PoolContractKey(5), types.PoolContractKey(6))

	pub := slices.Repeat([]byte{3}, 32)
	id, err := types.PlotID(5, pub)
	require.NoError(t, err)
	require.Equal(t, pospace.DerivePlotID(types.PoolContractKey(5), [32]byte(pub)), id)
	_, err = types.PlotID(5, pub[:31])
	require.ErrorIs(t, err, types.ErrInvalidPubKey)
}

func TestFilterAndChallenge(t *testing.T) {
	var id pospace.PlotID
	var sp [32]byte
	f := types.FilterHash(id, sp)
	require.Equal(t, sha256.Sum256(make([]byte, 64)), f)
	require.Equal(t, sha256.Sum256(f[:]), types.ProofChallenge(id, sp))
	require.True(t, types.PassesFilter(id, sp, 0), "no filter bits: every plot passes")
	require.False(t, types.PassesFilter(id, sp, 257))
	// Count passes over many signage points: about 1 in 2^bits.
	passes := 0
	for i := range 4096 {
		binary.BigEndian.PutUint32(sp[:], uint32(i))
		if types.PassesFilter(id, sp, 4) {
			passes++
		}
	}
	require.InDelta(t, 4096/16, passes, 80)
}

func TestProofSignBytesAndSignature(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(slices.Repeat([]byte{1}, 32))
	pub := priv.Public().(ed25519.PublicKey)
	var sp [32]byte
	sp[0] = 9
	msg := types.ProofSignBytes("guild-1", 42, sp, "guild1abc")
	want := append([]byte("guild/farming/proof/v1"), 0, 7)
	want = append(want, "guild-1"...)
	want = binary.BigEndian.AppendUint64(want, 42)
	want = append(want, sp[:]...)
	want = append(append(want, 0, 9), "guild1abc"...)
	require.Equal(t, want, msg)
	sig := ed25519.Sign(priv, msg)
	require.NoError(t, types.VerifyProofSignature(pub, "guild-1", 42, sp, "guild1abc", sig))
	for name, err := range map[string]error{
		"other address": types.VerifyProofSignature(pub, "guild-1", 42, sp, "guild1xyz", sig),
		"other height":  types.VerifyProofSignature(pub, "guild-1", 43, sp, "guild1abc", sig),
		"other chain":   types.VerifyProofSignature(pub, "guild-2", 42, sp, "guild1abc", sig),
		"short sig":     types.VerifyProofSignature(pub, "guild-1", 42, sp, "guild1abc", sig[:10]),
	} {
		require.ErrorIs(t, err, types.ErrInvalidSignature, name)
	}
}

func TestBetter(t *testing.T) {
	held := &types.BestProof{RequiredIters: 100, Quality: []byte{5}}
	cases := []struct {
		name    string
		iters   uint64
		quality []byte
		want    bool
	}{
		{"fewer iterations", 99, []byte{9}, true},
		{"more iterations", 101, []byte{0}, false},
		{"tie, smaller quality", 100, []byte{4}, true},
		{"tie, same quality", 100, []byte{5}, false},
		{"tie, larger quality", 100, []byte{6}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { require.Equal(t, c.want, types.Better(c.iters, c.quality, held)) })
	}
	require.True(t, types.Better(1<<60, nil, nil), "anything beats nothing")
}

func TestRequiredIterationsWorkedExample(t *testing.T) {
	// README: k=18, difficulty 1, DCF 2^54: a hash of 2^255 gives ⌊2^53 / 4 849 664⌋.
	p := types.DevnetParams()
	require.Equal(t, uint64(1<<54), p.IterationConstants().DifficultyConstantFactor.Uint64())
	require.Equal(t, p.SpIntervalIters, p.IterationConstants().SPIntervalIters())
	_, err := types.RequiredIterations(p, [32]byte{}, 9, 1, [32]byte{})
	require.ErrorIs(t, err, types.ErrInvalidK)
	iters, err := types.RequiredIterations(p, [32]byte{1}, 18, 1, [32]byte{2})
	require.NoError(t, err)
	doubled, err := types.RequiredIterations(p, [32]byte{1}, 18, 2, [32]byte{2})
	require.NoError(t, err)
	require.InDelta(t, 2*iters, doubled, 1, "iterations scale with the difficulty")
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	require.NoError(t, types.DevnetParams().Validate())
	bad := []func(*types.Params){
		func(p *types.Params) { p.RewardDenom = "" },
		func(p *types.Params) { p.ClaimWindow = 0 },
		func(p *types.Params) { p.SpRetention = p.ClaimWindow },
		func(p *types.Params) { p.PlotFilterBits = 33 },
		func(p *types.Params) { p.DifficultyConstantFactorBits = 0 },
		func(p *types.Params) { p.SpIntervalIters = 0 },
		func(p *types.Params) { p.MinK = 9 },
		func(p *types.Params) { p.MinK, p.MaxK = 30, 20 },
		func(p *types.Params) { p.MinDifficulty = 0 },
		func(p *types.Params) { p.InitialDifficulty = p.MaxDifficulty + 1 },
		func(p *types.Params) { p.EpochLength = 0 },
		func(p *types.Params) { p.TargetWinBps = 10_001 },
		func(p *types.Params) { p.MaxDifficultyFactor = 1 },
		func(p *types.Params) { p.MaxAwardsPerBlock = 1 },
		func(p *types.Params) { p.MaxRelativeLock = 0 },
	}
	for i, edit := range bad {
		p := types.DefaultParams()
		edit(&p)
		require.ErrorIs(t, p.Validate(), types.ErrInvalidParams, "case %d", i)
	}
}
