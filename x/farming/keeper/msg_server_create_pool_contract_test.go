package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/farming/types"
)

func TestMsgCreatePoolContract(t *testing.T) {
	f := setup(t, testParams())
	var res *types.MsgCreatePoolContractResponse
	f.c.OK(func(ctx sdk.Context) error {
		var err error
		res, err = f.msg.CreatePoolContract(ctx, &types.MsgCreatePoolContract{Owner: farmerA, OwnerPublicKey: plots[0].pub})
		return err
	}, &types.EventPoolContractCreated{})
	require.Equal(t, uint64(1), res.Id, "ids start at 1")
	key := types.PoolContractKey(1)
	require.Equal(t, hex.EncodeToString(key[:]), res.Key)
	f.c.Fails(types.ErrInvalidPubKey, func(ctx sdk.Context) error {
		_, err := f.msg.CreatePoolContract(ctx, &types.MsgCreatePoolContract{Owner: farmerA, OwnerPublicKey: []byte{1}})
		return err
	})
	byOwner, err := f.q.PoolContractsByOwner(f.ctx, &types.QueryPoolContractsByOwnerRequest{Owner: farmerA})
	require.NoError(t, err)
	require.Len(t, byOwner.PoolContracts, 1)
	byTarget, err := f.q.PoolContractsByTarget(f.ctx, &types.QueryPoolContractsByTargetRequest{Target: farmerA})
	require.NoError(t, err)
	require.Len(t, byTarget.PoolContracts, 1, "a self-pooling contract targets its owner")
}
