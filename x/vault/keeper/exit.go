package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

// Exit burns shares of a position (all of them when shares is zero or nil) for principal,
// AssetsForShares rounded down, paid to the token's current owner. Before the position unlocks
// it pays only from liquid principal (the reserve) and an early-exit fee is kept back as
// principal for the remaining holders. After it unlocks, if liquid principal is short, pledges on
// nodes without a live lease are withdrawn first; if that is not enough it is refused with how
// much is liquid and how much could be unpledged. Closing a position pays its rewards too and
// burns its token.
func (k Keeper) Exit(ctx context.Context, owner string, positionID uint64, shares sdkmath.Int) (paid, fee sdk.Coin, err error) {
	p, err := k.ownedPosition(ctx, positionID, owner)
	if err != nil {
		return paid, fee, err
	}
	t, err := k.touch(ctx, p.VaultId)
	if err != nil {
		return paid, fee, err
	}
	v := &t.v
	types.SettlePosition(v, &p)
	if shares.IsNil() || shares.IsZero() {
		shares = p.Shares
	}
	if shares.IsNegative() || shares.GT(p.Shares) {
		return paid, fee, errorsmod.Wrapf(types.ErrInvalidShares, "position %d: burn %s of %s shares", positionID, shares, p.Shares)
	}
	assets := types.AssetsForShares(shares, v.TotalShares, v.PrincipalAssets())
	if !assets.IsPositive() {
		return paid, fee, errorsmod.Wrapf(types.ErrInvalidShares, "position %d: %s shares redeem nothing", positionID, shares)
	}
	now := modkit.BlockTime(ctx)
	early := now < p.UnlockAt
	feeAmt := sdkmath.ZeroInt()
	if early {
		feeAmt = types.EarlyExitFee(assets, v.Terms.EarlyExitFeeBps)
	}
	payout := assets.Sub(feeAmt)
	var plan []types.Pledge
	if payout.GT(v.Liquid) {
		if early {
			return paid, fee, errorsmod.Wrapf(types.ErrInsufficientLiquid,
				"position %d is locked until %d: before unlock it exits only from the liquid reserve, %s%s liquid, exit needs %s",
				positionID, p.UnlockAt, v.Liquid, types.PrincipalDenom, payout)
		}
		var free sdkmath.Int
		if plan, free, err = k.unpledgePlan(ctx, v.Id, payout.Sub(v.Liquid)); err != nil {
			return paid, fee, err
		}
		if v.Liquid.Add(free).LT(payout) {
			return paid, fee, errorsmod.Wrapf(types.ErrInsufficientLiquid,
				"position %d: exit needs %s%s, %s liquid and %s pledged on idle nodes; exit fewer shares or wait for leases to end",
				positionID, payout, types.PrincipalDenom, v.Liquid, free)
		}
	}
	to := sdk.MustAccAddressFromBech32(owner)
	// Every check passed: write.
	if err := k.commit(ctx, t); err != nil {
		return paid, fee, err
	}
	for _, step := range plan {
		if err := k.unpledge(ctx, v, step.NodeId, step.Amount); err != nil {
			return paid, fee, err
		}
	}
	if shares.LT(p.Shares) { // a position that stays keeps its start shares for open proposals
		if err := k.snapshotShares(ctx, p); err != nil {
			return paid, fee, err
		}
	}
	p.Shares = p.Shares.Sub(shares)
	v.TotalShares = v.TotalShares.Sub(shares)
	v.Liquid = v.Liquid.Sub(payout)
	out := sdk.NewCoins(sdk.NewCoin(types.PrincipalDenom, payout))
	closed := p.Shares.IsZero()
	if closed {
		out = out.Add(takeUnclaimed(v, &p)...)
		for _, cp := range p.Rewards { // fractions of a unit go back to the pool, for the others
			pool := v.Pool(cp.Denom)
			pool.AccRemainder = pool.AccRemainder.Add(cp.Remainder)
		}
		if err := k.nft.Burn(ctx, types.ClassID(p.VaultId), types.TokenID(p.Id)); err != nil {
			return paid, fee, err
		}
		if err := k.positions.Remove(ctx, p.Id); err != nil {
			return paid, fee, err
		}
		v.Positions--
	} else if err := k.positions.Set(ctx, p.Id, p); err != nil {
		return paid, fee, err
	}
	if err := k.bank.SendCoins(ctx, t.account, to, out); err != nil {
		return paid, fee, errorsmod.Wrapf(err, "vault %d: paying %s to %s", v.Id, out, owner)
	}
	if err := k.saveVault(ctx, *v); err != nil {
		return paid, fee, err
	}
	paid, fee = sdk.NewCoin(types.PrincipalDenom, payout), sdk.NewCoin(types.PrincipalDenom, feeAmt)
	return paid, fee, modkit.Emit(ctx, &types.EventExited{VaultId: v.Id, PositionId: p.Id, Owner: owner, Shares: shares.String(),
		Paid: payout.String(), Fee: feeAmt.String(), Early: early, Closed: closed})
}

// unpledgePlan picks pledges on nodes without a live lease, in node order, to free need; it
// returns the steps and how much they free (less than need if that is all there is).
func (k Keeper) unpledgePlan(ctx context.Context, vaultID uint64, need sdkmath.Int) ([]types.Pledge, sdkmath.Int, error) {
	records, err := k.vaultPledges(ctx, vaultID)
	if err != nil {
		return nil, sdkmath.Int{}, err
	}
	free := sdkmath.ZeroInt()
	var plan []types.Pledge
	for _, p := range records {
		if free.GTE(need) {
			break
		}
		n, err := k.provider.GetNode(ctx, p.NodeId)
		if err != nil || n.LiveLeases > 0 {
			continue
		}
		amt := sdkmath.MinInt(p.Amount, need.Sub(free))
		plan = append(plan, types.Pledge{VaultId: vaultID, NodeId: p.NodeId, Amount: amt})
		free = free.Add(amt)
	}
	return plan, free, nil
}

// vaultPledges lists a vault's pledge records in node order.
func (k Keeper) vaultPledges(ctx context.Context, vaultID uint64) ([]types.Pledge, error) {
	it, err := k.pledges.Iterate(ctx, collections.NewPrefixedPairRange[uint64, uint64](vaultID))
	if err != nil {
		return nil, err
	}
	return it.Values()
}
