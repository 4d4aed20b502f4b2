package keeper_test

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	dbm "github.com/cosmos/cosmos-db"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/credit/types"
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

// benchOpen are the databases of the fixture in use; a new fixture closes and removes the
// previous one's, so no other size's store or garbage is alive while a size is measured.
// benchCur keeps the fixture of one case (agents=10, agents=100000, unrelated=100000) for every
// benchmark of the run that uses it (b.Run calls a body more than once): bench/credit.sh runs
// BenchmarkBorrow then BenchmarkRateChange on the same fixture, one case per process.
var (
	benchOpen []benchStore
	benchCur  struct {
		name string
		f    *fixture
		id   uint64
	}
)

func benchCached(b *testing.B, name string, build func() (*fixture, uint64)) (*fixture, uint64) {
	if benchCur.name == name {
		return benchCur.f, benchCur.id
	}
	benchCur.f = nil
	for _, s := range benchOpen {
		_ = s.db.Close()
		_ = os.RemoveAll(s.dir)
	}
	benchOpen = nil
	runtime.GC()
	f, id := build()
	// Writing 200,000 keys leaves goleveldb compacting in background goroutines for seconds:
	// finish that before the timed loop, so the large size does not share its CPU time with
	// the setup's write-back.
	require.NoError(b, benchOpen[len(benchOpen)-1].db.(*dbm.GoLevelDB).ForceCompact(nil, nil))
	runtime.GC()
	benchCur.name, benchCur.f, benchCur.id = name, f, id
	return f, id
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

// blockMeter runs each op as one block does: a block context (a cache of the committed state,
// with its own gas meter) in which the op runs — the timed part, also measured in process CPU
// time and in gas — then, untimed, the block's write into the stores and their commit, as a
// chain commits every block. The commit's hashing of the changed keys' paths is the IAVL
// tree's cost, whatever module wrote them (the unrelated=100000 case shows what the tree's size
// alone costs); what is timed is what the keeper does.
type blockMeter struct {
	b   *testing.B
	f   *fixture
	cpu time.Duration
	thr time.Duration
	gas uint64
}

func startBlocks(b *testing.B, f *fixture) *blockMeter {
	runtime.GC()
	runtime.LockOSThread() // so that the thread's CPU time is the op's; report unlocks
	b.ResetTimer()
	return &blockMeter{b: b, f: f}
}

// block advances one block, runs op timed in its cache context, then writes and commits.
func (m *blockMeter) block(op func(ctx sdk.Context) error) {
	m.b.StopTimer()
	m.f.advance(6, 1)
	ctx, write := m.f.ctx.CacheContext()
	ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
	m.b.StartTimer()
	start, tstart := cpuTime(), threadTime()
	err := op(ctx)
	m.thr += threadTime() - tstart
	m.cpu += cpuTime() - start
	m.b.StopTimer()
	if err != nil {
		m.b.Fatal(err)
	}
	m.gas += ctx.GasMeter().GasConsumed()
	write()
	m.f.cms.Commit()
	m.b.StartTimer()
}

func (m *blockMeter) report() {
	m.b.ReportMetric(float64(m.cpu)/float64(m.b.N), "cpu-ns/op")
	m.b.ReportMetric(float64(m.gas)/float64(m.b.N), "gas/op")
	m.b.ReportMetric(float64(m.thr)/float64(m.b.N), "thread-ns/op")
	runtime.UnlockOSThread()
}

// threadTime is the CPU time of the calling OS thread (Linux RUSAGE_THREAD; the benchmark
// goroutine is locked to it): the op's own work, including the garbage collection assists its
// allocations pay, without goleveldb's compaction goroutines or the collector's background
// workers that the process figure also counts. Zero where RUSAGE_THREAD is not supported.
func threadTime() time.Duration {
	const rusageThread = 1
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkBorrow is one credentialed borrow (1 ugld, one block each) with 10 and 100,000 other
// agents in debt: the cost must not depend on how many agents there are.
func BenchmarkBorrow(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		name := fmt.Sprintf("agents=%d", n)
		b.Run(name, func(b *testing.B) {
			f, id := benchCached(b, name, func() (*fixture, uint64) { return benchFixture(b, n) })
			owner := addr("owner")
			m := startBlocks(b, f)
			for range b.N {
				b.StopTimer()
				sc := f.cred(id, types.ActionBorrow, "1ugld", "", f.chainSeen(id, 1))
				b.StartTimer()
				m.block(func(ctx sdk.Context) error {
					_, err := f.k.Borrow(ctx, owner, id, ugld(1), sc)
					return err
				})
			}
			m.report()
		})
	}
}

// BenchmarkRateChange is a parameter change that re-rates the pool (one block each), with 10 and
// 100,000 agents in debt: O(pools), never a loop over agents. unrelated=100000 is the same
// store size made of keys nothing reads: whatever it costs over agents=10 is the tree's depth,
// not the agents.
func BenchmarkRateChange(b *testing.B) {
	for _, c := range []struct {
		name  string
		setup func(*testing.B, int) (*fixture, uint64)
		n     int
	}{{"agents=10", benchFixture, 10}, {"agents=100000", benchFixture, 100_000}, {"unrelated=100000", unrelatedFixture, 100_000}} {
		b.Run(c.name, func(b *testing.B) {
			f, _ := benchCached(b, c.name, func() (*fixture, uint64) { return c.setup(b, c.n) })
			p := types.DefaultParams()
			p.TrustedIssuers = [][]byte{f.issuer.Public().(ed25519.PublicKey)}
			m := startBlocks(b, f)
			for i := range b.N {
				p.BaseRate = sdkmath.LegacyNewDecWithPrec(int64(1+i%50), 2)
				m.block(func(ctx sdk.Context) error { return f.k.UpdateParams(ctx, f.gov, p) })
			}
			m.report()
		})
	}
}
