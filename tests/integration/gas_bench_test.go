package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// BenchmarkMessageGas reports the store gas (gas/op) of the messages whose index writes the
// shared index helpers decide, through the real app's keepers together: a market Book (a lease
// written with its ten indexes, the offer's booked units and the node's reserved capacity in
// x/provider), a Claim of a deployed lease, and an x/provider node update that changes the
// node's capacity but none of its indexed keys. Each iteration runs the message on a branch of
// the same committed state, so every iteration does the same work and the figure is exact;
// it is a gas figure only (no timing is reported).
func BenchmarkMessageGas(b *testing.B) {
	w := newWorld(b)
	c := w.c
	tenant := addr("tenant-rich").String()
	pg, _ := c.genesis(c.committedCtx())
	offer := pg.Offers[0]
	node := nodeByID(pg, offer.NodeId)

	// One deployed lease to claim, a second later.
	ctx := c.ctxAt(c.now.Add(time.Second))
	res, err := c.deliver(ctx, &markettypes.MsgBook{Tenant: tenant, OfferId: offer.Id, Units: 1, DeploymentHash: make([]byte, 32)})
	require.NoError(b, err)
	var booked markettypes.MsgBookResponse
	require.NoError(b, booked.Unmarshal(res.MsgResponses[0].Value))
	_, err = c.deliver(ctx, &markettypes.MsgReportDeployment{NodeAccount: w.nodeAccounts[offer.NodeId], LeaseId: booked.LeaseId,
		Result: markettypes.DEPLOYMENT_RESULT_DEPLOYED, Info: "vm-1"})
	require.NoError(b, err)
	c.block(time.Second)

	capacity := node.Capacity
	capacity.CpuMilli += 1000
	for _, m := range []struct {
		name string
		msg  sdk.Msg
	}{
		{"book", &markettypes.MsgBook{Tenant: tenant, OfferId: offer.Id, Units: 1, DeploymentHash: make([]byte, 32), DeploymentData: "load-1"}},
		{"claim", &markettypes.MsgClaim{Sender: tenant, LeaseId: booked.LeaseId}},
		{"update-node", &providertypes.MsgUpdateNode{Signer: w.providers[0].String(), NodeId: node.Id, Capacity: capacity, Status: node.Status}},
	} {
		b.Run(m.name, func(b *testing.B) {
			var gas uint64
			for i := 0; i < b.N; i++ {
				base := c.ctxAt(c.now.Add(time.Second))
				meter := storetypes.NewInfiniteGasMeter()
				ctx, _ := base.WithGasMeter(meter).CacheContext()
				if _, err := c.deliver(ctx, m.msg); err != nil {
					b.Fatal(err)
				}
				gas += meter.GasConsumed()
			}
			b.ReportMetric(float64(gas)/float64(b.N), "gas/op")
		})
	}
}
