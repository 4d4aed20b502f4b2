package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
)

func TestMsgReportDeployment(t *testing.T) {
	f := newFixture(t)
	f.fund("dee", 1_000)
	require.NoError(t, f.deposit("dee", 1_000))
	a, err := f.book("dee", 1, 1)
	require.NoError(t, err)
	b, err := f.book("dee", 1, 1)
	require.NoError(t, err)
	report := func(node string, id uint64, res types.DeploymentResult) func() error {
		return func() error { return f.report(node, id, res) }
	}
	f.fails(types.ErrNotNodeAccount, report("node-2", a, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.fails(types.ErrLeaseNotFound, report("node-1", 99, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.fails(types.ErrInvalidRequest, report("node-1", a, types.DEPLOYMENT_RESULT_UNSPECIFIED))

	f.ok(report("node-1", a, types.DEPLOYMENT_RESULT_DEPLOYED), &types.EventLeaseStateChanged{To: types.LEASE_STATE_ACTIVE})
	require.Equal(t, types.LEASE_STATE_ACTIVE, f.lease(a).State)
	require.Equal(t, "vol-1", f.lease(a).DeployInfo)
	f.fails(types.ErrInvalidState, report("node-1", a, types.DEPLOYMENT_RESULT_DEPLOYED))

	f.ok(report("node-1", b, types.DEPLOYMENT_RESULT_FAILED), &types.EventLeaseStateChanged{})
	require.EqualValues(t, types.ReasonDeployFailed, f.lease(b).CloseReason)
}
