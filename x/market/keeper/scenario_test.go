package keeper_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/market/types"
)

// TestRandomizedScenario runs many tenants, providers and leases through random actions and
// time jumps, and checks after every step that the market's books balance exactly (see
// CheckInvariants) and that no coin is created or destroyed across all accounts.
func TestRandomizedScenario(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) { runScenario(t, seed, 400) })
	}
}

func runScenario(t *testing.T, seed int64, steps int) {
	r := rand.New(rand.NewSource(seed))
	f := newFixture(t)
	f.params.MaxDuePerBlock = 3 // small, so queues spill over several blocks
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.gov, Params: f.params})
	require.NoError(t, err)

	f.addProvider("prov2", 2, addr("node-2"))
	prices := []string{"1", "0.3", "2.5", "0.000001", "7.123456789"}
	for i, p := range prices {
		prov, node := "prov", uint64(1)
		if i%2 == 1 {
			prov, node = "prov2", 2
		}
		f.addOffer(uint64(10+i), prov, node, p, 20)
	}
	tenants := []string{"t0", "t1", "t2", "t3", "t4", "t5"}
	var total int64
	for _, tn := range tenants {
		f.fund(tn, 1_000_000)
		total += 1_000_000
	}
	sumAll := func() int64 {
		var s int64
		for _, c := range f.bank.balances {
			s += c.AmountOf("uusdc").Int64()
		}
		return s
	}
	var leases []uint64
	counts := map[string]int{}
	pick := func() uint64 {
		if len(leases) == 0 {
			return 1
		}
		return leases[r.Intn(len(leases))]
	}
	for step := 0; step < steps; step++ {
		tn := tenants[r.Intn(len(tenants))]
		var err error
		action := ""
		switch r.Intn(11) {
		case 0, 1:
			action = "deposit"
			err = f.deposit(tn, 1+r.Int63n(50_000))
		case 2:
			action = "withdraw"
			_, err = f.msg.Withdraw(f.ctx, &types.MsgWithdraw{Tenant: addr(tn), Amount: sdk.NewInt64Coin("uusdc", 1+r.Int63n(20_000))})
		case 3, 4:
			action = "book"
			var id uint64
			id, err = f.book(tn, uint64(10+r.Intn(len(prices))), uint64(1+r.Intn(3)))
			if err == nil {
				leases = append(leases, id)
				if r.Intn(4) != 0 { // most nodes deploy at once; the rest fail or time out
					l := f.lease(id)
					require.NoError(t, f.report(fmt.Sprintf("node-%d", l.NodeId), id, types.DEPLOYMENT_RESULT_DEPLOYED))
					counts["deployed"]++
				}
			}
		case 5:
			action = "report"
			id := pick()
			l, gerr := f.k.GetLease(f.ctx, id)
			if gerr == nil {
				node := fmt.Sprintf("node-%d", l.NodeId)
				res := types.DEPLOYMENT_RESULT_DEPLOYED
				if r.Intn(5) == 0 {
					res = types.DEPLOYMENT_RESULT_FAILED
				}
				err = f.report(node, id, res)
			}
		case 6:
			action = "claim"
			_, err = f.msg.Claim(f.ctx, &types.MsgClaim{Sender: addr("anyone"), LeaseId: pick()})
		case 7:
			action = "claim-provider"
			_, err = f.msg.ClaimProvider(f.ctx, &types.MsgClaimProvider{Sender: addr("anyone"), Provider: addr("prov"), Limit: 3})
		case 8:
			action = "cancel"
			id := pick()
			l, gerr := f.k.GetLease(f.ctx, id)
			if gerr == nil {
				reason, report := types.ReasonTenantDone, ""
				if r.Intn(3) == 0 {
					reason, report = types.ReasonProviderMisbehaviour, "slow disk"
				}
				_, err = f.msg.CancelLease(f.ctx, &types.MsgCancelLease{Tenant: l.Tenant, LeaseId: id, Reason: reason, Report: report})
			}
		case 9:
			action = "provider-close"
			id := pick()
			l, gerr := f.k.GetLease(f.ctx, id)
			if gerr == nil {
				_, err = f.msg.CloseLease(f.ctx, &types.MsgCloseLease{Signer: l.Provider, LeaseId: id})
			}
		case 10:
			action = "time"
			f.advance(1 + r.Int63n(400))
			// The operators notice their suspended nodes and bring them back.
			for _, node := range []uint64{1, 2} {
				if f.prov.nodes[node].Suspended {
					f.resume(node)
					counts["node-resumed"]++
				}
			}
		}
		if err == nil {
			counts[action]++
		} else {
			counts[action+"-refused"]++
		}
		if step%4 == 0 {
			checkEarningsBound(t, f, leases, step)
		}
		f.advance(1)
		require.Equal(t, total, sumAll(), "step %d (%s): coins created or destroyed", step, action)
	}
	// Let everything run out and close: the books must still balance and every escrowed unit
	// must be with a tenant's account or paid out.
	for i := 0; i < 200; i++ {
		f.advance(500)
	}
	require.Equal(t, total, sumAll())
	open := 0
	for _, id := range leases {
		if types.IsLive(f.lease(id).State) {
			open++
		}
	}
	t.Logf("seed %d: %d leases, %d still open at the end; actions %v", seed, len(leases), open, counts)
	require.Greater(t, counts["book"], 10, "the scenario must exercise bookings")
	require.Greater(t, counts["claim"]+counts["claim-provider"], 5)
	require.Greater(t, counts["deployed"], 10)
	// Deploy timeouts slash once per incident, however many leases timed out in it.
	for _, node := range []uint64{1, 2} {
		require.Equal(t, f.prov.incidents[node], f.prov.slashes[node], "node %d: one slash per incident", node)
	}
}

// checkEarningsBound checks that ProviderEarnings never promises more than claiming every live
// lease of the provider would pay its beneficiary now (what the lease query says each pays,
// less the community fee), and that it counts every lease.
func checkEarningsBound(t *testing.T, f *fixture, leases []uint64, step int) {
	t.Helper()
	for _, prov := range []string{addr("prov"), addr("prov2")} {
		e, err := f.k.ProviderEarnings(f.ctx, prov, "uusdc")
		require.NoError(t, err)
		paid := sdkmath.ZeroInt()
		var live uint64
		for _, id := range leases {
			res, err := f.q.Lease(f.ctx, &types.QueryLeaseRequest{Id: id})
			if err != nil || res.Lease.Provider != prov || !types.IsLive(res.Lease.State) {
				continue
			}
			live++
			gross := res.Payable.Amount
			paid = paid.Add(gross.Sub(types.CommunityFee(gross, f.params.CommunityFeeBps)))
		}
		require.Equal(t, live, e.LiveLeases, "step %d: %s live leases", step, prov)
		require.True(t, e.Net.LTE(paid), "step %d: %s earnings %s above what a claim pays (%s)", step, prov, e.Net, paid)
	}
}
