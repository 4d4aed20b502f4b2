package keeper

import (
	"context"
	"encoding/hex"
	"errors"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/farming/types"
)

// errStopPrune ends the prune walk at a signage point that is not awarded yet.
var errStopPrune = errors.New("signage point not awarded yet")

// BeginBlock runs the per-block work, each part through a height queue with a per-block limit of
// max_awards_per_block: signage points whose window closed are awarded; then leaving pool
// contracts whose lock ends at this height return to self-pooling (so a reward that closes in the
// lock's last block still goes to the pool); old signage points are pruned; then the previous
// block's signage point is recorded from the header's last block id.
func (k Keeper) BeginBlock(ctx context.Context) error {
	height := modkit.BlockHeight(ctx)
	p, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	limit := int(p.MaxAwardsPerBlock)
	if _, err := modkit.WalkDue(ctx, k.sps.Indexes.Award, height, limit, func(_ int64, h int64) error {
		return k.award(ctx, p, h)
	}); err != nil {
		return err
	}
	if _, err := modkit.WalkDue(ctx, k.pools.Indexes.Leaving, height, limit, func(_ int64, id uint64) error {
		return k.finishLeaving(ctx, id)
	}); err != nil {
		return err
	}
	if _, err := modkit.WalkDue(ctx, k.sps.Indexes.Prune, height, limit, func(_ int64, h int64) error {
		sp, err := k.sps.Get(ctx, h)
		if err != nil {
			return err
		}
		if !sp.Awarded {
			return errStopPrune
		}
		return k.sps.Remove(ctx, h)
	}); err != nil && !errors.Is(err, errStopPrune) {
		return err
	}
	last := sdk.UnwrapSDKContext(ctx).BlockHeader().LastBlockId.Hash
	if height > 1 && len(last) > 0 {
		return k.RecordSignagePoint(ctx, height-1, last)
	}
	return nil
}

// award closes a signage point. With a winner it mints the signage point's reward, adds the
// carried reward, pays 1/8 to the farmer's reward address and credits 7/8 to the pool contract's
// balance; without one it mints the reward and carries it. Then it counts the signage point in
// the epoch and, at the end of an epoch, adjusts the difficulty.
func (k Keeper) award(ctx context.Context, p types.Params, height int64) error {
	sp, err := k.sps.Get(ctx, height)
	if err != nil {
		return err
	}
	st, err := k.state.Get(ctx)
	if err != nil {
		return err
	}
	base := types.SPReward(p, height)
	if base.IsPositive() {
		if err := k.bank.MintCoins(ctx, types.ModuleName, sdk.NewCoins(sdk.NewCoin(p.RewardDenom, base))); err != nil {
			return errorsmod.Wrapf(err, "minting the reward of signage point %d", height)
		}
	}
	st.Minted = st.Minted.Add(base)
	st.EpochClosed++
	var ev []proto.Message
	if sp.Best == nil {
		st.Carried = st.Carried.Add(base)
		st.SpsCarried++
		sp.Reward = base
		ev = append(ev, &types.EventRewardCarried{SpHeight: height, Amount: base.String(), Carried: st.Carried.String(), Denom: p.RewardDenom})
	} else {
		carriedIn := st.Carried
		total := base.Add(carriedIn)
		farmer, pool := types.SplitReward(total)
		c, err := k.GetPoolContract(ctx, sp.Best.PoolContractId)
		if err != nil {
			return err
		}
		if farmer.IsPositive() {
			addr, err := sdk.AccAddressFromBech32(sp.Best.RewardAddress)
			if err != nil {
				return err
			}
			if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, addr, sdk.NewCoins(sdk.NewCoin(p.RewardDenom, farmer))); err != nil {
				return errorsmod.Wrapf(err, "paying the farmer of signage point %d", height)
			}
		}
		c.Balance = c.Balance.Add(pool)
		c.TotalWon = c.TotalWon.Add(pool)
		if err := k.pools.Set(ctx, c.Id, c); err != nil {
			return err
		}
		st.Carried = sdkmath.ZeroInt()
		st.PaidFarmers = st.PaidFarmers.Add(farmer)
		st.PaidPools = st.PaidPools.Add(pool)
		st.EpochWon++
		st.SpsWon++
		sp.Reward = total
		ev = append(ev, &types.EventSignagePointWon{
			SpHeight: height, PoolContractId: c.Id, RewardAddress: sp.Best.RewardAddress,
			PlotId: hex.EncodeToString(sp.Best.PlotId), FarmerAmount: farmer.String(), PoolAmount: pool.String(),
			CarriedIn: carriedIn.String(), Denom: p.RewardDenom,
		})
	}
	sp.Awarded = true
	if err := k.sps.Set(ctx, height, sp); err != nil {
		return err
	}
	if st.EpochClosed >= p.EpochLength {
		next := types.NextDifficulty(st.Difficulty, st.EpochClosed, st.EpochWon, p.TargetWinBps, p.MaxDifficultyFactor, p.MinDifficulty, p.MaxDifficulty)
		ev = append(ev, &types.EventDifficultyChanged{Epoch: st.Epoch, Previous: st.Difficulty, Difficulty: next, Closed: st.EpochClosed, Won: st.EpochWon})
		st.Difficulty = next
		st.Epoch++
		st.EpochClosed, st.EpochWon = 0, 0
	}
	if err := k.state.Set(ctx, st); err != nil {
		return err
	}
	return modkit.EmitAll(ctx, ev...)
}
