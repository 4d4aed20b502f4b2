package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgVote(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	p2 := f.deposit(investor(2), v.Id, 3_000_000)
	prop := f.propose(investor(1), p1.Id, types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "s", StrategyVersion: 1})
	vote := func(proposalID uint64, yes bool) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Vote(ctx, &types.MsgVote{Voter: investor(2), ProposalId: proposalID, PositionId: p2.Id, Yes: yes})
			return err
		}
	}
	// ValidateBasic: proposal id 0.
	f.check.Fails(types.ErrInvalidAmount, vote(0, true))
	// Keeper: no such proposal; a position of another owner.
	f.check.Fails(types.ErrProposalNotFound, vote(prop.Id+1, true))
	f.check.Fails(types.ErrNotPositionOwner, func(ctx sdk.Context) error {
		_, err := f.msg.Vote(ctx, &types.MsgVote{Voter: investor(2), ProposalId: prop.Id, PositionId: p1.Id, Yes: true})
		return err
	})

	f.check.OK(vote(prop.Id, true), &types.EventVoted{})
	got, err := f.k.GetProposal(f.ctx, prop.Id)
	require.NoError(t, err)
	require.Equal(t, p2.Shares.String(), got.Yes.String())
	require.True(t, got.No.IsZero())
	res, err := f.q.Votes(f.ctx, &types.QueryVotesRequest{ProposalId: prop.Id})
	require.NoError(t, err)
	require.Len(t, res.Votes, 1)
	require.Equal(t, p2.Id, res.Votes[0].PositionId)
	require.True(t, res.Votes[0].Yes)
	// One vote per position; none after the end.
	f.check.Fails(types.ErrAlreadyVoted, vote(prop.Id, false))
	f.advance(prop.End - f.ctx.BlockTime().Unix())
	f.check.Fails(types.ErrVotingClosed, func(ctx sdk.Context) error {
		_, err := f.msg.Vote(ctx, &types.MsgVote{Voter: investor(1), ProposalId: prop.Id, PositionId: p1.Id, Yes: true})
		return err
	})
}
