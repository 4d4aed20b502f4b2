package pool

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
)

// payoutEnv has two farmers with 3 and 1 points and 1 000 003 of rewards absorbed: with the
// 1 % fee (10 001, rounded up) the 990 002 left split 742 501 and 247 500, and 1 of dust carries.
func payoutEnv(t *testing.T, stopAt string) (*env, *farmerKit, *farmerKit) {
	t.Helper()
	cfg := testConfig(t)
	cfg.Payout.Scheme = string(store.Proportional)
	cfg.Payout.PayoutsPerTx = 1
	cfg.Payout.TxTimeoutBlocks = 3
	cfg.Payout.StopAt = stopAt
	e := newEnv(t, cfg)
	a, b := newFarmer(t, e.chain, cfg, 1), newFarmer(t, e.chain, cfg, 2)
	e.join(a)
	e.join(b)
	for _, s := range a.sps(1, 3) {
		e.srv.AddSignagePoint(s)
		req, _ := a.partial(t, s, e.clk.Now())
		_, perr := e.do("POST", "/partial", req, nil)
		require.Nil(t, perr)
	}
	s := b.sps(1, 1)[0]
	e.srv.AddSignagePoint(s)
	req, _ := b.partial(t, s, e.clk.Now())
	_, perr := e.do("POST", "/partial", req, nil)
	require.Nil(t, perr)
	e.chain.win(a.lid, 700_000)
	e.chain.win(b.lid, 300_003)
	require.NoError(t, e.srv.AbsorbStep(context.Background()))
	require.Equal(t, uint64(1_000_003), e.chain.balance(poolAddr))
	l, err := e.st.Ledger(context.Background())
	require.NoError(t, err)
	require.Equal(t, uint64(1_000_003), l.Unassigned)
	return e, a, b
}

// settle runs payout steps and blocks until nothing is open, then checks that everyone was paid
// exactly once and the books balance.
func settle(t *testing.T, e *env, a, b *farmerKit) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		require.NoError(t, e.srv.PayoutStep(ctx))
		e.chain.mine()
	}
	open, err := e.st.OpenBatches(ctx)
	require.NoError(t, err)
	require.Empty(t, open)
	require.Equal(t, uint64(742_501), e.chain.balance(a.payout))
	require.Equal(t, uint64(247_500), e.chain.balance(b.payout))
	require.Equal(t, uint64(10_002), e.chain.balance(poolAddr), "fee and dust stay in the pool's wallet")
	l, err := e.st.Ledger(ctx)
	require.NoError(t, err)
	require.True(t, l.Balanced(), "%+v", l)
	require.Equal(t, store.Ledger{Rewards: 1_000_003, Fees: 10_001, Dust: 1, Paid: 990_001}, l)
	for _, fk := range []*farmerKit{a, b} {
		f := e.farmer(fk)
		require.Zero(t, f.Points, "points were credited and cleared once")
		require.Zero(t, f.Balance)
	}
}

func TestPayoutHappyPath(t *testing.T) {
	e, a, b := payoutEnv(t, "")
	settle(t, e, a, b)
	// recording the same absorptions again changes nothing
	require.NoError(t, e.srv.AbsorbStep(context.Background()))
	e.clk.Advance(e.cfg.Payout.Interval.D())
	settle(t, e, a, b)
}

// A crash (the server killed and restarted over the same database) at each step of a payout
// pays every farmer exactly once and loses no point.
func TestPayoutCrashAtEveryStep(t *testing.T) {
	for _, step := range []string{StopAfterPlanned, StopAfterBroadcast, StopAfterIncluded} {
		t.Run(step, func(t *testing.T) {
			e, a, b := payoutEnv(t, step)
			ctx := context.Background()
			var err error
			for i := 0; i < 5 && err == nil; i++ {
				err = e.srv.PayoutStep(ctx)
				e.chain.mine()
			}
			require.True(t, errors.Is(err, errHalted), "the hook stopped the loop at %s", step)
			require.Equal(t, step, e.srv.healthInfo().(HealthInfo).HaltedAt)
			// a halted loop does nothing more, however often it runs
			require.ErrorIs(t, e.srv.PayoutStep(ctx), errHalted)

			cfg := e.cfg
			cfg.Payout.StopAt = ""
			e.restart(cfg)
			require.NoError(t, e.srv.AbsorbStep(ctx)) // re-reading the absorptions records nothing twice
			settle(t, e, a, b)
		})
	}
}

// A payout whose transaction never reached the chain is sent again with the same bytes; once its
// timeout height has passed it is signed anew; either way it pays once.
func TestPayoutResentAndResigned(t *testing.T) {
	e, a, b := payoutEnv(t, "")
	ctx := context.Background()
	e.chain.dropSends = true
	require.NoError(t, e.srv.PayoutStep(ctx)) // planned → broadcast (the send fails)
	open, err := e.st.OpenBatches(ctx)
	require.NoError(t, err)
	require.Len(t, open, 2)
	first := open[0].TxHash
	require.NotEmpty(t, first)
	for i := int64(0); i <= e.cfg.Payout.TxTimeoutBlocks+1; i++ {
		e.chain.mine()
	}
	require.NoError(t, e.srv.PayoutStep(ctx)) // past the timeout: reset to planned
	open, err = e.st.OpenBatches(ctx)
	require.NoError(t, err)
	require.Equal(t, store.Planned, open[0].State)
	e.chain.dropSends = false
	settle(t, e, a, b)
	pays, err := e.st.FarmerPayouts(ctx, a.lid, 5)
	require.NoError(t, err)
	require.Len(t, pays, 1)
	require.NotEqual(t, first, pays[0].TxHash, "the expired transaction was replaced")
}

func TestPayoutMinimumCarries(t *testing.T) {
	e, a, b := payoutEnv(t, "")
	cfg := e.cfg
	cfg.Payout.MinPayout = 500_000
	e.restart(cfg)
	ctx := context.Background()
	require.NoError(t, e.srv.PayoutStep(ctx))
	e.chain.mine()
	require.NoError(t, e.srv.PayoutStep(ctx))
	require.Equal(t, uint64(742_501), e.chain.balance(a.payout))
	require.Zero(t, e.chain.balance(b.payout), "below the minimum")
	require.Equal(t, uint64(247_500), e.farmer(b).Balance, "the balance carries")
	l, err := e.st.Ledger(ctx)
	require.NoError(t, err)
	require.True(t, l.Balanced())
}

// GET /payouts publishes each round's terms and every farmer's points and credit: the worked
// example of payoutEnv, replayable by anyone; a bad limit is refused.
func TestPayoutRoundsRoute(t *testing.T) {
	e, a, b := payoutEnv(t, "")
	var rs protocol.Rounds
	code, perr := e.do("GET", "/payouts", nil, &rs)
	require.Nil(t, perr)
	require.Equal(t, 200, code)
	require.Empty(t, rs.Rounds, "no round before the first payout step")
	settle(t, e, a, b)
	_, perr = e.do("GET", "/payouts?limit=5", nil, &rs)
	require.Nil(t, perr)
	require.Len(t, rs.Rounds, 1)
	r := rs.Rounds[0]
	require.Equal(t, "proportional", r.Scheme)
	require.Equal(t, uint32(100), r.FeeBps)
	require.Equal(t, []uint64{1_000_003, 10_001, 990_001, 1}, []uint64{r.Total, r.Fee, r.Credited, r.Dust})
	got := map[store.Key][2]uint64{}
	for _, sh := range r.Shares {
		got[store.Key(sh.LauncherID)] = [2]uint64{sh.Points, sh.Credit}
	}
	require.Equal(t, map[store.Key][2]uint64{a.lid: {3, 742_501}, b.lid: {1, 247_500}}, got)
	for _, bad := range []string{"0", "201", "x"} {
		_, perr = e.do("GET", "/payouts?limit="+bad, nil, nil)
		require.NotNil(t, perr, bad)
		require.Equal(t, protocol.RequestFailed, perr.Code, bad)
	}
}
