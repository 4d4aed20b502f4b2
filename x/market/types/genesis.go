package types

import (
	"fmt"
)

// DefaultGenesis is an empty market with default parameters.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextLeaseId: 1}
}

// Validate checks the genesis state: valid parameters, unique accounts and leases, ids below
// next_lease_id, and no negative balance or unclaimed amount.
func (g GenesisState) Validate() error {
	if err := g.Params.Validate(); err != nil {
		return err
	}
	accounts := map[string]bool{}
	for _, a := range g.Accounts {
		if err := validAddress("tenant", a.Tenant); err != nil {
			return err
		}
		key := a.Tenant + "/" + a.Denom
		if accounts[key] {
			return fmt.Errorf("duplicate account %s", key)
		}
		accounts[key] = true
		if a.Balance.IsNil() || a.Balance.IsNegative() {
			return fmt.Errorf("account %s: negative balance", key)
		}
	}
	ids := map[uint64]bool{}
	for _, l := range g.Leases {
		if l.Id == 0 || l.Id >= g.NextLeaseId {
			return fmt.Errorf("lease id %d outside [1, %d)", l.Id, g.NextLeaseId)
		}
		if ids[l.Id] {
			return fmt.Errorf("duplicate lease %d", l.Id)
		}
		ids[l.Id] = true
		if IsLive(l.State) && !accounts[l.Tenant+"/"+l.Denom] {
			return fmt.Errorf("lease %d: no account %s/%s", l.Id, l.Tenant, l.Denom)
		}
		if l.Unclaimed.IsNil() || l.Unclaimed.IsNegative() {
			return fmt.Errorf("lease %d: negative unclaimed", l.Id)
		}
	}
	if g.NextLeaseId == 0 {
		return fmt.Errorf("next_lease_id must be at least 1")
	}
	return nil
}
