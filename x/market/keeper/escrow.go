package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// Deposit moves coins from the tenant into its escrow account for the coin's denom and resumes
// the account's paused (GRACE) leases if the balance now pays for at least one more second of
// them. Other modules may call it (a vault or credit agent funding a tenant).
func (k Keeper) Deposit(ctx context.Context, tenant string, amount sdk.Coin) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	if !params.AcceptsDenom(amount.Denom) {
		return errorsmod.Wrapf(types.ErrDenomNotAccepted, "%s (accepted: %v)", amount.Denom, params.PaymentDenoms)
	}
	if amount.Validate() != nil || !amount.IsPositive() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "%s must be positive", amount)
	}
	addr, err := sdk.AccAddressFromBech32(tenant)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "tenant: %v", err)
	}
	return atomic(ctx, func(ctx context.Context) error {
		a, err := k.touchAccount(ctx, tenant, amount.Denom)
		if err != nil {
			return err
		}
		if err := k.bank.SendCoinsFromAccountToModule(ctx, addr, types.ModuleName, sdk.NewCoins(amount)); err != nil {
			return errorsmod.Wrapf(types.ErrInsufficientFunds, "deposit %s: %v", amount, err)
		}
		a.Balance = a.Balance.Add(sdkmath.LegacyNewDecFromInt(amount.Amount))
		a.Deposited = a.Deposited.Add(amount.Amount)
		if _, err := k.resumeIfFunded(ctx, &a); err != nil {
			return err
		}
		if err := k.addTotals(ctx, amount.Denom, func(t *types.Totals) { t.Deposited = t.Deposited.Add(amount.Amount) }); err != nil {
			return err
		}
		if err := k.saveAccount(ctx, a); err != nil {
			return err
		}
		return modkit.Emit(ctx, &types.EventDeposit{Tenant: tenant, Amount: amount})
	})
}

// Withdraw returns whole units of escrow to the tenant while keeping its live leases covered
// for min_cover (types.Withdrawable, which rounds down).
func (k Keeper) Withdraw(ctx context.Context, tenant string, amount sdk.Coin) error {
	addr, err := sdk.AccAddressFromBech32(tenant)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "tenant: %v", err)
	}
	if amount.Validate() != nil || !amount.IsPositive() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "%s must be positive", amount)
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	return atomic(ctx, func(ctx context.Context) error {
		a, err := k.touchAccount(ctx, tenant, amount.Denom)
		if err != nil {
			return err
		}
		if amount.Amount.GT(a.Balance.TruncateInt()) {
			return errorsmod.Wrapf(types.ErrInsufficientFunds, "withdraw %s: balance %s%s", amount, a.Balance, a.Denom)
		}
		if free := types.Withdrawable(a.Balance, a.CommittedRate, params.MinCover); amount.Amount.GT(free) {
			return errorsmod.Wrapf(types.ErrInsufficientCover,
				"withdraw %s: live leases cost %s%s/s and must stay covered for %ds; at most %s%s can leave",
				amount, a.CommittedRate, a.Denom, params.MinCover, free, a.Denom)
		}
		a.Balance = a.Balance.Sub(sdkmath.LegacyNewDecFromInt(amount.Amount))
		a.Withdrawn = a.Withdrawn.Add(amount.Amount)
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, addr, sdk.NewCoins(amount)); err != nil {
			return err
		}
		if err := k.addTotals(ctx, amount.Denom, func(t *types.Totals) { t.Withdrawn = t.Withdrawn.Add(amount.Amount) }); err != nil {
			return err
		}
		if err := k.saveAccount(ctx, a); err != nil {
			return err
		}
		return modkit.Emit(ctx, &types.EventWithdraw{Tenant: tenant, Amount: amount})
	})
}
