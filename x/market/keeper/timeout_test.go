package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// TestDeployTimeoutSuspendsNodeOnce is the load fault of issue 8: with a node's agent down,
// every booking timed out and slashed the bond again. Now the first timeout suspends the node
// (one incident) and slashes once; a second timeout in the same incident refunds its tenant but
// does not slash again; booking on the suspended node is refused with ErrNodeSuspended; once the
// operator brings the node back, a new timeout is a new incident and slashes again.
func TestDeployTimeoutSuspendsNodeOnce(t *testing.T) {
	f := newFixture(t)
	f.fund("kim", 10_000)
	require.NoError(t, f.deposit("kim", 10_000))
	first, err := f.book("kim", 1, 1)
	require.NoError(t, err)
	f.advance(5)
	second, err := f.book("kim", 2, 1) // same node, times out 5 s later
	require.NoError(t, err)

	f.advance(f.params.DeployTimeout - 5) // the first lease's deadline
	require.EqualValues(t, types.ReasonDeployTimeout, f.lease(first).CloseReason)
	require.True(t, f.prov.nodes[1].Suspended, "the timeout takes the node out of the bookable set")
	require.Equal(t, 1, f.prov.slashes[1])
	require.Equal(t, types.LEASE_STATE_PENDING, f.lease(second).State)

	// Booking on the suspended node is refused with x/provider's clear error, changing nothing.
	f.fails(providertypes.ErrNodeSuspended, func() error { _, err := f.book("kim", 1, 1); return err })

	f.advance(5) // the second lease times out in the same incident
	require.EqualValues(t, types.ReasonDeployTimeout, f.lease(second).CloseReason)
	require.Equal(t, 1, f.prov.slashes[1], "a second timeout in the same incident does not slash again")
	require.EqualValues(t, f.params.DeployTimeoutSlashBps, f.prov.slashed[1])
	require.Equal(t, []providertypes.LeaseOutcome{providertypes.LEASE_OUTCOME_DEPLOY_TIMEOUT, providertypes.LEASE_OUTCOME_DEPLOY_TIMEOUT},
		f.prov.outcomes[addr("prov")], "each timeout still counts in reputation")
	require.EqualValues(t, 10_000, f.account("kim").Available.Int64(), "both tenants' bookings refunded in full")

	// The operator brings the node back: bookable again, and a new timeout is a new incident.
	f.resume(1)
	third, err := f.book("kim", 1, 1)
	require.NoError(t, err)
	f.advance(f.params.DeployTimeout)
	require.EqualValues(t, types.ReasonDeployTimeout, f.lease(third).CloseReason)
	require.Equal(t, 2, f.prov.slashes[1], "a new incident slashes once more")
	require.Equal(t, 2, f.prov.incidents[1])
}

// TestDeployTimeoutWithoutSlash: with deploy_timeout_slash_bps 0 the node is still suspended,
// and nothing is slashed.
func TestDeployTimeoutWithoutSlash(t *testing.T) {
	f := newFixture(t)
	f.params.DeployTimeoutSlashBps = 0
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.gov, Params: f.params})
	require.NoError(t, err)
	f.fund("lou", 1_000)
	require.NoError(t, f.deposit("lou", 1_000))
	_, err = f.book("lou", 1, 1)
	require.NoError(t, err)
	f.advance(f.params.DeployTimeout)
	require.True(t, f.prov.nodes[1].Suspended)
	require.Zero(t, f.prov.slashes[1])
}
