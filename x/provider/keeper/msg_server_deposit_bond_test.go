package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/provider/types"
)

func TestDepositBond(t *testing.T) {
	f := setup(t)
	f.register()
	id := f.addNode(1, 100)
	deposit := func(sender string, node uint64, amt sdk.Coin) func() error {
		return func() error {
			_, err := f.msg.DepositBond(f.ctx, &types.MsgDepositBond{Sender: sender, NodeId: node, Amount: amt})
			return err
		}
	}
	// Anyone may fund a node.
	events := f.ok(deposit(funder, id, ugld(900)))
	require.Equal(t, []string{"guild.provider.v1.EventBondChanged"}, events)
	require.Equal(t, ugld(1000), f.node(id).Bond)
	require.Equal(t, transfer{funder, moduleAddr, "900ugld"}, f.bank.transfers[len(f.bank.transfers)-1])

	f.fails(types.ErrNodeNotFound, deposit(funder, 99, ugld(1)))
	f.fails(types.ErrInvalidBond, deposit(funder, id, sdk.NewInt64Coin("uusdc", 1)))
	f.fails(types.ErrInvalidAmount, deposit(funder, id, ugld(0)))
	f.fails(types.ErrInvalidAmount, func() error { return f.k.DepositBond(f.ctx, funder, id, ugld(0)) })
	f.fails(types.ErrInvalidAddress, deposit("x", id, ugld(1)))
	f.fails(sdkerrors.ErrInsufficientFunds, deposit(funder, id, ugld(5_000_000_000)))
}

// When governance changes the bond denom, an empty bond switches to the new denom and a
// non-empty one can only be withdrawn.
func TestDepositBondAfterDenomChange(t *testing.T) {
	f := setup(t)
	f.register()
	empty := f.addNode(1, 0)
	held := f.addNode(2, 10)
	params := types.DefaultParams()
	params.BondDenom = "ustake"
	f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, params) })
	f.bank.fund(funder, sdk.NewCoins(sdk.NewInt64Coin("ustake", 100)))
	f.fails(types.ErrInvalidBond, func() error { return f.k.DepositBond(f.ctx, funder, empty, ugld(5)) })
	f.ok(func() error { return f.k.DepositBond(f.ctx, funder, empty, sdk.NewInt64Coin("ustake", 5)) })
	require.Equal(t, sdk.NewInt64Coin("ustake", 5), f.node(empty).Bond)
	f.fails(types.ErrInvalidBond, func() error { return f.k.DepositBond(f.ctx, funder, held, sdk.NewInt64Coin("ustake", 5)) })
	f.ok(func() error { return f.k.WithdrawBond(f.ctx, owner, held, ugld(10)) })
	f.ok(func() error { return f.k.DepositBond(f.ctx, funder, held, sdk.NewInt64Coin("ustake", 5)) })
}
