package keeper_test

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/credit/types"
)

// benchFixture is a fixture whose genesis holds n agents, each owing 100 ugld, and agent
// n+1 (the borrower) holding the "provider" provider.
func benchFixture(b *testing.B, n int) (*fixture, uint64) {
	f := newFixture(b)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(90_000_000))
	require.NoError(b, err)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(b, err)
	pub := f.req.Public().(ed25519.PublicKey)
	owner := addr("owner")
	for id := uint64(1); id <= uint64(n); id++ {
		gs.Agents = append(gs.Agents, types.Agent{Id: id, Address: types.AgentAddress(id).String(), Owner: owner, Operator: owner,
			RequesterKey: pub, State: types.AGENT_STATE_HEALTHY})
		gs.Loans = append(gs.Loans, types.Loan{AgentId: id, Denom: "ugld", Principal: sdkmath.NewInt(100), Scaled: sdkmath.LegacyNewDec(100)})
	}
	p := &gs.Pools[0]
	total := int64(n) * 100
	p.TotalPrincipal = p.TotalPrincipal.AddRaw(total)
	p.TotalScaled = p.TotalScaled.Add(sdkmath.LegacyNewDec(total))
	p.Borrowed = p.Borrowed.AddRaw(total)
	p.Liquid = p.Liquid.SubRaw(total)
	gs.NextAgentId = uint64(n) + 1
	require.NoError(b, f.k.InitGenesis(f.ctx, gs))
	require.NoError(b, f.bank.SendCoinsFromModuleToAccount(f.ctx, types.ModuleName, addrAcc("elsewhere"), coins(total)))
	id, _ := f.agentWithProvider(10_000_000)
	require.Equal(b, uint64(n)+1, id)
	require.NoError(b, f.k.CheckInvariants(f.ctx))
	// Commit, as a chain does every block: an IAVL tree with 100,000 unsaved writes would make
	// every iterator sort them, which no real block sees.
	f.cms.Commit()
	return f, id
}

// unrelatedFixture is a fixture whose x/credit store holds n raw keys under a prefix no
// collection uses (so no operation reads them) besides agent 1 with the "provider" provider
// and a funded pool: the same tree size as n agents, none of them in debt. Comparing it with
// benchFixture separates the IAVL tree's depth from any cost of the agents themselves.
func unrelatedFixture(b *testing.B, n int) (*fixture, uint64) {
	f := newFixture(b)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(90_000_000))
	require.NoError(b, err)
	store := f.ctx.KVStore(f.key)
	val := make([]byte, 120) // about an agent's or a loan's encoded size
	for i := range 2 * n {   // as many keys as n agents and their n loans
		store.Set(binary.BigEndian.AppendUint64([]byte{0xF0}, uint64(i)), val)
		if i%20_000 == 19_999 {
			f.cms.Commit()
		}
	}
	id, _ := f.agentWithProvider(10_000_000)
	require.NoError(b, f.k.CheckInvariants(f.ctx))
	f.cms.Commit()
	return f, id
}

// BenchmarkBorrow is one credentialed borrow with 10 and 100,000 other agents in debt: the
// cost must not depend on how many agents there are.
func BenchmarkBorrow(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("agents=%d", n), func(b *testing.B) {
			f, id := benchFixture(b, n)
			owner := addr("owner")
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				sc := f.cred(id, types.ActionBorrow, "1ugld", "", f.chainSeen(id, 1))
				b.StartTimer()
				if _, err := f.k.Borrow(f.ctx, owner, id, ugld(1), sc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRateChange is a parameter change that re-rates the pool, with 10 and 100,000 agents
// in debt: O(pools), never a loop over agents. unrelated=100000 is the same store size made of
// keys nothing reads: whatever it costs over agents=10 is the tree's depth, not the agents.
func BenchmarkRateChange(b *testing.B) {
	for _, c := range []struct {
		name  string
		setup func(*testing.B, int) (*fixture, uint64)
		n     int
	}{{"agents=10", benchFixture, 10}, {"agents=100000", benchFixture, 100_000}, {"unrelated=100000", unrelatedFixture, 100_000}} {
		b.Run(c.name, func(b *testing.B) {
			f, _ := c.setup(b, c.n)
			p := types.DefaultParams()
			p.TrustedIssuers = [][]byte{f.issuer.Public().(ed25519.PublicKey)}
			b.ResetTimer()
			for i := range b.N {
				p.BaseRate = sdkmath.LegacyNewDecWithPrec(int64(1+i%50), 2)
				f.advance(60, 1)
				if err := f.k.UpdateParams(f.ctx, f.gov, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
