package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestUpdateNode(t *testing.T) {
	f := setup(t)
	f.register()
	id := f.addNode(1, stdBond)
	update := func(signer string, node uint64, c types.Resources, s types.NodeStatus) func() error {
		return func() error {
			_, err := f.msg.UpdateNode(f.ctx, &types.MsgUpdateNode{Signer: signer, NodeId: node, Capacity: c, Status: s})
			return err
		}
	}
	bigger := types.Resources{CpuMilli: 8000, MemoryBytes: 16 * gib, StorageBytes: 200 * gib, Gpus: 1}
	events := f.ok(update(owner, id, bigger, types.NODE_STATUS_UNSPECIFIED))
	require.Equal(t, []string{"guild.provider.v1.EventNodeUpdated"}, events)
	require.Equal(t, bigger, f.node(id).Capacity)
	require.Equal(t, types.NODE_STATUS_ONLINE, f.node(id).Status, "unspecified keeps the status")

	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	for _, s := range []types.NodeStatus{types.NODE_STATUS_STANDBY, types.NODE_STATUS_OFFLINE, types.NODE_STATUS_ONLINE} {
		f.ok(update(operator, id, types.Resources{}, s))
		require.Equal(t, s, f.node(id).Status)
		require.Equal(t, bigger, f.node(id).Capacity, "an all-zero capacity keeps the capacity")
	}

	f.fails(types.ErrNodeNotFound, update(owner, 99, bigger, 0))
	f.fails(types.ErrNotController, update(stranger, id, bigger, 0))
	f.fails(types.ErrNotController, update(nodeAccount(t, 1), id, types.Resources{}, types.NODE_STATUS_STANDBY))
	f.fails(types.ErrNoChange, update(owner, id, types.Resources{}, 0))
	f.fails(types.ErrInvalidStatus, update(owner, id, types.Resources{}, 7))
	f.fails(types.ErrNoChange, func() error { return f.k.UpdateNode(f.ctx, owner, id, types.Resources{}, 0) })
	f.fails(types.ErrInvalidStatus, func() error { return f.k.UpdateNode(f.ctx, owner, id, types.Resources{}, 7) })

	// Capacity may not go below what is reserved, field by field.
	f.ok(update(owner, id, stdCapacity, 0))
	offer := f.addOffer(id, 4)
	f.ok(func() error { _, _, err := f.k.ReserveUnits(f.ctx, offer, 3); return err })
	require.Equal(t, types.Resources{CpuMilli: 3000, MemoryBytes: 6 * gib, StorageBytes: 30 * gib}, f.node(id).Reserved)
	f.fails(types.ErrCapacityBelowReserved, update(owner, id, types.Resources{CpuMilli: 2999, MemoryBytes: 8 * gib, StorageBytes: 100 * gib}, 0))
	f.fails(types.ErrCapacityBelowReserved, update(owner, id, types.Resources{CpuMilli: 4000, MemoryBytes: 6*gib - 1, StorageBytes: 100 * gib}, 0))
	f.fails(types.ErrCapacityBelowReserved, update(owner, id, types.Resources{CpuMilli: 4000, MemoryBytes: 8 * gib, StorageBytes: 30*gib - 1}, 0))
	f.ok(update(owner, id, types.Resources{CpuMilli: 3000, MemoryBytes: 6 * gib, StorageBytes: 30 * gib}, 0))
}
