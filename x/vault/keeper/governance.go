package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

// SubmitProposal opens a proposal of a vault's governance; the proposer must own the position
// token it names (any share count). Content is checked now (terms against the parameters, the
// status each kind needs) and again when it executes.
func (k Keeper) SubmitProposal(ctx context.Context, proposer string, positionID uint64, c types.ProposalContent) (types.Proposal, error) {
	if err := c.ValidateBasic(); err != nil {
		return types.Proposal{}, err
	}
	pos, err := k.ownedPosition(ctx, positionID, proposer)
	if err != nil {
		return types.Proposal{}, err
	}
	v, err := k.GetVault(ctx, pos.VaultId)
	if err != nil {
		return types.Proposal{}, err
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return types.Proposal{}, err
	}
	if err := checkContent(v, params, c); err != nil {
		return types.Proposal{}, err
	}
	if v.ActiveProposals >= params.MaxActiveProposals {
		return types.Proposal{}, errorsmod.Wrapf(types.ErrTooManyProposals, "vault %d has %d in voting, at most %d", v.Id, v.ActiveProposals, params.MaxActiveProposals)
	}
	next, err := k.nextPositionID.Peek(ctx)
	if err != nil {
		return types.Proposal{}, err
	}
	id, err := modkit.NextID(ctx, k.nextProposalID)
	if err != nil {
		return types.Proposal{}, err
	}
	now := modkit.BlockTime(ctx)
	if c.Amount.IsNil() {
		c.Amount = sdkmath.ZeroInt()
	}
	p := types.Proposal{
		Id: id, VaultId: v.Id, Proposer: proposer, ProposerPosition: positionID, Content: c,
		Status: types.ProposalStatus_PROPOSAL_STATUS_VOTING, Start: now, End: now + v.Governance.VotingPeriod,
		TotalShares: v.TotalShares, LastPosition: next - 1, Yes: sdkmath.ZeroInt(), No: sdkmath.ZeroInt(),
	}
	if err := k.proposals.Set(ctx, id, p); err != nil {
		return types.Proposal{}, err
	}
	v.ActiveProposals++
	if err := k.saveVault(ctx, v); err != nil {
		return types.Proposal{}, err
	}
	return p, modkit.Emit(ctx, &types.EventProposalSubmitted{ProposalId: id, VaultId: v.Id, Proposer: proposer, Kind: c.Kind, End: p.End})
}

// checkContent checks a proposal's content against the vault and the parameters.
func checkContent(v types.Vault, params types.Params, c types.ProposalContent) error {
	if err := checkStatus(v, types.VaultStatus_VAULT_STATUS_OPEN, types.VaultStatus_VAULT_STATUS_CUSTODY); err != nil {
		return err
	}
	switch c.Kind {
	case types.ProposalKind_PROPOSAL_KIND_UPDATE_TERMS:
		if err := c.Terms.Validate(params); err != nil {
			return errorsmod.Wrap(types.ErrInvalidProposal, err.Error())
		}
		if err := checkRecipients(*c.Terms, types.VaultAddress(v.Id)); err != nil {
			return errorsmod.Wrap(types.ErrInvalidProposal, err.Error())
		}
	case types.ProposalKind_PROPOSAL_KIND_CHANGE_OPERATOR:
		if c.Address == v.Operator {
			return errorsmod.Wrapf(types.ErrInvalidProposal, "%s is already the operator", c.Address)
		}
	case types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY:
		if c.StrategyVersion <= v.StrategyVersion {
			return errorsmod.Wrapf(types.ErrInvalidProposal, "strategy version %d, current %d", c.StrategyVersion, v.StrategyVersion)
		}
	case types.ProposalKind_PROPOSAL_KIND_RELEASE_CUSTODY, types.ProposalKind_PROPOSAL_KIND_PROVIDER_SET_OPERATOR,
		types.ProposalKind_PROPOSAL_KIND_PROVIDER_WITHDRAW_BOND:
		if err := checkStatus(v, types.VaultStatus_VAULT_STATUS_CUSTODY); err != nil {
			return errorsmod.Wrapf(types.ErrInvalidProposal, "%s: %v", c.Kind, err)
		}
		if c.Kind == types.ProposalKind_PROPOSAL_KIND_RELEASE_CUSTODY && c.Address == v.Account {
			return errorsmod.Wrap(types.ErrInvalidProposal, "release custody to the vault itself")
		}
	}
	return nil
}

// Vote casts a position's vote: the voter must own the token now (the weight follows the
// position, the vote is its owner's at vote time), the position must be of the proposal's vault
// and minted before the proposal started, and it votes once. Its weight is its shares at the
// proposal's start: the snapshot its first share change during the voting recorded
// (snapshotShares), or, without one, its shares now, which have not changed since the start.
func (k Keeper) Vote(ctx context.Context, voter string, proposalID, positionID uint64, yes bool) error {
	p, err := k.GetProposal(ctx, proposalID)
	if err != nil {
		return err
	}
	if p.Status != types.ProposalStatus_PROPOSAL_STATUS_VOTING || modkit.BlockTime(ctx) >= p.End {
		return errorsmod.Wrapf(types.ErrVotingClosed, "proposal %d is %s (ends %d)", proposalID, p.Status, p.End)
	}
	pos, err := k.ownedPosition(ctx, positionID, voter)
	if err != nil {
		return err
	}
	if pos.VaultId != p.VaultId {
		return errorsmod.Wrapf(types.ErrNotEligible, "position %d is of vault %d, proposal %d of vault %d", positionID, pos.VaultId, proposalID, p.VaultId)
	}
	if pos.Id > p.LastPosition {
		return errorsmod.Wrapf(types.ErrNotEligible, "position %d was minted after proposal %d started (last eligible %d)", positionID, proposalID, p.LastPosition)
	}
	key := collections.Join(proposalID, positionID)
	if has, err := k.votes.Has(ctx, key); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrAlreadyVoted, "position %d on proposal %d", positionID, proposalID)
	}
	w := pos.Shares
	snap, err := k.snapshots.Get(ctx, key)
	switch {
	case err == nil:
		w = snap.Shares
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	if yes {
		p.Yes = p.Yes.Add(w)
	} else {
		p.No = p.No.Add(w)
	}
	if err := k.votes.Set(ctx, key, types.Vote{ProposalId: proposalID, PositionId: positionID, Voter: voter, Yes: yes, Weight: w}); err != nil {
		return err
	}
	if err := k.snapshots.Remove(ctx, key); err != nil { // the vote keeps the weight now
		return err
	}
	if err := k.proposals.Set(ctx, proposalID, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventVoted{ProposalId: proposalID, PositionId: positionID, Voter: voter, Yes: yes, Weight: w.String()})
}

// endProposal tallies a proposal whose voting ended and, if it passed, executes it in a cache
// context: a failed execution changes nothing but the proposal, which records why.
func (k Keeper) endProposal(ctx context.Context, id uint64) error {
	p, err := k.GetProposal(ctx, id)
	if err != nil {
		return err
	}
	v, err := k.GetVault(ctx, p.VaultId)
	if err != nil {
		return err
	}
	p.Status = types.ProposalStatus_PROPOSAL_STATUS_REJECTED
	if types.Passes(p.Yes, p.No, p.TotalShares, v.Governance.QuorumBps, v.Governance.ThresholdBps) {
		cache, write := sdkUnwrap(ctx).CacheContext()
		if err := k.execute(cache, p); err != nil {
			p.Status, p.Failure = types.ProposalStatus_PROPOSAL_STATUS_FAILED, err.Error()
		} else {
			write()
			p.Status = types.ProposalStatus_PROPOSAL_STATUS_EXECUTED
		}
	}
	// Reload: execution may have changed the vault.
	if v, err = k.GetVault(ctx, p.VaultId); err != nil {
		return err
	}
	if v.ActiveProposals > 0 {
		v.ActiveProposals--
	}
	if err := k.saveVault(ctx, v); err != nil {
		return err
	}
	if err := k.proposals.Set(ctx, id, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventProposalEnded{ProposalId: id, VaultId: p.VaultId, Status: p.Status, Yes: p.Yes.String(), No: p.No.String(), Failure: p.Failure})
}

// snapshotShares is called before a position's shares change. For every proposal of its vault
// still in voting that the position may vote on (minted before the start) and has not voted on,
// it records the position's current shares — its shares at the start, since this is their first
// change, or a snapshot exists already and is kept. Copy-on-write: a vote weighs the shares at
// the proposal's start without any walk over positions; the cost is at most
// max_active_proposals reads and writes per share change.
func (k Keeper) snapshotShares(ctx context.Context, pos types.Position) error {
	ids, err := k.proposals.Indexes.Open.PrimaryKeys(ctx, pos.VaultId, 0)
	if err != nil {
		return err
	}
	now := modkit.BlockTime(ctx)
	for _, id := range ids {
		p, err := k.GetProposal(ctx, id)
		if err != nil {
			return err
		}
		if pos.Id > p.LastPosition || now >= p.End { // cannot vote on it (any more)
			continue
		}
		key := collections.Join(id, pos.Id)
		voted, err := k.votes.Has(ctx, key)
		if err != nil {
			return err
		}
		taken, err := k.snapshots.Has(ctx, key)
		if err != nil {
			return err
		}
		if voted || taken {
			continue
		}
		if err := k.snapshots.Set(ctx, key, types.VoteSnapshot{ProposalId: id, PositionId: pos.Id, Shares: pos.Shares}); err != nil {
			return err
		}
	}
	return nil
}
