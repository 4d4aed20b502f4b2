package keeper_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/benchkit"
	"github.com/guild-network/guild/x/internal/modkit/kittest"
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
	c := buildVault(b, n)
	benchCache[n] = c
	return c.f, c.v
}

// buildVault builds one vault in custody with n positions (see benchVault), on disk, compacted.
func buildVault(b *testing.B, n int) benchFixture {
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
	return benchFixture{f, f.getVault(v.Id), dir, db}
}

type benchFixture struct {
	f   *fixture
	v   types.Vault
	dir string
	db  *dbm.GoLevelDB
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
				f.pay(v, sdk.NewInt64Coin("uusdc", 1_000_000)) // the fake bank: not the keeper's work
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
				f.pay(v, sdk.NewInt64Coin("uusdc", 1_000_000)) // the fake bank: not the keeper's work
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
// next block's time, with its own gas meter) in which the op runs — the measured part — then the
// block's write into the stores and their commit, as a chain commits every block. The commit
// hashes the changed keys' paths in the IAVL trees: that is the tree's cost, whatever module
// wrote the keys; what is measured is what the keeper does.
//
// Each op is measured on its own (benchkit.Ops: monotonic clock, the thread's CPU clock and
// the process's CPU time read just around the op) and reported as the median op beside p90,
// p99, max and mean; plus gas per op, the chain's own measure. The benchmark's own ns/op is the
// whole block (fixture, op, write, commit): the timer is never stopped inside the loop, since
// each b.StopTimer/b.StartTimer calls runtime.ReadMemStats, a stop-the-world. BENCH_HARNESS=old
// brings back the previous harness (goroutine locked to its thread, the timer stopped and
// started around each op) to show its artefacts (README, "Benchmarks").
type meter struct {
	b   *testing.B
	f   *fixture
	cms storetypes.CommitMultiStore
	ops benchkit.Ops
	gas uint64
	old bool
}

func startMeter(b *testing.B, f *fixture) *meter {
	cms, ok := f.ctx.MultiStore().(storetypes.CommitMultiStore)
	require.True(b, ok)
	m := &meter{b: b, f: f, cms: cms, old: os.Getenv("BENCH_HARNESS") == "old"}
	runtime.GC()
	if m.old {
		runtime.LockOSThread()
		m.ops.Rusage = true
	}
	b.ResetTimer()
	if m.old {
		b.StopTimer()
	}
	return m
}

// block advances one block, runs op measured in its cache context, then writes and commits.
func (m *meter) block(op func(ctx sdk.Context) error) {
	m.f.advance(1)
	m.gas += kittest.MeasuredBlock(m.b, m.f.ctx, m.cms, func(run func()) {
		if m.old {
			m.b.StartTimer()
			defer m.b.StopTimer()
		}
		m.ops.Measure(run)
	}, op)
}

func (m *meter) report() {
	m.b.StopTimer()
	m.ops.Report(m.b)
	m.b.ReportMetric(float64(m.gas)/float64(m.b.N), "gas/op")
	if m.old {
		runtime.UnlockOSThread()
	}
}
