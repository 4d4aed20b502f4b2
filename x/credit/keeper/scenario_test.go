package keeper_test

import (
	"crypto/ed25519"
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/credit/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// scenario drives lenders, agents, borrows, payments, rate changes, slashes, administration,
// defaults and time jumps at random, and checks the invariants after every step.
type scenario struct {
	f       *fixture
	rng     *rand.Rand
	agents  []uint64
	nodes   []uint64
	lenders []string
	steps   map[string]int
}

func newScenario(t testing.TB, seed int64, agents int) *scenario {
	f := newFixture(t)
	s := &scenario{f: f, rng: rand.New(rand.NewSource(seed)), lenders: []string{addr("lender"), addr("lender2")}, steps: map[string]int{}}
	for i := range agents {
		owner, prov := addr(fmt.Sprintf("owner-%d", i)), addr(fmt.Sprintf("prov-%d", i))
		f.fund(prov, sdk.NewCoins(ugld(50_000_000)))
		f.fund(owner, sdk.NewCoins(ugld(50_000_000)))
		id, agentAddr, err := f.k.CreateAgent(f.ctx, owner, "", f.req.Public().(ed25519.PublicKey))
		require.NoError(t, err)
		require.NoError(t, f.prov.RegisterProvider(f.ctx, prov, "p", "", nil))
		node, _, err := f.prov.AddNode(f.ctx, prov, prov, seedKey(fmt.Sprintf("node-%d", i)).Public().(ed25519.PublicKey),
			providertypes.Resources{CpuMilli: 1000, MemoryBytes: 1 << 30, StorageBytes: 1 << 30}, ugld(int64(1_000_000+s.rng.Intn(10_000_000))))
		require.NoError(t, err)
		require.NoError(t, f.prov.ProposeOwner(f.ctx, prov, prov, agentAddr))
		require.NoError(t, f.k.AddProvider(f.ctx, owner, id, prov))
		s.agents = append(s.agents, id)
		s.nodes = append(s.nodes, node)
	}
	return s
}

// expected are the refusals a random step may meet; anything else fails the scenario.
var expected = []error{types.ErrInsufficientLiquid, types.ErrZeroShares, types.ErrDTLExceeded, types.ErrMinLiquidity,
	types.ErrInvalidState, types.ErrNoEvidence, types.ErrNoDebt, types.ErrInvalidAmount, types.ErrInsufficientFunds,
	types.ErrCollateralTooHigh, types.ErrPoolNotFound}

func (s *scenario) step(t testing.TB) {
	f := s.f
	a := s.agents[s.rng.Intn(len(s.agents))]
	agent, err := f.k.GetAgent(f.ctx, a)
	require.NoError(t, err)
	var name string
	switch op := s.rng.Intn(11); op {
	case 10:
		name = "withdraw"
		liquid := f.balance(agent.Address, "ugld").Int64()
		if liquid == 0 {
			return
		}
		amount := 1 + s.rng.Int63n(liquid)
		sc := f.cred(a, types.ActionWithdraw, ugld(amount).String(), agent.Owner, f.chainSeen(a, -amount))
		err = f.k.Withdraw(f.ctx, agent.Owner, a, ugld(amount), agent.Owner, sc)
	case 0, 1:
		name = "deposit"
		l := s.lenders[s.rng.Intn(2)]
		bal := f.balance(l, "ugld").Int64()
		if bal < 2 {
			return
		}
		_, err = f.k.Deposit(f.ctx, l, ugld(1+s.rng.Int63n(min(bal-1, 20_000_000))))
	case 2:
		name = "redeem"
		l := s.lenders[s.rng.Intn(2)]
		bal := f.balance(l, "credit/ugld")
		if !bal.IsPositive() {
			return
		}
		_, err = f.k.Redeem(f.ctx, l, sdk.NewCoin("credit/ugld", bal.QuoRaw(int64(1+s.rng.Intn(4)))))
	case 3, 4:
		name = "borrow"
		amount := int64(1 + s.rng.Intn(5_000_000))
		seen := f.chainSeen(a, amount)
		sc := f.cred(a, types.ActionBorrow, ugld(amount).String(), "", seen-int64(s.rng.Intn(int(seen/2+1))))
		_, err = f.k.Borrow(f.ctx, agent.Owner, a, ugld(amount), sc)
	case 5:
		name = "pay"
		_, err = f.k.Pay(f.ctx, addr("payer"), a, ugld(int64(1+s.rng.Intn(3_000_000))), false)
	case 6:
		name = "rate change"
		p, _ := f.k.GetParams(f.ctx)
		p.BaseRate = sdkmath.LegacyNewDecWithPrec(int64(s.rng.Intn(100)), 2)
		p.Slope2 = sdkmath.LegacyNewDecWithPrec(int64(s.rng.Intn(300)), 2)
		err = f.k.UpdateParams(f.ctx, f.gov, p)
	case 7:
		name = "slash"
		_, err = f.prov.SlashBond(f.ctx, s.nodes[s.rng.Intn(len(s.nodes))], uint32(1+s.rng.Intn(10000)), "scenario")
	case 8:
		if s.rng.Intn(2) == 0 {
			name = "administration"
			err = f.k.PutOnAdministration(f.ctx, a, nil)
		} else {
			name = "default"
			_, err = f.k.SetDefault(f.ctx, a, nil)
		}
	case 9:
		name = "time jump"
		f.advance(int64(s.rng.Intn(30*24*3600)), int64(1+s.rng.Intn(20)))
		err = f.k.EndBlocker(f.ctx)
	}
	if err != nil {
		ok := false
		for _, e := range expected {
			ok = ok || errorsIs(err, e)
		}
		require.True(t, ok, "%s: unexpected error %v", name, err)
		name += " (refused)"
	}
	s.steps[name]++
	require.NoError(t, f.k.CheckInvariants(f.ctx), "after %s", name)
}

func TestRandomizedScenario(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			s := newScenario(t, seed, 4)
			for range 300 {
				s.step(t)
			}
			t.Logf("steps: %v", s.steps)
			require.Positive(t, s.steps["borrow"], "the scenario borrows")
			require.Positive(t, s.steps["pay"])
			require.Positive(t, s.steps["withdraw"])
		})
	}
}

// TestInvariantsCatchTheOverpaymentBug replays GLIF's audit finding 5.4 (the refunded part of an
// overpayment subtracted from the pool's totals) as a deliberate bug: CheckInvariants fails.
func TestInvariantsCatchTheOverpaymentBug(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(2_000_000)
	_, err = f.k.Borrow(f.ctx, addr("owner"), id, ugld(1_000_000), f.cred(id, types.ActionBorrow, "1000000ugld", "", f.chainSeen(id, 1_000_000)))
	require.NoError(t, err)
	_, err = f.k.Pay(f.ctx, addr("payer"), id, ugld(600_000), false)
	require.NoError(t, err)
	require.NoError(t, f.k.CheckInvariants(f.ctx))
	pool, err := f.k.GetPool(f.ctx, "ugld")
	require.NoError(t, err)
	pool.TotalPrincipal = pool.TotalPrincipal.SubRaw(100) // "the refund came off the totals"
	require.NoError(t, f.k.SetPoolForTest(f.ctx, pool))
	require.ErrorContains(t, f.k.CheckInvariants(f.ctx), "total_principal")
}
