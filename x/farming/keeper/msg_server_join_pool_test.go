package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/farming/types"
)

func TestMsgJoinPool(t *testing.T) {
	f := setup(t, testParams())
	f.createContracts()
	f.c.Fails(types.ErrNotOwner, f.join(farmerB, 1, 5))
	f.c.Fails(types.ErrInvalidRelativeLock, f.join(farmerA, 1, 0))
	f.c.OK(f.join(farmerA, 1, 5), &types.EventPoolContractStateChanged{})
	require.Equal(t, types.POOL_STATE_FARMING_TO_POOL, f.contract(1).State)
	require.Equal(t, poolURL, f.contract(1).PoolUrl)
	bad := types.MsgJoinPool{Owner: farmerA, PoolContractId: 1, Target: "nope", PoolUrl: poolURL, RelativeLock: 5}
	require.ErrorIs(t, bad.ValidateBasic(), sdkerrors.ErrInvalidAddress)
}
