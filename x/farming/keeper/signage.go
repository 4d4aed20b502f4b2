package keeper

import (
	"context"
	"encoding/hex"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/farming/types"
)

// RecordSignagePoint records the signage point of block height from that block's hash: it is
// judged at the current difficulty, closes at height + claim_window + 1 and is pruned at
// height + sp_retention. BeginBlock calls it for the previous block; it refuses a height already
// recorded.
func (k Keeper) RecordSignagePoint(ctx context.Context, height int64, blockHash []byte) error {
	if height <= 0 || len(blockHash) == 0 {
		return errorsmod.Wrapf(types.ErrInvalidSignagePoint, "height %d with a %d-byte block hash", height, len(blockHash))
	}
	if has, err := k.sps.Has(ctx, height); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrInvalidSignagePoint, "height %d already recorded", height)
	}
	p, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	st, err := k.state.Get(ctx)
	if err != nil {
		return err
	}
	hash := types.SignagePointHash(blockHash)
	sp := types.SignagePoint{
		Height: height, Hash: hash[:], BlockHash: blockHash, Time: modkit.BlockTime(ctx),
		Difficulty: st.Difficulty, CloseHeight: height + int64(p.ClaimWindow) + 1,
		PruneHeight: height + int64(p.SpRetention), Reward: sdkmath.ZeroInt(),
	}
	if err := k.sps.Set(ctx, height, sp); err != nil {
		return err
	}
	st.LastSpHeight = height
	if err := k.state.Set(ctx, st); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventSignagePoint{
		Height: height, Hash: hex.EncodeToString(hash[:]), Difficulty: sp.Difficulty, CloseHeight: sp.CloseHeight,
	})
}

// Submission is a proof submission, the fields of MsgSubmitProof.
type Submission struct {
	Submitter      string
	SpHeight       int64
	PlotPublicKey  []byte
	PoolContractID uint64
	K              uint32
	Proof          []byte
	RewardAddress  string
	Signature      []byte
}

// SubmitProof checks a proof against its signage point and keeps it if it is the best so far.
// In order it refuses: a signage point in the future, unknown, or whose window has closed; an
// unknown pool contract; a blocked reward address; a k outside the parameters; a plot that fails
// the filter; a proof of the wrong size or that does not verify (a plot id that does not match
// the pool contract and key fails here, since the plot id is derived, never sent); required
// iterations not below sp_interval_iters; a signature that is not the plot key's over
// (chain id, sp height, sp hash, reward address); the proof already held; a proof not better than
// the one held. It returns the required iterations and whether a held proof was replaced.
func (k Keeper) SubmitProof(ctx context.Context, s Submission) (uint64, bool, error) {
	height := modkit.BlockHeight(ctx)
	p, err := k.params.Get(ctx)
	if err != nil {
		return 0, false, err
	}
	if s.SpHeight >= height {
		return 0, false, errorsmod.Wrapf(types.ErrFutureSignagePoint, "signage point %d at block %d", s.SpHeight, height)
	}
	sp, err := k.sps.Get(ctx, s.SpHeight)
	switch {
	case errors.Is(err, collections.ErrNotFound) && s.SpHeight+int64(p.ClaimWindow) < height:
		return 0, false, errorsmod.Wrapf(types.ErrSignagePointExpired, "signage point %d at block %d is no longer kept", s.SpHeight, height)
	case errors.Is(err, collections.ErrNotFound):
		return 0, false, errorsmod.Wrapf(types.ErrSignagePointNotFound, "height %d", s.SpHeight)
	case err != nil:
		return 0, false, err
	}
	if sp.Awarded || height >= sp.CloseHeight {
		return 0, false, errorsmod.Wrapf(types.ErrSignagePointExpired, "signage point %d closed at block %d", s.SpHeight, sp.CloseHeight)
	}
	if _, err := k.GetPoolContract(ctx, s.PoolContractID); err != nil {
		return 0, false, err
	}
	reward, err := sdk.AccAddressFromBech32(s.RewardAddress)
	if err != nil {
		return 0, false, errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "reward_address: %v", err)
	}
	if k.bank.BlockedAddr(reward) {
		return 0, false, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "reward_address %s may not receive funds", s.RewardAddress)
	}
	spHash := [32]byte(sp.Hash)
	ev, err := types.EvaluateProof(p, s.PoolContractID, s.PlotPublicKey, s.K, s.Proof, spHash, sp.Difficulty)
	if err != nil {
		return 0, false, errorsmod.Wrapf(err, "signage point %d", s.SpHeight)
	}
	if ev.RequiredIters >= p.SpIntervalIters {
		return ev.RequiredIters, false, errorsmod.Wrapf(types.ErrProofNotGoodEnough, "signage point %d: %d required iterations at difficulty %d, bar %d",
			s.SpHeight, ev.RequiredIters, sp.Difficulty, p.SpIntervalIters)
	}
	if err := types.VerifyProofSignature(s.PlotPublicKey, modkit.ChainID(ctx), s.SpHeight, spHash, s.RewardAddress, s.Signature); err != nil {
		return 0, false, err
	}
	held := sp.Best
	if held != nil && string(held.PlotId) == string(ev.PlotID[:]) && string(held.Quality) == string(ev.Quality[:]) {
		return 0, false, errorsmod.Wrapf(types.ErrProofReplayed, "signage point %d, plot %s", s.SpHeight, ev.PlotID)
	}
	if !types.Better(ev.RequiredIters, ev.Quality[:], held) {
		return 0, false, errorsmod.Wrapf(types.ErrProofNotBetter, "signage point %d: %d required iterations, the held proof has %d",
			s.SpHeight, ev.RequiredIters, held.RequiredIters)
	}
	sp.Best = &types.BestProof{
		PlotId: ev.PlotID[:], PlotPublicKey: s.PlotPublicKey, PoolContractId: s.PoolContractID, K: s.K,
		Quality: ev.Quality[:], RequiredIters: ev.RequiredIters, RewardAddress: s.RewardAddress,
		Submitter: s.Submitter, SubmittedAt: height,
	}
	sp.ProofsAccepted++
	if err := k.sps.Set(ctx, sp.Height, sp); err != nil {
		return 0, false, err
	}
	if err := modkit.Emit(ctx, &types.EventProofAccepted{
		SpHeight: sp.Height, PlotId: ev.PlotID.String(), PoolContractId: s.PoolContractID,
		RewardAddress: s.RewardAddress, RequiredIters: ev.RequiredIters, K: s.K,
	}); err != nil {
		return 0, false, err
	}
	if held == nil {
		return ev.RequiredIters, false, nil
	}
	return ev.RequiredIters, true, modkit.Emit(ctx, &types.EventProofReplaced{
		SpHeight: sp.Height, PreviousPlotId: hex.EncodeToString(held.PlotId), PreviousRequiredIters: held.RequiredIters,
		PlotId: ev.PlotID.String(), RequiredIters: ev.RequiredIters,
	})
}
