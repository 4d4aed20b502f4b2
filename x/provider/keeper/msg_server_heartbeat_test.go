package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestHeartbeat(t *testing.T) {
	f := setup(t)
	f.register()
	id := f.addNode(1, stdBond)
	other := f.addNode(2, 0)
	beat := func(signer string, node uint64) func() error {
		return func() error {
			_, err := f.msg.Heartbeat(f.ctx, &types.MsgHeartbeat{NodeAccount: signer, NodeId: node})
			return err
		}
	}
	f.at(300)
	events := f.ok(beat(nodeAccount(t, 1), id))
	require.Equal(t, []string{"guild.provider.v1.EventHeartbeat"}, events)
	require.Equal(t, startTime+300, f.node(id).LastHeartbeat)

	// Only the node's own account: not the owner, not another node.
	f.fails(types.ErrNotNodeAccount, beat(owner, id))
	f.fails(types.ErrNotNodeAccount, beat(nodeAccount(t, 2), id))
	f.fails(types.ErrNodeNotFound, beat(nodeAccount(t, 1), 99))
	f.fails(types.ErrInvalidAddress, beat("x", id))

	// A heartbeat brings an OFFLINE node back ONLINE; a STANDBY node stays in standby.
	f.ok(func() error { return f.k.UpdateNode(f.ctx, owner, id, types.Resources{}, types.NODE_STATUS_OFFLINE) })
	f.at(400)
	events = f.ok(beat(nodeAccount(t, 1), id))
	require.Equal(t, []string{"guild.provider.v1.EventHeartbeat", "guild.provider.v1.EventNodeUpdated"}, events)
	require.Equal(t, types.NODE_STATUS_ONLINE, f.node(id).Status)
	f.ok(func() error { return f.k.UpdateNode(f.ctx, owner, other, types.Resources{}, types.NODE_STATUS_STANDBY) })
	f.ok(beat(nodeAccount(t, 2), other))
	require.Equal(t, types.NODE_STATUS_STANDBY, f.node(other).Status)

	// The effective status follows the heartbeat age.
	status := func() types.NodeStatus {
		res, err := f.q.Node(f.ctx, &types.QueryNodeRequest{Id: id})
		require.NoError(t, err)
		return res.EffectiveStatus
	}
	f.at(400 + 600)
	require.Equal(t, types.NODE_STATUS_ONLINE, status())
	f.at(400 + 601)
	require.Equal(t, types.NODE_STATUS_OFFLINE, status())
	require.Equal(t, types.NODE_STATUS_ONLINE, f.node(id).Status, "the stored status is unchanged")
	f.ok(beat(nodeAccount(t, 1), id))
	require.Equal(t, types.NODE_STATUS_ONLINE, status())
}
