// Package storetest is the conformance suite every pool store backend must pass.
package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/payout"
	"github.com/guild-network/guild/daemon/pool/store"
)

// Opener returns a fresh, empty store; reopen returns the same database opened again (to check
// that state survives a restart).
type Opener func(t *testing.T) (s store.Store, reopen func() store.Store)

// Key returns a deterministic test key.
func Key(s string) store.Key { return store.Key(sha256.Sum256([]byte(s))) }

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	t.Run("Farmers", func(t *testing.T) { testFarmers(t, open) })
	t.Run("Partials", func(t *testing.T) { testPartials(t, open) })
	t.Run("RoundProportional", func(t *testing.T) { testRoundProportional(t, open) })
	t.Run("RoundPPLNS", func(t *testing.T) { testRoundPPLNS(t, open) })
	t.Run("RoundRecord", func(t *testing.T) { testRoundRecord(t, open) })
	t.Run("MinimumPayoutCarries", func(t *testing.T) { testMinimumCarries(t, open) })
	t.Run("BatchStateMachine", func(t *testing.T) { testBatchStates(t, open) })
	t.Run("SurvivesReopen", func(t *testing.T) { testReopen(t, open) })
	t.Run("State", func(t *testing.T) { testState(t, open) })
}

func farmer(name string, difficulty uint64) store.Farmer {
	return store.Farmer{LauncherID: Key(name), ContractID: 7, AuthPublicKey: Key("auth" + name),
		PayoutAddress: "guild1" + name, Difficulty: difficulty, IsMember: true, JoinedAt: 1000}
}

func partial(name string, sp int, plot string, ts int64, d uint64) store.Partial {
	return store.Partial{LauncherID: Key(name), SPHash: Key(fmt.Sprint("sp", sp)), PlotID: Key(plot),
		ProofHash: Key(fmt.Sprint(name, sp, plot)), HarvesterID: Key("h"), Timestamp: ts, Difficulty: d}
}

func balanced(t *testing.T, s store.Store) store.Ledger {
	t.Helper()
	l, err := s.Ledger(context.Background())
	require.NoError(t, err)
	require.True(t, l.Balanced(), "ledger does not add up: %+v", l)
	return l
}

func testFarmers(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := open(t)
	f := farmer("a", 10)
	require.NoError(t, s.AddFarmer(ctx, f))
	require.ErrorIs(t, s.AddFarmer(ctx, f), store.ErrFarmerExists)
	require.ErrorIs(t, s.AddFarmer(ctx, store.Farmer{LauncherID: Key("x")}), store.ErrInvalidRecord)
	got, err := s.Farmer(ctx, f.LauncherID)
	require.NoError(t, err)
	require.Equal(t, f, got)
	_, err = s.Farmer(ctx, Key("nobody"))
	require.ErrorIs(t, err, store.ErrNotFound)

	auth, addr, d, pend, at, member := Key("auth2"), "guild1new", uint64(20), uint64(99), int64(5000), false
	require.NoError(t, s.UpdateFarmer(ctx, f.LauncherID, store.FarmerUpdate{AuthPublicKey: &auth, PayoutAddress: &addr,
		Difficulty: &d, PendingDifficulty: &pend, PendingDifficultyAt: &at, UpdatedAt: &at, IsMember: &member}))
	got, err = s.Farmer(ctx, f.LauncherID)
	require.NoError(t, err)
	require.Equal(t, store.Farmer{LauncherID: f.LauncherID, ContractID: 7, AuthPublicKey: auth, PayoutAddress: addr, Difficulty: 20,
		JoinedAt: 1000, PendingDifficulty: 99, PendingDifficultyAt: 5000, UpdatedAt: 5000}, got)
	require.ErrorIs(t, s.UpdateFarmer(ctx, Key("nobody"), store.FarmerUpdate{Difficulty: &d}), store.ErrNotFound)

	require.NoError(t, s.AddFarmer(ctx, farmer("b", 10)))
	all, err := s.Farmers(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
}

func testPartials(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := open(t)
	require.NoError(t, s.AddFarmer(ctx, farmer("a", 10)))
	p1 := partial("a", 1, "plot1", 100, 10)
	p2 := partial("a", 1, "plot2", 101, 10)
	p2.NewDifficulty = 12
	dup := partial("a", 1, "plot1", 102, 10)
	dup.ProofHash = Key("other proof")
	res, err := s.RecordPartials(ctx, []store.Partial{p1, p2, dup})
	require.NoError(t, err)
	require.NoError(t, res[0])
	require.NoError(t, res[1])
	require.ErrorIs(t, res[2], store.ErrDuplicate)
	f, err := s.Farmer(ctx, Key("a"))
	require.NoError(t, err)
	require.Equal(t, uint64(20), f.Points, "the duplicate earns nothing")
	require.Equal(t, uint64(12), f.Difficulty)

	// a later duplicate in another batch is refused as well
	res, err = s.RecordPartials(ctx, []store.Partial{dup})
	require.NoError(t, err)
	require.ErrorIs(t, res[0], store.ErrDuplicate)

	// a partial of an unknown farmer fails the whole batch and changes nothing
	_, err = s.RecordPartials(ctx, []store.Partial{partial("a", 2, "plot1", 103, 10), partial("ghost", 2, "plotg", 103, 10)})
	require.ErrorIs(t, err, store.ErrNotFound)
	recent, err := s.RecentPartials(ctx, Key("a"), 10)
	require.NoError(t, err)
	require.Len(t, recent, 2)
	require.Equal(t, int64(101), recent[0].Timestamp, "newest first")
	require.Equal(t, p1, recent[1])

	n, err := s.PrunePartials(ctx, 101)
	require.NoError(t, err)
	require.Equal(t, int64(1), n)
	recent, err = s.RecentPartials(ctx, Key("a"), 10)
	require.NoError(t, err)
	require.Len(t, recent, 1)
}

func testRoundProportional(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := open(t)
	_, err := s.PlanRound(ctx, store.RoundPlan{Scheme: store.Proportional})
	require.ErrorIs(t, err, store.ErrNothingToPay)
	require.NoError(t, s.AddFarmer(ctx, farmer("a", 10)))
	require.NoError(t, s.AddFarmer(ctx, farmer("b", 10)))
	added, err := s.AddReward(ctx, store.Reward{Key: "tx1/7", ContractID: 7, Amount: 1_000_003, Height: 5})
	require.NoError(t, err)
	require.True(t, added)
	added, err = s.AddReward(ctx, store.Reward{Key: "tx1/7", ContractID: 7, Amount: 1_000_003, Height: 5})
	require.NoError(t, err)
	require.False(t, added, "a reward is recorded once")
	balanced(t, s)

	// nobody has points: the reward stays unassigned
	_, err = s.PlanRound(ctx, store.RoundPlan{Scheme: store.Proportional, FeeBps: 100})
	require.ErrorIs(t, err, store.ErrNoPoints)

	_, err = s.RecordPartials(ctx, []store.Partial{partial("a", 1, "pa1", 10, 10), partial("a", 2, "pa1", 20, 10), partial("b", 1, "pb1", 10, 10)})
	require.NoError(t, err)
	r, err := s.PlanRound(ctx, store.RoundPlan{Now: 100, Scheme: store.Proportional, FeeBps: 100, PayoutsPerTx: 1})
	require.NoError(t, err)
	// the worked example of payout.Distribute, with a = 20 points and b = 10
	require.Equal(t, uint64(1_000_003), r.Total)
	require.Equal(t, uint64(10_001), r.Fee)
	require.Equal(t, uint64(990_001), r.Credited)
	require.Equal(t, uint64(1), r.Dust)
	require.Len(t, r.Batches, 2, "one payout per transaction")
	l := balanced(t, s)
	require.Equal(t, store.Ledger{Rewards: 1_000_003, Fees: 10_001, Dust: 1, InFlight: 990_001}, l)
	fa, err := s.Farmer(ctx, Key("a"))
	require.NoError(t, err)
	require.Zero(t, fa.Points)
	require.Zero(t, fa.Balance)
	pays, err := s.FarmerPayouts(ctx, Key("a"), 5)
	require.NoError(t, err)
	require.Len(t, pays, 1)
	require.Equal(t, uint64(660_001), pays[0].Amount)
	require.Equal(t, "guild1a", pays[0].Address)
	require.Equal(t, store.Planned, pays[0].State)

	// the dust is carried into the next round
	_, err = s.AddReward(ctx, store.Reward{Key: "tx2/7", ContractID: 7, Amount: 99, Height: 6})
	require.NoError(t, err)
	_, err = s.RecordPartials(ctx, []store.Partial{partial("b", 3, "pb1", 30, 10)})
	require.NoError(t, err)
	r, err = s.PlanRound(ctx, store.RoundPlan{Now: 200, Scheme: store.Proportional, PayoutsPerTx: 10})
	require.NoError(t, err)
	require.Equal(t, uint64(100), r.Total)
	require.Equal(t, uint64(100), r.Credited)
	balanced(t, s)
}

func testRoundPPLNS(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := open(t)
	require.NoError(t, s.AddFarmer(ctx, farmer("a", 10)))
	require.NoError(t, s.AddFarmer(ctx, farmer("b", 10)))
	_, err := s.RecordPartials(ctx, []store.Partial{
		partial("a", 1, "pa", 100, 10), // outside the window
		partial("a", 2, "pa", 500, 10),
		partial("b", 2, "pb", 500, 30),
	})
	require.NoError(t, err)
	_, err = s.AddReward(ctx, store.Reward{Key: "r", Amount: 4000})
	require.NoError(t, err)
	r, err := s.PlanRound(ctx, store.RoundPlan{Now: 600, Scheme: store.PPLNS, WindowStart: 200, PayoutsPerTx: 400})
	require.NoError(t, err)
	require.Len(t, r.Batches, 1)
	batches, err := s.OpenBatches(ctx)
	require.NoError(t, err)
	require.Len(t, batches, 1)
	got := map[string]uint64{}
	for _, p := range batches[0].Payouts {
		got[p.Address] = p.Amount
	}
	require.Equal(t, map[string]uint64{"guild1a": 1000, "guild1b": 3000}, got)
	balanced(t, s)
	// a window with no partials pays nobody and keeps the rewards
	_, err = s.AddReward(ctx, store.Reward{Key: "r2", Amount: 5})
	require.NoError(t, err)
	_, err = s.PlanRound(ctx, store.RoundPlan{Now: 9000, Scheme: store.PPLNS, WindowStart: 8000})
	require.ErrorIs(t, err, store.ErrNoPoints)
	l := balanced(t, s)
	require.Equal(t, uint64(5), l.Unassigned)
}

func testMinimumCarries(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := open(t)
	require.NoError(t, s.AddFarmer(ctx, farmer("a", 10)))
	require.NoError(t, s.AddFarmer(ctx, farmer("b", 10)))
	_, err := s.RecordPartials(ctx, []store.Partial{partial("a", 1, "pa", 10, 30), partial("b", 1, "pb", 10, 10)})
	require.NoError(t, err)
	_, err = s.AddReward(ctx, store.Reward{Key: "r1", Amount: 400})
	require.NoError(t, err)
	_, err = s.PlanRound(ctx, store.RoundPlan{Now: 20, Scheme: store.Proportional, MinPayout: 200, PayoutsPerTx: 10})
	require.NoError(t, err)
	fb, err := s.Farmer(ctx, Key("b"))
	require.NoError(t, err)
	require.Equal(t, uint64(100), fb.Balance, "below the minimum, b's credit carries")
	pays, err := s.FarmerPayouts(ctx, Key("b"), 5)
	require.NoError(t, err)
	require.Empty(t, pays)
	l := balanced(t, s)
	require.Equal(t, uint64(100), l.Balances)
	require.Equal(t, uint64(300), l.InFlight)

	_, err = s.RecordPartials(ctx, []store.Partial{partial("b", 2, "pb", 30, 10)})
	require.NoError(t, err)
	_, err = s.AddReward(ctx, store.Reward{Key: "r2", Amount: 100})
	require.NoError(t, err)
	_, err = s.PlanRound(ctx, store.RoundPlan{Now: 40, Scheme: store.Proportional, MinPayout: 200, PayoutsPerTx: 10})
	require.NoError(t, err)
	pays, err = s.FarmerPayouts(ctx, Key("b"), 5)
	require.NoError(t, err)
	require.Len(t, pays, 1)
	require.Equal(t, uint64(200), pays[0].Amount, "the carried balance is paid with the new credit")
	balanced(t, s)
}

func testBatchStates(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := open(t)
	require.NoError(t, s.AddFarmer(ctx, farmer("a", 10)))
	_, err := s.RecordPartials(ctx, []store.Partial{partial("a", 1, "pa", 10, 10)})
	require.NoError(t, err)
	_, err = s.AddReward(ctx, store.Reward{Key: "r1", Amount: 500})
	require.NoError(t, err)
	r, err := s.PlanRound(ctx, store.RoundPlan{Now: 20, Scheme: store.Proportional, PayoutsPerTx: 10})
	require.NoError(t, err)
	id := r.Batches[0]

	require.ErrorIs(t, s.MarkConfirmed(ctx, id, "H1", 9), store.ErrInvalidState, "a planned batch cannot be confirmed")
	require.ErrorIs(t, s.ResetBatch(ctx, id, "H1"), store.ErrInvalidState)
	require.NoError(t, s.MarkBroadcast(ctx, id, "H1", []byte{1, 2, 3}, 50))
	require.ErrorIs(t, s.MarkBroadcast(ctx, id, "H2", []byte{9}, 60), store.ErrInvalidState, "a broadcast batch is never signed again before it is reset")
	open1, err := s.OpenBatches(ctx)
	require.NoError(t, err)
	require.Len(t, open1, 1)
	require.Equal(t, store.Broadcast, open1[0].State)
	require.Equal(t, []byte{1, 2, 3}, open1[0].TxBytes)
	require.Equal(t, int64(50), open1[0].TimeoutHeight)
	require.Equal(t, uint64(500), open1[0].Total())

	require.ErrorIs(t, s.ResetBatch(ctx, id, "OTHER"), store.ErrInvalidState, "only the recorded transaction resets it")
	require.NoError(t, s.ResetBatch(ctx, id, "H1"))
	require.NoError(t, s.MarkBroadcast(ctx, id, "H3", []byte{4}, 70))
	require.ErrorIs(t, s.MarkConfirmed(ctx, id, "H1", 9), store.ErrInvalidState, "a stale transaction does not confirm")
	require.NoError(t, s.MarkConfirmed(ctx, id, "H3", 65))
	require.ErrorIs(t, s.MarkConfirmed(ctx, id, "H3", 65), store.ErrInvalidState)
	open2, err := s.OpenBatches(ctx)
	require.NoError(t, err)
	require.Empty(t, open2)
	l := balanced(t, s)
	require.Equal(t, uint64(500), l.Paid)
	require.Zero(t, l.InFlight)
	pays, err := s.FarmerPayouts(ctx, Key("a"), 5)
	require.NoError(t, err)
	require.Equal(t, store.Confirmed, pays[0].State)
	require.Equal(t, "H3", pays[0].TxHash)
	require.ErrorIs(t, s.MarkBroadcast(ctx, 999, "H", nil, 1), store.ErrNotFound)
}

func testReopen(t *testing.T, open Opener) {
	ctx := context.Background()
	s, reopen := open(t)
	require.NoError(t, s.AddFarmer(ctx, farmer("a", 10)))
	_, err := s.RecordPartials(ctx, []store.Partial{partial("a", 1, "pa", 10, 10)})
	require.NoError(t, err)
	_, err = s.AddReward(ctx, store.Reward{Key: "r1", Amount: 500})
	require.NoError(t, err)
	r, err := s.PlanRound(ctx, store.RoundPlan{Now: 20, Scheme: store.Proportional, PayoutsPerTx: 10})
	require.NoError(t, err)
	require.NoError(t, s.MarkBroadcast(ctx, r.Batches[0], "H1", []byte{7}, 50))
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")

	s = reopen()
	defer s.Close()
	batches, err := s.OpenBatches(ctx)
	require.NoError(t, err)
	require.Len(t, batches, 1)
	require.Equal(t, "H1", batches[0].TxHash)
	res, err := s.RecordPartials(ctx, []store.Partial{partial("a", 1, "pa", 11, 10)})
	require.NoError(t, err)
	require.ErrorIs(t, res[0], store.ErrDuplicate, "duplicates are refused across restarts")
	balanced(t, s)
}

func testState(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := open(t)
	v, err := s.State(ctx, "cursor")
	require.NoError(t, err)
	require.Zero(t, v)
	require.NoError(t, s.SetState(ctx, "cursor", 42))
	require.NoError(t, s.SetState(ctx, "cursor", 43))
	v, err = s.State(ctx, "cursor")
	require.NoError(t, err)
	require.Equal(t, int64(43), v)
	balanced(t, s) // named counters are not the dust
}

// testRoundRecord checks that each round keeps its terms and every farmer's points, durably,
// and that replaying payout.Distribute on them gives the round's fee, credits and dust.
func testRoundRecord(t *testing.T, open Opener) {
	ctx := context.Background()
	s, reopen := open(t)
	require.NoError(t, s.AddFarmer(ctx, farmer("a", 10)))
	require.NoError(t, s.AddFarmer(ctx, farmer("b", 10)))
	rounds, err := s.Rounds(ctx, 10)
	require.NoError(t, err)
	require.Empty(t, rounds)
	_, err = s.RecordPartials(ctx, []store.Partial{
		partial("a", 1, "pa", 100, 10), // before the window: not counted
		partial("a", 2, "pa", 500, 20),
		partial("b", 2, "pb", 500, 10),
	})
	require.NoError(t, err)
	_, err = s.AddReward(ctx, store.Reward{Key: "r1", Amount: 1_000_003})
	require.NoError(t, err)
	r1, err := s.PlanRound(ctx, store.RoundPlan{Now: 600, Scheme: store.PPLNS, WindowStart: 200, FeeBps: 100, PayoutsPerTx: 10})
	require.NoError(t, err)
	// nobody has points in this window: no round, nothing recorded
	_, err = s.AddReward(ctx, store.Reward{Key: "r2", Amount: 7})
	require.NoError(t, err)
	_, err = s.PlanRound(ctx, store.RoundPlan{Now: 9000, Scheme: store.PPLNS, WindowStart: 8000, FeeBps: 100})
	require.ErrorIs(t, err, store.ErrNoPoints)
	_, err = s.RecordPartials(ctx, []store.Partial{partial("b", 3, "pb", 700, 30)})
	require.NoError(t, err)
	r2, err := s.PlanRound(ctx, store.RoundPlan{Now: 800, Scheme: store.Proportional, FeeBps: 250, PayoutsPerTx: 10})
	require.NoError(t, err)

	s = reopen()
	rounds, err = s.Rounds(ctx, 10)
	require.NoError(t, err)
	require.Len(t, rounds, 2)
	require.Equal(t, r2.ID, rounds[0].ID, "newest first")
	got1, got2 := rounds[1], rounds[0]
	require.Equal(t, r1.ID, got1.ID)
	require.Equal(t, r1.Shares, got1.Shares, "what PlanRound returned is what was recorded")
	require.Equal(t, store.PPLNS, got1.Scheme)
	require.Equal(t, int64(200), got1.WindowStart)
	require.Equal(t, uint32(100), got1.FeeBps)
	require.Equal(t, sortShares([]store.RoundShare{ // by launcher id
		{LauncherID: Key("a"), Points: 20, Credit: 660_001},
		{LauncherID: Key("b"), Points: 10, Credit: 330_000},
	}), got1.Shares)
	require.Equal(t, store.Proportional, got2.Scheme)
	require.Zero(t, got2.WindowStart)
	require.Equal(t, uint32(250), got2.FeeBps)
	// proportional: the points since the last round, b's 30 only (a's and b's earlier were cleared)
	require.Len(t, got2.Shares, 1)
	require.Equal(t, Key("b"), got2.Shares[0].LauncherID)
	require.Equal(t, uint64(30), got2.Shares[0].Points)
	for _, r := range rounds {
		shares := make([]payout.Share, len(r.Shares))
		credits := map[string]uint64{}
		for i, sh := range r.Shares {
			shares[i] = payout.Share{Farmer: fmt.Sprintf("%x", sh.LauncherID[:]), Points: sh.Points}
			credits[shares[i].Farmer] = sh.Credit
		}
		split, err := payout.Distribute(r.Total, r.FeeBps, shares)
		require.NoError(t, err)
		require.Equal(t, r.Fee, split.Fee, "round %d", r.ID)
		require.Equal(t, r.Dust, split.Dust, "round %d", r.ID)
		var credited uint64
		for _, c := range split.Credits {
			require.Equal(t, c.Amount, credits[c.Farmer], "round %d farmer %s", r.ID, c.Farmer)
			credited += c.Amount
		}
		require.Equal(t, r.Credited, credited, "round %d", r.ID)
		require.Equal(t, r.Total, r.Fee+r.Credited+r.Dust, "round %d", r.ID)
	}
	rounds, err = s.Rounds(ctx, 1)
	require.NoError(t, err)
	require.Len(t, rounds, 1)
	balanced(t, s)
}

func sortShares(in []store.RoundShare) []store.RoundShare {
	out := append([]store.RoundShare(nil), in...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && string(out[j].LauncherID[:]) < string(out[j-1].LauncherID[:]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
