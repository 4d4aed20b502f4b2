package types

import (
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
)

// DefaultGenesis is the genesis of a new chain: default parameters, no vaults.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextVaultId: 1, NextPositionId: 1, NextProposalId: 1}
}

// Validate checks a genesis state: the parameters, unique ids below the sequences, every
// position, pledge, proposal and vote pointing at what exists, and the totals each vault keeps
// equal to what its positions and pledges add up to.
func (g GenesisState) Validate() error {
	if err := g.Params.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
	}
	vaults := make(map[uint64]*Vault, len(g.Vaults))
	shares := make(map[uint64]sdkmath.Int, len(g.Vaults))
	pledged := make(map[uint64]sdkmath.Int, len(g.Vaults))
	counts := make(map[uint64]uint64, len(g.Vaults))
	live := make(map[string]uint64, len(g.Vaults)) // provider → its vault OPEN or in CUSTODY
	for i := range g.Vaults {
		v := &g.Vaults[i]
		if v.Id == 0 || v.Id >= g.NextVaultId || vaults[v.Id] != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vault id %d (next %d) missing, duplicate or out of range", v.Id, g.NextVaultId)
		}
		if v.Account != VaultAddress(v.Id).String() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vault %d: account %s is not its derived account", v.Id, v.Account)
		}
		if err := v.Terms.Validate(g.Params); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vault %d: %v", v.Id, err)
		}
		if v.Status != VaultStatus_VAULT_STATUS_RELEASED {
			if other, ok := live[v.Provider]; ok {
				return errorsmod.Wrapf(ErrInvalidGenesis, "vaults %d and %d are both live for provider %s: %v", other, v.Id, v.Provider, ErrProviderHasVault)
			}
			live[v.Provider] = v.Id
		}
		vaults[v.Id] = v
		shares[v.Id], pledged[v.Id] = sdkmath.ZeroInt(), sdkmath.ZeroInt()
	}
	positions := make(map[uint64]uint64, len(g.Positions))
	for _, p := range g.Positions {
		if p.Id == 0 || p.Id >= g.NextPositionId || positions[p.Id] != 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position id %d (next %d) missing, duplicate or out of range", p.Id, g.NextPositionId)
		}
		if vaults[p.VaultId] == nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position %d: vault %d not found", p.Id, p.VaultId)
		}
		if p.Shares.IsNil() || !p.Shares.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position %d: shares %s", p.Id, p.Shares)
		}
		positions[p.Id] = p.VaultId
		shares[p.VaultId] = shares[p.VaultId].Add(p.Shares)
		counts[p.VaultId]++
	}
	for _, p := range g.Pledges {
		if vaults[p.VaultId] == nil || p.NodeId == 0 || p.Amount.IsNil() || !p.Amount.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pledge of vault %d on node %d: %s", p.VaultId, p.NodeId, p.Amount)
		}
		pledged[p.VaultId] = pledged[p.VaultId].Add(p.Amount)
	}
	for i := range g.Vaults {
		v := &g.Vaults[i]
		if !v.TotalShares.Equal(shares[v.Id]) || !v.Pledged.Equal(pledged[v.Id]) || v.Positions != counts[v.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vault %d: totals (shares %s, pledged %s, positions %d) differ from its positions and pledges (%s, %s, %d)",
				v.Id, v.TotalShares, v.Pledged, v.Positions, shares[v.Id], pledged[v.Id], counts[v.Id])
		}
	}
	proposals := make(map[uint64]*Proposal, len(g.Proposals))
	for i := range g.Proposals {
		p := &g.Proposals[i]
		if p.Id == 0 || p.Id >= g.NextProposalId || proposals[p.Id] != nil || vaults[p.VaultId] == nil ||
			(p.SnapshotsPruned && p.Status == ProposalStatus_PROPOSAL_STATUS_VOTING) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "proposal %d (vault %d, next %d)", p.Id, p.VaultId, g.NextProposalId)
		}
		proposals[p.Id] = p
	}
	type vote struct{ proposal, position uint64 }
	voted := make(map[vote]bool, len(g.Votes))
	for _, v := range g.Votes {
		if proposals[v.ProposalId] == nil || v.PositionId == 0 || voted[vote{v.ProposalId, v.PositionId}] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vote of position %d on proposal %d", v.PositionId, v.ProposalId)
		}
		voted[vote{v.ProposalId, v.PositionId}] = true
	}
	// A snapshot is of a position minted before its proposal started, that has not voted (a
	// vote consumes it), once per pair.
	snapped := make(map[vote]bool, len(g.VoteSnapshots))
	for _, s := range g.VoteSnapshots {
		p, key := proposals[s.ProposalId], vote{s.ProposalId, s.PositionId}
		if p == nil || p.SnapshotsPruned || s.PositionId == 0 || s.PositionId > p.LastPosition || voted[key] || snapped[key] ||
			s.Shares.IsNil() || !s.Shares.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vote snapshot of position %d on proposal %d (%s shares)", s.PositionId, s.ProposalId, s.Shares)
		}
		if vault, ok := positions[s.PositionId]; ok && vault != p.VaultId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vote snapshot of position %d of vault %d on proposal %d of vault %d", s.PositionId, vault, s.ProposalId, p.VaultId)
		}
		snapped[key] = true
	}
	return nil
}
