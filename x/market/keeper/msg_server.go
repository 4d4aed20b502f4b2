package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/market/types"
)

type msgServer struct{ Keeper }

// NewMsgServerImpl returns the x/market message service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k} }

var _ types.MsgServer = msgServer{}

// Deposit moves coins into the tenant's escrow and resumes paused leases it now pays for.
func (s msgServer) Deposit(ctx context.Context, m *types.MsgDeposit) (*types.MsgDepositResponse, error) {
	return &types.MsgDepositResponse{}, s.Keeper.Deposit(ctx, m.Tenant, m.Amount)
}

// Deposit is the keeper side of MsgDeposit; other modules may call it too.
func (k Keeper) Deposit(ctx context.Context, tenant string, amount sdk.Coin) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if !params.AcceptsDenom(amount.Denom) {
		return errorsmod.Wrapf(types.ErrDenomNotAccepted, "%s (accepted: %v)", amount.Denom, params.PaymentDenoms)
	}
	if !amount.IsPositive() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "%s must be positive", amount)
	}
	addr, err := sdk.AccAddressFromBech32(tenant)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "tenant: %v", err)
	}
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
	return emit(ctx, &types.EventDeposit{Tenant: tenant, Amount: amount})
}

// Withdraw returns escrow to the tenant while keeping its live leases covered for min_cover.
func (s msgServer) Withdraw(ctx context.Context, m *types.MsgWithdraw) (*types.MsgWithdrawResponse, error) {
	params, err := s.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	addr, err := sdk.AccAddressFromBech32(m.Tenant)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "tenant: %v", err)
	}
	if !m.Amount.IsPositive() {
		return nil, errorsmod.Wrapf(types.ErrInvalidAmount, "%s must be positive", m.Amount)
	}
	a, err := s.touchAccount(ctx, m.Tenant, m.Amount.Denom)
	if err != nil {
		return nil, err
	}
	if m.Amount.Amount.GT(a.Balance.TruncateInt()) {
		return nil, errorsmod.Wrapf(types.ErrInsufficientFunds, "withdraw %s: balance %s%s", m.Amount, a.Balance, a.Denom)
	}
	if free := types.Withdrawable(a.Balance, a.CommittedRate, params.MinCover); m.Amount.Amount.GT(free) {
		return nil, errorsmod.Wrapf(types.ErrInsufficientCover,
			"withdraw %s: live leases cost %s%s/s and must stay covered for %ds; at most %s%s can leave",
			m.Amount, a.CommittedRate, a.Denom, params.MinCover, free, a.Denom)
	}
	a.Balance = a.Balance.Sub(sdkmath.LegacyNewDecFromInt(m.Amount.Amount))
	a.Withdrawn = a.Withdrawn.Add(m.Amount.Amount)
	if err := s.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, addr, sdk.NewCoins(m.Amount)); err != nil {
		return nil, err
	}
	if err := s.addTotals(ctx, m.Amount.Denom, func(t *types.Totals) { t.Withdrawn = t.Withdrawn.Add(m.Amount.Amount) }); err != nil {
		return nil, err
	}
	if err := s.saveAccount(ctx, a); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawResponse{}, emit(ctx, &types.EventWithdraw{Tenant: m.Tenant, Amount: m.Amount})
}

// UpdateParams replaces the parameters; only the governance authority may.
func (s msgServer) UpdateParams(ctx context.Context, m *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if m.Authority != s.authority {
		return nil, errorsmod.Wrapf(types.ErrUnauthorized, "authority is %s, not %s", s.authority, m.Authority)
	}
	if err := m.Params.Validate(); err != nil {
		return nil, err
	}
	if err := s.Params.Set(ctx, m.Params); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, emit(ctx, &types.EventParamsUpdated{})
}
