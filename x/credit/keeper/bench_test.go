package keeper_test

import (
	"crypto/ed25519"
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
// in debt: O(pools), never a loop over agents.
func BenchmarkRateChange(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("agents=%d", n), func(b *testing.B) {
			f, _ := benchFixture(b, n)
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
