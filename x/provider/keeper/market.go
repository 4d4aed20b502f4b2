package keeper

import (
	"context"
	"math"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
)

// This file holds the methods x/market calls (its ProviderKeeper interface): booking and
// releasing capacity, reputation and slashing. They are not reachable from messages.

// ReserveUnits books units of an offer for one new lease. The offer must be active with enough
// free units; its node effectively online (stored status ONLINE and a heartbeat, or the time it
// was added, no older than the heartbeat timeout); bonded with at least RequiredBond of its
// capacity, in the bond denom; and with free capacity for units × the offer's resources. It adds
// the units to units_booked, the resources to the node's reserved capacity and one to its
// live_leases, and returns the offer and the node as they were before the change.
func (k Keeper) ReserveUnits(ctx context.Context, offerID, units uint64) (types.Offer, types.Node, error) {
	if units == 0 {
		return types.Offer{}, types.Node{}, errorsmod.Wrapf(types.ErrInvalidUnits, "offer %d: reserve 0 units", offerID)
	}
	o, err := k.GetOffer(ctx, offerID)
	if err != nil {
		return types.Offer{}, types.Node{}, err
	}
	if !o.Active {
		return types.Offer{}, types.Node{}, errorsmod.Wrapf(types.ErrOfferInactive, "offer %d", offerID)
	}
	if units > o.FreeUnits() {
		return types.Offer{}, types.Node{}, errorsmod.Wrapf(types.ErrInsufficientUnits, "offer %d: want %d, free %d", offerID, units, o.FreeUnits())
	}
	n, err := k.GetNode(ctx, o.NodeId)
	if err != nil {
		return types.Offer{}, types.Node{}, err
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return types.Offer{}, types.Node{}, err
	}
	if err := bookable(n, params, modkit.BlockTime(ctx)); err != nil {
		return types.Offer{}, types.Node{}, errorsmod.Wrapf(err, "offer %d", offerID)
	}
	need, err := o.Resources.Mul(units)
	if err != nil {
		return types.Offer{}, types.Node{}, err
	}
	reserved, err := n.Reserved.Add(need)
	if err != nil || !reserved.FitsIn(n.Capacity) {
		return types.Offer{}, types.Node{}, errorsmod.Wrapf(types.ErrInsufficientCapacity,
			"offer %d: %d units need %s; node %d has %s of %s reserved", offerID, units, need.Short(), n.Id, n.Reserved.Short(), n.Capacity.Short())
	}
	if n.LiveLeases == math.MaxUint64 {
		return types.Offer{}, types.Node{}, errorsmod.Wrapf(types.ErrOverflow, "node %d: live leases", n.Id)
	}
	newOffer, newNode := o, n
	newOffer.UnitsBooked += units // at most units_total, checked above
	newNode.Reserved = reserved
	newNode.LiveLeases++
	if err := k.offers.Set(ctx, offerID, newOffer); err != nil {
		return types.Offer{}, types.Node{}, err
	}
	if err := k.nodes.Set(ctx, n.Id, newNode); err != nil {
		return types.Offer{}, types.Node{}, err
	}
	if err := modkit.Emit(ctx, &types.EventUnitsChanged{OfferId: offerID, UnitsBooked: newOffer.UnitsBooked}); err != nil {
		return types.Offer{}, types.Node{}, err
	}
	return o, n, nil
}

// bookable checks that a node can take a booking at time now: not suspended, effectively online
// and bonded as the parameters require. Capacity is the caller's check.
func bookable(n types.Node, params types.Params, now int64) error {
	if n.Suspended {
		return errorsmod.Wrapf(types.ErrNodeSuspended, "node %d since %d (%s); its operator must set it online again", n.Id, n.SuspendedAt, n.SuspendReason)
	}
	if s := types.EffectiveStatus(n.Status, n.LastHeartbeat, now, params.HeartbeatTimeout); s != types.NODE_STATUS_ONLINE {
		return errorsmod.Wrapf(types.ErrNodeNotOnline, "node %d is %s (stored %s, last heartbeat %d, now %d)", n.Id, s, n.Status, n.LastHeartbeat, now)
	}
	required, err := types.RequiredBond(n.Capacity, params)
	if err != nil {
		return err
	}
	if required.IsPositive() && (n.Bond.Denom != params.BondDenom || n.Bond.Amount.IsNil() || n.Bond.Amount.LT(required)) {
		return errorsmod.Wrapf(types.ErrInsufficientBond, "node %d: bond %s, capacity %s requires %s%s", n.Id, n.Bond, n.Capacity.Short(), required, params.BondDenom)
	}
	return nil
}

// ReleaseUnits undoes ReserveUnits when a lease closes: it removes the units from units_booked,
// their resources from the node's reserved capacity and one from its live_leases.
func (k Keeper) ReleaseUnits(ctx context.Context, offerID, units uint64) error {
	if units == 0 {
		return errorsmod.Wrapf(types.ErrInvalidUnits, "offer %d: release 0 units", offerID)
	}
	o, err := k.GetOffer(ctx, offerID)
	if err != nil {
		return err
	}
	if units > o.UnitsBooked {
		return errorsmod.Wrapf(types.ErrInvalidUnits, "offer %d: release %d, booked %d", offerID, units, o.UnitsBooked)
	}
	n, err := k.GetNode(ctx, o.NodeId)
	if err != nil {
		return err
	}
	if n.LiveLeases == 0 {
		return errorsmod.Wrapf(types.ErrNoLiveLeases, "node %d (offer %d)", n.Id, offerID)
	}
	freed, err := o.Resources.Mul(units)
	if err != nil {
		return err
	}
	if n.Reserved, err = n.Reserved.Sub(freed); err != nil {
		return errorsmod.Wrapf(err, "node %d (offer %d)", n.Id, offerID)
	}
	n.LiveLeases--
	o.UnitsBooked -= units
	if err := k.offers.Set(ctx, offerID, o); err != nil {
		return err
	}
	if err := k.nodes.Set(ctx, n.Id, n); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventUnitsChanged{OfferId: offerID, UnitsBooked: o.UnitsBooked})
}

// RecordOutcome adds one to the provider's reputation counter for the outcome. Counters
// saturate at the largest uint64 instead of failing, so recording never blocks a lease close.
func (k Keeper) RecordOutcome(ctx context.Context, provider string, outcome types.LeaseOutcome) error {
	p, err := k.GetProvider(ctx, provider)
	if err != nil {
		return err
	}
	r := &p.Reputation
	var counter *uint64
	switch outcome {
	case types.LEASE_OUTCOME_COMPLETED:
		counter = &r.LeasesCompleted
	case types.LEASE_OUTCOME_DEPLOY_FAILED:
		counter = &r.DeployFailures
	case types.LEASE_OUTCOME_DEPLOY_TIMEOUT:
		counter = &r.DeployTimeouts
	case types.LEASE_OUTCOME_MISBEHAVIOUR_REPORT:
		counter = &r.MisbehaviourReports
	case types.LEASE_OUTCOME_EARLY_CLOSE:
		counter = &r.EarlyCloses
	default:
		return errorsmod.Wrapf(types.ErrInvalidOutcome, "outcome %d for provider %s", int32(outcome), provider)
	}
	if *counter < math.MaxUint64 {
		*counter++
	}
	if err := k.providers.Set(ctx, provider, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventReputationChanged{Provider: provider, Outcome: outcome})
}

// AddEarnings adds a payout to the provider's total_earned. A zero amount changes nothing. The
// event is EventReputationChanged with an unspecified outcome.
func (k Keeper) AddEarnings(ctx context.Context, provider string, amount sdk.Coin) error {
	if err := types.ValidateBondCoin(amount); err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "earnings of %s: %v", provider, err)
	}
	p, err := k.GetProvider(ctx, provider)
	if err != nil {
		return err
	}
	if amount.IsZero() {
		return nil
	}
	p.Reputation.TotalEarned = p.Reputation.TotalEarned.Add(amount)
	if err := k.providers.Set(ctx, provider, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventReputationChanged{Provider: provider, Outcome: types.LEASE_OUTCOME_UNSPECIFIED})
}

// SlashBond removes types.SlashAmount(bond, bps) = ⌊bond × bps / 10000⌋ from a node's bond and
// sends it from the module account to the community pool. It returns the amount slashed, which
// is zero (and nothing changes) when bps is 0 or the bond is too small to lose a whole unit.
func (k Keeper) SlashBond(ctx context.Context, nodeID uint64, bps uint32, reason string) (sdk.Coin, error) {
	if bps > types.BasisPoints {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrInvalidSlash, "node %d: %d bps, at most %d", nodeID, bps, types.BasisPoints)
	}
	if len(reason) > types.MaxReasonLength {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrInvalidSlash, "node %d: reason is %d bytes, at most %d", nodeID, len(reason), types.MaxReasonLength)
	}
	n, err := k.GetNode(ctx, nodeID)
	if err != nil {
		return sdk.Coin{}, err
	}
	amount := types.SlashAmount(n.Bond, bps)
	if amount.IsZero() {
		return amount, nil
	}
	if err := k.distr.FundCommunityPool(ctx, sdk.NewCoins(amount), k.moduleAddr); err != nil {
		return sdk.Coin{}, errorsmod.Wrapf(err, "slashing %s of node %d", amount, nodeID)
	}
	n.Bond = n.Bond.Sub(amount)
	if err := k.nodes.Set(ctx, nodeID, n); err != nil {
		return sdk.Coin{}, err
	}
	if err := modkit.Emit(ctx, &types.EventBondChanged{NodeId: nodeID, Delta: "-" + amount.String(), Bond: n.Bond, Reason: reason}); err != nil {
		return sdk.Coin{}, err
	}
	return amount, nil
}

// SuspendNode takes a node out of the bookable set after a deploy timeout: ReserveUnits refuses
// it with ErrNodeSuspended until its operator brings it back (UpdateNode with status ONLINE); a
// heartbeat does not clear it, since the agent that heartbeats may be the one failing to deploy.
// It returns true when this call began a new incident, false when the node was already
// suspended (nothing changes then), so that the caller slashes at most once per incident.
func (k Keeper) SuspendNode(ctx context.Context, nodeID uint64, reason string) (bool, error) {
	if len(reason) > types.MaxReasonLength {
		return false, errorsmod.Wrapf(types.ErrInvalidStatus, "node %d: reason is %d bytes, at most %d", nodeID, len(reason), types.MaxReasonLength)
	}
	n, err := k.GetNode(ctx, nodeID)
	if err != nil {
		return false, err
	}
	if n.Suspended {
		return false, nil
	}
	n.Suspended = true
	n.SuspendedAt = modkit.BlockTime(ctx)
	n.SuspendReason = reason
	if err := k.nodes.Set(ctx, nodeID, n); err != nil {
		return false, err
	}
	return true, modkit.Emit(ctx, &types.EventNodeSuspended{NodeId: nodeID, Reason: reason})
}
