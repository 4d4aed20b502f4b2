package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgUnpledge(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	f.deposit(investor(1), v.Id, 5_000_000)
	unpledge := func(amt sdk.Coin) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Unpledge(ctx, &types.MsgUnpledge{Operator: owner(), VaultId: v.Id, NodeId: f.nodeID, Amount: amt})
			return err
		}
	}
	// ValidateBasic: only ugld is pledged.
	f.check.Fails(sdkerrors.ErrInvalidCoins, unpledge(sdk.NewInt64Coin("uusdc", 1)))
	// Keeper: nothing pledged on the node yet; then more than the pledge.
	f.check.Fails(types.ErrPledgeNotFound, unpledge(sdk.NewInt64Coin("ugld", 1)))
	f.check.OK(func(ctx sdk.Context) error {
		return f.k.Pledge(ctx, owner(), v.Id, f.nodeID, sdk.NewInt64Coin("ugld", 3_000_000))
	}, &types.EventPledged{})
	f.check.Fails(types.ErrInvalidAmount, unpledge(sdk.NewInt64Coin("ugld", 3_000_001)))

	f.check.OK(unpledge(sdk.NewInt64Coin("ugld", 1_000_000)), &types.EventUnpledged{})
	got := f.getVault(v.Id)
	require.Equal(t, "3000000", got.Liquid.String())
	require.Equal(t, "2000000", got.Pledged.String())
	require.Equal(t, int64(3_000_000), f.balance(v.Account, "ugld"))
	n, err := f.prov.GetNode(f.ctx, f.nodeID)
	require.NoError(t, err)
	require.Equal(t, "3000000ugld", n.Bond.String()) // the owner's 1_000_000 + the 2_000_000 left
}
