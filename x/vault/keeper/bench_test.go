package keeper_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	dbm "github.com/cosmos/cosmos-db"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

// benchVault builds, through genesis, one vault in custody with n positions of equal shares
// spread over 100 owners, commits the stores (as a chain would between blocks) and returns the
// fixture with a block context on top of the committed state. Only one size's fixture is alive
// at a time: building one closes and deletes the other's database and drops its fixture, so the
// size measured never shares the heap (and its garbage collections) with the other's.
func benchVault(b *testing.B, n int) (*fixture, types.Vault) {
	if c, ok := benchCache[n]; ok { // b.Run calls the body more than once: build each size once
		return c.f, c.v
	}
	for size, c := range benchCache { // at most one entry
		_ = c.f.db.Close()
		_ = os.RemoveAll(c.dir)
		delete(benchCache, size)
	}
	runtime.GC()
	// On disk, as a node keeps it: an in-memory database of 100,000 positions would sit in the
	// Go heap and make every allocation's garbage collection, not the vault, what is measured.
	dir, err := os.MkdirTemp(benchDir(b), "size-")
	require.NoError(b, err)
	db, err := dbm.NewGoLevelDB(fmt.Sprintf("vault-bench-%d", n), dir, nil)
	require.NoError(b, err)
	f := setupDB(b, db)
	v := f.vault(defaultTerms())
	g, err := f.k.ExportGenesis(f.ctx)
	require.NoError(b, err)
	shares, dep := sdkmath.NewInt(1_000_000_000), sdkmath.NewInt(1_000_000)
	entries := map[string]*nft.Entry{}
	var owners []string
	for i := 1; i <= n; i++ {
		id := g.NextPositionId
		g.NextPositionId++
		p := types.Position{Id: id, VaultId: v.Id, Shares: shares, Deposited: dep, CreatedAt: startTime, UnlockAt: startTime}
		for _, d := range []string{"ugld", "uusdc"} {
			cp := p.Checkpoint(d)
			cp.Checkpoint = sdkmath.ZeroInt()
		}
		g.Positions = append(g.Positions, p)
		o := investor(i % 100)
		if entries[o] == nil {
			entries[o] = &nft.Entry{Owner: o}
			owners = append(owners, o)
		}
		entries[o].Nfts = append(entries[o].Nfts, &nft.NFT{ClassId: types.ClassID(v.Id), Id: types.TokenID(id)})
	}
	g.Vaults[0].TotalShares = shares.MulRaw(int64(n))
	g.Vaults[0].Liquid = dep.MulRaw(int64(n))
	g.Vaults[0].Positions = uint64(n)
	require.NoError(b, f.k.InitGenesis(f.ctx, g))
	ng := &nft.GenesisState{}
	for _, o := range owners {
		ng.Entries = append(ng.Entries, entries[o])
	}
	f.nft.InitGenesis(f.ctx, ng)
	f.bank.mint(v.Account, sdk.NewCoins(sdk.NewCoin("ugld", dep.MulRaw(int64(n)))))
	f.commit()
	// Writing 100,000 positions leaves goleveldb compacting in background goroutines for
	// seconds after the commit: without this, the large size's timed loop shares the process
	// (and its CPU time) with the setup's write-back, not with anything a harvest does.
	require.NoError(b, db.ForceCompact(nil, nil))
	runtime.GC()
	benchCache[n] = benchFixture{f, f.getVault(v.Id), dir}
	return f, f.getVault(v.Id)
}

type benchFixture struct {
	f   *fixture
	v   types.Vault
	dir string
}

// benchCache keeps the current size's fixture for every benchmark of the run that uses it
// (building 100,000 positions takes a while); TestMain removes benchTmp at the end.
var (
	benchCache = map[int]benchFixture{}
	benchTmp   string
)

func benchDir(b *testing.B) string {
	if benchTmp == "" {
		dir, err := os.MkdirTemp("", "vault-bench-")
		require.NoError(b, err)
		benchTmp = dir
	}
	return benchTmp
}

// BenchmarkHarvest: one harvest (income in uusdc, fees, accumulator) per op and per block, with
// 10 and with 100,000 positions in the vault. O(1): the two must cost the same (bench/vault.sh
// compares).
func BenchmarkHarvest(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("positions=%d", n), func(b *testing.B) {
			f, v := benchVault(b, n)
			m := startMeter(b, f)
			for range b.N {
				b.StopTimer()
				f.pay(v, sdk.NewInt64Coin("uusdc", 1_000_000)) // the fake bank: not the keeper's work
				b.StartTimer()
				m.block(func(ctx sdk.Context) error {
					_, err := f.k.Harvest(ctx, v.Id, false)
					return err
				})
			}
			m.report()
		})
	}
}

// BenchmarkClaim: one claim (booking new income, settling one position, paying it) per op and
// per block.
func BenchmarkClaim(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("positions=%d", n), func(b *testing.B) {
			f, v := benchVault(b, n)
			pos := uint64(1 + n/2)
			owner := f.k.PositionOwner(f.ctx, f.position(pos)).String()
			m := startMeter(b, f)
			for range b.N {
				b.StopTimer()
				f.pay(v, sdk.NewInt64Coin("uusdc", 1_000_000)) // the fake bank: not the keeper's work
				b.StartTimer()
				m.block(func(ctx sdk.Context) error {
					_, err := f.k.Claim(ctx, owner, pos)
					return err
				})
			}
			m.report()
		})
	}
}

// benchSizes are 10 and 100,000 positions; VAULT_BENCH_SIZE measures one size only (bench/vault.sh
// runs each size in its own process); VAULT_BENCH_LARGE replaces the second (profiling).
func benchSizes() []int {
	if s := os.Getenv("VAULT_BENCH_SIZE"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return []int{n}
		}
	}
	if s := os.Getenv("VAULT_BENCH_LARGE"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return []int{10, n}
		}
	}
	return []int{10, 100_000}
}

// meter runs each op as one block does: a block context (a cache of the committed state at the
// next block's time, with its own gas meter) in which the op runs — the timed part, reported
// as wall ns/op (which on a shared machine includes waiting for a core), as process CPU time
// per op and as gas per op (the chain's own measure: every store read and write at the SDK's KV
// gas prices) — then, untimed, the block's write into the stores and their commit, as a chain
// commits every block. The commit hashes the changed keys' paths in the IAVL trees: that is the
// tree's cost, whatever module wrote the keys; what is timed is what the keeper does.
type meter struct {
	b   *testing.B
	f   *fixture
	cms storetypes.CommitMultiStore
	cpu time.Duration
	thr time.Duration
	gas uint64
}

func startMeter(b *testing.B, f *fixture) *meter {
	cms, ok := f.ctx.MultiStore().(storetypes.CommitMultiStore)
	require.True(b, ok)
	runtime.GC()
	runtime.LockOSThread() // so that the thread's CPU time is the op's; report unlocks
	b.ResetTimer()
	return &meter{b: b, f: f, cms: cms}
}

// block advances one block, runs op timed in its cache context, then writes and commits.
func (m *meter) block(op func(ctx sdk.Context) error) {
	m.b.StopTimer()
	m.f.advance(1)
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
	m.cms.Commit()
	m.b.StartTimer()
}

func (m *meter) report() {
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
