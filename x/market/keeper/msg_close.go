package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// CancelLease closes a lease by its tenant (100, or 101 with a report, which counts against the
// provider). Everything not billed stays in the tenant's escrow, withdrawable.
func (s msgServer) CancelLease(ctx context.Context, m *types.MsgCancelLease) (*types.MsgCancelLeaseResponse, error) {
	params, err := s.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if len(m.Report) > int(params.MaxReportText) {
		return nil, errorsmod.Wrapf(types.ErrInvalidRequest, "report is %d bytes, limit %d", len(m.Report), params.MaxReportText)
	}
	l, err := s.getLease(ctx, m.LeaseId)
	if err != nil {
		return nil, err
	}
	if l.Tenant != m.Tenant {
		return nil, errorsmod.Wrapf(types.ErrWrongSigner, "lease %d belongs to %s", l.Id, l.Tenant)
	}
	return &types.MsgCancelLeaseResponse{}, s.closeNow(ctx, l.Id, m.Reason, m.Report)
}

// closeNow settles the tenant and closes a live lease with reason.
func (k Keeper) closeNow(ctx context.Context, id uint64, reason uint32, note string) error {
	l, err := k.getLease(ctx, id)
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
	if l, err = k.Leases.Get(ctx, id); err != nil { // the touch may have changed it
		return err
	}
	if !types.IsLive(l.State) {
		return k.saveAccount(ctx, a)
	}
	if err := k.closeLease(ctx, &a, &l, reason, note); err != nil {
		return err
	}
	return k.saveAccount(ctx, a)
}

// CloseLease is the provider's exit. A PENDING lease closes at once (201: not deployed); a lease
// in GRACE closes at once (200); an ACTIVE lease enters CLOSING and keeps running and billing for
// provider_notice, which counts as an early close against the provider.
func (s msgServer) CloseLease(ctx context.Context, m *types.MsgCloseLease) (*types.MsgCloseLeaseResponse, error) {
	l, err := s.getLease(ctx, m.LeaseId)
	if err != nil {
		return nil, err
	}
	ok, err := s.provider.IsController(ctx, l.Provider, m.Signer)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorsmod.Wrapf(types.ErrWrongSigner, "%s does not control provider %s", m.Signer, l.Provider)
	}
	switch l.State {
	case types.LEASE_STATE_PENDING:
		return &types.MsgCloseLeaseResponse{}, s.closeNow(ctx, l.Id, types.ReasonDeployFailed, "declined by the provider")
	case types.LEASE_STATE_GRACE:
		return &types.MsgCloseLeaseResponse{}, s.closeNow(ctx, l.Id, types.ReasonProviderNotice, "closed by the provider during grace")
	case types.LEASE_STATE_ACTIVE:
	default:
		return nil, errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s", l.Id, l.State)
	}
	params, err := s.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.touchAccount(ctx, l.Tenant, l.Denom)
	if err != nil {
		return nil, err
	}
	if l, err = s.Leases.Get(ctx, l.Id); err != nil {
		return nil, err
	}
	if l.State == types.LEASE_STATE_ACTIVE { // the touch may have paused it
		l.ClosingAt = now(ctx) + params.ProviderNotice
		if err := s.NoticeQueue.Set(ctx, collections.Join(l.ClosingAt, l.Id)); err != nil {
			return nil, err
		}
		if err := s.provider.RecordOutcome(ctx, l.Provider, providertypes.LEASE_OUTCOME_EARLY_CLOSE); err != nil {
			return nil, err
		}
		if err := s.setState(ctx, &l, types.LEASE_STATE_CLOSING, 0, "provider notice"); err != nil {
			return nil, err
		}
	}
	return &types.MsgCloseLeaseResponse{}, s.saveAccount(ctx, a)
}

// GovCloseLease closes a lease by governance (400).
func (s msgServer) GovCloseLease(ctx context.Context, m *types.MsgGovCloseLease) (*types.MsgGovCloseLeaseResponse, error) {
	if m.Authority != s.authority {
		return nil, errorsmod.Wrapf(types.ErrUnauthorized, "authority is %s, not %s", s.authority, m.Authority)
	}
	return &types.MsgGovCloseLeaseResponse{}, s.closeNow(ctx, m.LeaseId, types.ReasonGovernance, m.Note)
}
