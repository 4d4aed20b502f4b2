package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

// Deposit takes amount (ugld) from the depositor into the vault account as liquid principal and
// mints a position token to the depositor for SharesForDeposit(amount) shares, locked for the
// vault's lock period. Untracked income is booked first, so it goes to the holders before the
// deposit (never to the depositor). Refused: a released vault, an amount below the minimum or
// that would take principal assets above the cap, or one that would mint zero shares.
func (k Keeper) Deposit(ctx context.Context, depositor string, id uint64, amount sdk.Coin) (types.Position, error) {
	if err := modkit.ValidatePositiveCoin("amount", amount, types.PrincipalDenom); err != nil {
		return types.Position{}, err
	}
	from, err := sdk.AccAddressFromBech32(depositor)
	if err != nil {
		return types.Position{}, errorsmod.Wrapf(types.ErrInvalidAmount, "depositor: %v", err)
	}
	t, err := k.touch(ctx, id)
	if err != nil {
		return types.Position{}, err
	}
	v := &t.v
	if err := checkStatus(*v, types.VaultStatus_VAULT_STATUS_OPEN, types.VaultStatus_VAULT_STATUS_CUSTODY); err != nil {
		return types.Position{}, err
	}
	if amount.Amount.LT(v.Terms.MinDeposit) {
		return types.Position{}, errorsmod.Wrapf(types.ErrBelowMinDeposit, "vault %d: %s below %s%s", id, amount, v.Terms.MinDeposit, types.PrincipalDenom)
	}
	assets := v.PrincipalAssets()
	if after := assets.Add(amount.Amount); after.GT(v.Terms.DepositCap) {
		return types.Position{}, errorsmod.Wrapf(types.ErrAboveCap, "vault %d: principal would be %s, cap %s (room %s)",
			id, after, v.Terms.DepositCap, sdkmath.MaxInt(v.Terms.DepositCap.Sub(assets), sdkmath.ZeroInt()))
	}
	shares := types.SharesForDeposit(amount.Amount, v.TotalShares, assets)
	if !shares.IsPositive() {
		return types.Position{}, errorsmod.Wrapf(types.ErrZeroShares, "vault %d: %s at %s principal for %s shares", id, amount, assets, v.TotalShares)
	}
	if have := k.bank.GetBalance(ctx, from, types.PrincipalDenom); have.IsLT(amount) {
		return types.Position{}, errorsmod.Wrapf(types.ErrInsufficientLiquid, "depositor %s has %s, deposits %s", depositor, have, amount)
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return types.Position{}, err
	}
	// Every check passed: write.
	if err := k.commit(ctx, t); err != nil {
		return types.Position{}, err
	}
	if err := k.bank.SendCoins(ctx, from, t.account, sdk.NewCoins(amount)); err != nil {
		return types.Position{}, errorsmod.Wrapf(err, "deposit %s from %s to vault %d", amount, depositor, id)
	}
	pid, err := modkit.NextID(ctx, k.nextPositionID)
	if err != nil {
		return types.Position{}, err
	}
	now := modkit.BlockTime(ctx)
	p := types.Position{Id: pid, VaultId: id, Shares: sdkmath.ZeroInt(), Deposited: amount.Amount, CreatedAt: now, UnlockAt: now + v.Terms.LockPeriod}
	for _, d := range params.RewardDenoms {
		v.Pool(d)
	}
	types.SettlePosition(v, &p) // with zero shares this only sets the checkpoints to the accumulators
	p.Shares = shares
	if err := k.nft.Mint(ctx, nft.NFT{ClassId: types.ClassID(id), Id: types.TokenID(pid)}, from); err != nil {
		return types.Position{}, err
	}
	v.TotalShares = v.TotalShares.Add(shares)
	v.Liquid = v.Liquid.Add(amount.Amount)
	v.Positions++
	if err := k.positions.Set(ctx, pid, p); err != nil {
		return types.Position{}, err
	}
	if err := k.saveVault(ctx, *v); err != nil {
		return types.Position{}, err
	}
	return p, modkit.Emit(ctx, &types.EventDeposited{VaultId: id, PositionId: pid, Depositor: depositor, Amount: amount.Amount.String(), Shares: shares.String()})
}

// Claim pays a position's rewards (every denom) to the token's current owner, as x/nft records
// it now: whoever holds the token holds its unclaimed rewards. Income is booked first.
func (k Keeper) Claim(ctx context.Context, owner string, positionID uint64) (sdk.Coins, error) {
	p, err := k.ownedPosition(ctx, positionID, owner)
	if err != nil {
		return nil, err
	}
	t, err := k.touch(ctx, p.VaultId)
	if err != nil {
		return nil, err
	}
	types.SettlePosition(&t.v, &p)
	paid := takeUnclaimed(&t.v, &p)
	if paid.IsZero() {
		return nil, errorsmod.Wrapf(types.ErrNothingToClaim, "position %d", positionID)
	}
	if err := k.commit(ctx, t); err != nil {
		return nil, err
	}
	if err := k.bank.SendCoins(ctx, t.account, sdk.MustAccAddressFromBech32(owner), paid); err != nil {
		return nil, errorsmod.Wrapf(err, "vault %d: paying %s to %s", p.VaultId, paid, owner)
	}
	if err := k.positions.Set(ctx, p.Id, p); err != nil {
		return nil, err
	}
	if err := k.saveVault(ctx, t.v); err != nil {
		return nil, err
	}
	return paid, modkit.Emit(ctx, &types.EventClaimed{VaultId: p.VaultId, PositionId: p.Id, Owner: owner, Paid: paid})
}

// takeUnclaimed zeroes a settled position's unclaimed rewards, takes them out of the vault's
// outstanding, and returns them.
func takeUnclaimed(v *types.Vault, p *types.Position) sdk.Coins {
	var paid sdk.Coins
	for i := range p.Rewards {
		cp := &p.Rewards[i]
		if !cp.Unclaimed.IsPositive() {
			continue
		}
		pool := v.Pool(cp.Denom)
		pool.Outstanding = pool.Outstanding.Sub(cp.Unclaimed)
		paid = paid.Add(sdk.NewCoin(cp.Denom, cp.Unclaimed))
		cp.Unclaimed = sdkmath.ZeroInt()
	}
	return paid
}
