package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
)

func TestMsgUpdateDeployment(t *testing.T) {
	f := newFixture(t)
	f.fund("eve", 1_000)
	require.NoError(t, f.deposit("eve", 1_000))
	id, err := f.book("eve", 1, 1)
	require.NoError(t, err)
	newHash := make([]byte, 32)
	newHash[0] = 7
	update := func(who string) func() error {
		return func() error {
			_, err := f.msg.UpdateDeployment(f.ctx, &types.MsgUpdateDeployment{Tenant: addr(who), LeaseId: id, DeploymentHash: newHash, DeploymentData: "v2"})
			return err
		}
	}
	f.fails(types.ErrInvalidState, update("eve")) // still pending
	require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.fails(types.ErrNotTenant, update("mallory"))
	f.ok(update("eve"), &types.EventDeploymentUpdated{})
	require.Equal(t, types.Deployment{Hash: newHash, Data: "v2"}, f.lease(id).Deployment)
}
