package types

import (
	"math/bits"
	"slices"

	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis is the default genesis state: default parameters, no providers, ids from 1.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextNodeId: 1, NextOfferId: 1}
}

// Validate checks the genesis state: valid parameters; providers with valid, unique addresses
// and metadata; nodes with unique ids below next_node_id, an existing provider, a valid key whose
// account matches and is unique, reserved capacity within capacity, a valid bond and live leases
// only while units are booked; offers with unique ids below next_offer_id on a node of their own
// provider, a valid kind, price and units; and, for every node, reserved capacity equal to the
// sum over its offers of units_booked × resources. These are the module's invariants: a state
// exported after any sequence of messages passes this check.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextNodeId == 0 || gs.NextOfferId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_node_id and next_offer_id start at 1")
	}
	providers := make([]string, 0, len(gs.Providers))
	for i, p := range gs.Providers {
		// Existing providers may hold more attributes than a lowered max_attributes allows: only the
		// hard limit applies to state.
		if err := validateProvider(p, MaxAttributesLimit); err != nil {
			return errorsmod.Wrapf(err, "provider %d", i)
		}
		providers = append(providers, p.Address)
	}
	slices.Sort(providers)
	if i := firstDuplicate(providers); i >= 0 {
		return errorsmod.Wrapf(ErrInvalidGenesis, "provider %s listed twice", providers[i])
	}
	hasProvider := func(addr string) bool { _, ok := slices.BinarySearch(providers, addr); return ok }

	nodeIDs := make([]uint64, 0, len(gs.Nodes))
	accounts := make([]string, 0, len(gs.Nodes))
	for _, n := range gs.Nodes {
		if err := validateNode(n, gs.NextNodeId, hasProvider); err != nil {
			return errorsmod.Wrapf(err, "node %d", n.Id)
		}
		nodeIDs = append(nodeIDs, n.Id)
		accounts = append(accounts, n.Account)
	}
	slices.Sort(accounts)
	if i := firstDuplicate(accounts); i >= 0 {
		return errorsmod.Wrapf(ErrInvalidGenesis, "node account %s used twice", accounts[i])
	}
	// Reserved capacity and booked units per node, in the order of sorted node ids.
	order := make([]int, len(gs.Nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpU64(gs.Nodes[a].Id, gs.Nodes[b].Id) })
	slices.Sort(nodeIDs)
	if i := firstDuplicate(nodeIDs); i >= 0 {
		return errorsmod.Wrapf(ErrInvalidGenesis, "node id %d listed twice", nodeIDs[i])
	}
	reserved := make([]Resources, len(nodeIDs))
	booked := make([]uint64, len(nodeIDs))

	offerIDs := make([]uint64, 0, len(gs.Offers))
	for _, o := range gs.Offers {
		if err := validateOffer(o, gs.NextOfferId); err != nil {
			return errorsmod.Wrapf(err, "offer %d", o.Id)
		}
		j, ok := slices.BinarySearch(nodeIDs, o.NodeId)
		if !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "offer %d: node %d does not exist", o.Id, o.NodeId)
		}
		node := gs.Nodes[order[j]]
		if node.Provider != o.Provider {
			return errorsmod.Wrapf(ErrInvalidGenesis, "offer %d: provider %s, but node %d belongs to %s", o.Id, o.Provider, node.Id, node.Provider)
		}
		use, err := o.Resources.Mul(o.UnitsBooked)
		if err != nil {
			return errorsmod.Wrapf(err, "offer %d", o.Id)
		}
		if reserved[j], err = reserved[j].Add(use); err != nil {
			return errorsmod.Wrapf(err, "node %d", node.Id)
		}
		var carry uint64
		if booked[j], carry = bits.Add64(booked[j], o.UnitsBooked, 0); carry != 0 {
			return errorsmod.Wrapf(ErrOverflow, "node %d: booked units", node.Id)
		}
		offerIDs = append(offerIDs, o.Id)
	}
	slices.Sort(offerIDs)
	if i := firstDuplicate(offerIDs); i >= 0 {
		return errorsmod.Wrapf(ErrInvalidGenesis, "offer id %d listed twice", offerIDs[i])
	}
	for j, id := range nodeIDs {
		n := gs.Nodes[order[j]]
		if n.Reserved != reserved[j] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "node %d: reserved %s, but its offers book %s", id, n.Reserved.Short(), reserved[j].Short())
		}
		if n.LiveLeases > booked[j] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "node %d: %d live leases but %d booked units", id, n.LiveLeases, booked[j])
		}
		if booked[j] > 0 && n.LiveLeases == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "node %d: %d booked units but no live lease", id, booked[j])
		}
	}
	return nil
}

func validateProvider(p Provider, maxAttributes uint32) error {
	if err := validateAddresses("address", p.Address, "owner", p.Owner, "beneficiary", p.Beneficiary, "operator", p.Operator); err != nil {
		return err
	}
	if p.PendingOwner != "" {
		if err := ValidateAddress("pending_owner", p.PendingOwner); err != nil {
			return err
		}
	}
	if err := ValidateMetadata(p.Moniker, p.HostUri, p.Attributes, maxAttributes); err != nil {
		return err
	}
	if err := p.Reputation.TotalEarned.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "total_earned: %v", err)
	}
	return nil
}

func validateNode(n Node, next uint64, hasProvider func(string) bool) error {
	if n.Id == 0 || n.Id >= next {
		return errorsmod.Wrapf(ErrInvalidGenesis, "id must be in [1, next_node_id=%d)", next)
	}
	if !hasProvider(n.Provider) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "provider %s does not exist", n.Provider)
	}
	account, err := NodeAccount(n.PubKey)
	if err != nil {
		return err
	}
	if account != n.Account {
		return errorsmod.Wrapf(ErrInvalidGenesis, "account %s is not the address of the key (%s)", n.Account, account)
	}
	if n.Capacity.IsZero() {
		return errorsmod.Wrap(ErrInvalidResources, "capacity is empty")
	}
	if !n.Reserved.FitsIn(n.Capacity) {
		return errorsmod.Wrapf(ErrCapacityBelowReserved, "reserved %s, capacity %s", n.Reserved.Short(), n.Capacity.Short())
	}
	if !IsValidNodeStatus(n.Status) {
		return errorsmod.Wrapf(ErrInvalidStatus, "status %d", int32(n.Status))
	}
	if !n.Suspended && (n.SuspendedAt != 0 || n.SuspendReason != "") {
		return errorsmod.Wrap(ErrInvalidStatus, "suspended_at or suspend_reason set on a node that is not suspended")
	}
	if len(n.SuspendReason) > MaxReasonLength {
		return errorsmod.Wrapf(ErrInvalidStatus, "suspend_reason is %d bytes, at most %d", len(n.SuspendReason), MaxReasonLength)
	}
	return ValidateBondCoin(n.Bond)
}

func validateOffer(o Offer, next uint64) error {
	if o.Id == 0 || o.Id >= next {
		return errorsmod.Wrapf(ErrInvalidGenesis, "id must be in [1, next_offer_id=%d)", next)
	}
	if !IsValidOfferKind(o.Kind) {
		return errorsmod.Wrapf(ErrInvalidOfferKind, "kind %d", int32(o.Kind))
	}
	if err := ValidateOfferResources(o.Resources); err != nil {
		return err
	}
	if err := ValidatePrice(o.Price); err != nil {
		return err
	}
	if o.UnitsTotal == 0 {
		return errorsmod.Wrap(ErrInvalidUnits, "units_total is 0")
	}
	if o.UnitsBooked > o.UnitsTotal {
		return errorsmod.Wrapf(ErrUnitsBelowBooked, "booked %d of %d", o.UnitsBooked, o.UnitsTotal)
	}
	return nil
}

// firstDuplicate returns the index of the first element of a sorted slice equal to its
// predecessor, or −1.
func firstDuplicate[T comparable](sorted []T) int {
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return i
		}
	}
	return -1
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
