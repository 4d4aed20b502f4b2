package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// CheckInvariants verifies, exactly, for every payment denom:
//
//	deposited − withdrawn − paid to providers − fees
//	  = Σ account balances + Σ unclaimed of live leases + Σ billed-but-not-accrued of billing leases
//	  = the escrow module account's bank balance
//
// and, per account, that total_rate, committed_rate and live_leases match its live leases and
// funded_until its balance; and, in both directions, that every live set and queue holds
// exactly the entries its objects derive (modkit.PartialIndex.Verify): no entry is missing and
// none is stale. It walks the whole state: it is a test and audit helper, never run per block.
func (k Keeper) CheckInvariants(ctx context.Context) error {
	if err := k.checkIndexes(ctx); err != nil {
		return err
	}
	held := map[string]sdkmath.LegacyDec{}
	addHeld := func(denom string, v sdkmath.LegacyDec) {
		if cur, ok := held[denom]; ok {
			held[denom] = cur.Add(v)
		} else {
			held[denom] = v
		}
	}
	it, err := k.accounts.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	accounts, err := it.Values()
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if a.Balance.IsNegative() {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "account %s/%s: negative balance %s", a.Tenant, a.Denom, a.Balance)
		}
		addHeld(a.Denom, a.Balance)
		ids, err := k.liveLeases(ctx, a.Tenant, a.Denom)
		if err != nil {
			return err
		}
		total, committed := sdkmath.LegacyZeroDec(), sdkmath.LegacyZeroDec()
		for _, id := range ids {
			l, err := k.leases.Get(ctx, id)
			if err != nil {
				return err
			}
			if !types.IsLive(l.State) {
				return errorsmod.Wrapf(types.ErrInvariantBroken, "lease %d is %s but indexed as live", id, l.State)
			}
			committed = committed.Add(l.Rate)
			addHeld(a.Denom, l.Unclaimed)
			if types.IsBilling(l.State) {
				total = total.Add(l.Rate)
				if l.BilledUntil > a.SettledAt {
					return errorsmod.Wrapf(types.ErrInvariantBroken, "lease %d billed until %d, past its account's %d", id, l.BilledUntil, a.SettledAt)
				}
				addHeld(a.Denom, types.Accrued(l.Rate, l.BilledUntil, a.SettledAt))
			}
		}
		if !total.Equal(a.TotalRate) || !committed.Equal(a.CommittedRate) || uint32(len(ids)) != a.LiveLeases {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "account %s/%s: rates %s/%s and %d leases, leases say %s/%s and %d",
				a.Tenant, a.Denom, a.TotalRate, a.CommittedRate, a.LiveLeases, total, committed, len(ids))
		}
		if want := types.FundedUntil(a.Balance, a.TotalRate, a.SettledAt); want != a.FundedUntil {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "account %s/%s: funded_until %d, want %d", a.Tenant, a.Denom, a.FundedUntil, want)
		}
	}
	tit, err := k.totals.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	totals, err := tit.Values()
	if err != nil {
		return err
	}
	escrow := k.bank.GetAllBalances(ctx, k.escrow)
	for _, t := range totals {
		expected := t.Deposited.Sub(t.Withdrawn).Sub(t.PaidToProviders).Sub(t.Fees)
		got, ok := held[t.Denom]
		if !ok {
			got = sdkmath.LegacyZeroDec()
		}
		if !got.Equal(sdkmath.LegacyNewDecFromInt(expected)) {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "%s: flows say %s held, state holds %s", t.Denom, expected, got)
		}
		if bank := escrow.AmountOf(t.Denom); !bank.Equal(expected) {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "%s: flows say %s held, escrow account has %s", t.Denom, expected, bank)
		}
	}
	return nil
}

// checkIndexes verifies every partial index of the accounts and leases against the objects.
func (k Keeper) checkIndexes(ctx context.Context) error {
	eachAccount := func(fn func(AccountKey, types.Account) error) error { return modkit.Each(ctx, k.accounts, fn) }
	eachLease := func(fn func(uint64, types.Lease) error) error { return modkit.Each(ctx, k.leases, fn) }
	ai := k.accounts.Indexes
	li := k.leases.Indexes
	for _, verify := range []func() error{
		func() error { return ai.Funds.Verify(ctx, eachAccount) },
		func() error { return ai.Grace.Verify(ctx, eachAccount) },
		func() error { return li.Tenant.Verify(ctx, eachLease) },
		func() error { return li.Provider.Verify(ctx, eachLease) },
		func() error { return li.Node.Verify(ctx, eachLease) },
		func() error { return li.LiveByAccount.Verify(ctx, eachLease) },
		func() error { return li.LiveByProvider.Verify(ctx, eachLease) },
		func() error { return li.LiveByNode.Verify(ctx, eachLease) },
		func() error { return li.Deploy.Verify(ctx, eachLease) },
		func() error { return li.Notice.Verify(ctx, eachLease) },
		func() error { return li.Closed.Verify(ctx, eachLease) },
		func() error { return li.Earnings.Verify(ctx, eachLease) },
	} {
		if err := verify(); err != nil {
			return errorsmod.Wrap(types.ErrInvariantBroken, err.Error())
		}
	}
	return nil
}
