package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// CancelLease closes a live lease by its tenant with reason 100 (done) or 101 (provider
// misbehaviour, with a report that counts against the provider). What was billed is paid to the
// provider; everything else stays in the tenant's escrow, withdrawable.
func (k Keeper) CancelLease(ctx context.Context, tenant string, leaseID uint64, reason uint32, report string) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	if reason != types.ReasonTenantDone && reason != types.ReasonProviderMisbehaviour {
		return errorsmod.Wrapf(types.ErrInvalidReason, "tenant close reason %d: use 100 (done) or 101 (provider misbehaviour)", reason)
	}
	if reason == types.ReasonProviderMisbehaviour && report == "" {
		return errorsmod.Wrap(types.ErrInvalidReason, "reason 101 needs a report")
	}
	if len(report) > int(params.MaxReportText) {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "report is %d bytes, limit %d", len(report), params.MaxReportText)
	}
	l, err := k.GetLease(ctx, leaseID)
	if err != nil {
		return err
	}
	if l.Tenant != tenant {
		return errorsmod.Wrapf(types.ErrNotTenant, "lease %d belongs to %s", l.Id, l.Tenant)
	}
	if !types.IsLive(l.State) {
		return errorsmod.Wrapf(types.ErrInvalidState, "lease %d is already closed", l.Id)
	}
	return atomic(ctx, func(ctx context.Context) error { return k.closeNow(ctx, l.Id, reason, report) })
}

// closeNow settles the tenant and closes a live lease with reason. If settling the tenant
// already closed it (a CLOSING lease whose tenant ran out), that close stands.
func (k Keeper) closeNow(ctx context.Context, id uint64, reason uint32, note string) error {
	l, err := k.GetLease(ctx, id)
	if err != nil {
		return err
	}
	if !types.IsLive(l.State) {
		return errorsmod.Wrapf(types.ErrInvalidState, "lease %d is already closed", l.Id)
	}
	a, err := k.touchAccount(ctx, l.Tenant, l.Denom)
	if err != nil {
		return err
	}
	if l, err = k.leases.Get(ctx, id); err != nil { // the touch may have changed it
		return err
	}
	if types.IsLive(l.State) {
		if err := k.closeLease(ctx, &a, &l, reason, note); err != nil {
			return err
		}
	}
	return k.saveAccount(ctx, a)
}

// CloseLease is the provider's exit; signer must be the provider's owner or operator. A PENDING
// lease closes at once (201: not deployed); a lease in GRACE closes at once (200); an ACTIVE
// lease enters CLOSING and keeps running and billing for provider_notice, which counts as an
// early close against the provider.
func (k Keeper) CloseLease(ctx context.Context, signer string, leaseID uint64) error {
	l, err := k.GetLease(ctx, leaseID)
	if err != nil {
		return err
	}
	ok, err := k.provider.IsController(ctx, l.Provider, signer)
	if err != nil {
		return err
	}
	if !ok {
		return errorsmod.Wrapf(types.ErrNotController, "%s does not control provider %s", signer, l.Provider)
	}
	switch l.State {
	case types.LEASE_STATE_PENDING:
		return atomic(ctx, func(ctx context.Context) error {
			return k.closeNow(ctx, l.Id, types.ReasonDeployFailed, "declined by the provider")
		})
	case types.LEASE_STATE_GRACE:
		return atomic(ctx, func(ctx context.Context) error {
			return k.closeNow(ctx, l.Id, types.ReasonProviderNotice, "closed by the provider during grace")
		})
	case types.LEASE_STATE_ACTIVE:
	default:
		return errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s", l.Id, l.State)
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	return atomic(ctx, func(ctx context.Context) error {
		a, err := k.touchAccount(ctx, l.Tenant, l.Denom)
		if err != nil {
			return err
		}
		if l, err = k.leases.Get(ctx, l.Id); err != nil {
			return err
		}
		if l.State == types.LEASE_STATE_ACTIVE { // the touch may have paused it
			l.ClosingAt = modkit.BlockTime(ctx) + params.ProviderNotice
			if err := k.provider.RecordOutcome(ctx, l.Provider, providertypes.LEASE_OUTCOME_EARLY_CLOSE); err != nil {
				return err
			}
			if err := k.setState(ctx, &l, types.LEASE_STATE_CLOSING, 0, "provider notice"); err != nil {
				return err
			}
		}
		return k.saveAccount(ctx, a)
	})
}

// GovCloseLease closes a live lease by governance (400).
func (k Keeper) GovCloseLease(ctx context.Context, authority string, leaseID uint64, note string) error {
	if err := modkit.CheckAuthority(k.authority, authority, types.ErrNotAuthority); err != nil {
		return err
	}
	l, err := k.GetLease(ctx, leaseID)
	if err != nil {
		return err
	}
	if !types.IsLive(l.State) {
		return errorsmod.Wrapf(types.ErrInvalidState, "lease %d is already closed", l.Id)
	}
	return atomic(ctx, func(ctx context.Context) error { return k.closeNow(ctx, l.Id, types.ReasonGovernance, note) })
}
