package keeper_test

import (
	"context"
	"fmt"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/benchkit"
	"github.com/guild-network/guild/x/market/types"
)

// benchFixtures caches one fixture per lease count: building 100,000 leases takes a while and
// the benchmark function runs several times with growing b.N.
var benchFixtures = map[int]*fixture{}

const duePerBlock = 10

var dueSeq int // unique due-tenant names across benchmark runs on a cached fixture

func benchFixture(b *testing.B, live int) *fixture {
	if f, ok := benchFixtures[live]; ok {
		return f
	}
	t := &testing.T{}
	f := newFixture(t)
	f.t = t
	f.params.MinCover = 1
	f.params.GracePeriod = 300 * 24 * 3600
	f.params.MaxDuePerBlock = 1000
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.gov, Params: f.params})
	require.NoError(b, err)
	f.addOffer(100, "prov", 1, "1", 1<<40) // effectively unlimited units at 1 uusdc/s
	for i := 0; i < live; i++ {
		tenant := fmt.Sprintf("bg-%d", i)
		f.fund(tenant, 1<<40)
		require.NoError(b, f.deposit(tenant, 1<<40)) // funded for ~35,000 years
		id, err := f.book(tenant, 100, 1)
		require.NoError(b, err)
		require.NoError(b, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
		if i%1000 == 999 {
			f.commit()
		}
	}
	f.commit()
	benchFixtures[live] = f
	return f
}

// BenchmarkEndBlocker measures one block's end-blocker while duePerBlock accounts run out of
// funds, with 100 or 100,000 other live leases in state. The cost must depend on the leases
// that fall due, not on how many exist: bench/market.sh prints the ratio of the two.
func BenchmarkEndBlocker(b *testing.B) {
	for _, live := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("live=%d", live), func(b *testing.B) {
			f := benchFixture(b, live)
			var cpu time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				// duePerBlock fresh tenants, each funded for exactly one second.
				for j := 0; j < duePerBlock; j++ {
					dueSeq++
					tenant := fmt.Sprintf("due-%d", dueSeq)
					f.fund(tenant, 1)
					if err := f.deposit(tenant, 1); err != nil {
						b.Fatal(err)
					}
					id, err := f.book(tenant, 100, 1)
					if err != nil {
						b.Fatal(err)
					}
					if err := f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED); err != nil {
						b.Fatal(err)
					}
				}
				f.commit()
				f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(time.Second)).WithEventManager(sdk.NewEventManager())
				b.StartTimer()
				c0 := benchkit.ProcessCPU()
				// The label lets a CPU profile of the benchmark keep the timed part only:
				// go tool pprof -tagfocus part=endblocker.
				var ebErr error
				pprof.Do(context.Background(), pprof.Labels("part", "endblocker"), func(context.Context) { ebErr = f.k.EndBlocker(f.ctx) })
				if ebErr != nil {
					b.Fatal(ebErr)
				}
				cpu += benchkit.ProcessCPU() - c0
				b.StopTimer()
				f.commit()
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			paused, err := f.k.GraceQueueLen(f.ctx)
			if err != nil {
				b.Fatal(err)
			}
			if paused < b.N*duePerBlock {
				b.Fatalf("only %d accounts paused, want at least %d", paused, b.N*duePerBlock)
			}
		})
	}
}
