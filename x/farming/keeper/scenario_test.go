package keeper_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/farming/types"
)

// TestRandomizedScenario runs random blocks, proof submissions (good, tampered, misdirected,
// replayed, late), joins, leaves and absorbs with real k=18 proofs, and after every step checks
// the invariants: minted = paid to farmers + pool contract balances + absorbed + carried (and the
// module account holds exactly balances + carried), at most one winner per signage point and
// difficulty within its bounds; a refused step changes nothing. The same seed gives the same
// final state.
func TestRandomizedScenario(t *testing.T) {
	run := func(seed uint64) *types.GenesisState {
		p := testParams()
		p.DifficultyConstantFactorBits = 50 // some proofs lose, so carries and replacements happen
		p.EpochLength = 5
		p.InitialDifficulty = 2
		f := setup(t, p)
		f.createContracts()
		r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		rewards := []string{farmerA, farmerB, stranger}
		wins := map[int64]string{}
		step := func(name string, fn func(sdk.Context) error) {
			snap := f.snapshot()
			err := fn(f.ctx)
			if err != nil {
				require.Equal(t, snap, f.snapshot(), "%s: refused (%v) but changed state", name, err)
			}
			require.NoError(t, f.k.CheckInvariants(f.ctx), "after %s", name)
		}
		for i := 0; i < 300; i++ {
			switch op := r.IntN(10); {
			case op < 4:
				f.next()
			case op < 8:
				// Submit one proof of a random plot for a random recent signage point.
				h := f.ctx.BlockHeight() - 1 - int64(r.IntN(int(p.ClaimWindow)+2))
				sp, err := f.k.GetSignagePoint(f.ctx, h)
				if err != nil {
					continue
				}
				pl := plots[r.IntN(len(plots))]
				cands := pl.proofs(t, [32]byte(sp.Hash))
				if len(cands) == 0 {
					continue
				}
				m := pl.msg(sp, cands[r.IntN(len(cands))].proof, rewards[r.IntN(len(rewards))], stranger)
				switch r.IntN(5) {
				case 0:
					m.Proof = append([]byte(nil), m.Proof...)
					m.Proof[r.IntN(len(m.Proof))] ^= 1 << r.IntN(8)
				case 1:
					m.RewardAddress = rewards[r.IntN(len(rewards))] // maybe a stolen signature
				}
				step("submit", f.submit(m))
			case op == 8:
				id := uint64(1 + r.IntN(2))
				owner := []string{farmerA, farmerB}[id-1]
				switch r.IntN(3) {
				case 0:
					step("join", f.join(owner, id, uint64(1+r.IntN(8))))
				case 1:
					step("leave", f.leave(owner, id))
				default:
					step("leave by stranger", f.leave(stranger, id))
				}
			default:
				id := uint64(1 + r.IntN(2))
				c := f.contract(id)
				target := c.Target
				if r.IntN(3) == 0 {
					target = stranger
				}
				step("absorb", func(ctx sdk.Context) error { _, err := f.k.Absorb(ctx, stranger, id, target); return err })
			}
			// At most one winner per signage point, and it never changes once awarded.
			gs, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			for _, sp := range gs.SignagePoints {
				if sp.Awarded && sp.Best != nil {
					if w, ok := wins[sp.Height]; ok {
						require.Equal(t, w, string(sp.Best.PlotId)+sp.Best.RewardAddress)
					}
					wins[sp.Height] = string(sp.Best.PlotId) + sp.Best.RewardAddress
				}
			}
			st := gs.State
			require.GreaterOrEqual(t, st.Difficulty, p.MinDifficulty)
			require.LessOrEqual(t, st.Difficulty, p.MaxDifficulty)
		}
		st := f.state()
		require.Positive(t, st.SpsWon, "the scenario should see wins")
		require.Positive(t, st.SpsCarried, "and carried rewards")
		gs, err := f.k.ExportGenesis(f.ctx)
		require.NoError(t, err)
		return gs
	}
	a := run(7)
	require.Equal(t, a, run(7), "same seed, same state")
	run(8)
}

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t, testParams())
	f.createContracts()
	f.c.OK(f.join(farmerB, 2, 9))
	f.win(plots[0], farmerA)
	f.c.OK(f.leave(farmerB, 2))
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())

	g := setup(t, testParams())
	g.bank.balances = f.bank.balances
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, again)
	require.NoError(t, g.k.CheckInvariants(g.ctx))
	n, err := g.k.LeavingQueueLen(g.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n, "queues are rebuilt from the objects")

	bad := *gs
	bad.State.Minted = bad.State.Minted.AddRaw(1)
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	bad = *gs
	bad.State.Difficulty = 0
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	require.ErrorIs(t, types.DefaultGenesis().Validate(), nil)
}
