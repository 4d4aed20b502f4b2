package keeper_test

import (
	"crypto/ed25519"
	"encoding/binary"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	dbm "github.com/cosmos/cosmos-db"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/benchkit"
	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit/kittest"
)

// benchDB opens a fresh on-disk database for one benchmark fixture, as a node keeps its state:
// an in-memory database of 200,000 keys would sit in the Go heap, and every collection of the
// garbage collector would walk it, which is a cost of the test database, not of x/credit.
func benchDB(b *testing.B) dbm.DB {
	dir, err := os.MkdirTemp("", "credit-bench-")
	require.NoError(b, err)
	db, err := dbm.NewGoLevelDB("credit", dir, nil)
	require.NoError(b, err)
	benchOpen = append(benchOpen, benchStore{db, dir})
	return db
}

type benchStore struct {
	db  dbm.DB
	dir string
}

// benchOpen are the benchmark fixtures' databases, each in its own temporary directory;
// TestMain closes and removes them when the run ends.
var benchOpen []benchStore

func TestMain(m *testing.M) {
	code := m.Run()
	benchCleanup()
	os.Exit(code)
}

// benchCleanup closes and removes every benchmark database.
func benchCleanup() {
	for _, s := range benchOpen {
		_ = s.db.Close()
		_ = os.RemoveAll(s.dir)
	}
	benchOpen = nil
}

// compact finishes goleveldb's background compaction of the fixture just written (200,000 keys
// leave it compacting for seconds), so the measured ops do not share the machine with the
// setup's write-back.
func compact(b *testing.B) {
	require.NoError(b, benchOpen[len(benchOpen)-1].db.(*dbm.GoLevelDB).ForceCompact(nil, nil))
}

// benchFixtures are the three fixtures of the benchmarks, alive together in one process and
// measured interleaved (benchkit.Compare): agents=10, agents=100000 and unrelated=100000 (the
// store size of 100,000 agents made of keys nothing reads). Built once per process.
// CREDIT_BENCH_LARGE replaces 100,000 (the case names stay), for quick checks.
var benchFixtures []benchCase

type benchCase struct {
	name string
	f    *fixture
	id   uint64 // the borrower
}

func fixtures(b *testing.B) []benchCase {
	if benchFixtures != nil {
		return benchFixtures
	}
	n := 100_000
	if v := os.Getenv("CREDIT_BENCH_LARGE"); v != "" { // a smaller large side, for quick checks
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(b, err)
	}
	small, id1 := benchFixture(b, 10)
	compact(b)
	large, id2 := benchFixture(b, n)
	compact(b)
	unrelated, id3 := unrelatedFixture(b, n)
	compact(b)
	runtime.GC()
	benchFixtures = []benchCase{{"agents10", small, id1}, {"agents100000", large, id2}, {"unrelated100000", unrelated, id3}}
	return benchFixtures
}

// benchFixture is a fixture whose genesis holds n agents, each owing 100 ugld, and agent
// n+1 (the borrower) holding the "provider" provider, committed.
func benchFixture(b *testing.B, n int) (*fixture, uint64) {
	f := newFixtureDB(b, benchDB(b))
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
	f.cms.Commit()
	return f, id
}

// unrelatedFixture is a fixture whose x/credit store holds n raw keys under a prefix no
// collection uses (so no operation reads them) besides agent 1 with the "provider" provider
// and a funded pool: the same tree size as n agents, none of them in debt. Comparing it with
// benchFixture separates the IAVL tree's depth from any cost of the agents themselves.
func unrelatedFixture(b *testing.B, n int) (*fixture, uint64) {
	f := newFixtureDB(b, benchDB(b))
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

// blockCase is one fixture's block for benchkit.Compare: before (untimed: what the op needs
// that is not the keeper's work, e.g. the ADO's credential), the next block's cache context (a
// cache of the committed state, with its own gas meter), op measured in it, then the block
// written and committed, as a chain commits every block. The commit's hashing of the changed
// keys' paths is the IAVL tree's cost, whatever module wrote them; what is measured is what
// the keeper does.
func blockCase(b *testing.B, c benchCase, before func(), op func(ctx sdk.Context) error) benchkit.Case {
	return benchkit.Case{Name: c.name, Block: func(o *benchkit.Ops) uint64 {
		before()
		c.f.advance(6, 1)
		return kittest.MeasuredBlock(b, c.f.ctx, c.f.cms, o.Measure, op)
	}}
}

// BenchmarkBorrow is one credentialed borrow (1 ugld, one block each) with 10 and 100,000
// other agents in debt, and beside 100,000 unrelated keys, interleaved: the cost must not
// depend on how many agents there are (bench/credit.sh prints the ratios).
func BenchmarkBorrow(b *testing.B) {
	var cases []benchkit.Case
	for _, c := range fixtures(b) {
		owner := addr("owner")
		var sc types.SignedCredential
		cases = append(cases, blockCase(b, c,
			func() { sc = c.f.cred(c.id, types.ActionBorrow, "1ugld", "", c.f.chainSeen(c.id, 1)) },
			func(ctx sdk.Context) error {
				_, err := c.f.k.Borrow(ctx, owner, c.id, ugld(1), sc)
				return err
			}))
	}
	benchkit.Compare(b, cases)
}

// BenchmarkRateChange is a parameter change that re-rates the pool (one block each) with 10 and
// 100,000 agents in debt, and beside 100,000 unrelated keys, interleaved: O(pools), never a
// loop over agents.
func BenchmarkRateChange(b *testing.B) {
	var cases []benchkit.Case
	for _, c := range fixtures(b) {
		p := types.DefaultParams()
		p.TrustedIssuers = [][]byte{c.f.issuer.Public().(ed25519.PublicKey)}
		i := 0
		cases = append(cases, blockCase(b, c,
			func() { i++; p.BaseRate = sdkmath.LegacyNewDecWithPrec(int64(1+i%50), 2) },
			func(ctx sdk.Context) error { return c.f.k.UpdateParams(ctx, c.f.gov, p) }))
	}
	benchkit.Compare(b, cases)
}
