package keeper_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/farming/types"
)

func TestAwardSplitsAndCarries(t *testing.T) {
	p := testParams()
	f := setup(t, p)
	f.createContracts()
	a := plots[0]
	reward := p.RewardPerSp // 1 000 003

	// Signage points close without a winner: their rewards are minted and carried.
	f.next() // records SP 1
	sp1 := f.sp(1)
	require.Equal(t, int64(1+p.ClaimWindow+1), sp1.CloseHeight)
	f.advance(int(p.ClaimWindow)) // block 2+claim_window begins: SP 1 is awarded when its window closes
	require.True(t, f.sp(1).Awarded)
	require.Nil(t, f.sp(1).Best)
	st := f.state()
	require.Equal(t, reward.MulRaw(int64(st.SpsCarried)).String(), st.Carried.String())
	require.Equal(t, st.Carried.String(), f.bank.balance(moduleAddr).String(), "the carried reward sits in the module account")

	// A win: 1/8 of (this reward + everything carried) to the farmer, 7/8 to the pool contract.
	sp, cands := f.findSP(a)
	f.c.OK(f.submit(a.msg(sp, cands[0][0].proof, stranger, farmerA)), &types.EventProofAccepted{})
	// Each block closes one more signage point; stop just before sp closes.
	for f.ctx.BlockHeight()+1 < sp.CloseHeight {
		f.next()
	}
	carriedAtWin := f.state().Carried
	require.True(t, carriedAtWin.IsPositive(), "earlier signage points were carried")
	events := f.next()
	require.Contains(t, events, "guild.farming.v1.EventSignagePointWon")
	total := reward.Add(carriedAtWin)
	farmer := total.QuoRaw(8)
	require.Equal(t, farmer.String(), f.bank.balance(stranger).String(), "1/8 to the reward address, rounded down")
	require.Equal(t, total.Sub(farmer).String(), f.contract(1).Balance.String(), "7/8 (and the rounding) to the pool contract")
	require.True(t, f.state().Carried.IsZero())
	require.Equal(t, total.String(), f.sp(sp.Height).Reward.String())

	// Absorb by anyone, to the target only.
	f.c.Fails(types.ErrNotPoolTarget, func(ctx sdk.Context) error {
		_, err := f.msg.Absorb(ctx, &types.MsgAbsorb{Signer: stranger, PoolContractId: 1, Target: stranger})
		return err
	})
	f.c.OK(func(ctx sdk.Context) error {
		_, err := f.msg.Absorb(ctx, &types.MsgAbsorb{Signer: stranger, PoolContractId: 1, Target: farmerA})
		return err
	}, &types.EventAbsorbed{})
	require.Equal(t, total.Sub(farmer).String(), f.bank.balance(farmerA).String())
	f.c.Fails(types.ErrNothingToAbsorb, func(ctx sdk.Context) error {
		_, err := f.msg.Absorb(ctx, &types.MsgAbsorb{Signer: stranger, PoolContractId: 1, Target: farmerA})
		return err
	})
}

func TestBetterProofWins(t *testing.T) {
	f := setup(t, testParams())
	f.createContracts()
	a, b := plots[0], plots[1]
	sp, cands := f.findSP(a, b)
	type entry struct {
		plot   int
		proof  []byte
		iters  uint64
		reward string
	}
	var es []entry
	for i, cs := range cands {
		for _, c := range cs {
			iters, err := types.RequiredIterations(testParams(), c.quality, testK, sp.Difficulty, [32]byte(sp.Hash))
			require.NoError(t, err)
			es = append(es, entry{i, c.proof, iters, []string{farmerA, farmerB}[i]})
		}
	}
	best, worst := es[0], es[0]
	for _, e := range es {
		if e.iters < best.iters {
			best = e
		}
		if e.iters > worst.iters {
			worst = e
		}
	}
	require.NotEqual(t, best.iters, worst.iters)
	msg := func(e entry) *types.MsgSubmitProof { return plots[e.plot].msg(sp, e.proof, e.reward, e.reward) }

	// The worse proof first, then the better one replaces it; the worse one is now refused.
	f.c.OK(f.submit(msg(worst)), &types.EventProofAccepted{})
	f.c.OK(f.submit(msg(best)), &types.EventProofAccepted{}, &types.EventProofReplaced{})
	f.c.Fails(types.ErrProofNotBetter, f.submit(msg(worst)))
	require.Equal(t, best.iters, f.sp(sp.Height).Best.RequiredIters)
	require.Equal(t, uint32(2), f.sp(sp.Height).ProofsAccepted)

	for f.ctx.BlockHeight() < sp.CloseHeight {
		f.next()
	}
	won := f.sp(sp.Height)
	require.True(t, won.Awarded)
	require.Equal(t, plots[best.plot].contract, won.Best.PoolContractId)
	loser := []string{farmerA, farmerB}[1-best.plot]
	if best.plot != worst.plot {
		require.True(t, f.bank.balance(loser).IsZero(), "the beaten farmer gets nothing")
	}
	require.False(t, f.bank.balance(best.reward).IsZero())
}

func TestDifficultyAdjustsPerEpoch(t *testing.T) {
	p := testParams()
	p.InitialDifficulty = 100
	f := setup(t, p)
	// No proofs at all: after epoch_length closed signage points the difficulty falls by the
	// factor, and never below min_difficulty.
	for f.state().Epoch == 1 {
		f.next()
	}
	st := f.state()
	require.Equal(t, uint64(100/p.MaxDifficultyFactor), st.Difficulty)
	require.Zero(t, st.EpochClosed)
	for f.state().Difficulty > 1 {
		f.next()
	}
	f.advance(int(p.EpochLength) * 2)
	require.Equal(t, p.MinDifficulty, f.state().Difficulty)
	// A signage point recorded after the change is judged at the new difficulty.
	require.Equal(t, f.state().Difficulty, f.sp(f.ctx.BlockHeight()-1).Difficulty)
}

func TestNextDifficulty(t *testing.T) {
	cases := []struct {
		name               string
		d, closed, won     uint64
		target             uint32
		factor, minD, maxD uint64
		want               uint64
	}{
		{"worked example", 1000, 100, 80, 5000, 3, 1, 1 << 40, 1600},
		{"on target keeps", 1000, 100, 50, 5000, 3, 1, 1 << 40, 1000},
		{"no winners falls by the factor", 1000, 100, 0, 5000, 3, 1, 1 << 40, 333},
		{"all winners capped by the factor", 1000, 100, 100, 1000, 3, 1, 1 << 40, 3000},
		{"max bound", 1000, 100, 100, 1000, 3, 1, 2000, 2000},
		{"min bound", 10, 100, 0, 5000, 3, 5, 100, 5},
		{"no signage points keeps", 77, 0, 0, 5000, 3, 1, 100, 77},
		{"huge values saturate", 1 << 62, 1, 1, 1, 1000, 1, ^uint64(0), ^uint64(0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, types.NextDifficulty(c.d, c.closed, c.won, c.target, c.factor, c.minD, c.maxD))
		})
	}
}

func TestRewardSchedule(t *testing.T) {
	p := types.DefaultParams()
	p.RewardPerSp = sdkmath.NewInt(1_000_000)
	p.HalvingInterval = 100
	for h, want := range map[int64]int64{0: 1_000_000, 99: 1_000_000, 100: 500_000, 250: 250_000, 100 * 300: 0} {
		require.Equal(t, sdkmath.NewInt(want).String(), types.SPReward(p, h).String(), "height %d", h)
	}
	farmer, pool := types.SplitReward(sdkmath.NewInt(1_000_003))
	require.Equal(t, "125000", farmer.String())
	require.Equal(t, "875003", pool.String())
	for _, n := range []int64{0, 1, 7, 8, 9, 1_000_000_007} {
		f, pl := types.SplitReward(sdkmath.NewInt(n))
		require.Equal(t, n, f.Add(pl).Int64())
		require.Equal(t, n/8, f.Int64())
	}
}
