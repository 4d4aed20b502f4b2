package keeper

import (
	"context"
	"errors"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

// newPool is an empty pool of denom.
func newPool(denom string, now int64) types.Pool {
	z := sdkmath.ZeroInt()
	return types.Pool{
		Denom: denom, ShareDenom: types.ShareDenom(denom),
		TotalShares: z, Liquid: z, TotalPrincipal: z, TotalScaled: sdkmath.LegacyZeroDec(),
		BorrowIndex: sdkmath.LegacyOneDec(), Rate: sdkmath.LegacyZeroDec(), LastAccrual: now,
		Deposited: z, Redeemed: z, Borrowed: z, PrincipalRepaid: z, InterestToLenders: z,
		InterestToTreasury: z, PrincipalWrittenOff: z, InterestWrittenOff: z, LiquidationFees: z,
	}
}

// accrue grows the pool's borrow index at its current rate up to now. O(1): agents' debts follow
// the index without being touched.
func accrue(pool *types.Pool, _ types.Params, now int64) {
	if now > pool.LastAccrual {
		pool.BorrowIndex = types.AccrueIndex(pool.BorrowIndex, pool.Rate, now-pool.LastAccrual)
		pool.LastAccrual = now
	}
}

// PoolDenoms returns the denoms that have a pool, sorted.
func (k Keeper) PoolDenoms(ctx context.Context) ([]string, error) {
	l, err := k.poolDenoms.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, nil
	}
	return l.Denoms, err
}

// addPoolDenom records that denom has a pool, keeping the list sorted.
func (k Keeper) addPoolDenom(ctx context.Context, denom string) error {
	denoms, err := k.PoolDenoms(ctx)
	if err != nil {
		return err
	}
	i, found := slices.BinarySearch(denoms, denom)
	if found {
		return nil
	}
	return k.poolDenoms.Set(ctx, types.PoolDenoms{Denoms: slices.Insert(denoms, i, denom)})
}

// loadPool returns the pool of denom accrued to the block time.
func (k Keeper) loadPool(ctx context.Context, params types.Params, denom string) (types.Pool, error) {
	pool, err := k.GetPool(ctx, denom)
	if err != nil {
		return pool, err
	}
	accrue(&pool, params, modkit.BlockTime(ctx))
	return pool, nil
}

// savePool re-rates the pool from its utilization and stores it.
func (k Keeper) savePool(ctx context.Context, params types.Params, pool types.Pool) error {
	pool.Rate = types.BorrowRate(params, types.Utilization(pool.Liquid, pool.TotalPrincipal))
	if err := k.pools.Set(ctx, pool.Denom, pool); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventPoolAccrued{Denom: pool.Denom, BorrowIndex: pool.BorrowIndex.String(), Rate: pool.Rate.String()})
}

// Deposit lends amount to the pool of its denom (opening the pool at its first deposit) and
// mints the lender shares at the current price, rounded down.
func (k Keeper) Deposit(ctx context.Context, lender string, amount sdk.Coin) (sdk.Coin, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return sdk.Coin{}, err
	}
	if err := modkit.ValidatePositiveCoin("amount", amount, params.LendingDenoms...); err != nil {
		return sdk.Coin{}, err
	}
	pool, err := k.loadPool(ctx, params, amount.Denom)
	opened := errors.Is(err, types.ErrPoolNotFound)
	if opened {
		pool, err = newPool(amount.Denom, modkit.BlockTime(ctx)), nil
	}
	if err != nil {
		return sdk.Coin{}, err
	}
	assets := types.PoolAssets(pool, params.TreasuryBps).Ceil().TruncateInt()
	shares, err := types.SharesForDeposit(amount.Amount, assets, pool.TotalShares)
	if err != nil {
		return sdk.Coin{}, err
	}
	from := sdk.MustAccAddressFromBech32(lender)
	if err := k.bank.SendCoinsFromAccountToModule(ctx, from, types.ModuleName, sdk.NewCoins(amount)); err != nil {
		return sdk.Coin{}, errorsmod.Wrapf(err, "deposit %s from %s", amount, lender)
	}
	minted := sdk.NewCoin(pool.ShareDenom, shares)
	if err := k.bank.MintCoins(ctx, types.ModuleName, sdk.NewCoins(minted)); err != nil {
		return sdk.Coin{}, err
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, from, sdk.NewCoins(minted)); err != nil {
		return sdk.Coin{}, err
	}
	pool.Liquid = pool.Liquid.Add(amount.Amount)
	pool.Deposited = pool.Deposited.Add(amount.Amount)
	pool.TotalShares = pool.TotalShares.Add(shares)
	if err := k.savePool(ctx, params, pool); err != nil {
		return sdk.Coin{}, err
	}
	if opened {
		if err := k.addPoolDenom(ctx, pool.Denom); err != nil {
			return sdk.Coin{}, err
		}
	}
	return minted, modkit.Emit(ctx, &types.EventDeposited{Lender: lender, Assets: amount.String(), Shares: minted.String()})
}

// Redeem burns shares for the pool's assets at the current price, rounded down, paid only from
// liquid funds: a redemption above them fails and says how much is liquid.
func (k Keeper) Redeem(ctx context.Context, lender string, shares sdk.Coin) (sdk.Coin, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return sdk.Coin{}, err
	}
	if err := modkit.ValidatePositiveCoin("shares", shares); err != nil {
		return sdk.Coin{}, err
	}
	denom, ok := shareDenomPool(shares.Denom)
	if !ok {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrInvalidAmount, "%s is not a pool share denom (credit/<denom>)", shares.Denom)
	}
	pool, err := k.loadPool(ctx, params, denom)
	if err != nil {
		return sdk.Coin{}, err
	}
	from := sdk.MustAccAddressFromBech32(lender)
	if bal := k.bank.GetBalance(ctx, from, shares.Denom); bal.Amount.LT(shares.Amount) {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrInvalidAmount, "redeem %s: %s holds %s", shares, lender, bal)
	}
	assets, err := types.AssetsForRedeem(shares.Amount, types.PoolAssets(pool, params.TreasuryBps).TruncateInt(), pool.TotalShares)
	if err != nil {
		return sdk.Coin{}, err
	}
	if assets.GT(pool.Liquid) {
		max := sdkmath.ZeroInt()
		if pool.Liquid.IsPositive() {
			// the largest redeemable share amount: shares × liquid / assets, rounded down.
			max = shares.Amount.Mul(pool.Liquid).Quo(assets)
		}
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrInsufficientLiquid,
			"redeeming %s pays %s%s but only %s%s is liquid (the rest is lent out); at most %s%s can be redeemed now",
			shares, assets, denom, pool.Liquid, denom, max, shares.Denom)
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, from, types.ModuleName, sdk.NewCoins(shares)); err != nil {
		return sdk.Coin{}, err
	}
	if err := k.bank.BurnCoins(ctx, types.ModuleName, sdk.NewCoins(shares)); err != nil {
		return sdk.Coin{}, err
	}
	paid := sdk.NewCoin(denom, assets)
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, from, sdk.NewCoins(paid)); err != nil {
		return sdk.Coin{}, err
	}
	pool.Liquid = pool.Liquid.Sub(assets)
	pool.Redeemed = pool.Redeemed.Add(assets)
	pool.TotalShares = pool.TotalShares.Sub(shares.Amount)
	if err := k.savePool(ctx, params, pool); err != nil {
		return sdk.Coin{}, err
	}
	return paid, modkit.Emit(ctx, &types.EventRedeemed{Lender: lender, Shares: shares.String(), Assets: paid.String()})
}

func shareDenomPool(shareDenom string) (string, bool) {
	if len(shareDenom) <= len(types.ShareDenomPrefix) || shareDenom[:len(types.ShareDenomPrefix)] != types.ShareDenomPrefix {
		return "", false
	}
	return shareDenom[len(types.ShareDenomPrefix):], true
}

// poolView is a pool accrued to now with its derived figures.
func (k Keeper) poolView(ctx context.Context, params types.Params, pool types.Pool) types.PoolView {
	accrue(&pool, params, modkit.BlockTime(ctx))
	assets := types.PoolAssets(pool, params.TreasuryBps)
	return types.PoolView{
		Pool:              pool,
		TotalDebt:         types.DebtOf(pool.TotalScaled, pool.BorrowIndex),
		TotalAssets:       assets.TruncateInt(),
		SharePrice:        types.SharePrice(assets.TruncateInt(), pool.TotalShares),
		Utilization:       types.Utilization(pool.Liquid, pool.TotalPrincipal),
		AvailableToBorrow: types.BorrowByLiquidity(pool.Liquid, assets, params.MinLiquidityBps),
	}
}

// loan returns an agent's loan in denom, or a zero loan.
func (k Keeper) loan(ctx context.Context, agentID uint64, denom string) (types.Loan, error) {
	l, err := k.loans.Get(ctx, collections.Join(agentID, denom))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Loan{AgentId: agentID, Denom: denom, Principal: sdkmath.ZeroInt(), Scaled: sdkmath.LegacyZeroDec()}, nil
	}
	return l, err
}

// saveLoan stores a loan, or deletes it once fully repaid.
func (k Keeper) saveLoan(ctx context.Context, l types.Loan) error {
	key := collections.Join(l.AgentId, l.Denom)
	if l.Principal.IsZero() && l.Scaled.IsZero() {
		return k.loans.Remove(ctx, key)
	}
	return k.loans.Set(ctx, key, l)
}

// openLoanDenom is the denom of the agent's open loan, or "" (an agent owes in one pool at a
// time). Loans exist only in denoms with a pool (CheckInvariants), so it asks the loans map for
// each pool denom by key, in sorted order — the first such loan, as a walk over the agent's loans
// would find — with no store iterator (x/credit/README.md, "Benchmarks").
func (k Keeper) openLoanDenom(ctx context.Context, agentID uint64) (string, error) {
	denoms, err := k.PoolDenoms(ctx)
	if err != nil {
		return "", err
	}
	for _, d := range denoms {
		has, err := k.loans.Has(ctx, collections.Join(agentID, d))
		if err != nil {
			return "", err
		}
		if has {
			return d, nil
		}
	}
	return "", nil
}
