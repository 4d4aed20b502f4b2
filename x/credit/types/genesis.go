package types

import (
	"slices"

	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis is the default genesis state: default parameters, no pools (they open at the
// first deposit), no agents, ids from 1.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextAgentId: 1}
}

// Validate checks the genesis state: valid parameters; pools of lending denoms with their share
// denom and non-negative amounts; agents with unique ids below next_agent_id, their derived
// address, a valid key, sorted providers each held by one agent; loans of known agents and
// pools whose sums are the pools' totals; used credentials of known agents.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextAgentId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_agent_id starts at 1")
	}
	pools := make([]string, 0, len(gs.Pools))
	for _, p := range gs.Pools {
		if slices.Contains(pools, p.Denom) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool %s listed twice", p.Denom)
		}
		pools = append(pools, p.Denom)
		if p.ShareDenom != ShareDenom(p.Denom) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool %s: share denom %s", p.Denom, p.ShareDenom)
		}
		if p.BorrowIndex.IsNil() || p.BorrowIndex.LT(oneDec()) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool %s: borrow index below 1", p.Denom)
		}
	}
	agents := make(map[uint64]bool, len(gs.Agents))
	held := make(map[string]bool)
	for _, a := range gs.Agents {
		if a.Id == 0 || a.Id >= gs.NextAgentId || agents[a.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "agent id %d (next %d) missing, repeated or too high", a.Id, gs.NextAgentId)
		}
		agents[a.Id] = true
		if a.Address != AgentAddress(a.Id).String() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "agent %d: address is not the derived one", a.Id)
		}
		if err := ValidateRequesterKey(a.RequesterKey); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "agent %d: %v", a.Id, err)
		}
		if !slices.IsSorted(a.Providers) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "agent %d: providers not sorted", a.Id)
		}
		for _, p := range a.Providers {
			if held[p] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "provider %s held twice", p)
			}
			held[p] = true
		}
	}
	for _, l := range gs.Loans {
		if !agents[l.AgentId] || !slices.Contains(pools, l.Denom) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "loan of agent %d in %s: unknown agent or pool", l.AgentId, l.Denom)
		}
		if l.Principal.IsNegative() || l.Scaled.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "loan of agent %d in %s: negative", l.AgentId, l.Denom)
		}
	}
	for _, u := range gs.UsedCredentials {
		if len(u.Hash) != 32 || !agents[u.AgentId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "used credential %x", u.Hash)
		}
	}
	return nil
}
