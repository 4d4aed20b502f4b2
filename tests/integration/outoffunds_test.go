package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// TestOutOfFundsAcrossModules follows one lease through the network's own transitions, with
// blocks only: booked (units and capacity reserved in x/provider), deployed, billed until the
// tenant's escrow runs dry (GRACE, at funded_until, by the end-blocker), closed with reason 300
// when the grace period ends — capacity and units released, the provider paid what was billed,
// and every joint invariant holding after every block.
func TestOutOfFundsAcrossModules(t *testing.T) {
	w := newWorld(t)
	c := w.c
	tenant := addr("tenant-poor").String()
	pg, _ := c.genesis(c.committedCtx())
	offer := pg.Offers[0] // a VM offer at 0.5 uusdc per unit-second
	require.Equal(t, providertypes.OFFER_KIND_VM, offer.Kind)

	ctx := c.ctxAt(c.now.Add(time.Second))
	check := c.checker(&ctx)
	var lease uint64
	check.OK(func(ctx sdk.Context) error {
		res, err := c.deliver(ctx, &markettypes.MsgBook{Tenant: tenant, OfferId: offer.Id, Units: 2, DeploymentHash: make([]byte, 32)})
		if err != nil {
			return err
		}
		var r markettypes.MsgBookResponse
		require.NoError(t, r.Unmarshal(res.MsgResponses[0].Value))
		lease = r.LeaseId
		return nil
	}, &markettypes.EventLeaseCreated{})
	check.OK(func(ctx sdk.Context) error {
		_, err := c.deliver(ctx, &markettypes.MsgReportDeployment{NodeAccount: w.nodeAccounts[offer.NodeId], LeaseId: lease,
			Result: markettypes.DEPLOYMENT_RESULT_DEPLOYED, Info: "vm-1"})
		return err
	}, &markettypes.EventLeaseStateChanged{})
	c.block(time.Second)

	pg, mg := c.genesis(c.committedCtx())
	node := nodeByID(pg, offer.NodeId)
	require.Equal(t, addResources(providertypes.Resources{}, vmUnit(), 2), node.Reserved)
	account := accountOf(mg, tenant)
	require.Positive(t, account.FundedUntil)
	fundedUntil := account.FundedUntil

	// Blocks every 10 minutes (heartbeats keep the node online) until the grace period ends.
	state := func() markettypes.LeaseState {
		_, mg := c.genesis(c.committedCtx())
		return leaseByID(mg, lease).State
	}
	sawGrace := false
	for i := 0; i < 40 && state() != markettypes.LEASE_STATE_CLOSED; i++ {
		ctx := c.ctxAt(c.now.Add(10 * time.Minute))
		_, err := c.deliver(ctx, &providertypes.MsgHeartbeat{NodeAccount: w.nodeAccounts[offer.NodeId], NodeId: offer.NodeId})
		require.NoError(t, err)
		c.block(10 * time.Minute)
		require.NoError(t, c.invariants(c.committedCtx()))
		if state() == markettypes.LEASE_STATE_GRACE {
			sawGrace = true
			require.GreaterOrEqual(t, c.now.Unix(), fundedUntil, "paused only once the escrow ran dry")
		}
	}
	require.True(t, sawGrace, "the lease went through GRACE")
	pg, mg = c.genesis(c.committedCtx())
	l := leaseByID(mg, lease)
	require.Equal(t, markettypes.LEASE_STATE_CLOSED, l.State)
	require.Equal(t, markettypes.ReasonOutOfFunds, l.CloseReason)
	require.Equal(t, providertypes.Resources{}, nodeByID(pg, offer.NodeId).Reserved, "capacity released")
	require.Zero(t, offerByID(pg, offer.Id).UnitsBooked, "units released")
}

func nodeByID(pg providertypes.GenesisState, id uint64) providertypes.Node {
	for _, n := range pg.Nodes {
		if n.Id == id {
			return n
		}
	}
	return providertypes.Node{}
}

func offerByID(pg providertypes.GenesisState, id uint64) providertypes.Offer {
	for _, o := range pg.Offers {
		if o.Id == id {
			return o
		}
	}
	return providertypes.Offer{}
}

func leaseByID(mg markettypes.GenesisState, id uint64) markettypes.Lease {
	for _, l := range mg.Leases {
		if l.Id == id {
			return l
		}
	}
	return markettypes.Lease{}
}

func accountOf(mg markettypes.GenesisState, tenant string) markettypes.Account {
	for _, a := range mg.Accounts {
		if a.Tenant == tenant && a.Denom == usdc {
			return a
		}
	}
	return markettypes.Account{}
}
