package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

// CheckInvariants checks every vault against its positions, pledges, proposals, x/nft's records
// and the bank:
//
//   - Σ position shares = total shares, and the position count matches;
//   - every position's token exists in x/nft with an owner, and the class holds nothing else;
//   - per reward denom, exactly: outstanding × 10^27 = Σ over positions (unclaimed × 10^27 +
//     remainder + shares × (acc − checkpoint)) + the pool's carried remainder (above −10^27, so
//     what positions can claim never exceeds outstanding) — every unit credited is owed to
//     someone, the fractions included;
//   - per denom, the vault account holds at least liquid principal (ugld) + parked + outstanding;
//     the difference is income not yet harvested, which the next harvest books;
//   - Σ pledge records = pledged, each positive, each on a node of the vault's provider whose bond,
//     once reconciled, still covers it;
//   - active_proposals = the vault's proposals in voting, and each tally = Σ its votes.
//
// It is a test helper (keeper tests, scenario tests, the app's integration tests); it reads the
// whole state and is never run in a block.
func (k Keeper) CheckInvariants(ctx context.Context) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	vaults, err := values(ctx, k.vaults.Iterate)
	if err != nil {
		return err
	}
	live := map[string]uint64{}
	for _, v := range vaults {
		if err := k.checkVault(ctx, params, v); err != nil {
			return errorsmod.Wrapf(types.ErrInvariant, "vault %d: %v", v.Id, err)
		}
		if v.Status != types.VaultStatus_VAULT_STATUS_RELEASED {
			if other, ok := live[v.Provider]; ok {
				return errorsmod.Wrapf(types.ErrInvariant, "vaults %d and %d both live for provider %s", other, v.Id, v.Provider)
			}
			live[v.Provider] = v.Id
		}
	}
	eachVault := func(fn func(uint64, types.Vault) error) error {
		for _, v := range vaults {
			if err := fn(v.Id, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := k.vaults.Indexes.Provider.Verify(ctx, eachVault); err != nil {
		return errorsmod.Wrap(types.ErrInvariant, err.Error())
	}
	if err := k.vaults.Indexes.Harvest.Verify(ctx, eachVault); err != nil {
		return errorsmod.Wrap(types.ErrInvariant, err.Error())
	}
	return k.checkProposals(ctx, vaults)
}

func (k Keeper) checkVault(ctx context.Context, params types.Params, v types.Vault) error {
	if v.Account != types.VaultAddress(v.Id).String() {
		return fmt.Errorf("account %s is not derived from the id", v.Account)
	}
	ids, err := k.positions.Indexes.Vault.PrimaryKeys(ctx, v.Id, 0)
	if err != nil {
		return err
	}
	shares := sdkmath.ZeroInt()
	owed := map[string]sdkmath.Int{}
	for _, id := range ids {
		p, err := k.GetPosition(ctx, id)
		if err != nil {
			return err
		}
		if !p.Shares.IsPositive() {
			return fmt.Errorf("position %d has %s shares", id, p.Shares)
		}
		if k.PositionOwner(ctx, p).Empty() {
			return fmt.Errorf("position %d has no token owner in x/nft", id)
		}
		shares = shares.Add(p.Shares)
		for _, pool := range v.Rewards {
			cp := p.Checkpoint(pool.Denom)
			if cp.Remainder.IsNegative() || cp.Remainder.GTE(types.AccScale) || cp.Checkpoint.GT(pool.Acc) {
				return fmt.Errorf("position %d: %s checkpoint %s above acc %s or remainder %s out of range", id, pool.Denom, cp.Checkpoint, pool.Acc, cp.Remainder)
			}
			o, ok := owed[pool.Denom]
			if !ok {
				o = sdkmath.ZeroInt()
			}
			owed[pool.Denom] = o.Add(cp.Unclaimed.Mul(types.AccScale)).Add(cp.Remainder).Add(p.Shares.Mul(pool.Acc.Sub(cp.Checkpoint)))
		}
	}
	if !shares.Equal(v.TotalShares) || uint64(len(ids)) != v.Positions {
		return fmt.Errorf("positions hold %s shares in %d positions, vault says %s in %d", shares, len(ids), v.TotalShares, v.Positions)
	}
	if supply := k.nftSupply(ctx, v); supply != uint64(len(ids)) {
		return fmt.Errorf("x/nft class %s holds %d tokens, vault has %d positions", types.ClassID(v.Id), supply, len(ids))
	}
	account := types.VaultAddress(v.Id)
	denoms := append([]string{types.PrincipalDenom}, params.RewardDenoms...)
	for _, pool := range v.Rewards {
		o, ok := owed[pool.Denom]
		if !ok {
			o = sdkmath.ZeroInt()
		}
		if want := pool.Outstanding.Mul(types.AccScale); !want.Equal(o.Add(pool.AccRemainder)) {
			return fmt.Errorf("%s: outstanding %s × 10^27 = %s, owed to positions %s + carried %s", pool.Denom, pool.Outstanding, want, o, pool.AccRemainder)
		}
		if pool.Parked.IsNegative() || pool.Outstanding.IsNegative() || pool.AccRemainder.Neg().GTE(types.AccScale) {
			return fmt.Errorf("%s: parked %s, outstanding %s or carried %s out of range", pool.Denom, pool.Parked, pool.Outstanding, pool.AccRemainder)
		}
		denoms = append(denoms, pool.Denom)
	}
	for _, d := range denoms {
		if bal, tracked := k.bank.GetBalance(ctx, account, d).Amount, v.Tracked(d); bal.LT(tracked) {
			return fmt.Errorf("account holds %s%s, books say %s", bal, d, tracked)
		}
	}
	if v.Liquid.IsNegative() || v.Pledged.IsNegative() {
		return fmt.Errorf("liquid %s, pledged %s", v.Liquid, v.Pledged)
	}
	records, err := k.vaultPledges(ctx, v.Id)
	if err != nil {
		return err
	}
	pledged := sdkmath.ZeroInt()
	for _, r := range records {
		if !r.Amount.IsPositive() {
			return fmt.Errorf("pledge on node %d is %s", r.NodeId, r.Amount)
		}
		pledged = pledged.Add(r.Amount)
		if n, err := k.provider.GetNode(ctx, r.NodeId); err == nil && n.Provider != v.Provider {
			return fmt.Errorf("pledge on node %d of provider %s", r.NodeId, n.Provider)
		}
	}
	if !pledged.Equal(v.Pledged) {
		return fmt.Errorf("pledge records add up to %s, vault says %s", pledged, v.Pledged)
	}
	// Once reconciled (which is what every touch does first), each pledge is covered by its bond.
	t, err := k.touch(ctx, v.Id)
	if err != nil {
		return err
	}
	for _, r := range t.pledges {
		if r.Amount.IsPositive() {
			n, err := k.provider.GetNode(ctx, r.NodeId)
			if err != nil || n.Bond.Amount.LT(r.Amount) {
				return fmt.Errorf("reconciled pledge %s on node %d is not covered by its bond", r.Amount, r.NodeId)
			}
		}
	}
	return nil
}

// nftSupply counts the tokens of a vault's class.
func (k Keeper) nftSupply(ctx context.Context, v types.Vault) uint64 {
	return k.nft.GetTotalSupply(ctx, types.ClassID(v.Id))
}

func (k Keeper) checkProposals(ctx context.Context, vaults []types.Vault) error {
	active := map[uint64]uint32{}
	props, err := values(ctx, k.proposals.Iterate)
	if err != nil {
		return err
	}
	for _, p := range props {
		if p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING {
			active[p.VaultId]++
		}
		yes, no := sdkmath.ZeroInt(), sdkmath.ZeroInt()
		it, err := k.votes.Iterate(ctx, collections.NewPrefixedPairRange[uint64, uint64](p.Id))
		if err != nil {
			return err
		}
		votes, err := it.Values()
		if err != nil {
			return err
		}
		for _, vt := range votes {
			if vt.Yes {
				yes = yes.Add(vt.Weight)
			} else {
				no = no.Add(vt.Weight)
			}
		}
		if !yes.Equal(p.Yes) || !no.Equal(p.No) {
			return errorsmod.Wrapf(types.ErrInvariant, "proposal %d: tally %s/%s, votes %s/%s", p.Id, p.Yes, p.No, yes, no)
		}
		if yes.Add(no).GT(p.TotalShares) {
			return errorsmod.Wrapf(types.ErrInvariant, "proposal %d: %s votes of %s shares", p.Id, yes.Add(no), p.TotalShares)
		}
	}
	eachProposal := func(fn func(uint64, types.Proposal) error) error {
		for _, p := range props {
			if err := fn(p.Id, p); err != nil {
				return err
			}
		}
		return nil
	}
	for _, idx := range []*modkit.PartialIndex[uint64, uint64, types.Proposal]{k.proposals.Indexes.Open, k.proposals.Indexes.Vault} {
		if err := idx.Verify(ctx, eachProposal); err != nil {
			return errorsmod.Wrap(types.ErrInvariant, err.Error())
		}
	}
	if err := k.proposals.Indexes.Prune.Verify(ctx, eachProposal); err != nil {
		return errorsmod.Wrap(types.ErrInvariant, err.Error())
	}
	// Snapshots: of a position of the proposal's vault minted before its start, not voted (a vote
	// consumes its snapshot), holding at least the position's shares now (shares only fall); none
	// left for a proposal marked pruned.
	sit, err := k.snapshots.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	snaps, err := sit.Values()
	if err != nil {
		return err
	}
	for _, sn := range snaps {
		p, err := k.GetProposal(ctx, sn.ProposalId)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvariant, "snapshot of position %d: %v", sn.PositionId, err)
		}
		if p.SnapshotsPruned {
			return errorsmod.Wrapf(types.ErrInvariant, "snapshot of position %d on proposal %d, whose snapshots are pruned", sn.PositionId, sn.ProposalId)
		}
		key := collections.Join(sn.ProposalId, sn.PositionId)
		if voted, err := k.votes.Has(ctx, key); err != nil || voted || sn.PositionId > p.LastPosition || !sn.Shares.IsPositive() {
			return errorsmod.Wrapf(types.ErrInvariant, "snapshot of position %d on proposal %d: voted %v, last eligible %d, shares %s (%v)", sn.PositionId, sn.ProposalId, voted, p.LastPosition, sn.Shares, err)
		}
		if pos, err := k.GetPosition(ctx, sn.PositionId); err == nil && (pos.VaultId != p.VaultId || pos.Shares.GT(sn.Shares)) {
			return errorsmod.Wrapf(types.ErrInvariant, "snapshot of position %d on proposal %d: %s shares, position has %s in vault %d", sn.PositionId, sn.ProposalId, sn.Shares, pos.Shares, pos.VaultId)
		}
	}
	for _, v := range vaults {
		if active[v.Id] != v.ActiveProposals {
			return errorsmod.Wrapf(types.ErrInvariant, "vault %d: %d proposals in voting, vault says %d", v.Id, active[v.Id], v.ActiveProposals)
		}
	}
	return nil
}
