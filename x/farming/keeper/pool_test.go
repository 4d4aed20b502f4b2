package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/farming/types"
)

const poolURL = "https://pool.example.org"

func (f *fixture) join(owner string, id uint64, lock uint64) func(sdk.Context) error {
	return func(ctx sdk.Context) error {
		_, err := f.msg.JoinPool(ctx, &types.MsgJoinPool{Owner: owner, PoolContractId: id, Target: poolAddr, PoolUrl: poolURL, RelativeLock: lock})
		return err
	}
}

func (f *fixture) leave(owner string, id uint64) func(sdk.Context) error {
	return func(ctx sdk.Context) error {
		_, err := f.msg.LeavePool(ctx, &types.MsgLeavePool{Owner: owner, PoolContractId: id})
		return err
	}
}

// win makes plot a win the next signage point it has a proof for and closes it.
func (f *fixture) win(a *testPlot, reward string) {
	f.t.Helper()
	sp, cands := f.findSP(a)
	f.c.OK(f.submit(a.msg(sp, cands[0][0].proof, reward, reward)), &types.EventProofAccepted{})
	for f.ctx.BlockHeight() < sp.CloseHeight {
		f.next()
	}
	require.True(f.t, f.sp(sp.Height).Awarded)
}

func TestPoolContractLifecycle(t *testing.T) {
	f := setup(t, testParams())
	f.createContracts()
	c := f.contract(1)
	require.Equal(t, types.POOL_STATE_SELF_POOLING, c.State)
	require.Equal(t, farmerA, c.Target)

	// A self-pooling win: the balance is the owner's.
	f.win(plots[0], farmerA)
	selfBalance := f.contract(1).Balance
	require.True(t, selfBalance.IsPositive())

	// Join: non-owner refused; bad lock refused; the owner's balance is paid to it first.
	f.c.Fails(types.ErrNotOwner, f.join(stranger, 1, 5))
	f.c.Fails(types.ErrInvalidRelativeLock, f.join(farmerA, 1, testParams().MaxRelativeLock+1))
	f.c.Fails(types.ErrPoolContractNotFound, f.join(farmerA, 7, 5))
	f.c.Fails(types.ErrNotOwner, f.leave(stranger, 1))
	f.c.Fails(types.ErrInvalidPoolState, f.leave(farmerA, 1))
	ownerBefore := f.bank.balance(farmerA)
	f.c.OK(f.join(farmerA, 1, 20), &types.EventAbsorbed{}, &types.EventPoolContractStateChanged{})
	require.Equal(t, ownerBefore.Add(selfBalance).String(), f.bank.balance(farmerA).String())
	c = f.contract(1)
	require.Equal(t, types.POOL_STATE_FARMING_TO_POOL, c.State)
	require.Equal(t, poolAddr, c.Target)
	require.True(t, c.Balance.IsZero())
	f.c.Fails(types.ErrInvalidPoolState, f.join(farmerA, 1, 5))
	members, err := f.q.PoolContractsByTarget(f.ctx, &types.QueryPoolContractsByTargetRequest{Target: poolAddr})
	require.NoError(t, err)
	require.Len(t, members.PoolContracts, 1)

	// Farming to the pool: 7/8 to the contract, which only the pool can absorb.
	f.win(plots[0], farmerA)
	won := f.contract(1).Balance
	f.c.Fails(types.ErrNotPoolTarget, func(ctx sdk.Context) error {
		_, err := f.k.Absorb(ctx, farmerA, 1, farmerA)
		return err
	})
	f.c.OK(func(ctx sdk.Context) error { _, err := f.k.Absorb(ctx, stranger, 1, poolAddr); return err }, &types.EventAbsorbed{})
	require.Equal(t, won.String(), f.bank.balance(poolAddr).String())

	// Leave: LEAVING_POOL for the lock; a win during it still goes to the pool.
	var until int64
	f.c.OK(func(ctx sdk.Context) error { var err error; until, err = f.k.LeavePool(ctx, farmerA, 1); return err },
		&types.EventPoolContractStateChanged{})
	require.Equal(t, f.ctx.BlockHeight()+20, until)
	f.c.Fails(types.ErrInvalidPoolState, f.join(farmerA, 1, 5))
	f.c.Fails(types.ErrInvalidPoolState, f.leave(farmerA, 1))
	n, err := f.k.LeavingQueueLen(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	// Find a win that closes inside the lock: submit on the first signage point with a proof.
	sp, cands := f.findSP(plots[0])
	require.LessOrEqual(t, sp.CloseHeight, until, "the win must close inside the lock")
	f.c.OK(f.submit(plots[0].msg(sp, cands[0][0].proof, farmerA, farmerA)))
	for f.ctx.BlockHeight() < sp.CloseHeight {
		f.next()
	}
	duringLeave := f.contract(1).Balance
	require.True(t, duringLeave.IsPositive())
	require.Equal(t, types.POOL_STATE_LEAVING_POOL, f.contract(1).State)
	poolBefore := f.bank.balance(poolAddr)
	for f.ctx.BlockHeight() < until {
		f.next()
	}
	// The lock ended: what was won during LEAVING_POOL went to the pool, and the owner is the
	// target again.
	c = f.contract(1)
	require.Equal(t, types.POOL_STATE_SELF_POOLING, c.State)
	require.Equal(t, farmerA, c.Target)
	require.True(t, c.Balance.IsZero())
	require.Equal(t, poolBefore.Add(duringLeave).String(), f.bank.balance(poolAddr).String())
	n, err = f.k.LeavingQueueLen(f.ctx)
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestCreatePoolContractRefusals(t *testing.T) {
	f := setup(t, testParams())
	f.c.Fails(types.ErrInvalidPubKey, func(ctx sdk.Context) error {
		_, err := f.k.CreatePoolContract(ctx, farmerA, []byte{1, 2})
		return err
	})
	f.c.Fails(sdkerrors.ErrUnauthorized, func(ctx sdk.Context) error {
		_, err := f.k.CreatePoolContract(ctx, blocked, plots[0].pub)
		return err
	})
	// A module account (a vault's derived account) may own a contract through its keeper.
	vault := sdk.AccAddress([]byte("vault-account-0001xx")).String()
	var id uint64
	f.c.OK(func(ctx sdk.Context) error {
		var err error
		id, err = f.k.CreatePoolContract(ctx, vault, plots[0].pub)
		return err
	})
	f.c.OK(func(ctx sdk.Context) error { return f.k.JoinPool(ctx, vault, id, poolAddr, poolURL, 3) })
	f.c.Fails(types.ErrNotOwner, func(ctx sdk.Context) error { _, err := f.k.LeavePool(ctx, farmerA, id); return err })
	var own uint64
	f.c.OK(func(ctx sdk.Context) error {
		var err error
		own, err = f.k.CreatePoolContract(ctx, farmerA, plots[0].pub)
		return err
	})
	f.c.Fails(sdkerrors.ErrUnauthorized, func(ctx sdk.Context) error { return f.k.JoinPool(ctx, farmerA, own, blocked, poolURL, 3) })
	f.c.Fails(types.ErrInvalidPoolURL, func(ctx sdk.Context) error { return f.k.JoinPool(ctx, farmerA, own, poolAddr, "ftp://x", 3) })
}

func TestValidatePoolURL(t *testing.T) {
	for _, ok := range []string{"https://pool.example.org", "https://pool.example.org:8443/v1", "http://127.0.0.1:8444"} {
		require.NoError(t, types.ValidatePoolURL(ok), ok)
	}
	for _, bad := range []string{"", "pool.example.org", "http://pool.example.org", "https://Pool.example.org", "https://pool.example.org/", "https://x.org?a=1"} {
		require.ErrorIs(t, types.ValidatePoolURL(bad), types.ErrInvalidPoolURL, bad)
	}
}
