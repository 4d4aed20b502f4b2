package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/market/types"
)

// Book creates a PENDING lease on an offer at the offer's current price.
func (s msgServer) Book(ctx context.Context, m *types.MsgBook) (*types.MsgBookResponse, error) {
	params, err := s.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if err := types.ValidateDeployment(m.DeploymentHash, m.DeploymentData, params.MaxDeploymentData); err != nil {
		return nil, err
	}
	offer, err := s.provider.GetOffer(ctx, m.OfferId)
	if err != nil {
		return nil, err
	}
	price := offer.Price
	if !params.AcceptsDenom(price.Denom) {
		return nil, errorsmod.Wrapf(types.ErrDenomNotAccepted, "offer %d is priced in %s", offer.Id, price.Denom)
	}
	if m.MaxPrice != "" {
		maxPrice, err := sdkmath.LegacyNewDecFromStr(m.MaxPrice)
		if err != nil {
			return nil, errorsmod.Wrapf(types.ErrInvalidAmount, "max price %q", m.MaxPrice)
		}
		if price.Amount.GT(maxPrice) {
			return nil, errorsmod.Wrapf(types.ErrPriceAboveMax, "offer %d costs %s per unit per second, max %s", offer.Id, price, m.MaxPrice)
		}
	}
	rate := types.LeaseRate(price.Amount, m.Units)
	a, err := s.touchAccount(ctx, m.Tenant, price.Denom)
	if err != nil {
		return nil, err
	}
	if a.GraceUntil != 0 {
		return nil, errorsmod.Wrapf(types.ErrAccountInGrace, "%s account of %s", price.Denom, m.Tenant)
	}
	if a.LiveLeases >= params.MaxLeasesPerAccount {
		return nil, errorsmod.Wrapf(types.ErrTooManyLeases, "%d live leases in %s", a.LiveLeases, price.Denom)
	}
	if !types.Covers(a.Balance, a.CommittedRate, rate, params.MinCover) {
		need := types.CoverRequired(a.CommittedRate.Add(rate), params.MinCover)
		return nil, errorsmod.Wrapf(types.ErrInsufficientCover,
			"booking at %s%s/s needs %s%s in escrow to cover every live lease for %ds; balance is %s%s",
			rate, price.Denom, need.Ceil().TruncateInt(), price.Denom, params.MinCover, a.Balance, price.Denom)
	}
	offer, node, err := s.provider.ReserveUnits(ctx, m.OfferId, m.Units)
	if err != nil {
		return nil, err
	}
	id, err := s.NextLeaseID.Next(ctx)
	if err != nil {
		return nil, err
	}
	t := now(ctx)
	l := types.Lease{
		Id: id, Tenant: m.Tenant, OfferId: offer.Id, NodeId: node.Id, Provider: offer.Provider,
		Units: m.Units, Denom: price.Denom, Rate: rate,
		Deployment: types.Deployment{Hash: m.DeploymentHash, Data: m.DeploymentData},
		State:      types.LEASE_STATE_PENDING, CreatedAt: t, DeployDeadline: t + params.DeployTimeout,
		Unclaimed: sdkmath.LegacyZeroDec(), Paid: sdkmath.ZeroInt(),
	}
	a.CommittedRate = a.CommittedRate.Add(rate)
	a.LiveLeases++
	if err := s.Leases.Set(ctx, id, l); err != nil {
		return nil, err
	}
	if err := s.LiveByAccount.Set(ctx, collections.Join3(l.Tenant, l.Denom, id)); err != nil {
		return nil, err
	}
	if err := s.LiveByProvider.Set(ctx, collections.Join(l.Provider, id)); err != nil {
		return nil, err
	}
	if err := s.LiveByNode.Set(ctx, collections.Join(l.NodeId, id)); err != nil {
		return nil, err
	}
	if err := s.DeployQueue.Set(ctx, collections.Join(l.DeployDeadline, id)); err != nil {
		return nil, err
	}
	if err := s.saveAccount(ctx, a); err != nil {
		return nil, err
	}
	return &types.MsgBookResponse{LeaseId: id}, emit(ctx, &types.EventLeaseCreated{
		LeaseId: id, Tenant: l.Tenant, Provider: l.Provider, NodeId: l.NodeId, OfferId: l.OfferId,
		Rate: rate.String(), Denom: l.Denom,
	}, &types.EventLeaseStateChanged{LeaseId: id, NodeId: l.NodeId, To: types.LEASE_STATE_PENDING})
}
