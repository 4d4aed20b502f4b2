package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/benchkit"
	"github.com/guild-network/guild/x/market/types"
)

// The message benchmarks measure the store gas (the SDK's KV gas schedule: flat and per-byte
// costs of every read, write, delete and iterator step) and the CPU time of one Book and one
// Claim, the two messages the load generator's market phase sends. They run on the keeper
// fixture, whose x/provider and bank are in-memory fakes, so the figures are x/market's own
// share of a market transaction (bench/throughput.sh measures the whole transaction on a
// node). Every iteration does the work a block would: a fresh gas meter and event manager,
// and a commit every 100 operations.

// BenchmarkBookGas books one unit for a tenant who already has live leases.
func BenchmarkBookGas(b *testing.B) {
	f := msgBenchFixture(b)
	var gas uint64
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, meter := meteredCtx(f.ctx)
		c0 := benchkit.ProcessCPU()
		_, err := f.msg.Book(ctx, &types.MsgBook{Tenant: addr(fmt.Sprintf("t-%d", i%msgBenchTenants)), OfferId: 100, Units: 1,
			DeploymentHash: hash, DeploymentData: fmt.Sprintf("load-%d", i)})
		cpu += benchkit.ProcessCPU() - c0
		if err != nil {
			b.Fatal(err)
		}
		gas += meter.GasConsumed()
		if i%100 == 99 {
			b.StopTimer()
			f.commit()
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(gas)/float64(b.N), "gas/op")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// BenchmarkClaimGas claims deployed leases round-robin, one second of billing each.
func BenchmarkClaimGas(b *testing.B) {
	f := msgBenchFixture(b)
	var gas uint64
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%len(msgBenchLeases) == 0 {
			b.StopTimer()
			f.commit()
			f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(time.Second)).WithEventManager(sdk.NewEventManager())
			b.StartTimer()
		}
		ctx, meter := meteredCtx(f.ctx)
		c0 := benchkit.ProcessCPU()
		_, err := f.msg.Claim(ctx, &types.MsgClaim{Sender: addr("anyone"), LeaseId: msgBenchLeases[i%len(msgBenchLeases)]})
		cpu += benchkit.ProcessCPU() - c0
		if err != nil {
			b.Fatal(err)
		}
		gas += meter.GasConsumed()
	}
	b.ReportMetric(float64(gas)/float64(b.N), "gas/op")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

const msgBenchTenants = 64

var msgBenchLeases []uint64

// msgBenchFixture: 64 funded tenants with two deployed leases each on one offer, as the load
// generator's setup leaves them.
func msgBenchFixture(b *testing.B) *fixture {
	t := &testing.T{}
	f := newFixture(t)
	f.t = t
	f.params.MaxLeasesPerAccount = 1_000_000
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.gov, Params: f.params})
	require.NoError(b, err)
	f.addOffer(100, "prov", 1, "0.001", 1<<40)
	msgBenchLeases = msgBenchLeases[:0]
	for i := 0; i < msgBenchTenants; i++ {
		tenant := fmt.Sprintf("t-%d", i)
		f.fund(tenant, 1<<50)
		require.NoError(b, f.deposit(tenant, 1<<50))
		for j := 0; j < 2; j++ {
			id, err := f.book(tenant, 100, 1)
			require.NoError(b, err)
			require.NoError(b, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
			msgBenchLeases = append(msgBenchLeases, id)
		}
	}
	f.commit()
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(time.Second))
	return f
}

// meteredCtx is ctx with a fresh gas meter (and event manager), as DeliverTx gives each tx.
func meteredCtx(ctx sdk.Context) (sdk.Context, storetypes.GasMeter) {
	m := storetypes.NewInfiniteGasMeter()
	return ctx.WithGasMeter(m).WithEventManager(sdk.NewEventManager()), m
}
