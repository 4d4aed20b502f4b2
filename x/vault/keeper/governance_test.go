package keeper_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func (f *fixture) propose(who string, pos uint64, c types.ProposalContent) types.Proposal {
	f.t.Helper()
	var p types.Proposal
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		p, err = f.k.SubmitProposal(ctx, who, pos, c)
		return err
	}, &types.EventProposalSubmitted{})
	return p
}

func (f *fixture) vote(who string, prop, pos uint64, yes bool) {
	f.t.Helper()
	f.check.OK(func(ctx sdk.Context) error { return f.k.Vote(ctx, who, prop, pos, yes) }, &types.EventVoted{})
}

func (f *fixture) endVoting(prop types.Proposal) types.Proposal {
	f.t.Helper()
	f.advance(prop.End - f.ctx.BlockTime().Unix())
	f.check.OK(func(ctx sdk.Context) error { return f.k.EndBlocker(ctx) }, &types.EventProposalEnded{})
	p, err := f.k.GetProposal(f.ctx, prop.Id)
	require.NoError(f.t, err)
	return p
}

// TestUpdateTermsTakesEffectOnlyWhenPassed: the operator fee changes at the end of voting, and
// income before that is booked under the old fee.
func TestUpdateTermsTakesEffectOnlyWhenPassed(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	p2 := f.deposit(investor(2), v.Id, 3_000_000)
	terms := defaultTerms()
	terms.OperatorFeeBps = 2000
	prop := f.propose(investor(1), p1.Id, types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_UPDATE_TERMS, Terms: &terms})
	late := f.deposit(investor(3), v.Id, 1_000_000)

	f.check.Fails(types.ErrNotPositionOwner, func(ctx sdk.Context) error { return f.k.Vote(ctx, investor(2), prop.Id, p1.Id, true) })
	f.check.Fails(types.ErrNotEligible, func(ctx sdk.Context) error { return f.k.Vote(ctx, investor(3), prop.Id, late.Id, true) })
	f.vote(investor(2), prop.Id, p2.Id, true)
	f.check.Fails(types.ErrAlreadyVoted, func(ctx sdk.Context) error { return f.k.Vote(ctx, investor(2), prop.Id, p2.Id, false) })
	f.vote(investor(1), prop.Id, p1.Id, false)

	// Income during voting pays the old 10%.
	opBefore := f.balance(owner(), "uusdc")
	f.pay(v, sdk.NewInt64Coin("uusdc", 100_000))
	f.harvest(v.Id)
	require.Equal(t, int64(10_000), f.balance(owner(), "uusdc")-opBefore)
	require.Equal(t, uint32(1000), f.getVault(v.Id).Terms.OperatorFeeBps)

	ended := f.endVoting(prop)
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED, ended.Status, ended.Failure)
	require.Equal(t, uint32(2000), f.getVault(v.Id).Terms.OperatorFeeBps)
	f.check.Fails(types.ErrVotingClosed, func(ctx sdk.Context) error { return f.k.Vote(ctx, investor(1), prop.Id, p1.Id, true) })
	opBefore = f.balance(owner(), "uusdc")
	f.pay(v, sdk.NewInt64Coin("uusdc", 100_000))
	f.harvest(v.Id)
	require.Equal(t, int64(20_000), f.balance(owner(), "uusdc")-opBefore)
}

func TestProposalRefusals(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	bad := defaultTerms()
	bad.OperatorFeeBps = 6000
	self := defaultTerms()
	self.DatasetRecipient = v.Account
	for _, c := range []struct {
		name string
		who  string
		c    types.ProposalContent
		err  error
	}{
		{"terms out of bounds", investor(1), types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_UPDATE_TERMS, Terms: &bad}, types.ErrInvalidProposal},
		{"fee to the vault itself", investor(1), types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_UPDATE_TERMS, Terms: &self}, types.ErrInvalidProposal},
		{"no terms", investor(1), types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_UPDATE_TERMS}, types.ErrInvalidProposal},
		{"bad address", investor(1), types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_RELEASE_CUSTODY, Address: "nope"}, types.ErrInvalidProposal},
		{"old strategy version", investor(1), types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "x", StrategyVersion: 0}, types.ErrInvalidProposal},
		{"unknown kind", investor(1), types.ProposalContent{}, types.ErrInvalidProposal},
		{"not the token's owner", stranger(), types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "x", StrategyVersion: 1}, types.ErrNotPositionOwner},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.check.Fails(c.err, func(ctx sdk.Context) error {
				_, err := f.msg.SubmitProposal(ctx, &types.MsgSubmitProposal{Proposer: c.who, PositionId: p1.Id, Content: c.c})
				return err
			})
		})
	}
}

// TestReleaseCustodyByVote returns the provider to the owner the proposal names, after pulling
// every pledge back; claims and exits go on in the released vault.
func TestReleaseCustodyByVote(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 2_000_000)
	require.NoError(t, f.k.Pledge(f.ctx, owner(), v.Id, f.nodeID, sdk.NewInt64Coin("ugld", 1_000_000)))
	// One live vault per provider: a second vault is refused while this one holds custody.
	f.check.Fails(types.ErrProviderHasVault, func(ctx sdk.Context) error {
		_, err := f.k.CreateVault(ctx, owner(), owner(), defaultTerms(), defaultGov())
		return err
	})
	newOwner := addr(31)
	prop := f.propose(investor(1), p1.Id, types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_RELEASE_CUSTODY, Address: newOwner})
	f.vote(investor(1), prop.Id, p1.Id, true)
	ended := f.endVoting(prop)
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED, ended.Status, ended.Failure)
	v = f.getVault(v.Id)
	require.Equal(t, types.VaultStatus_VAULT_STATUS_RELEASED, v.Status)
	require.True(t, v.Pledged.IsZero())
	require.Equal(t, "2000000", v.Liquid.String())
	pr, err := f.prov.GetProvider(f.ctx, owner())
	require.NoError(t, err)
	require.Equal(t, newOwner, pr.PendingOwner)
	require.Equal(t, newOwner, pr.Beneficiary)
	require.NoError(t, f.prov.AcceptOwner(f.ctx, owner(), newOwner))
	f.check.Fails(types.ErrInvalidStatus, func(ctx sdk.Context) error {
		_, err := f.k.Deposit(ctx, investor(2), v.Id, sdk.NewInt64Coin("ugld", 1_000_000))
		return err
	})
	f.advance(1000)
	f.check.OK(func(ctx sdk.Context) error {
		_, _, err := f.k.Exit(ctx, investor(1), p1.Id, sdkmath.ZeroInt())
		return err
	}, &types.EventExited{})
	// Released, the provider is free again: its new owner may create a vault for it.
	f.check.OK(func(ctx sdk.Context) error {
		_, err := f.k.CreateVault(ctx, newOwner, owner(), defaultTerms(), defaultGov())
		return err
	}, &types.EventVaultCreated{})
	f.check.Fails(types.ErrProviderHasVault, func(ctx sdk.Context) error {
		_, err := f.k.CreateVault(ctx, newOwner, owner(), defaultTerms(), defaultGov())
		return err
	})
}

// TestRejectedAndFailedProposals: below quorum is rejected; a passed proposal that cannot
// execute is FAILED and changes nothing else.
func TestRejectedAndFailedProposals(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	p2 := f.deposit(investor(2), v.Id, 9_000_000)
	prop := f.propose(investor(1), p1.Id, types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "all in", StrategyVersion: 1})
	f.vote(investor(1), prop.Id, p1.Id, true) // 10% < 30% quorum
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_REJECTED, f.endVoting(prop).Status)

	// Withdraw a bond of another amount than the node holds: passes, fails to execute.
	prop = f.propose(investor(2), p2.Id, types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_PROVIDER_WITHDRAW_BOND, NodeId: f.nodeID, Amount: sdkmath.NewInt(5_000_000)})
	f.vote(investor(2), prop.Id, p2.Id, true)
	ended := f.endVoting(prop)
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_FAILED, ended.Status)
	require.NotEmpty(t, ended.Failure)
	require.Zero(t, f.getVault(v.Id).ActiveProposals)
}

// TestChainAuthorityCannotMoveFunds: the chain's authority only sets parameters.
func TestChainAuthorityCannotMoveFunds(t *testing.T) {
	f := setup(t)
	f.check.Fails(types.ErrInvalidAuthority, func(ctx sdk.Context) error {
		_, err := f.msg.UpdateParams(ctx, &types.MsgUpdateParams{Authority: stranger(), Params: types.DefaultParams()})
		return err
	})
	p := types.DefaultParams()
	p.MaxHarvestsPerBlock = 5
	f.check.OK(func(ctx sdk.Context) error {
		_, err := f.msg.UpdateParams(ctx, &types.MsgUpdateParams{Authority: f.k.Authority(), Params: p})
		return err
	}, &types.EventParamsUpdated{})
}
