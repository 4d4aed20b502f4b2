package integration

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// action is one step a scenario may take: a message built from the current state, and the
// event it must emit when it succeeds (nil: none required, e.g. a claim with nothing due).
type action struct {
	name   string
	weight int
	build  func(w *world, r *rand.Rand, pg providertypes.GenesisState, mg markettypes.GenesisState) (sdk.Msg, proto.Message)
}

func pick[T any](r *rand.Rand, xs []T) (T, bool) {
	var zero T
	if len(xs) == 0 {
		return zero, false
	}
	return xs[r.IntN(len(xs))], true
}

func leasesWhere(mg markettypes.GenesisState, ok func(markettypes.Lease) bool) []markettypes.Lease {
	var out []markettypes.Lease
	for _, l := range mg.Leases {
		if ok(l) {
			out = append(out, l)
		}
	}
	return out
}

func hash32(r *rand.Rand) []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

var actions = []action{
	{"book", 8, func(w *world, r *rand.Rand, pg providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		o, ok := pick(r, pg.Offers)
		if !ok {
			return nil, nil
		}
		t, _ := pick(r, w.tenants)
		return &markettypes.MsgBook{Tenant: t.String(), OfferId: o.Id, Units: 1 + r.Uint64N(3),
			DeploymentHash: hash32(r), DeploymentData: `{"image":"demo"}`}, &markettypes.EventLeaseCreated{}
	}},
	{"report", 2, func(w *world, r *rand.Rand, _ providertypes.GenesisState, mg markettypes.GenesisState) (sdk.Msg, proto.Message) {
		l, ok := pick(r, leasesWhere(mg, func(l markettypes.Lease) bool { return l.State == markettypes.LEASE_STATE_PENDING }))
		if !ok {
			return nil, nil
		}
		res := markettypes.DEPLOYMENT_RESULT_DEPLOYED
		if r.IntN(6) == 0 {
			res = markettypes.DEPLOYMENT_RESULT_FAILED
		}
		signer := w.nodeAccounts[l.NodeId]
		if r.IntN(10) == 0 { // another node's key: refused
			signer = w.nodeAccounts[w.nodeIDs[r.IntN(len(w.nodeIDs))]]
		}
		return &markettypes.MsgReportDeployment{NodeAccount: signer, LeaseId: l.Id, Result: res, Info: "workload-1"},
			&markettypes.EventLeaseStateChanged{}
	}},
	{"cancel", 1, func(w *world, r *rand.Rand, _ providertypes.GenesisState, mg markettypes.GenesisState) (sdk.Msg, proto.Message) {
		l, ok := pick(r, leasesWhere(mg, func(l markettypes.Lease) bool { return markettypes.IsLive(l.State) }))
		if !ok {
			return nil, nil
		}
		m := &markettypes.MsgCancelLease{Tenant: l.Tenant, LeaseId: l.Id, Reason: markettypes.ReasonTenantDone}
		if r.IntN(3) == 0 {
			m.Reason, m.Report = markettypes.ReasonProviderMisbehaviour, "the node answered nothing"
		}
		return m, &markettypes.EventLeaseStateChanged{}
	}},
	{"provider-close", 1, func(w *world, r *rand.Rand, _ providertypes.GenesisState, mg markettypes.GenesisState) (sdk.Msg, proto.Message) {
		l, ok := pick(r, leasesWhere(mg, func(l markettypes.Lease) bool { return l.State == markettypes.LEASE_STATE_ACTIVE }))
		if !ok {
			return nil, nil
		}
		return &markettypes.MsgCloseLease{Signer: l.Provider, LeaseId: l.Id}, &markettypes.EventLeaseStateChanged{}
	}},
	{"gov-close", 1, func(w *world, r *rand.Rand, _ providertypes.GenesisState, mg markettypes.GenesisState) (sdk.Msg, proto.Message) {
		l, ok := pick(r, leasesWhere(mg, func(l markettypes.Lease) bool { return markettypes.IsLive(l.State) }))
		if !ok {
			return nil, nil
		}
		return &markettypes.MsgGovCloseLease{Authority: w.gov, LeaseId: l.Id, Note: "ruling 7"}, &markettypes.EventLeaseStateChanged{}
	}},
	{"update-deployment", 1, func(w *world, r *rand.Rand, _ providertypes.GenesisState, mg markettypes.GenesisState) (sdk.Msg, proto.Message) {
		l, ok := pick(r, leasesWhere(mg, func(l markettypes.Lease) bool { return l.State == markettypes.LEASE_STATE_ACTIVE }))
		if !ok {
			return nil, nil
		}
		return &markettypes.MsgUpdateDeployment{Tenant: l.Tenant, LeaseId: l.Id, DeploymentHash: hash32(r), DeploymentData: `{"image":"demo:2"}`},
			&markettypes.EventDeploymentUpdated{}
	}},
	{"claim", 3, func(w *world, r *rand.Rand, _ providertypes.GenesisState, mg markettypes.GenesisState) (sdk.Msg, proto.Message) {
		l, ok := pick(r, mg.Leases)
		if !ok {
			return nil, nil
		}
		t, _ := pick(r, w.tenants)
		return &markettypes.MsgClaim{Sender: t.String(), LeaseId: l.Id}, nil
	}},
	{"claim-provider", 2, func(w *world, r *rand.Rand, _ providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		p, _ := pick(r, w.providers)
		return &markettypes.MsgClaimProvider{Sender: p.String(), Provider: p.String(), Limit: uint32(1 + r.IntN(4))}, nil
	}},
	{"deposit", 3, func(w *world, r *rand.Rand, _ providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		i := r.IntN(len(w.tenants))
		amount := 1 + r.Int64N(tenantFunds[tenantNames[i]]/8)
		return &markettypes.MsgDeposit{Tenant: w.tenants[i].String(), Amount: sdk.NewInt64Coin(usdc, amount)}, &markettypes.EventDeposit{}
	}},
	{"withdraw", 2, func(w *world, r *rand.Rand, _ providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		i := r.IntN(len(w.tenants))
		amount := 1 + r.Int64N(tenantFunds[tenantNames[i]]/4)
		return &markettypes.MsgWithdraw{Tenant: w.tenants[i].String(), Amount: sdk.NewInt64Coin(usdc, amount)}, &markettypes.EventWithdraw{}
	}},
	{"heartbeat", 1, func(w *world, r *rand.Rand, _ providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		id := w.nodeIDs[r.IntN(len(w.nodeIDs))]
		return &providertypes.MsgHeartbeat{NodeAccount: w.nodeAccounts[id], NodeId: id}, &providertypes.EventHeartbeat{}
	}},
	{"update-offer", 2, func(w *world, r *rand.Rand, pg providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		o, ok := pick(r, pg.Offers)
		if !ok {
			return nil, nil
		}
		price := o.Price.Amount.MulInt64(int64(8 + r.IntN(5))).QuoInt64(10) // −20 % … +20 %
		return &providertypes.MsgUpdateOffer{Signer: o.Provider, OfferId: o.Id, Price: sdk.NewDecCoinFromDec(o.Price.Denom, price),
			UnitsTotal: o.UnitsBooked + 1 + uint64(r.IntN(4)), Active: r.IntN(8) != 0}, &providertypes.EventOfferUpdated{}
	}},
	{"add-offer", 1, func(w *world, r *rand.Rand, pg providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		n, ok := pick(r, pg.Nodes)
		if !ok {
			return nil, nil
		}
		return &providertypes.MsgAddOffer{Signer: n.Provider, NodeId: n.Id, Kind: providertypes.OFFER_KIND_VOLUME, Resources: volumeUnit(),
			Price: sdk.NewDecCoinFromDec(usdc, dec("0.05")), Units: 1 + r.Uint64N(2)}, &providertypes.EventOfferAdded{}
	}},
	{"remove-offer", 1, func(w *world, r *rand.Rand, pg providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		o, ok := pick(r, pg.Offers)
		if !ok {
			return nil, nil
		}
		return &providertypes.MsgRemoveOffer{Signer: o.Provider, OfferId: o.Id}, &providertypes.EventOfferRemoved{}
	}},
	{"deposit-bond", 1, func(w *world, r *rand.Rand, pg providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		n, ok := pick(r, pg.Nodes)
		if !ok {
			return nil, nil
		}
		return &providertypes.MsgDepositBond{Sender: n.Provider, NodeId: n.Id, Amount: sdk.NewInt64Coin(gld, 500_000)},
			&providertypes.EventBondChanged{}
	}},
	{"withdraw-bond", 1, func(w *world, r *rand.Rand, pg providertypes.GenesisState, _ markettypes.GenesisState) (sdk.Msg, proto.Message) {
		n, ok := pick(r, pg.Nodes)
		if !ok {
			return nil, nil
		}
		return &providertypes.MsgWithdrawBond{Owner: n.Provider, NodeId: n.Id, Amount: sdk.NewInt64Coin(gld, 300_000)},
			&providertypes.EventBondChanged{}
	}},
}

// stats counts what a scenario did, so that a test can require that it covered the ground.
type stats struct {
	ok, refused map[string]int
	why         map[string]int                 // refusals by action and root error
	states      map[markettypes.LeaseState]int // leases seen in each state at the end of a block
	reasons     map[uint32]int                 // close reasons of the closed leases at the end
}

// step picks one random action and runs it.
func (w *world) step(r *rand.Rand, ctx *sdk.Context, st *stats) {
	total := 0
	for _, a := range actions {
		total += a.weight
	}
	n := r.IntN(total)
	var a action
	for _, a = range actions {
		if n < a.weight {
			break
		}
		n -= a.weight
	}
	pg, mg := w.c.genesis(*ctx)
	if msg, event := a.build(w, r, pg, mg); msg != nil {
		w.run(ctx, a.name, msg, event, st)
	}
}

// daemons does what the node agents do in a block: most nodes send a heartbeat, and each
// pending lease is reported by its node with probability ½ (so that some deployments time
// out), DEPLOYED five times in six.
func (w *world) daemons(r *rand.Rand, ctx *sdk.Context, st *stats) {
	for _, id := range w.nodeIDs {
		// Heartbeats are delivered without the per-step checks (the block's invariants still
		// run): they are most of the steps and touch one field.
		if r.IntN(4) != 0 {
			_, err := w.c.deliver(*ctx, &providertypes.MsgHeartbeat{NodeAccount: w.nodeAccounts[id], NodeId: id})
			require.NoError(w.c.t, err)
		}
	}
	_, mg := w.c.genesis(*ctx)
	for _, l := range leasesWhere(mg, func(l markettypes.Lease) bool { return l.State == markettypes.LEASE_STATE_PENDING }) {
		if r.IntN(2) != 0 {
			continue
		}
		res := markettypes.DEPLOYMENT_RESULT_DEPLOYED
		if r.IntN(6) == 0 {
			res = markettypes.DEPLOYMENT_RESULT_FAILED
		}
		w.run(ctx, "report", &markettypes.MsgReportDeployment{NodeAccount: w.nodeAccounts[l.NodeId], LeaseId: l.Id, Result: res, Info: "workload"},
			&markettypes.EventLeaseStateChanged{}, st)
	}
}

// run delivers msg on a scratch copy of the state to learn its outcome, then for real through
// kittest: on success the invariants must hold and event (when not nil) must be among those
// emitted; on failure the same error must come back and nothing may change (provider, market
// and bank state; no event).
func (w *world) run(ctx *sdk.Context, name string, msg sdk.Msg, event proto.Message, st *stats) {
	c := w.c
	scratch, _ := ctx.CacheContext()
	_, trial := c.deliver(scratch.WithEventManager(sdk.NewEventManager()), msg)
	check := c.checker(ctx)
	do := func(ctx sdk.Context) error { _, err := c.deliver(ctx, msg); return err }
	if trial != nil {
		st.refused[name]++
		st.why[name+": "+rootCause(trial).Error()]++
		check.Fails(rootCause(trial), do)
		return
	}
	st.ok[name]++
	if event != nil {
		check.OK(do, event)
	} else {
		check.OK(do)
	}
}

// runScenario builds a world and runs blocks of random steps; after each block it checks the
// invariants on the committed state. Between blocks time moves 1–90 s, sometimes 10–40 min, so
// that accounts run dry, grace periods end, deployments time out and notices elapse.
func runScenario(t testing.TB, seed uint64, blocks int) (*world, stats) {
	t.Helper()
	w := newWorld(t)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	st := stats{ok: map[string]int{}, refused: map[string]int{}, why: map[string]int{}, states: map[markettypes.LeaseState]int{}, reasons: map[uint32]int{}}
	for b := 0; b < blocks; b++ {
		d := time.Duration(1+r.IntN(90)) * time.Second
		if r.IntN(12) == 0 {
			d = time.Duration(600+r.IntN(1800)) * time.Second
		}
		ctx := w.c.ctxAt(w.c.now.Add(d))
		w.daemons(r, &ctx, &st)
		for range 1 + r.IntN(3) {
			w.step(r, &ctx, &st)
		}
		w.c.block(d)
		require.NoError(t, w.c.invariants(w.c.committedCtx()), "after block %d", w.c.height)
	}
	_, mg := w.c.genesis(w.c.committedCtx())
	for _, l := range mg.Leases {
		st.states[l.State]++
		if l.State == markettypes.LEASE_STATE_CLOSED {
			st.reasons[l.CloseReason]++
		}
	}
	return w, st
}

// TestCrossModuleScenario runs the randomized scenario for a few seeds and requires that it
// reached the interesting places: leases deployed, failed, timed out, out of funds, closed by
// tenants, providers and governance, refused messages, claims.
func TestCrossModuleScenario(t *testing.T) {
	seen := map[uint32]int{}
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			_, st := runScenario(t, seed, 120)
			t.Logf("ok %v", st.ok)
			t.Logf("refused %v", st.refused)
			t.Logf("refusals %v", st.why)
			t.Logf("lease states at the end %v, close reasons %v", st.states, st.reasons)
			require.Positive(t, st.ok["book"])
			require.Positive(t, st.ok["report"])
			require.Positive(t, st.refused["report"]+st.refused["withdraw"]+st.refused["book"], "some steps were refused")
			for reason, n := range st.reasons {
				seen[reason] += n
			}
		})
	}
	t.Logf("close reasons over all seeds: %v", seen)
	for _, reason := range []uint32{markettypes.ReasonTenantDone, markettypes.ReasonDeployFailed,
		markettypes.ReasonGovernance, markettypes.ReasonProviderNotice} {
		require.Positive(t, seen[reason], "no lease closed with reason %d", reason)
	}
}
