package keeper_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func (f *fixture) exit(who string, pos uint64, shares sdkmath.Int) {
	f.t.Helper()
	f.check.OK(func(ctx sdk.Context) error {
		_, _, err := f.k.Exit(ctx, who, pos, shares)
		return err
	}, &types.EventExited{})
}

func (f *fixture) snapshots() []types.VoteSnapshot {
	g, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	return g.VoteSnapshots
}

func (f *fixture) tally(prop uint64) (yes, no string) {
	p, err := f.k.GetProposal(f.ctx, prop)
	require.NoError(f.t, err)
	return p.Yes.String(), p.No.String()
}

func (f *fixture) voteWeight(prop, pos uint64) string {
	res, err := f.q.Votes(f.ctx, &types.QueryVotesRequest{ProposalId: prop})
	require.NoError(f.t, err)
	for _, v := range res.Votes {
		if v.PositionId == pos {
			return v.Weight.String()
		}
	}
	f.t.Fatalf("no vote of position %d on proposal %d", pos, prop)
	return ""
}

func strategy(version uint64) types.ProposalContent {
	return types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "s", StrategyVersion: version}
}

// TestVoteWeightExitThenVote: a position that exits part of its shares during the voting still
// votes with its shares at the start — the first change records them (copy-on-write), a second
// change keeps that record, and the vote consumes it. A position that voted first records
// nothing; one that exits fully has no token left to vote with.
func TestVoteWeightExitThenVote(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 2_000_000)
	p2 := f.deposit(investor(2), v.Id, 1_000_000)
	p3 := f.deposit(investor(3), v.Id, 1_000_000)
	prop := f.propose(investor(1), p1.Id, strategy(1))
	other := f.propose(investor(2), p2.Id, strategy(2)) // a second open proposal of the vault
	start1 := p1.Shares.String()

	f.exit(investor(1), p1.Id, p1.Shares.QuoRaw(2))
	require.Len(t, f.snapshots(), 2, "one snapshot per open proposal")
	f.exit(investor(1), p1.Id, p1.Shares.QuoRaw(4))
	for _, s := range f.snapshots() {
		require.Equal(t, start1, s.Shares.String(), "the second change keeps the start shares")
	}
	require.True(t, f.position(p1.Id).Shares.LT(p1.Shares))

	f.vote(investor(1), prop.Id, p1.Id, true)
	require.Equal(t, start1, f.voteWeight(prop.Id, p1.Id))
	yes, no := f.tally(prop.Id)
	require.Equal(t, start1, yes)
	require.Equal(t, "0", no)
	require.Len(t, f.snapshots(), 1, "the vote consumed its snapshot; the other proposal's stays")

	// Voted first, then exits: nothing to record, the vote already weighs the start shares.
	f.vote(investor(2), prop.Id, p2.Id, false)
	f.exit(investor(2), p2.Id, p2.Shares.QuoRaw(2))
	require.Len(t, f.snapshots(), 2, "p2 voted on prop, not on the other: one new snapshot")
	_, no = f.tally(prop.Id)
	require.Equal(t, p2.Shares.String(), no)
	f.vote(investor(2), other.Id, p2.Id, true)
	require.Equal(t, p2.Shares.String(), f.voteWeight(other.Id, p2.Id))

	// A full exit burns the token: no vote left.
	f.exit(investor(3), p3.Id, sdkmath.ZeroInt())
	f.check.Fails(types.ErrPositionNotFound, func(ctx sdk.Context) error { return f.k.Vote(ctx, investor(3), prop.Id, p3.Id, true) })

	// Quorum and threshold are against total shares at the start, exits notwithstanding:
	// yes = p1's start shares (2/4 of the start) vs no = p2's (1/4): passes.
	ended := f.endVoting(prop)
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED, ended.Status, ended.Failure)
	require.Equal(t, p1.Shares.Add(p2.Shares).Add(p3.Shares).String(), ended.TotalShares.String())
}

// TestVoteWeightDepositAfterStart: a deposit after the start mints a new position, which has no
// weight on the proposal, and leaves the quorum base (total shares at the start) alone.
func TestVoteWeightDepositAfterStart(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	prop := f.propose(investor(1), p1.Id, strategy(1))
	late := f.deposit(investor(1), v.Id, 100_000_000) // 100× the start: would dwarf the quorum
	f.check.Fails(types.ErrNotEligible, func(ctx sdk.Context) error { return f.k.Vote(ctx, investor(1), prop.Id, late.Id, true) })
	f.exit(investor(1), late.Id, late.Shares.QuoRaw(2)) // a late position records nothing
	require.Empty(t, f.snapshots())
	f.vote(investor(1), prop.Id, p1.Id, true)
	ended := f.endVoting(prop)
	require.Equal(t, p1.Shares.String(), ended.TotalShares.String())
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED, ended.Status, "100% of the start shares voted yes")
}

// TestVoteWeightFollowsTheToken: the weight belongs to the position, the vote to whoever owns
// its token at vote time. A position exits part, is sent on with nft send, and its new owner
// votes with the start shares; the old owner can no longer vote with it.
func TestVoteWeightFollowsTheToken(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 3_000_000)
	p2 := f.deposit(investor(2), v.Id, 1_000_000)
	prop := f.propose(investor(2), p2.Id, strategy(1))
	f.exit(investor(1), p1.Id, p1.Shares.QuoRaw(3))
	_, err := f.nft.Send(f.ctx, &nft.MsgSend{ClassId: types.ClassID(v.Id), Id: types.TokenID(p1.Id), Sender: investor(1), Receiver: investor(5)})
	require.NoError(t, err)
	f.check.Fails(types.ErrNotPositionOwner, func(ctx sdk.Context) error { return f.k.Vote(ctx, investor(1), prop.Id, p1.Id, true) })
	f.vote(investor(5), prop.Id, p1.Id, false)
	require.Equal(t, p1.Shares.String(), f.voteWeight(prop.Id, p1.Id))
	res, err := f.q.Votes(f.ctx, &types.QueryVotesRequest{ProposalId: prop.Id})
	require.NoError(t, err)
	require.Equal(t, investor(5), res.Votes[0].Voter)
	// Sent back, the position has voted already: once per position, whoever owns it.
	_, err = f.nft.Send(f.ctx, &nft.MsgSend{ClassId: types.ClassID(v.Id), Id: types.TokenID(p1.Id), Sender: investor(5), Receiver: investor(1)})
	require.NoError(t, err)
	f.check.Fails(types.ErrAlreadyVoted, func(ctx sdk.Context) error { return f.k.Vote(ctx, investor(1), prop.Id, p1.Id, true) })
	f.vote(investor(2), prop.Id, p2.Id, true)
	yes, no := f.tally(prop.Id)
	require.Equal(t, p2.Shares.String(), yes)
	require.Equal(t, p1.Shares.String(), no)
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_REJECTED, f.endVoting(prop).Status, "3/4 of the start shares voted no")
}

// TestVoteSnapshotsRoundTripGenesis: snapshots are exported, imported and validated.
func TestVoteSnapshotsRoundTripGenesis(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 2_000_000)
	prop := f.propose(investor(1), p1.Id, strategy(1))
	f.exit(investor(1), p1.Id, p1.Shares.QuoRaw(2))
	g, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Len(t, g.VoteSnapshots, 1)
	require.NoError(t, g.Validate())

	g2 := setup(t)
	pg, err := f.prov.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, g2.prov.InitGenesis(g2.ctx, pg))
	g2.nft.InitGenesis(g2.ctx, f.nft.ExportGenesis(f.ctx))
	for a, c := range f.bank.balances {
		g2.bank.balances[a] = c
	}
	require.NoError(t, g2.k.InitGenesis(g2.ctx, g))
	require.NoError(t, g2.k.CheckInvariants(g2.ctx))
	again, err := g2.k.ExportGenesis(g2.ctx)
	require.NoError(t, err)
	require.Equal(t, g, again)
	g2.vote(investor(1), prop.Id, p1.Id, true)
	require.Equal(t, p1.Shares.String(), g2.voteWeight(prop.Id, p1.Id), "the imported snapshot weighs the vote")

	bad := func(edit func(*types.VoteSnapshot)) error {
		b := *g
		s := g.VoteSnapshots[0]
		edit(&s)
		b.VoteSnapshots = []types.VoteSnapshot{s}
		return b.Validate()
	}
	require.ErrorIs(t, bad(func(s *types.VoteSnapshot) { s.ProposalId = 99 }), types.ErrInvalidGenesis)
	require.ErrorIs(t, bad(func(s *types.VoteSnapshot) { s.PositionId = prop.LastPosition + 1 }), types.ErrInvalidGenesis)
	require.ErrorIs(t, bad(func(s *types.VoteSnapshot) { s.Shares = sdkmath.ZeroInt() }), types.ErrInvalidGenesis)
	dup := *g
	dup.VoteSnapshots = append(append([]types.VoteSnapshot(nil), g.VoteSnapshots...), g.VoteSnapshots[0])
	require.ErrorIs(t, dup.Validate(), types.ErrInvalidGenesis)
}

// TestQueryVoteWeight: the start shares before and after an exit, after the vote, for a late
// position, and the refusals.
func TestQueryVoteWeight(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 2_000_000)
	prop := f.propose(investor(1), p1.Id, strategy(1))
	late := f.deposit(investor(2), v.Id, 1_000_000)
	q := func(pos uint64) *types.QueryVoteWeightResponse {
		res, err := f.q.VoteWeight(f.ctx, &types.QueryVoteWeightRequest{ProposalId: prop.Id, PositionId: pos})
		require.NoError(t, err)
		return res
	}
	r := q(p1.Id)
	require.Equal(t, p1.Shares.String(), r.Weight.String())
	require.True(t, r.Eligible && r.CanVote && !r.Voted)
	require.Equal(t, investor(1), r.Owner)
	f.exit(investor(1), p1.Id, p1.Shares.QuoRaw(2))
	require.Equal(t, p1.Shares.String(), q(p1.Id).Weight.String(), "start shares after an exit")
	f.vote(investor(1), prop.Id, p1.Id, true)
	r = q(p1.Id)
	require.True(t, r.Voted && !r.CanVote)
	require.Equal(t, p1.Shares.String(), r.Weight.String())
	r = q(late.Id)
	require.False(t, r.Eligible || r.CanVote)
	require.True(t, r.Weight.IsZero())

	_, err := f.q.VoteWeight(f.ctx, &types.QueryVoteWeightRequest{ProposalId: prop.Id})
	require.Error(t, err)
	_, err = f.q.VoteWeight(f.ctx, &types.QueryVoteWeightRequest{ProposalId: prop.Id + 1, PositionId: p1.Id})
	require.ErrorIs(t, err, types.ErrProposalNotFound)
	_, err = f.q.VoteWeight(f.ctx, &types.QueryVoteWeightRequest{ProposalId: prop.Id, PositionId: 999})
	require.ErrorIs(t, err, types.ErrPositionNotFound)
}
