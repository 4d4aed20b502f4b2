package keeper_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	sdk "github.com/cosmos/cosmos-sdk/types"

	providertypes "github.com/guild-network/guild/x/provider/types"
	"github.com/guild-network/guild/x/vault/types"
)

// TestScenario drives many vaults, investors, deposits, token transfers, harvests with random
// income, slashes, pledges, claims, exits, proposals, votes and time jumps, and checks every
// invariant after every step. VAULT_SCENARIO_SEED replays one seed; VAULT_SCENARIO_STEPS sets
// the length.
func TestScenario(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4}
	if s := os.Getenv("VAULT_SCENARIO_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
		seeds = []uint64{n}
	}
	steps := 400
	if s := os.Getenv("VAULT_SCENARIO_STEPS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		steps = n
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) { runScenario(t, seed, steps) })
	}
}

type scenario struct {
	f      *fixture
	r      *rand.Rand
	vaults []types.Vault
	nodes  map[uint64]uint64 // vault id → node id
	counts map[string]int
	// The model of governance, kept by the test itself: each proposal's positions with their
	// shares at its start (taken by walking the vault's positions at submission, which the
	// keeper never does), and the tally the votes must add up to with those weights.
	start map[uint64]map[uint64]sdkmath.Int // proposal → position → shares at the start
	tally map[uint64][2]sdkmath.Int         // proposal → yes, no
	// onOK are the model updates of the current step, applied only if the step succeeds.
	onOK []func()
}

// checkTallies compares every proposal's tally with the model's.
func (s *scenario) checkTallies() error {
	for id, want := range s.tally {
		p, err := s.f.k.GetProposal(s.f.ctx, id)
		if err != nil {
			return err
		}
		if !p.Yes.Equal(want[0]) || !p.No.Equal(want[1]) {
			return fmt.Errorf("proposal %d: tally yes %s no %s, start-share weights give yes %s no %s", id, p.Yes, p.No, want[0], want[1])
		}
	}
	return nil
}

func runScenario(t *testing.T, seed uint64, steps int) {
	f := setup(t)
	s := &scenario{f: f, r: rand.New(rand.NewPCG(seed, seed^0x5eed)), nodes: map[uint64]uint64{}, counts: map[string]int{},
		start: map[uint64]map[uint64]sdkmath.Int{}, tally: map[uint64][2]sdkmath.Int{}}
	params := types.DefaultParams()
	params.MaxSnapshotPrunesPerBlock = 2 // so that a proposal's snapshots take several blocks to prune
	require.NoError(t, f.k.UpdateParams(f.ctx, f.k.Authority(), params))
	for i := 0; i < 3; i++ {
		s.newVault(i)
	}
	ops := []struct {
		name string
		w    int
		fn   func() error
	}{
		{"deposit", 6, s.deposit}, {"pay", 5, s.pay}, {"harvest", 3, s.harvest}, {"claim", 4, s.claim},
		{"transfer", 2, s.transfer}, {"exit", 3, s.exit}, {"pledge", 2, s.pledge}, {"unpledge", 1, s.unpledge},
		{"slash", 1, s.slash}, {"propose", 1, s.propose}, {"vote", 3, s.vote}, {"time", 2, s.time},
		{"exit during a vote", 2, s.exitDuringVote},
	}
	total := 0
	for _, op := range ops {
		total += op.w
	}
	for step := 0; step < steps; step++ {
		pick := s.r.IntN(total)
		for _, op := range ops {
			if pick < op.w {
				// A step may be refused (a random exit above liquid, a vote on an ended
				// proposal...): refusals must change nothing, which the cache context shows,
				// and the invariants must hold either way.
				cache, write := f.ctx.CacheContext()
				saved := f.ctx
				f.ctx = cache
				s.onOK = nil
				err := op.fn()
				after := f.ctx // a time jump moved the block time and height on
				f.ctx = saved
				if err == nil {
					write()
					f.ctx = f.ctx.WithBlockTime(after.BlockTime()).WithBlockHeight(after.BlockHeight())
					s.counts[op.name]++
					for _, apply := range s.onOK {
						apply()
					}
				} else {
					s.counts[op.name+" refused"]++
				}
				require.NoError(t, f.k.CheckInvariants(f.ctx), "seed %d step %d (%s, err %v)", seed, step, op.name, err)
				require.NoError(t, s.checkTallies(), "seed %d step %d (%s, err %v)", seed, step, op.name, err)
				break
			}
			pick -= op.w
		}
	}
	g, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	for _, p := range g.Proposals {
		s.counts["proposal "+p.Status.String()]++
		if p.SnapshotsPruned {
			s.counts["proposals pruned"]++
		}
	}
	s.counts["snapshots left"] = len(g.VoteSnapshots)
	// Drain: once every proposal has ended, the prune queue deletes every snapshot within
	// ceil(snapshots / 2) blocks, and none is left (state does not grow forever).
	for _, p := range g.Proposals {
		if p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING && p.End > f.ctx.BlockTime().Unix() {
			f.advance(p.End - f.ctx.BlockTime().Unix())
		}
	}
	for blocks := len(g.VoteSnapshots)/2 + len(g.Proposals) + 2; blocks > 0; blocks-- {
		f.advance(1)
		require.NoError(t, f.k.EndBlocker(f.ctx))
		require.NoError(t, f.k.CheckInvariants(f.ctx))
	}
	g, err = f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Empty(t, g.VoteSnapshots, "seed %d: snapshots outlived their proposals", seed)
	for _, p := range g.Proposals {
		require.True(t, p.Status != types.ProposalStatus_PROPOSAL_STATUS_VOTING && p.SnapshotsPruned, "seed %d: proposal %d %s, pruned %v", seed, p.Id, p.Status, p.SnapshotsPruned)
	}
	t.Logf("seed %d: %v", seed, s.counts)
}

func (s *scenario) newVault(i int) {
	f := s.f
	op := addr(20 + i)
	require.NoError(f.t, f.prov.RegisterProvider(f.ctx, op, "p", "https://p.example", nil))
	pub := make([]byte, 32)
	pub[0], pub[1] = 0xee, byte(i)
	node, _, err := f.prov.AddNode(f.ctx, op, op, pub, providertypes.Resources{CpuMilli: 1000}, sdk.NewInt64Coin("ugld", int64(s.r.IntN(2))*500_000))
	require.NoError(f.t, err)
	terms := defaultTerms()
	terms.OperatorFeeBps = uint32(s.r.IntN(2000))
	terms.EarlyExitFeeBps = uint32(s.r.IntN(2001))
	terms.MinDeposit = sdkmath.NewInt(1)
	v, err := f.k.CreateVault(f.ctx, op, op, terms, types.Governance{QuorumBps: 2000, ThresholdBps: 5000, VotingPeriod: 50})
	require.NoError(f.t, err)
	require.NoError(f.t, f.prov.ProposeOwner(f.ctx, op, op, v.Account))
	require.NoError(f.t, f.k.AcceptCustody(f.ctx, op, v.Id))
	s.vaults = append(s.vaults, v)
	s.nodes[v.Id] = node
}

func (s *scenario) vault() types.Vault { return s.vaults[s.r.IntN(len(s.vaults))] }

// somePosition picks a live position of any vault, with its current owner.
func (s *scenario) somePosition() (types.Position, string, bool) {
	g, err := s.f.k.ExportGenesis(s.f.ctx)
	require.NoError(s.f.t, err)
	if len(g.Positions) == 0 {
		return types.Position{}, "", false
	}
	p := g.Positions[s.r.IntN(len(g.Positions))]
	return p, s.f.k.PositionOwner(s.f.ctx, p).String(), true
}

func (s *scenario) deposit() error {
	amounts := []int64{1, 999, 1_000_000, 7_777_777, 123_456_789}
	_, err := s.f.k.Deposit(s.f.ctx, investor(s.r.IntN(8)), s.vault().Id, sdk.NewInt64Coin("ugld", amounts[s.r.IntN(len(amounts))]))
	return err
}

func (s *scenario) pay() error {
	v := s.vault()
	denom := []string{"uusdc", "ugld"}[s.r.IntN(2)]
	s.f.pay(v, sdk.NewInt64Coin(denom, 1+s.r.Int64N(5_000_000)))
	return nil
}

func (s *scenario) harvest() error {
	v := s.vault()
	s.f.market.pending[v.Provider] = sdk.NewCoins(sdk.NewInt64Coin("uusdc", s.r.Int64N(1_000_000)))
	_, err := s.f.k.Harvest(s.f.ctx, v.Id, s.r.IntN(2) == 0)
	return err
}

func (s *scenario) claim() error {
	p, owner, ok := s.somePosition()
	if !ok {
		return nil
	}
	if s.r.IntN(10) == 0 {
		owner = stranger() // must be refused
	}
	_, err := s.f.k.Claim(s.f.ctx, owner, p.Id)
	return err
}

func (s *scenario) transfer() error {
	p, owner, ok := s.somePosition()
	if !ok {
		return nil
	}
	_, err := s.f.nft.Send(s.f.ctx, &nft.MsgSend{ClassId: types.ClassID(p.VaultId), Id: types.TokenID(p.Id), Sender: owner, Receiver: investor(s.r.IntN(8))})
	return err
}

func (s *scenario) exit() error {
	p, owner, ok := s.somePosition()
	if !ok {
		return nil
	}
	shares := sdkmath.ZeroInt()
	if s.r.IntN(2) == 0 {
		shares = p.Shares.QuoRaw(int64(1 + s.r.IntN(4)))
	}
	_, _, err := s.f.k.Exit(s.f.ctx, owner, p.Id, shares)
	return err
}

func (s *scenario) pledge() error {
	v := s.vault()
	cur, err := s.f.k.GetVault(s.f.ctx, v.Id)
	require.NoError(s.f.t, err)
	if !cur.Liquid.IsPositive() {
		return nil
	}
	amt := cur.Liquid.QuoRaw(int64(2 + s.r.IntN(3)))
	if !amt.IsPositive() {
		return nil
	}
	return s.f.k.Pledge(s.f.ctx, v.Operator, v.Id, s.nodes[v.Id], sdk.NewCoin("ugld", amt))
}

func (s *scenario) unpledge() error {
	v := s.vault()
	cur, err := s.f.k.GetVault(s.f.ctx, v.Id)
	require.NoError(s.f.t, err)
	amt := cur.Pledged.QuoRaw(int64(1 + s.r.IntN(3)))
	if !amt.IsPositive() {
		return nil
	}
	return s.f.k.Unpledge(s.f.ctx, v.Operator, v.Id, s.nodes[v.Id], sdk.NewCoin("ugld", amt))
}

func (s *scenario) slash() error {
	v := s.vault()
	_, err := s.f.prov.SlashBond(s.f.ctx, s.nodes[v.Id], uint32(1+s.r.IntN(3000)), "scenario")
	return err
}

func (s *scenario) propose() error {
	p, owner, ok := s.somePosition()
	if !ok {
		return nil
	}
	var c types.ProposalContent
	switch s.r.IntN(3) {
	case 0:
		terms := defaultTerms()
		terms.OperatorFeeBps = uint32(s.r.IntN(3000))
		terms.MinDeposit = sdkmath.NewInt(1)
		c = types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_UPDATE_TERMS, Terms: &terms}
	case 1:
		v, err := s.f.k.GetVault(s.f.ctx, p.VaultId)
		require.NoError(s.f.t, err)
		c = types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "v", StrategyVersion: v.StrategyVersion + 1}
	default:
		c = types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_PROVIDER_WITHDRAW_BOND, NodeId: s.nodes[p.VaultId], Amount: sdkmath.NewInt(1 + s.r.Int64N(1_000_000))}
	}
	g, err := s.f.k.ExportGenesis(s.f.ctx)
	require.NoError(s.f.t, err)
	prop, err := s.f.k.SubmitProposal(s.f.ctx, owner, p.Id, c)
	if err == nil {
		start := map[uint64]sdkmath.Int{}
		for _, q := range g.Positions {
			if q.VaultId == p.VaultId {
				start[q.Id] = q.Shares
			}
		}
		s.onOK = append(s.onOK, func() {
			s.start[prop.Id] = start
			s.tally[prop.Id] = [2]sdkmath.Int{sdkmath.ZeroInt(), sdkmath.ZeroInt()}
		})
	}
	return err
}

func (s *scenario) vote() error {
	g, err := s.f.k.ExportGenesis(s.f.ctx)
	require.NoError(s.f.t, err)
	var open []types.Proposal
	for _, p := range g.Proposals {
		if p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING || s.r.IntN(20) == 0 {
			open = append(open, p)
		}
	}
	if len(open) == 0 {
		return nil
	}
	prop := open[s.r.IntN(len(open))]
	var eligible []types.Position
	for _, p := range g.Positions {
		if p.VaultId == prop.VaultId || s.r.IntN(20) == 0 {
			eligible = append(eligible, p)
		}
	}
	if len(eligible) == 0 {
		return nil
	}
	p := eligible[s.r.IntN(len(eligible))]
	// Half the time, prefer a position that exited part since the start: its vote must weigh
	// its start shares.
	var changed []types.Position
	for _, q := range eligible {
		if w, ok := s.start[prop.Id][q.Id]; ok && q.VaultId == prop.VaultId && w.GT(q.Shares) {
			changed = append(changed, q)
		}
	}
	if len(changed) > 0 && s.r.IntN(2) == 0 {
		p = changed[s.r.IntN(len(changed))]
	}
	yes := s.r.IntN(4) != 0
	err = s.f.k.Vote(s.f.ctx, s.f.k.PositionOwner(s.f.ctx, p).String(), prop.Id, p.Id, yes)
	if err == nil {
		w, ok := s.start[prop.Id][p.Id]
		require.True(s.f.t, ok, "position %d voted on proposal %d without existing at its start", p.Id, prop.Id)
		if !w.Equal(p.Shares) {
			s.counts["vote after a share change"]++
		}
		s.onOK = append(s.onOK, func() {
			t := s.tally[prop.Id]
			if yes {
				t[0] = t[0].Add(w)
			} else {
				t[1] = t[1].Add(w)
			}
			s.tally[prop.Id] = t
		})
	}
	return err
}

func (s *scenario) time() error {
	jump := 1 + s.r.Int64N(2_000)
	if s.r.IntN(2) == 0 { // short steps too, so proposals see exits, transfers and votes
		jump = 1 + s.r.Int64N(20)
	}
	s.f.advance(jump)
	return s.f.k.EndBlocker(s.f.ctx)
}

// exitDuringVote exits part of a position that existed at the start of a proposal in voting.
func (s *scenario) exitDuringVote() error {
	g, err := s.f.k.ExportGenesis(s.f.ctx)
	require.NoError(s.f.t, err)
	var picks []types.Position
	for _, prop := range g.Proposals {
		if prop.Status != types.ProposalStatus_PROPOSAL_STATUS_VOTING {
			continue
		}
		for _, p := range g.Positions {
			if _, ok := s.start[prop.Id][p.Id]; ok {
				picks = append(picks, p)
			}
		}
	}
	if len(picks) == 0 {
		return nil
	}
	p := picks[s.r.IntN(len(picks))]
	_, _, err = s.f.k.Exit(s.f.ctx, s.f.k.PositionOwner(s.f.ctx, p).String(), p.Id, p.Shares.QuoRaw(int64(2+s.r.IntN(3))))
	return err
}
