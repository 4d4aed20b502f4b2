package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/farming/types"
)

func TestMsgLeavePool(t *testing.T) {
	f := setup(t, testParams())
	f.createContracts()
	f.c.Fails(types.ErrInvalidPoolState, f.leave(farmerA, 1))
	f.c.OK(f.join(farmerA, 1, 3))
	f.c.Fails(types.ErrNotOwner, f.leave(stranger, 1))
	f.c.OK(f.leave(farmerA, 1), &types.EventPoolContractStateChanged{})
	c := f.contract(1)
	require.Equal(t, types.POOL_STATE_LEAVING_POOL, c.State)
	require.Equal(t, poolAddr, c.Target, "the pool stays the target during the lock")
	f.advance(2)
	require.Equal(t, types.POOL_STATE_LEAVING_POOL, f.contract(1).State)
	f.advance(1)
	require.Equal(t, types.POOL_STATE_SELF_POOLING, f.contract(1).State)
	require.Equal(t, farmerA, f.contract(1).Target)
}
