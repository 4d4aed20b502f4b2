package keeper_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/farming/types"
)

func TestSubmitProofAcceptsAndRefuses(t *testing.T) {
	f := setup(t, testParams())
	f.createContracts()
	a := plots[0]
	sp, cands := f.findSP(a)
	proof := cands[0][0].proof

	// Refusals first, each with its registered error and no change at all.
	t.Run("refused", func(t *testing.T) {
		future := *a.msg(sp, proof, farmerA, farmerA)
		future.SpHeight = f.ctx.BlockHeight()
		f.c.Fails(types.ErrFutureSignagePoint, f.submit(&future))

		// A height the module never recorded (as after an upgrade that added it) yet inside the
		// window: unknown, not expired.
		unknown := *a.msg(sp, proof, farmerA, farmerA)
		unknown.SpHeight = f.ctx.BlockHeight()
		later := f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 2)
		f.c.Fails(types.ErrSignagePointNotFound, func(sdk.Context) error {
			_, err := f.msg.SubmitProof(later, &unknown)
			return err
		})

		m := a.msg(sp, proof, farmerA, farmerA)
		m.PoolContractId = 9
		f.c.Fails(types.ErrPoolContractNotFound, f.submit(m))

		// The proof of plot A presented as bound to pool contract 2: the derived plot id differs, so
		// the proof does not verify.
		m = a.msg(sp, proof, farmerA, farmerA)
		m.PoolContractId = 2
		f.c.Fails(types.ErrInvalidProof, f.submit(m))

		tampered := append([]byte(nil), proof...)
		tampered[10] ^= 0x40
		f.c.Fails(types.ErrInvalidProof, f.submit(a.msg(sp, tampered, farmerA, farmerA)))

		m = a.msg(sp, proof, farmerA, farmerA)
		m.K = 19 // the wrong k for the proof's size
		f.c.Fails(types.ErrInvalidProofSize, f.submit(m))
		m = a.msg(sp, append(append([]byte(nil), proof...), make([]byte, 8)...), farmerA, farmerA)
		m.K = 19 // right size for k=19, but it is a k=18 proof
		f.c.Fails(types.ErrInvalidProof, f.submit(m))
		m = a.msg(sp, proof[:8*17], farmerA, farmerA)
		m.K = 17 // below min_k
		f.c.Fails(types.ErrInvalidK, f.submit(m))

		// Reward theft: a valid proof, re-signed by another key or pointed at another address.
		m = a.msg(sp, proof, stranger, stranger)
		m.Signature = ed25519.Sign(plotKey(9), types.ProofSignBytes(chainID, sp.Height, [32]byte(sp.Hash), stranger))
		f.c.Fails(types.ErrInvalidSignature, f.submit(m))
		m = a.msg(sp, proof, farmerA, stranger)
		m.RewardAddress = stranger
		f.c.Fails(types.ErrInvalidSignature, f.submit(m))
		other := f.ctx.WithChainID("other-chain")
		f.c.Fails(types.ErrInvalidSignature, func(sdk.Context) error {
			_, err := f.msg.SubmitProof(other, a.msg(sp, proof, farmerA, farmerA))
			return err
		})

		f.c.Fails(sdkerrors.ErrUnauthorized, f.submit(a.msg(sp, proof, blocked, farmerA)))
	})

	// Accepted: the best proof is held on the signage point.
	var res *types.MsgSubmitProofResponse
	f.c.OK(func(ctx sdk.Context) error {
		var err error
		res, err = f.msg.SubmitProof(ctx, a.msg(sp, proof, farmerA, stranger))
		return err
	}, &types.EventProofAccepted{})
	require.False(t, res.Replaced)
	held := f.sp(sp.Height).Best
	require.Equal(t, a.id[:], held.PlotId)
	require.Equal(t, farmerA, held.RewardAddress)
	require.Equal(t, stranger, held.Submitter, "anyone may relay a signed proof; the reward stays the plot's choice")
	require.Equal(t, res.RequiredIters, held.RequiredIters)

	// The same proof again, even for another address signed by the same plot key: a replay.
	f.c.Fails(types.ErrProofReplayed, f.submit(a.msg(sp, proof, farmerA, farmerA)))
	f.c.Fails(types.ErrProofReplayed, f.submit(a.msg(sp, proof, stranger, farmerA)))

	// After the window the signage point is closed.
	f.advance(int(testParams().ClaimWindow))
	f.c.Fails(types.ErrSignagePointExpired, f.submit(a.msg(sp, proof, farmerA, farmerA)))
	// And once pruned, it is still refused as expired, not unknown.
	f.advance(int(testParams().SpRetention))
	_, err := f.k.GetSignagePoint(f.ctx, sp.Height)
	require.ErrorIs(t, err, types.ErrSignagePointNotFound)
	f.c.Fails(types.ErrSignagePointExpired, f.submit(a.msg(sp, proof, farmerA, farmerA)))
}

func TestSubmitProofNotGoodEnough(t *testing.T) {
	p := testParams()
	p.InitialDifficulty = 1 << 40 // no k=18 proof can win
	p.MaxDifficulty = 1 << 40
	f := setup(t, p)
	f.createContracts()
	sp, cands := f.findSP(plots[0])
	f.c.Fails(types.ErrProofNotGoodEnough, f.submit(plots[0].msg(sp, cands[0][0].proof, farmerA, farmerA)))
}

func TestSubmitProofFilter(t *testing.T) {
	p := testParams()
	p.PlotFilterBits = 4
	f := setup(t, p)
	f.createContracts()
	a := plots[0]
	// Find a signage point the plot does not pass and one it passes with a proof.
	var failed, passed bool
	for range 200 {
		f.next()
		sp := f.sp(f.ctx.BlockHeight() - 1)
		hash := [32]byte(sp.Hash)
		if !types.PassesFilter(a.id, hash, p.PlotFilterBits) {
			if !failed {
				// Any proof, even a real one for this challenge, is refused by the filter first.
				cands := a.proofs(t, hash)
				proof := make([]byte, 8*testK)
				if len(cands) > 0 {
					proof = cands[0].proof
				}
				f.c.Fails(types.ErrPlotFilter, f.submit(a.msg(sp, proof, farmerA, farmerA)))
				failed = true
			}
			continue
		}
		if cands := a.proofs(t, hash); len(cands) > 0 && !passed {
			f.c.OK(f.submit(a.msg(sp, cands[0].proof, farmerA, farmerA)), &types.EventProofAccepted{})
			passed = true
		}
		if failed && passed {
			return
		}
	}
	t.Fatal("did not meet both a filtered and a passing signage point")
}

func TestValidateBasicSubmitProof(t *testing.T) {
	good := types.MsgSubmitProof{
		Submitter: farmerA, SpHeight: 3, PlotPublicKey: plots[0].pub, PoolContractId: 1, K: 18,
		Proof: make([]byte, 144), RewardAddress: farmerA, Signature: make([]byte, 64),
	}
	require.NoError(t, good.ValidateBasic())
	cases := []struct {
		name string
		edit func(*types.MsgSubmitProof)
		want error
	}{
		{"submitter", func(m *types.MsgSubmitProof) { m.Submitter = "x" }, sdkerrors.ErrInvalidAddress},
		{"reward", func(m *types.MsgSubmitProof) { m.RewardAddress = "" }, sdkerrors.ErrInvalidAddress},
		{"height", func(m *types.MsgSubmitProof) { m.SpHeight = 0 }, types.ErrInvalidSignagePoint},
		{"key", func(m *types.MsgSubmitProof) { m.PlotPublicKey = m.PlotPublicKey[:31] }, types.ErrInvalidPubKey},
		{"k", func(m *types.MsgSubmitProof) { m.K = 51 }, types.ErrInvalidK},
		{"size", func(m *types.MsgSubmitProof) { m.Proof = m.Proof[:100] }, types.ErrInvalidProofSize},
		{"signature", func(m *types.MsgSubmitProof) { m.Signature = nil }, types.ErrInvalidSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := good
			c.edit(&m)
			require.ErrorIs(t, m.ValidateBasic(), c.want)
		})
	}
}
