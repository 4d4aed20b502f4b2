package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/provider/types"
)

func TestAddNode(t *testing.T) {
	f := setup(t)
	f.register()
	f.at(10)
	var res *types.MsgAddNodeResponse
	events := f.ok(func() error {
		var err error
		res, err = f.msg.AddNode(f.ctx, &types.MsgAddNode{Signer: owner, Provider: owner, PubKey: pubKey(1), Capacity: stdCapacity, Bond: ugld(stdBond)})
		return err
	})
	require.Equal(t, []string{"guild.provider.v1.EventNodeAdded", "guild.provider.v1.EventBondChanged"}, events)
	require.Equal(t, uint64(1), res.NodeId, "ids start at 1")
	require.Equal(t, nodeAccount(t, 1), res.NodeAccount)
	require.Equal(t, types.Node{
		Id: 1, Provider: owner, PubKey: pubKey(1), Account: nodeAccount(t, 1), Capacity: stdCapacity,
		Status: types.NODE_STATUS_ONLINE, LastHeartbeat: startTime + 10, Bond: ugld(stdBond),
	}, f.node(1))
	require.Equal(t, transfer{owner, moduleAddr, "5800000ugld"}, f.bank.transfers[len(f.bank.transfers)-1])
	byAccount, err := f.k.NodeByAccount(f.ctx, nodeAccount(t, 1))
	require.NoError(t, err)
	require.Equal(t, uint64(1), byAccount.Id)

	// A zero bond is allowed and moves no coins; the operator may add nodes and pays the bond.
	transfers := len(f.bank.transfers)
	events = f.ok(func() error {
		_, err := f.msg.AddNode(f.ctx, &types.MsgAddNode{Signer: owner, Provider: owner, PubKey: pubKey(2), Capacity: stdCapacity, Bond: ugld(0)})
		return err
	})
	require.Equal(t, []string{"guild.provider.v1.EventNodeAdded"}, events)
	require.Len(t, f.bank.transfers, transfers)
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	opBefore := f.bank.balance(operator)
	f.ok(func() error {
		res, err = f.msg.AddNode(f.ctx, &types.MsgAddNode{Signer: operator, Provider: owner, PubKey: pubKey(3), Capacity: stdCapacity, Bond: ugld(7)})
		return err
	})
	require.Equal(t, uint64(3), res.NodeId)
	require.Equal(t, opBefore.Sub(ugld(7)), f.bank.balance(operator))

	add := func(signer, provider string, pk []byte, c types.Resources, bond sdk.Coin) func() error {
		return func() error {
			_, err := f.msg.AddNode(f.ctx, &types.MsgAddNode{Signer: signer, Provider: provider, PubKey: pk, Capacity: c, Bond: bond})
			return err
		}
	}
	f.fails(types.ErrProviderNotFound, add(stranger, stranger, pubKey(9), stdCapacity, ugld(0)))
	f.fails(types.ErrNotController, add(stranger, owner, pubKey(9), stdCapacity, ugld(0)))
	f.fails(types.ErrDuplicateNode, add(owner, owner, pubKey(1), stdCapacity, ugld(0)))
	f.fails(types.ErrInvalidPubKey, add(owner, owner, pubKey(9)[:31], stdCapacity, ugld(0)))
	f.fails(types.ErrInvalidPubKey, add(owner, owner, append(pubKey(9), 1), stdCapacity, ugld(0)))
	f.fails(types.ErrInvalidResources, add(owner, owner, pubKey(9), types.Resources{}, ugld(0)))
	f.fails(types.ErrInvalidBond, add(owner, owner, pubKey(9), stdCapacity, sdk.NewInt64Coin("uusdc", 5)))
	f.fails(types.ErrInvalidBond, add(owner, owner, pubKey(9), stdCapacity, sdk.Coin{Denom: "ugld"}))
	f.fails(sdkerrors.ErrInsufficientFunds, add(owner, owner, pubKey(9), stdCapacity, ugld(2_000_000_000)))

	// The same key cannot join another provider either.
	f.ok(func() error { return f.k.RegisterProvider(f.ctx, stranger, "other", "", nil) })
	f.fails(types.ErrDuplicateNode, add(stranger, stranger, pubKey(1), stdCapacity, ugld(0)))
	// A node key's own account can register nothing on its behalf as a node: it is only a signer.
	f.fails(types.ErrNotController, add(nodeAccount(t, 1), owner, pubKey(9), stdCapacity, ugld(0)))
}

func TestAddNodeLimit(t *testing.T) {
	f := setup(t)
	f.register()
	params := types.DefaultParams()
	params.MaxNodesPerProvider = 2
	f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, params) })
	f.addNode(1, 0)
	f.addNode(2, 0)
	f.fails(types.ErrTooManyNodes, func() error {
		_, err := f.msg.AddNode(f.ctx, &types.MsgAddNode{Signer: owner, Provider: owner, PubKey: pubKey(3), Capacity: stdCapacity, Bond: ugld(0)})
		return err
	})
	// Another provider has its own budget; removing a node frees a slot.
	f.ok(func() error { return f.k.RegisterProvider(f.ctx, stranger, "other", "", nil) })
	f.ok(func() error {
		_, _, err := f.k.AddNode(f.ctx, stranger, stranger, pubKey(3), stdCapacity, ugld(0))
		return err
	})
	f.ok(func() error { return f.k.RemoveNode(f.ctx, owner, 1) })
	f.addNode(4, 0)
}
