package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// GetLease returns a lease, or ErrLeaseNotFound when no lease has that id (a closed lease is
// pruned closed_lease_retention after it closed). Only collections.ErrNotFound becomes
// ErrLeaseNotFound: any other store error is returned with its cause.
func (k Keeper) GetLease(ctx context.Context, id uint64) (types.Lease, error) {
	l, err := k.leases.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Lease{}, errorsmod.Wrapf(types.ErrLeaseNotFound, "lease %d", id)
	}
	return l, err
}

// startBilling adds a lease to its account's drain from the account's settled time on. The
// account must be settled to now.
func (k Keeper) startBilling(ctx context.Context, a *types.Account, l *types.Lease) {
	l.BilledUntil = a.SettledAt
	if l.DeployedAt == 0 {
		l.DeployedAt = modkit.BlockTime(ctx)
	}
	a.TotalRate = a.TotalRate.Add(l.Rate)
}

// stopBilling bills a lease up to its account's settled time and removes it from the drain.
func (k Keeper) stopBilling(a *types.Account, l *types.Lease) {
	k.accrue(a, l)
	a.TotalRate = a.TotalRate.Sub(l.Rate)
}

// accrue moves what a billed lease earned up to the account's settled time into unclaimed.
func (k Keeper) accrue(a *types.Account, l *types.Lease) {
	if !types.IsBilling(l.State) {
		return
	}
	l.Unclaimed = l.Unclaimed.Add(types.Accrued(l.Rate, l.BilledUntil, a.SettledAt))
	if a.SettledAt > l.BilledUntil {
		l.BilledUntil = a.SettledAt
	}
}

// setState changes a lease's state, stores it and emits the change.
func (k Keeper) setState(ctx context.Context, l *types.Lease, to types.LeaseState, reason uint32, note string) error {
	from := l.State
	l.State = to
	if err := k.leases.Set(ctx, l.Id, *l); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventLeaseStateChanged{
		LeaseId: l.Id, NodeId: l.NodeId, From: from, To: to, CloseReason: reason, Note: note,
	})
}

// pay sends what a lease owes, in whole units, to the provider's beneficiary and the community
// fee to the community pool; the fraction stays in lease.unclaimed. It returns net and fee.
// Rounding (types.Payout): the payout is the whole units owed, rounded down (the fraction is
// carried, never lost); the fee rounds up, in the protocol's favour.
func (k Keeper) pay(ctx context.Context, l *types.Lease) (sdk.Coin, sdk.Coin, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return sdk.Coin{}, sdk.Coin{}, err
	}
	gross, fee, net, rest := types.Payout(l.Unclaimed, params.CommunityFeeBps)
	netCoin, feeCoin := sdk.NewCoin(l.Denom, net), sdk.NewCoin(l.Denom, fee)
	if gross.IsZero() {
		return netCoin, feeCoin, nil
	}
	prov, err := k.provider.GetProvider(ctx, l.Provider)
	if err != nil {
		return netCoin, feeCoin, err
	}
	beneficiary, err := sdk.AccAddressFromBech32(prov.Beneficiary)
	if err != nil {
		return netCoin, feeCoin, errorsmod.Wrapf(types.ErrInvalidAddress, "beneficiary of %s: %v", l.Provider, err)
	}
	if net.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, beneficiary, sdk.NewCoins(netCoin)); err != nil {
			return netCoin, feeCoin, err
		}
		if err := k.provider.AddEarnings(ctx, l.Provider, netCoin); err != nil {
			return netCoin, feeCoin, err
		}
	}
	if fee.IsPositive() {
		if err := k.distr.FundCommunityPool(ctx, sdk.NewCoins(feeCoin), k.escrow); err != nil {
			return netCoin, feeCoin, err
		}
	}
	l.Unclaimed = rest
	l.Paid = l.Paid.Add(gross)
	if err := k.addTotals(ctx, l.Denom, func(t *types.Totals) {
		t.PaidToProviders = t.PaidToProviders.Add(net)
		t.Fees = t.Fees.Add(fee)
	}); err != nil {
		return netCoin, feeCoin, err
	}
	return netCoin, feeCoin, modkit.Emit(ctx, &types.EventPayment{
		LeaseId: l.Id, Provider: l.Provider, Beneficiary: prov.Beneficiary, Amount: netCoin, Fee: feeCoin,
	})
}

// closeLease ends a live lease: bills it up to the account's settled time, pays the provider
// what is owed in whole units, returns the fraction to the tenant's balance, frees the capacity,
// updates reputation and the account's rates. Storing it CLOSED takes it out of every live index
// and queue and into the closed queue. The caller saves the account.
func (k Keeper) closeLease(ctx context.Context, a *types.Account, l *types.Lease, reason uint32, note string) error {
	if !types.IsLive(l.State) {
		return errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s", l.Id, l.State)
	}
	wasDeployed := l.State != types.LEASE_STATE_PENDING
	if types.IsBilling(l.State) {
		k.stopBilling(a, l)
	}
	if _, _, err := k.pay(ctx, l); err != nil {
		return err
	}
	a.Balance = a.Balance.Add(l.Unclaimed) // the unpaid fraction goes back to the tenant
	l.Unclaimed = sdkmath.LegacyZeroDec()
	a.CommittedRate = a.CommittedRate.Sub(l.Rate)
	a.LiveLeases--

	if err := k.provider.ReleaseUnits(ctx, l.OfferId, l.Units); err != nil {
		return err
	}
	if outcome := outcomeOf(reason, wasDeployed); outcome != providertypes.LEASE_OUTCOME_UNSPECIFIED {
		if err := k.provider.RecordOutcome(ctx, l.Provider, outcome); err != nil {
			return err
		}
	}
	l.ClosedAt = modkit.BlockTime(ctx)
	l.CloseReason = reason
	l.CloseNote = note
	return k.setState(ctx, l, types.LEASE_STATE_CLOSED, reason, note)
}

// outcomeOf maps a close reason to the reputation counter it moves.
func outcomeOf(reason uint32, wasDeployed bool) providertypes.LeaseOutcome {
	switch reason {
	case types.ReasonTenantDone, types.ReasonOutOfFunds, types.ReasonProviderNotice:
		if wasDeployed {
			return providertypes.LEASE_OUTCOME_COMPLETED
		}
	case types.ReasonProviderMisbehaviour:
		return providertypes.LEASE_OUTCOME_MISBEHAVIOUR_REPORT
	case types.ReasonDeployFailed:
		return providertypes.LEASE_OUTCOME_DEPLOY_FAILED
	case types.ReasonDeployTimeout:
		return providertypes.LEASE_OUTCOME_DEPLOY_TIMEOUT
	}
	return providertypes.LEASE_OUTCOME_UNSPECIFIED
}
