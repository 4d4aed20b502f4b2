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
// fixture with a block context on top of the committed state.
func benchVault(b *testing.B, n int) (*fixture, types.Vault) {
	if c, ok := benchCache[n]; ok { // b.Run calls the body more than once: build each size once
		return c.f, c.v
	}
	// On disk, as a node keeps it: an in-memory database of 100,000 positions would sit in the
	// Go heap and make every allocation's garbage collection, not the vault, what is measured.
	db, err := dbm.NewGoLevelDB(fmt.Sprintf("vault-bench-%d", n), benchDir(b), nil)
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
	benchCache[n] = benchFixture{f, f.getVault(v.Id)}
	return f, f.getVault(v.Id)
}

type benchFixture struct {
	f *fixture
	v types.Vault
}

// benchCache keeps each size's fixture for every benchmark of the run (building 100,000
// positions takes a while); TestMain removes benchTmp at the end.
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

// BenchmarkHarvest: one harvest (income in uusdc, fees, accumulator) per op, with 10 and with
// 100,000 positions in the vault. O(1): the two must cost the same (bench/vault.sh compares).
func BenchmarkHarvest(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("positions=%d", n), func(b *testing.B) {
			f, v := benchVault(b, n)
			block := f.ctx
			m := startMeter(b)
			for i := 0; i < b.N; i++ {
				ctx := m.ctx(block).WithBlockTime(time.Unix(startTime+int64(i), 0))
				f.pay(v, sdk.NewInt64Coin("uusdc", 1_000_000))
				if _, err := f.k.Harvest(ctx, v.Id, false); err != nil {
					b.Fatal(err)
				}
				m.add(ctx)
			}
			m.report()
		})
	}
}

// BenchmarkClaim: one claim (booking new income, settling one position, paying it) per op.
func BenchmarkClaim(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("positions=%d", n), func(b *testing.B) {
			f, v := benchVault(b, n)
			block := f.ctx
			pos := uint64(1 + n/2)
			owner := f.k.PositionOwner(block, f.position(pos)).String()
			m := startMeter(b)
			for i := 0; i < b.N; i++ {
				ctx := m.ctx(block)
				f.pay(v, sdk.NewInt64Coin("uusdc", 1_000_000))
				if _, err := f.k.Claim(ctx, owner, pos); err != nil {
					b.Fatal(err)
				}
				m.add(ctx)
			}
			m.report()
		})
	}
}

// benchSizes are 10 and 100,000 positions; VAULT_BENCH_LARGE replaces the second (profiling).
func benchSizes() []int {
	if s := os.Getenv("VAULT_BENCH_LARGE"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return []int{10, n}
		}
	}
	return []int{10, 100_000}
}

// meter reports, beside ns/op (wall time, which on a shared machine includes waiting for a
// core), the process CPU time per op and the gas per op (the chain's own measure of cost: every
// store read and write at the SDK's KV gas prices).
type meter struct {
	b   *testing.B
	cpu time.Duration
	gas uint64
}

func startMeter(b *testing.B) *meter {
	b.ResetTimer()
	return &meter{b: b, cpu: cpuTime()}
}

// ctx is a fresh block-like context over the committed state with its own gas meter.
func (m *meter) ctx(block sdk.Context) sdk.Context {
	ctx, _ := block.CacheContext()
	return ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
}

func (m *meter) add(ctx sdk.Context) { m.gas += ctx.GasMeter().GasConsumed() }

func (m *meter) report() {
	m.b.ReportMetric(float64(cpuTime()-m.cpu)/float64(m.b.N), "cpu-ns/op")
	m.b.ReportMetric(float64(m.gas)/float64(m.b.N), "gas/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
