package keeper_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func (f *fixture) setMaxPrunes(n uint32) {
	f.t.Helper()
	p := types.DefaultParams()
	p.MaxSnapshotPrunesPerBlock = n
	require.NoError(f.t, f.k.UpdateParams(f.ctx, f.k.Authority(), p))
}

// endBlockPruned runs the end-blocker (succeeds, invariants hold) and returns its
// EventSnapshotsPruned events.
func (f *fixture) endBlockPruned() []types.EventSnapshotsPruned {
	f.t.Helper()
	f.check.OK(func(ctx sdk.Context) error { return f.k.EndBlocker(ctx) })
	var out []types.EventSnapshotsPruned
	for _, e := range f.ctx.EventManager().Events() {
		if e.Type != proto.MessageName(&types.EventSnapshotsPruned{}) {
			continue
		}
		m, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(f.t, err)
		out = append(out, *m.(*types.EventSnapshotsPruned))
	}
	return out
}

func (f *fixture) proposal(id uint64) types.Proposal {
	p, err := f.k.GetProposal(f.ctx, id)
	require.NoError(f.t, err)
	return p
}

func (f *fixture) weight(prop, pos uint64) string {
	res, err := f.q.VoteWeight(f.ctx, &types.QueryVoteWeightRequest{ProposalId: prop, PositionId: pos})
	require.NoError(f.t, err)
	return res.Weight.String()
}

// snapshotsOf counts proposal id's vote snapshots.
func (f *fixture) snapshotsOf(id uint64) int {
	n := 0
	for _, s := range f.snapshots() {
		if s.ProposalId == id {
			n++
		}
	}
	return n
}

// TestPruneSnapshotsBounded: the snapshots of an ended proposal go through the prune queue, at
// most max_snapshot_prunes_per_block per block, whatever the proposal holds; those of a
// proposal still in voting stay; the proposal is marked pruned once none is left. A non-voter's
// weight on an ended proposal is zero whether its snapshot is pruned yet or not.
func TestPruneSnapshotsBounded(t *testing.T) {
	f := setup(t)
	f.setMaxPrunes(2)
	v := f.vault(defaultTerms())
	var pos []types.Position
	for i := 1; i <= 6; i++ {
		pos = append(pos, f.deposit(investor(i), v.Id, 1_000_000))
	}
	prop := f.propose(investor(1), pos[0].Id, strategy(1))
	f.advance(1)
	later := f.propose(investor(1), pos[0].Id, strategy(2)) // ends a second after prop
	for i := 1; i <= 5; i++ {                               // 5 exits: a snapshot on each proposal
		f.exit(investor(i+1), pos[i].Id, pos[i].Shares.QuoRaw(2))
	}
	f.vote(investor(1), prop.Id, pos[0].Id, true)
	require.Equal(t, 5, f.snapshotsOf(prop.Id))
	require.Equal(t, 5, f.snapshotsOf(later.Id))

	// The end block ends prop and prunes 2 of its snapshots; later is still in voting.
	f.advance(prop.End - f.ctx.BlockTime().Unix())
	require.Equal(t, []types.EventSnapshotsPruned{{ProposalId: prop.Id, VaultId: v.Id, Pruned: 2}}, f.endBlockPruned())
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_REJECTED, f.proposal(prop.Id).Status, "1/6 of the shares voted: no quorum")
	require.Equal(t, 3, f.snapshotsOf(prop.Id))
	require.Equal(t, 5, f.snapshotsOf(later.Id), "a proposal in voting keeps its snapshots")
	require.False(t, f.proposal(prop.Id).SnapshotsPruned)
	require.Equal(t, "0", f.weight(prop.Id, pos[1].Id), "an ended proposal's non-voter weighs nothing")

	// Next block: later ends too; the budget of 2 goes to the older proposal first.
	f.advance(1)
	require.Equal(t, []types.EventSnapshotsPruned{{ProposalId: prop.Id, VaultId: v.Id, Pruned: 2}}, f.endBlockPruned())
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_REJECTED, f.proposal(later.Id).Status, "nobody voted on it")
	require.Equal(t, 1, f.snapshotsOf(prop.Id))
	require.Equal(t, 5, f.snapshotsOf(later.Id))

	f.advance(1)
	require.Equal(t, []types.EventSnapshotsPruned{{ProposalId: prop.Id, VaultId: v.Id, Pruned: 1, Done: true},
		{ProposalId: later.Id, VaultId: v.Id, Pruned: 1}}, f.endBlockPruned())
	require.Zero(t, f.snapshotsOf(prop.Id))
	require.True(t, f.proposal(prop.Id).SnapshotsPruned)
	require.Equal(t, pos[0].Shares.String(), f.weight(prop.Id, pos[0].Id), "a vote keeps its weight")

	f.advance(1)
	require.Equal(t, []types.EventSnapshotsPruned{{ProposalId: later.Id, VaultId: v.Id, Pruned: 2}}, f.endBlockPruned())
	require.False(t, f.proposal(later.Id).SnapshotsPruned)
	f.advance(1)
	require.Equal(t, []types.EventSnapshotsPruned{{ProposalId: later.Id, VaultId: v.Id, Pruned: 2, Done: true}}, f.endBlockPruned())
	require.Empty(t, f.snapshots(), "no snapshot outlives its proposal")
	require.True(t, f.proposal(later.Id).SnapshotsPruned)
	f.advance(1)
	require.Empty(t, f.endBlockPruned(), "the queue is empty")
}

// TestPruneSnapshotsNoSnapshot: a proposal that ended without snapshots leaves the queue at its
// end block with a done event and nothing else to delete.
func TestPruneSnapshotsNoSnapshot(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	prop := f.propose(investor(1), p1.Id, strategy(1))
	f.advance(prop.End - f.ctx.BlockTime().Unix())
	require.Equal(t, []types.EventSnapshotsPruned{{ProposalId: prop.Id, VaultId: v.Id, Done: true}}, f.endBlockPruned())
	require.True(t, f.proposal(prop.Id).SnapshotsPruned)
}

// TestPruneSnapshotsGenesis: a half-pruned queue round-trips through genesis and goes on after
// import; a snapshot of a proposal marked pruned, or a proposal in voting marked pruned, is
// refused.
func TestPruneSnapshotsGenesis(t *testing.T) {
	f := setup(t)
	f.setMaxPrunes(1)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	p2 := f.deposit(investor(2), v.Id, 1_000_000)
	p3 := f.deposit(investor(3), v.Id, 1_000_000)
	prop := f.propose(investor(1), p1.Id, strategy(1))
	f.exit(investor(2), p2.Id, p2.Shares.QuoRaw(2))
	f.exit(investor(3), p3.Id, p3.Shares.QuoRaw(2))
	require.Len(t, f.snapshots(), 2)
	f.advance(prop.End - f.ctx.BlockTime().Unix())
	require.Equal(t, []types.EventSnapshotsPruned{{ProposalId: prop.Id, VaultId: v.Id, Pruned: 1}}, f.endBlockPruned())

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
	g2.ctx = g2.ctx.WithBlockTime(f.ctx.BlockTime()).WithBlockHeight(f.ctx.BlockHeight())
	g2.advance(1)
	require.Equal(t, []types.EventSnapshotsPruned{{ProposalId: prop.Id, VaultId: v.Id, Pruned: 1, Done: true}}, g2.endBlockPruned())
	require.Empty(t, g2.snapshots())

	bad := *g
	bad.Proposals = append([]types.Proposal(nil), g.Proposals...)
	bad.Proposals[0].SnapshotsPruned = true // a snapshot is still there
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	bad.VoteSnapshots = nil
	require.NoError(t, bad.Validate())
	bad.Proposals[0].Status = types.ProposalStatus_PROPOSAL_STATUS_VOTING
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis, "a proposal in voting cannot be pruned")
}
