package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

func accountKey(tenant, denom string) AccountKey {
	return collections.Join(tenant, denom)
}

func newAccount(tenant, denom string, at int64) types.Account {
	return types.Account{
		Tenant: tenant, Denom: denom, SettledAt: at,
		Balance: sdkmath.LegacyZeroDec(), TotalRate: sdkmath.LegacyZeroDec(), CommittedRate: sdkmath.LegacyZeroDec(),
		Deposited: sdkmath.ZeroInt(), Withdrawn: sdkmath.ZeroInt(),
	}
}

// getAccount loads an account, or a fresh empty one.
func (k Keeper) getAccount(ctx context.Context, tenant, denom string) (types.Account, error) {
	a, err := k.accounts.Get(ctx, accountKey(tenant, denom))
	if errors.Is(err, collections.ErrNotFound) {
		return newAccount(tenant, denom, modkit.BlockTime(ctx)), nil
	}
	return a, err
}

// touchAccount loads an account and settles it to the block time. If its balance ran out, its
// billed leases move to GRACE right away (the end-blocker only handles accounts nobody touched),
// so after a touch an account is either funded past now or not billing at all.
func (k Keeper) touchAccount(ctx context.Context, tenant, denom string) (types.Account, error) {
	a, err := k.getAccount(ctx, tenant, denom)
	if err != nil {
		return a, err
	}
	t := modkit.BlockTime(ctx)
	a.Balance, a.SettledAt = types.Drain(a.Balance, a.TotalRate, a.SettledAt, a.FundedUntil, t)
	if a.TotalRate.IsPositive() && a.FundedUntil <= t {
		if err := k.outOfFunds(ctx, &a); err != nil {
			return a, err
		}
	}
	return a, nil
}

// saveAccount recomputes funded_until and stores the account; the funds and grace queues follow
// it (they are indexes of the accounts).
func (k Keeper) saveAccount(ctx context.Context, a types.Account) error {
	a.FundedUntil = types.FundedUntil(a.Balance, a.TotalRate, a.SettledAt)
	return k.accounts.Set(ctx, accountKey(a.Tenant, a.Denom), a)
}

// liveLeases returns the ids of an account's live leases, in id order (at most
// max_leases_per_account of them, or a previous, larger value of it).
func (k Keeper) liveLeases(ctx context.Context, tenant, denom string) ([]uint64, error) {
	return k.leases.Indexes.LiveByAccount.PrimaryKeys(ctx, accountKey(tenant, denom), 0)
}

// outOfFunds is called with the account settled to its funded_until: every billed lease is
// billed up to that moment and paused. ACTIVE leases go to GRACE; CLOSING leases, which were
// ending anyway, close with reason 300. The account waits in the grace queue.
func (k Keeper) outOfFunds(ctx context.Context, a *types.Account) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	ids, err := k.liveLeases(ctx, a.Tenant, a.Denom)
	if err != nil {
		return err
	}
	t := modkit.BlockTime(ctx)
	paused := 0
	for _, id := range ids {
		l, err := k.leases.Get(ctx, id)
		if err != nil {
			return err
		}
		switch l.State {
		case types.LEASE_STATE_ACTIVE:
			k.stopBilling(a, &l)
			if err := k.setState(ctx, &l, types.LEASE_STATE_GRACE, 0, "tenant out of funds"); err != nil {
				return err
			}
			paused++
		case types.LEASE_STATE_CLOSING:
			if err := k.closeLease(ctx, a, &l, types.ReasonOutOfFunds, "tenant out of funds during notice"); err != nil {
				return err
			}
		}
	}
	fundedUntil := a.SettledAt
	a.SettledAt = t
	if paused > 0 && a.GraceUntil == 0 {
		a.GraceUntil = t + params.GracePeriod
	}
	return modkit.Emit(ctx, &types.EventAccountOutOfFunds{Tenant: a.Tenant, Denom: a.Denom, FundedUntil: fundedUntil, GraceUntil: a.GraceUntil})
}

// resumeIfFunded moves an account's GRACE leases back to ACTIVE when its balance pays for at
// least one more second of them. It returns whether it resumed.
func (k Keeper) resumeIfFunded(ctx context.Context, a *types.Account) (bool, error) {
	if a.GraceUntil == 0 {
		return false, nil
	}
	ids, err := k.liveLeases(ctx, a.Tenant, a.Denom)
	if err != nil {
		return false, err
	}
	graceRate := sdkmath.LegacyZeroDec()
	var paused []types.Lease
	for _, id := range ids {
		l, err := k.leases.Get(ctx, id)
		if err != nil {
			return false, err
		}
		if l.State == types.LEASE_STATE_GRACE {
			graceRate = graceRate.Add(l.Rate)
			paused = append(paused, l)
		}
	}
	if a.Balance.LT(a.TotalRate.Add(graceRate)) {
		return false, nil // not even one second's worth
	}
	a.GraceUntil = 0
	for i := range paused {
		l := paused[i]
		k.startBilling(ctx, a, &l)
		if err := k.setState(ctx, &l, types.LEASE_STATE_ACTIVE, 0, "funds restored"); err != nil {
			return false, err
		}
	}
	return true, modkit.Emit(ctx, &types.EventAccountResumed{Tenant: a.Tenant, Denom: a.Denom})
}

// addTotals records module-wide flows of a denom for the accounting invariant.
func (k Keeper) addTotals(ctx context.Context, denom string, edit func(*types.Totals)) error {
	t, err := k.totals.Get(ctx, denom)
	if errors.Is(err, collections.ErrNotFound) {
		t = types.Totals{Denom: denom, Deposited: sdkmath.ZeroInt(), Withdrawn: sdkmath.ZeroInt(),
			PaidToProviders: sdkmath.ZeroInt(), Fees: sdkmath.ZeroInt()}
	} else if err != nil {
		return err
	}
	edit(&t)
	return k.totals.Set(ctx, denom, t)
}
