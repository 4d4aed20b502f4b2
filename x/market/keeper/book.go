package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// Book creates a PENDING lease of units of an offer at the offer's current price, which is
// locked into the lease's rate (types.LeaseRate, exact). maxPrice, when not empty, is the
// highest price per unit per second the tenant accepts. The tenant's escrow for the offer's
// denom must cover every live lease plus this one for min_cover (types.Covers); x/provider
// reserves the units and refuses an inactive offer or a node that is not bookable (offline,
// standby, suspended after a deploy timeout, under-bonded or full). It returns the lease id.
func (k Keeper) Book(ctx context.Context, tenant string, offerID, units uint64, deployment types.Deployment, maxPrice string) (uint64, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return 0, err
	}
	if err := types.ValidateDeployment(deployment.Hash, deployment.Data, params.MaxDeploymentData); err != nil {
		return 0, err
	}
	if units == 0 {
		return 0, errorsmod.Wrap(types.ErrInvalidAmount, "units must be positive")
	}
	offer, err := k.provider.GetOffer(ctx, offerID)
	if err != nil {
		return 0, err
	}
	price := offer.Price
	if !params.AcceptsDenom(price.Denom) {
		return 0, errorsmod.Wrapf(types.ErrDenomNotAccepted, "offer %d is priced in %s", offer.Id, price.Denom)
	}
	if maxPrice != "" {
		max, err := sdkmath.LegacyNewDecFromStr(maxPrice)
		if err != nil {
			return 0, errorsmod.Wrapf(types.ErrInvalidAmount, "max price %q", maxPrice)
		}
		if price.Amount.GT(max) {
			return 0, errorsmod.Wrapf(types.ErrPriceAboveMax, "offer %d costs %s per unit per second, max %s", offer.Id, price, maxPrice)
		}
	}
	rate := types.LeaseRate(price.Amount, units)
	var id uint64
	err = atomic(ctx, func(ctx context.Context) error {
		a, err := k.touchAccount(ctx, tenant, price.Denom)
		if err != nil {
			return err
		}
		if a.GraceUntil != 0 {
			return errorsmod.Wrapf(types.ErrAccountInGrace, "%s account of %s", price.Denom, tenant)
		}
		if a.LiveLeases >= params.MaxLeasesPerAccount {
			return errorsmod.Wrapf(types.ErrTooManyLeases, "%d live leases in %s", a.LiveLeases, price.Denom)
		}
		if !types.Covers(a.Balance, a.CommittedRate, rate, params.MinCover) {
			need := types.CoverRequired(a.CommittedRate.Add(rate), params.MinCover)
			return errorsmod.Wrapf(types.ErrInsufficientCover,
				"booking at %s%s/s needs %s%s in escrow to cover every live lease for %ds; balance is %s%s",
				rate, price.Denom, need.Ceil().TruncateInt(), price.Denom, params.MinCover, a.Balance, price.Denom)
		}
		offer, node, err := k.provider.ReserveUnits(ctx, offerID, units)
		if err != nil {
			return err
		}
		if id, err = modkit.NextID(ctx, k.nextLeaseID); err != nil {
			return err
		}
		t := modkit.BlockTime(ctx)
		l := types.Lease{
			Id: id, Tenant: tenant, OfferId: offer.Id, NodeId: node.Id, Provider: offer.Provider,
			Units: units, Denom: price.Denom, Rate: rate, Deployment: deployment,
			State: types.LEASE_STATE_PENDING, CreatedAt: t, DeployDeadline: t + params.DeployTimeout,
			Unclaimed: sdkmath.LegacyZeroDec(), Paid: sdkmath.ZeroInt(),
		}
		a.CommittedRate = a.CommittedRate.Add(rate)
		a.LiveLeases++
		if err := k.leases.Set(ctx, id, l); err != nil {
			return err
		}
		if err := k.saveAccount(ctx, a); err != nil {
			return err
		}
		return modkit.EmitAll(ctx, &types.EventLeaseCreated{
			LeaseId: id, Tenant: l.Tenant, Provider: l.Provider, NodeId: l.NodeId, OfferId: l.OfferId,
			Rate: rate.String(), Denom: l.Denom,
		}, &types.EventLeaseStateChanged{LeaseId: id, NodeId: l.NodeId, To: types.LEASE_STATE_PENDING})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}
