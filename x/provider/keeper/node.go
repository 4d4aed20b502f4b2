package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
)

// Reasons recorded in EventBondChanged by this module; x/market passes its own to SlashBond.
const (
	ReasonAddNode    = "add_node"
	ReasonDeposit    = "deposit"
	ReasonWithdraw   = "withdraw"
	ReasonRemoveNode = "remove_node"
)

// GetNode returns a node, or ErrNodeNotFound.
func (k Keeper) GetNode(ctx context.Context, id uint64) (types.Node, error) {
	n, err := k.nodes.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Node{}, errorsmod.Wrapf(types.ErrNodeNotFound, "node %d", id)
	}
	return n, err
}

// NodeByAccount returns the node whose key has the given account address, or ErrNodeNotFound.
func (k Keeper) NodeByAccount(ctx context.Context, account string) (types.Node, error) {
	id, err := k.nodes.Indexes.Account.MatchExact(ctx, account)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Node{}, errorsmod.Wrapf(types.ErrNodeNotFound, "node account %s", account)
	}
	if err != nil {
		return types.Node{}, err
	}
	return k.GetNode(ctx, id)
}

// EffectiveStatus is the node's status at the current block time (see types.EffectiveStatus).
func (k Keeper) EffectiveStatus(ctx context.Context, n types.Node) (types.NodeStatus, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return types.NODE_STATUS_UNSPECIFIED, err
	}
	return types.EffectiveStatus(n.Status, n.LastHeartbeat, modkit.BlockTime(ctx), params.HeartbeatTimeout), nil
}

// AddNode adds a node to a provider; signer must be its owner or operator and pays the bond
// (possibly zero, in the bond denom). The node starts ONLINE with its last heartbeat at the
// current block time. It returns the new node's id and account.
func (k Keeper) AddNode(ctx context.Context, signer, provider string, pubKey []byte, capacity types.Resources, bond sdk.Coin) (uint64, string, error) {
	if _, err := k.controlledProvider(ctx, provider, signer); err != nil {
		return 0, "", err
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return 0, "", err
	}
	account, err := types.NodeAccount(pubKey)
	if err != nil {
		return 0, "", err
	}
	if capacity.IsZero() {
		return 0, "", errorsmod.Wrap(types.ErrInvalidResources, "capacity is empty")
	}
	if err := types.ValidateBondCoin(bond); err != nil {
		return 0, "", err
	}
	if bond.Denom != params.BondDenom {
		return 0, "", errorsmod.Wrapf(types.ErrInvalidBond, "bond denom %s, want %s", bond.Denom, params.BondDenom)
	}
	if _, err := k.nodes.Indexes.Account.MatchExact(ctx, account); err == nil {
		return 0, "", errorsmod.Wrapf(types.ErrDuplicateNode, "key of account %s", account)
	} else if !errors.Is(err, collections.ErrNotFound) {
		return 0, "", err
	}
	count, err := k.countNodes(ctx, provider)
	if err != nil {
		return 0, "", err
	}
	if count >= uint64(params.MaxNodesPerProvider) {
		return 0, "", errorsmod.Wrapf(types.ErrTooManyNodes, "provider %s has %d nodes, at most %d", provider, count, params.MaxNodesPerProvider)
	}
	if bond.IsPositive() {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, sdk.MustAccAddressFromBech32(signer), types.ModuleName, sdk.NewCoins(bond)); err != nil {
			return 0, "", errorsmod.Wrapf(err, "bond %s from %s", bond, signer)
		}
	}
	id, err := modkit.NextID(ctx, k.nextNodeID)
	if err != nil {
		return 0, "", err
	}
	n := types.Node{
		Id:            id,
		Provider:      provider,
		PubKey:        pubKey,
		Account:       account,
		Capacity:      capacity,
		Status:        types.NODE_STATUS_ONLINE,
		LastHeartbeat: modkit.BlockTime(ctx),
		Bond:          bond,
	}
	if err := k.nodes.Set(ctx, id, n); err != nil {
		return 0, "", err
	}
	if err := modkit.Emit(ctx, &types.EventNodeAdded{Provider: provider, NodeId: id, NodeAccount: account}); err != nil {
		return 0, "", err
	}
	if bond.IsPositive() {
		if err := modkit.Emit(ctx, &types.EventBondChanged{NodeId: id, Delta: "+" + bond.String(), Bond: bond, Reason: ReasonAddNode}); err != nil {
			return 0, "", err
		}
	}
	return id, account, nil
}

// countNodes counts a provider's nodes; the count is bounded by max_nodes_per_provider (or a
// previous, larger value of it).
func (k Keeper) countNodes(ctx context.Context, provider string) (uint64, error) {
	it, err := k.nodes.Indexes.Provider.Iterate(ctx, collections.NewPrefixedPairRange[string, uint64](provider))
	if err != nil {
		return 0, err
	}
	defer it.Close()
	var n uint64
	for ; it.Valid(); it.Next() {
		n++
	}
	return n, nil
}

// controlledNode loads a node and checks that signer is its provider's owner or operator.
func (k Keeper) controlledNode(ctx context.Context, nodeID uint64, signer string) (types.Node, types.Provider, error) {
	n, err := k.GetNode(ctx, nodeID)
	if err != nil {
		return types.Node{}, types.Provider{}, err
	}
	p, err := k.controlledProvider(ctx, n.Provider, signer)
	if err != nil {
		return types.Node{}, types.Provider{}, err
	}
	return n, p, nil
}

// UpdateNode changes a node's capacity (unless all zero; never below what is reserved) and its
// status (unless unspecified); signer must be the provider's owner or operator. Setting the
// status ONLINE also lifts a suspension (see SuspendNode).
func (k Keeper) UpdateNode(ctx context.Context, signer string, nodeID uint64, capacity types.Resources, status types.NodeStatus) error {
	n, _, err := k.controlledNode(ctx, nodeID, signer)
	if err != nil {
		return err
	}
	if capacity.IsZero() && status == types.NODE_STATUS_UNSPECIFIED {
		return errorsmod.Wrapf(types.ErrNoChange, "node %d", nodeID)
	}
	if !capacity.IsZero() {
		if !n.Reserved.FitsIn(capacity) {
			return errorsmod.Wrapf(types.ErrCapacityBelowReserved, "node %d: capacity %s, reserved %s", nodeID, capacity.Short(), n.Reserved.Short())
		}
		n.Capacity = capacity
	}
	resumed := false
	if status != types.NODE_STATUS_UNSPECIFIED {
		if !types.IsValidNodeStatus(status) {
			return errorsmod.Wrapf(types.ErrInvalidStatus, "node %d: status %d", nodeID, int32(status))
		}
		n.Status = status
		// Setting a suspended node ONLINE is the operator bringing it back: the incident ends.
		if status == types.NODE_STATUS_ONLINE && n.Suspended {
			n.Suspended, n.SuspendedAt, n.SuspendReason = false, 0, ""
			resumed = true
		}
	}
	if err := k.nodes.Set(ctx, nodeID, n); err != nil {
		return err
	}
	if err := modkit.Emit(ctx, &types.EventNodeUpdated{NodeId: nodeID, Status: n.Status}); err != nil {
		return err
	}
	if resumed {
		return modkit.Emit(ctx, &types.EventNodeResumed{NodeId: nodeID, Signer: signer})
	}
	return nil
}

// RemoveNode deletes a node and its offers and returns its bond to the provider's owner; signer
// must be the owner or operator. It is refused while the node has live leases or any of its
// offers has booked units.
func (k Keeper) RemoveNode(ctx context.Context, signer string, nodeID uint64) error {
	n, p, err := k.controlledNode(ctx, nodeID, signer)
	if err != nil {
		return err
	}
	if n.LiveLeases > 0 {
		return errorsmod.Wrapf(types.ErrNodeHasLeases, "node %d has %d", nodeID, n.LiveLeases)
	}
	offerIDs, err := k.nodeOfferIDs(ctx, nodeID)
	if err != nil {
		return err
	}
	for _, id := range offerIDs {
		o, err := k.GetOffer(ctx, id)
		if err != nil {
			return err
		}
		if o.UnitsBooked > 0 {
			return errorsmod.Wrapf(types.ErrOfferBooked, "node %d: offer %d has %d booked units", nodeID, id, o.UnitsBooked)
		}
	}
	if n.Bond.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(p.Owner), sdk.NewCoins(n.Bond)); err != nil {
			return errorsmod.Wrapf(err, "returning the bond %s of node %d to %s", n.Bond, nodeID, p.Owner)
		}
	}
	for _, id := range offerIDs {
		if err := k.offers.Remove(ctx, id); err != nil {
			return err
		}
		if err := modkit.Emit(ctx, &types.EventOfferRemoved{OfferId: id}); err != nil {
			return err
		}
	}
	if err := k.nodes.Remove(ctx, nodeID); err != nil {
		return err
	}
	if n.Bond.IsPositive() {
		zero := sdk.NewCoin(n.Bond.Denom, sdkmath.ZeroInt())
		if err := modkit.Emit(ctx, &types.EventBondChanged{NodeId: nodeID, Delta: "-" + n.Bond.String(), Bond: zero, Reason: ReasonRemoveNode}); err != nil {
			return err
		}
	}
	return modkit.Emit(ctx, &types.EventNodeRemoved{NodeId: nodeID})
}

// nodeOfferIDs lists a node's offer ids, at most max_offers_per_node (or a previous, larger
// value of it).
func (k Keeper) nodeOfferIDs(ctx context.Context, nodeID uint64) ([]uint64, error) {
	return k.offers.Indexes.Node.PrimaryKeys(ctx, nodeID, 0)
}

// DepositBond adds amount (in the bond denom) to a node's bond; anyone may fund a node.
func (k Keeper) DepositBond(ctx context.Context, sender string, nodeID uint64, amount sdk.Coin) error {
	if err := types.ValidateAddress("sender", sender); err != nil {
		return err
	}
	if err := types.ValidatePositiveCoin(amount); err != nil {
		return err
	}
	n, err := k.GetNode(ctx, nodeID)
	if err != nil {
		return err
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	if amount.Denom != params.BondDenom {
		return errorsmod.Wrapf(types.ErrInvalidBond, "node %d: denom %s, want %s", nodeID, amount.Denom, params.BondDenom)
	}
	if n.Bond.Denom != amount.Denom {
		// The bond denom parameter changed since the node was bonded: only an empty bond may
		// switch to the new denom.
		if n.Bond.Amount.IsNil() || !n.Bond.Amount.IsZero() {
			return errorsmod.Wrapf(types.ErrInvalidBond, "node %d holds a bond in %s", nodeID, n.Bond.Denom)
		}
		n.Bond = sdk.NewCoin(amount.Denom, sdkmath.ZeroInt())
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, sdk.MustAccAddressFromBech32(sender), types.ModuleName, sdk.NewCoins(amount)); err != nil {
		return errorsmod.Wrapf(err, "bond deposit %s from %s to node %d", amount, sender, nodeID)
	}
	n.Bond = n.Bond.Add(amount)
	if err := k.nodes.Set(ctx, nodeID, n); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventBondChanged{NodeId: nodeID, Delta: "+" + amount.String(), Bond: n.Bond, Reason: ReasonDeposit})
}

// WithdrawBond returns amount of a node's bond to the provider's owner; only the owner may, and
// only while the node has no live lease.
func (k Keeper) WithdrawBond(ctx context.Context, owner string, nodeID uint64, amount sdk.Coin) error {
	if err := types.ValidatePositiveCoin(amount); err != nil {
		return err
	}
	n, err := k.GetNode(ctx, nodeID)
	if err != nil {
		return err
	}
	if _, err := k.ownedProvider(ctx, n.Provider, owner); err != nil {
		return err
	}
	if n.LiveLeases > 0 {
		return errorsmod.Wrapf(types.ErrNodeHasLeases, "node %d has %d", nodeID, n.LiveLeases)
	}
	if amount.Denom != n.Bond.Denom {
		return errorsmod.Wrapf(types.ErrInvalidBond, "node %d: bond is in %s, not %s", nodeID, n.Bond.Denom, amount.Denom)
	}
	if amount.Amount.GT(n.Bond.Amount) {
		return errorsmod.Wrapf(types.ErrInsufficientBond, "node %d: withdraw %s, bond %s", nodeID, amount, n.Bond)
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(owner), sdk.NewCoins(amount)); err != nil {
		return errorsmod.Wrapf(err, "bond withdrawal %s from node %d to %s", amount, nodeID, owner)
	}
	n.Bond = n.Bond.Sub(amount)
	if err := k.nodes.Set(ctx, nodeID, n); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventBondChanged{NodeId: nodeID, Delta: "-" + amount.String(), Bond: n.Bond, Reason: ReasonWithdraw})
}

// Heartbeat records that a node is alive: only the node's own account may send it. It sets the
// last heartbeat to the block time and brings an OFFLINE node back ONLINE (a STANDBY node stays
// in standby).
func (k Keeper) Heartbeat(ctx context.Context, nodeAccount string, nodeID uint64) error {
	n, err := k.GetNode(ctx, nodeID)
	if err != nil {
		return err
	}
	if nodeAccount == "" || nodeAccount != n.Account {
		return errorsmod.Wrapf(types.ErrNotNodeAccount, "%s for node %d", nodeAccount, nodeID)
	}
	now := modkit.BlockTime(ctx)
	wasOffline := n.Status == types.NODE_STATUS_OFFLINE
	n.LastHeartbeat = now
	if wasOffline {
		n.Status = types.NODE_STATUS_ONLINE
	}
	if err := k.nodes.Set(ctx, nodeID, n); err != nil {
		return err
	}
	if err := modkit.Emit(ctx, &types.EventHeartbeat{NodeId: nodeID, Time: now}); err != nil {
		return err
	}
	if wasOffline {
		return modkit.Emit(ctx, &types.EventNodeUpdated{NodeId: nodeID, Status: n.Status})
	}
	return nil
}
