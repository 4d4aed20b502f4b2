package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

// Borrow lends amount from the pool of its denom into the agent's account, with a borrow
// credential (owner or operator; HEALTHY agents only). It keeps (debt + amount) / collateral
// within max_dtl, where collateral is the credential's post-borrow collateral_value, at most what
// the chain sees after the borrow; faults within tolerance; the pool's minimum liquidity; and the
// per-agent cap. An agent owes in one pool at a time. It returns the debt after the borrow.
func (k Keeper) Borrow(ctx context.Context, signer string, agentID uint64, amount sdk.Coin, sc types.SignedCredential) (sdk.Coin, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return sdk.Coin{}, err
	}
	if err := modkit.ValidatePositiveCoin("amount", amount, params.LendingDenoms...); err != nil {
		return sdk.Coin{}, err
	}
	a, err := k.controlledAgent(ctx, agentID, signer)
	if err != nil {
		return sdk.Coin{}, err
	}
	if a.State != types.AGENT_STATE_HEALTHY {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrInvalidState, "agent %d is %s: borrowing is blocked", agentID, a.State)
	}
	open, err := k.openLoanDenom(ctx, agentID)
	if err != nil {
		return sdk.Coin{}, err
	}
	if open != "" && open != amount.Denom {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrOutstandingDebt, "agent %d owes in %s; repay it before borrowing %s", agentID, open, amount.Denom)
	}
	cred, hash, pos, err := k.checkPositionCredential(ctx, params, a, sc, types.ActionBorrow, "",
		func(types.QueryChainCollateralResponse) sdkmath.Int { return amount.Amount }, amount)
	if err != nil {
		return sdk.Coin{}, err
	}
	if err := checkHealthy(params, cred, pos.debt.Add(amount.Amount), types.ErrDTLExceeded); err != nil {
		return sdk.Coin{}, err
	}
	pool := pos.pool
	assets := types.PoolAssets(pool, params.TreasuryBps)
	if byLiq := types.BorrowByLiquidity(pool.Liquid, assets, params.MinLiquidityBps); amount.Amount.GT(byLiq) {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrMinLiquidity, "borrow %s: the pool has %s%s liquid and keeps %d bps of its assets; at most %s%s can be lent now",
			amount, pool.Liquid, pool.Denom, params.MinLiquidityBps, byLiq, pool.Denom)
	}
	if byCap, capped := types.BorrowByCap(pos.loan.Principal, params.MaxAgentPrincipal); capped && amount.Amount.GT(byCap) {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrAgentCap, "borrow %s: principal %s, cap %s", amount, pos.loan.Principal, params.MaxAgentPrincipal)
	}
	// Every check passed: write.
	if err := k.burn(ctx, agentID, hash, cred); err != nil {
		return sdk.Coin{}, err
	}
	scaled := types.ScaledFor(amount.Amount, pool.BorrowIndex)
	loan := pos.loan
	loan.Principal = loan.Principal.Add(amount.Amount)
	loan.Scaled = loan.Scaled.Add(scaled)
	pool.Liquid = pool.Liquid.Sub(amount.Amount)
	pool.TotalPrincipal = pool.TotalPrincipal.Add(amount.Amount)
	pool.TotalScaled = pool.TotalScaled.Add(scaled)
	pool.Borrowed = pool.Borrowed.Add(amount.Amount)
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(a.Address), sdk.NewCoins(amount)); err != nil {
		return sdk.Coin{}, err
	}
	if err := k.saveLoan(ctx, loan); err != nil {
		return sdk.Coin{}, err
	}
	if err := k.savePool(ctx, params, pool); err != nil {
		return sdk.Coin{}, err
	}
	debt := sdk.NewCoin(amount.Denom, types.DebtOf(loan.Scaled, pool.BorrowIndex))
	return debt, modkit.Emit(ctx, &types.EventBorrowed{AgentId: agentID, Amount: amount.String(), Principal: loan.Principal.String()})
}

// PayResult is how a payment was applied.
type PayResult struct {
	Interest, Principal, Refunded sdkmath.Int
	Debt                          sdk.Coin
}

// Pay pays an agent's debt in amount's denom, in any state: interest first (treasury_bps of it to
// the community pool), then principal; the overpayment is never taken, and never touches the
// totals. Anyone may pay from their own account; the owner or operator may pay from the agent's
// (fromAgent).
func (k Keeper) Pay(ctx context.Context, payer string, agentID uint64, amount sdk.Coin, fromAgent bool) (PayResult, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return PayResult{}, err
	}
	if err := modkit.ValidatePositiveCoin("amount", amount); err != nil {
		return PayResult{}, err
	}
	a, err := k.GetAgent(ctx, agentID)
	if err != nil {
		return PayResult{}, err
	}
	source := sdk.MustAccAddressFromBech32(payer)
	if fromAgent {
		if payer != a.Owner && payer != a.Operator {
			return PayResult{}, errorsmod.Wrapf(types.ErrNotController, "%s may not pay from agent %d's account", payer, agentID)
		}
		source = sdk.MustAccAddressFromBech32(a.Address)
	}
	loan, err := k.loan(ctx, agentID, amount.Denom)
	if err != nil {
		return PayResult{}, err
	}
	if loan.Scaled.IsZero() {
		return PayResult{}, errorsmod.Wrapf(types.ErrNoDebt, "agent %d owes nothing in %s", agentID, amount.Denom)
	}
	pool, err := k.loadPool(ctx, params, amount.Denom)
	if err != nil {
		return PayResult{}, err
	}
	p := types.ApplyPayment(loan, pool.BorrowIndex, amount.Amount, params.TreasuryBps)
	taken := p.Interest.Add(p.Principal)
	if bal := k.bank.GetBalance(ctx, source, amount.Denom); bal.Amount.LT(taken) {
		return PayResult{}, errorsmod.Wrapf(types.ErrInsufficientFunds, "payment takes %s%s, %s holds %s", taken, amount.Denom, source, bal)
	}
	toPool := taken.Sub(p.Treasury)
	if toPool.IsPositive() {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, source, types.ModuleName, sdk.NewCoins(sdk.NewCoin(amount.Denom, toPool))); err != nil {
			return PayResult{}, err
		}
	}
	if p.Treasury.IsPositive() {
		if err := k.distr.FundCommunityPool(ctx, sdk.NewCoins(sdk.NewCoin(amount.Denom, p.Treasury)), source); err != nil {
			return PayResult{}, err
		}
	}
	applyToPool(&pool, &loan, p)
	if err := k.saveLoan(ctx, loan); err != nil {
		return PayResult{}, err
	}
	if err := k.savePool(ctx, params, pool); err != nil {
		return PayResult{}, err
	}
	res := PayResult{Interest: p.Interest, Principal: p.Principal, Refunded: p.Refund,
		Debt: sdk.NewCoin(amount.Denom, types.DebtOf(loan.Scaled, pool.BorrowIndex))}
	return res, modkit.Emit(ctx, &types.EventPaid{AgentId: agentID, Payer: source.String(), Denom: amount.Denom,
		Interest: p.Interest, Treasury: p.Treasury, Principal: p.Principal, Refunded: p.Refund})
}

// applyToPool books a payment (or a liquidation's recovery) on a loan and its pool.
func applyToPool(pool *types.Pool, loan *types.Loan, p types.Payment) {
	pool.Liquid = pool.Liquid.Add(p.Interest).Sub(p.Treasury).Add(p.Principal)
	pool.InterestToLenders = pool.InterestToLenders.Add(p.Interest.Sub(p.Treasury))
	pool.InterestToTreasury = pool.InterestToTreasury.Add(p.Treasury)
	pool.PrincipalRepaid = pool.PrincipalRepaid.Add(p.Principal)
	pool.TotalPrincipal = pool.TotalPrincipal.Sub(p.Principal)
	pool.TotalScaled = pool.TotalScaled.Sub(p.ScaledRepaid)
	loan.Principal = loan.Principal.Sub(p.Principal)
	loan.Scaled = loan.Scaled.Sub(p.ScaledRepaid)
	if loan.Scaled.IsZero() {
		// A cleared debt clears the principal with it (ApplyPayment pays principal in full
		// before it retires the last scaled unit).
		loan.Principal = sdkmath.ZeroInt()
	}
}

// Withdraw moves amount from the agent's account to recipient (owner only, HEALTHY agents,
// with a withdraw credential whose collateral_value is the agent's value after the withdrawal):
// the agent's debt in amount's denom stays within max_dtl and faults within tolerance.
func (k Keeper) Withdraw(ctx context.Context, owner string, agentID uint64, amount sdk.Coin, recipient string, sc types.SignedCredential) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	if err := modkit.ValidatePositiveCoin("amount", amount); err != nil {
		return err
	}
	if err := modkit.ValidateAddress("recipient", recipient); err != nil {
		return err
	}
	a, err := k.ownedAgent(ctx, agentID, owner)
	if err != nil {
		return err
	}
	if a.State != types.AGENT_STATE_HEALTHY {
		return errorsmod.Wrapf(types.ErrInvalidState, "agent %d is %s: withdrawals are blocked", agentID, a.State)
	}
	addr := sdk.MustAccAddressFromBech32(a.Address)
	if bal := k.bank.GetBalance(ctx, addr, amount.Denom); bal.Amount.LT(amount.Amount) {
		return errorsmod.Wrapf(types.ErrInsufficientFunds, "withdraw %s: agent %d holds %s", amount, agentID, bal)
	}
	cred, hash, pos, err := k.checkPositionCredential(ctx, params, a, sc, types.ActionWithdraw, recipient,
		func(types.QueryChainCollateralResponse) sdkmath.Int { return amount.Amount.Neg() }, amount)
	if err != nil {
		return err
	}
	if pos.debt.IsPositive() {
		if err := checkHealthy(params, cred, pos.debt, types.ErrDTLExceeded); err != nil {
			return err
		}
	}
	if err := k.burn(ctx, agentID, hash, cred); err != nil {
		return err
	}
	if err := k.bank.SendCoins(ctx, addr, sdk.MustAccAddressFromBech32(recipient), sdk.NewCoins(amount)); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventWithdrawn{AgentId: agentID, Amount: amount.String(), Recipient: recipient})
}
