package keeper

import (
	"context"
	"fmt"
	"slices"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/credit/types"
)

// CheckInvariants checks, for every pool: the flows reconcile to the last unit
//
//	liquid          = deposited − redeemed − borrowed + principal_repaid + interest_to_lenders
//	total_principal = borrowed − principal_repaid − principal_written_off
//
// so that pool assets = liquid + Σ debt at the index − what was written off; the module account
// holds exactly Σ liquid of each denom; total_shares is the bank supply of the share denom;
// total_principal and total_scaled are the sums over the loans; no loan is negative, and a loan
// with no scaled debt has no principal. Also: every burnt credential is in the expiry queue
// under its own height and the queue holds nothing else; the pool denoms list names exactly the
// pools, sorted; the by-owner index holds every agent
// under its owner and nothing else.
func (k Keeper) CheckInvariants(ctx context.Context) error {
	type sums struct {
		principal sdkmath.Int
		scaled    sdkmath.LegacyDec
	}
	var loans []types.Loan
	if err := k.loans.Walk(ctx, nil, func(_ collections.Pair[uint64, string], l types.Loan) (bool, error) {
		loans = append(loans, l)
		return false, nil
	}); err != nil {
		return err
	}
	for _, l := range loans {
		if l.Principal.IsNegative() || l.Scaled.IsNegative() {
			return fmt.Errorf("loan of agent %d in %s is negative: principal %s scaled %s", l.AgentId, l.Denom, l.Principal, l.Scaled)
		}
		if l.Scaled.IsZero() && !l.Principal.IsZero() {
			return fmt.Errorf("loan of agent %d in %s: principal %s without scaled debt", l.AgentId, l.Denom, l.Principal)
		}
		if _, err := k.agents.Get(ctx, l.AgentId); err != nil {
			return fmt.Errorf("loan of unknown agent %d: %w", l.AgentId, err)
		}
	}
	pools, err := values(ctx, k.pools)
	if err != nil {
		return err
	}
	denoms, err := k.PoolDenoms(ctx)
	if err != nil {
		return err
	}
	if len(denoms) != len(pools) || !slices.IsSorted(denoms) {
		return fmt.Errorf("pool denoms list %v does not list the %d pools, sorted", denoms, len(pools))
	}
	for i, p := range pools { // the pools map walks its keys in sorted order too
		if denoms[i] != p.Denom {
			return fmt.Errorf("pool denoms list %v does not list pool %s", denoms, p.Denom)
		}
	}
	for _, p := range pools {
		s := sums{principal: sdkmath.ZeroInt(), scaled: sdkmath.LegacyZeroDec()}
		for _, l := range loans {
			if l.Denom == p.Denom {
				s.principal = s.principal.Add(l.Principal)
				s.scaled = s.scaled.Add(l.Scaled)
			}
		}
		wantLiquid := p.Deposited.Sub(p.Redeemed).Sub(p.Borrowed).Add(p.PrincipalRepaid).Add(p.InterestToLenders)
		if !p.Liquid.Equal(wantLiquid) {
			return fmt.Errorf("pool %s: liquid %s, flows say %s", p.Denom, p.Liquid, wantLiquid)
		}
		wantPrincipal := p.Borrowed.Sub(p.PrincipalRepaid).Sub(p.PrincipalWrittenOff)
		if !p.TotalPrincipal.Equal(wantPrincipal) || !p.TotalPrincipal.Equal(s.principal) {
			return fmt.Errorf("pool %s: total_principal %s, flows say %s, loans sum to %s", p.Denom, p.TotalPrincipal, wantPrincipal, s.principal)
		}
		if !p.TotalScaled.Equal(s.scaled) {
			return fmt.Errorf("pool %s: total_scaled %s, loans sum to %s", p.Denom, p.TotalScaled, s.scaled)
		}
		if p.Liquid.IsNegative() || p.TotalPrincipal.IsNegative() || p.TotalScaled.IsNegative() {
			return fmt.Errorf("pool %s has a negative total", p.Denom)
		}
		if held := k.bank.GetBalance(ctx, k.moduleAddr, p.Denom).Amount; !held.Equal(p.Liquid) {
			return fmt.Errorf("pool %s: module account holds %s, liquid is %s", p.Denom, held, p.Liquid)
		}
		if supply := k.bank.GetSupply(ctx, p.ShareDenom).Amount; !supply.Equal(p.TotalShares) {
			return fmt.Errorf("pool %s: share supply %s, total_shares %s", p.Denom, supply, p.TotalShares)
		}
	}
	for _, l := range loans {
		if _, err := k.pools.Get(ctx, l.Denom); err != nil {
			return fmt.Errorf("loan of agent %d in %s without a pool", l.AgentId, l.Denom)
		}
	}
	used, err := k.used.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	records, err := used.Values()
	if err != nil {
		return err
	}
	queue, err := k.used.Indexes.Expiry.All(ctx)
	if err != nil {
		return err
	}
	if len(queue) != len(records) {
		return fmt.Errorf("credential queue holds %d entries for %d burnt hashes", len(queue), len(records))
	}
	for _, u := range records {
		ok, err := k.used.Indexes.Expiry.Has(ctx, u.ValidUntilHeight, u.Hash)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("burnt hash %x missing from the expiry queue", u.Hash)
		}
	}
	if err := k.agents.Indexes.Owner.Verify(ctx, func(fn func(uint64, types.Agent) error) error {
		return k.agents.Walk(ctx, nil, func(id uint64, a types.Agent) (bool, error) { return false, fn(id, a) })
	}); err != nil {
		return fmt.Errorf("agents by owner: %w", err)
	}
	return nil
}
