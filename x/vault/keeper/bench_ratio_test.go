package keeper_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/benchkit"
	"github.com/guild-network/guild/x/internal/modkit/kittest"
	"github.com/guild-network/guild/x/vault/types"
)

// ratioFix are the three fixtures of the ratio benchmarks, alive together in one process:
// positions=10, positions=100000 (VAULT_BENCH_LARGE replaces 100000) and unrelated: 10
// positions plus, in the vault's and in x/nft's stores, as many keys as the large fixture holds
// there beyond the small one's, of the same mean size, under a prefix (0xF0) nothing reads —
// the same tree sizes, with nothing for a harvest or a claim to find in them.
var ratioFix []benchFixture

func ratioFixtures(b *testing.B) []benchFixture {
	if ratioFix != nil {
		return ratioFix
	}
	large := 100_000
	if s := os.Getenv("VAULT_BENCH_LARGE"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(b, err)
		large = n
	}
	small, big, unrelated := buildVault(b, 10), buildVault(b, large), buildVault(b, 10)
	for _, name := range []string{types.StoreKey, nft.StoreKey} {
		bigKeys, bigBytes := storeKeys(big.f, name)
		smallKeys, smallBytes := storeKeys(small.f, name)
		n := bigKeys - smallKeys
		if n <= 0 {
			continue
		}
		val := make([]byte, (bigBytes-smallBytes)/n)
		store := unrelated.f.ctx.KVStore(unrelated.f.keys[name])
		for i := range n {
			store.Set(binary.BigEndian.AppendUint64([]byte{0xF0}, uint64(i)), val)
			if i%20_000 == 19_999 {
				unrelated.f.commit()
				store = unrelated.f.ctx.KVStore(unrelated.f.keys[name])
			}
		}
		unrelated.f.commit()
	}
	require.NoError(b, unrelated.db.ForceCompact(nil, nil))
	unrelated.v = unrelated.f.getVault(unrelated.v.Id)
	runtime.GC()
	ratioFix = []benchFixture{small, big, unrelated}
	return ratioFix
}

// storeKeys counts the keys of one committed store and their keys' and values' bytes.
func storeKeys(f *fixture, name string) (keys, bytes int) {
	it := f.ctx.KVStore(f.keys[name]).Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		keys++
		bytes += len(it.Key()) + len(it.Value())
	}
	return keys, bytes
}

// ratioCase is one fixture's block for benchkit.Compare: income paid into the vault (the fake
// bank, not the keeper's work), the next block's cache context, op measured in it, then the
// block written and committed, as a chain commits every block.
func ratioCase(b *testing.B, name string, c benchFixture, op func(ctx sdk.Context) error) benchkit.Case {
	cms, ok := c.f.ctx.MultiStore().(storetypes.CommitMultiStore)
	require.True(b, ok)
	return benchkit.Case{Name: name, Block: func(o *benchkit.Ops) uint64 {
		c.f.pay(c.v, sdk.NewInt64Coin("uusdc", 1_000_000))
		c.f.advance(1)
		return kittest.MeasuredBlock(b, c.f.ctx, cms, o.Measure, op)
	}}
}

func ratioNames(fx []benchFixture) []string {
	return []string{"positions10", fmt.Sprintf("positions%d", fx[1].v.Positions), "unrelated"}
}

// BenchmarkHarvestRatio: one harvest per block on each of the three fixtures in turn
// (benchkit.Compare): the median harvest with 100,000 positions against 10, and with the
// unrelated keys against 10, measured in the same moments. Target: at most 1.1 (ADR 0007).
func BenchmarkHarvestRatio(b *testing.B) {
	fx := ratioFixtures(b)
	names := ratioNames(fx)
	var cases []benchkit.Case
	for i, c := range fx {
		cases = append(cases, ratioCase(b, names[i], c, func(ctx sdk.Context) error {
			_, err := c.f.k.Harvest(ctx, c.v.Id, false)
			return err
		}))
	}
	benchkit.Compare(b, cases)
}

// BenchmarkClaimRatio: one claim (booking the new income, settling one position, paying it)
// per block on each of the three fixtures in turn, as BenchmarkHarvestRatio.
func BenchmarkClaimRatio(b *testing.B) {
	fx := ratioFixtures(b)
	names := ratioNames(fx)
	var cases []benchkit.Case
	for i, c := range fx {
		pos := 1 + c.v.Positions/2
		owner := c.f.k.PositionOwner(c.f.ctx, c.f.position(pos)).String()
		cases = append(cases, ratioCase(b, names[i], c, func(ctx sdk.Context) error {
			_, err := c.f.k.Claim(ctx, owner, pos)
			return err
		}))
	}
	benchkit.Compare(b, cases)
}
