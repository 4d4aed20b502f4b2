package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/provider/types"
)

func TestWithdrawBond(t *testing.T) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	id := f.addNode(1, stdBond)
	offer := f.addOffer(id, 2)
	withdraw := func(signer string, node uint64, amt sdk.Coin) func() error {
		return func() error {
			_, err := f.msg.WithdrawBond(f.ctx, &types.MsgWithdrawBond{Owner: signer, NodeId: node, Amount: amt})
			return err
		}
	}
	f.fails(types.ErrNotOwner, withdraw(operator, id, ugld(1)))
	f.fails(types.ErrNotOwner, withdraw(stranger, id, ugld(1)))
	f.fails(types.ErrNodeNotFound, withdraw(owner, 99, ugld(1)))
	f.fails(types.ErrInsufficientBond, withdraw(owner, id, ugld(stdBond+1)))
	f.fails(types.ErrInvalidBond, withdraw(owner, id, sdk.NewInt64Coin("uusdc", 1)))
	f.fails(types.ErrInvalidAmount, withdraw(owner, id, ugld(0)))

	f.ok(func() error { _, _, err := f.k.ReserveUnits(f.ctx, offer, 1); return err })
	f.fails(types.ErrNodeHasLeases, withdraw(owner, id, ugld(1)))
	f.ok(func() error { return f.k.ReleaseUnits(f.ctx, offer, 1) })

	before := f.bank.balance(owner)
	events := f.ok(withdraw(owner, id, ugld(800_000)))
	require.Equal(t, []string{"guild.provider.v1.EventBondChanged"}, events)
	require.Equal(t, ugld(5_000_000), f.node(id).Bond)
	require.Equal(t, before.Add(ugld(800_000)), f.bank.balance(owner))
	f.ok(withdraw(owner, id, ugld(5_000_000)))
	require.True(t, f.node(id).Bond.IsZero())

	// After an owner change the bond goes to the new owner, and only it may withdraw.
	f.ok(func() error { return f.k.DepositBond(f.ctx, funder, id, ugld(50)) })
	f.ok(func() error { return f.k.ProposeOwner(f.ctx, owner, owner, newOwner) })
	f.ok(func() error { return f.k.AcceptOwner(f.ctx, owner, newOwner) })
	f.fails(types.ErrNotOwner, withdraw(owner, id, ugld(50)))
	before = f.bank.balance(newOwner)
	f.ok(withdraw(newOwner, id, ugld(50)))
	require.Equal(t, before.Add(ugld(50)), f.bank.balance(newOwner))
}
