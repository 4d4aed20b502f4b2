package keeper

import (
	"context"
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/farming/types"
)

// A pool contract's balance always belongs to its current target: JoinPool pays the owner what
// it won while self-pooling before the pool becomes the target, and the end of LEAVING_POOL pays
// the pool what it won while it was the target before the owner becomes it again. So a pool
// never loses rewards won during LEAVING_POOL to a slow absorb (pool-reference #86), and Absorb
// only ever pays the current target.

// CreatePoolContract creates a self-pooling pool contract owned by owner (which may be a module
// account: a vault calls this with its own address) and returns its id.
func (k Keeper) CreatePoolContract(ctx context.Context, owner string, ownerPublicKey []byte) (uint64, error) {
	addr, err := k.payableAddress("owner", owner)
	if err != nil {
		return 0, err
	}
	if err := types.ValidatePubKey("owner_public_key", ownerPublicKey); err != nil {
		return 0, err
	}
	id, err := modkit.NextID(ctx, k.nextPoolID)
	if err != nil {
		return 0, err
	}
	c := types.PoolContract{
		Id: id, Owner: addr.String(), OwnerPublicKey: ownerPublicKey, State: types.POOL_STATE_SELF_POOLING,
		Target: addr.String(), CreatedAt: modkit.BlockHeight(ctx),
		Balance: sdkmath.ZeroInt(), TotalWon: sdkmath.ZeroInt(), TotalAbsorbed: sdkmath.ZeroInt(),
	}
	if err := k.pools.Set(ctx, id, c); err != nil {
		return 0, err
	}
	return id, modkit.Emit(ctx, &types.EventPoolContractCreated{Id: id, Owner: c.Owner, OwnerPublicKey: hex.EncodeToString(ownerPublicKey)})
}

// JoinPool makes a self-pooling contract farm to a pool: target receives its rewards from now
// on, and keeps receiving them for relativeLock blocks after LeavePool. Only the owner may, only
// from SELF_POOLING; the balance won while self-pooling is paid to the owner first.
func (k Keeper) JoinPool(ctx context.Context, owner string, id uint64, target, poolURL string, relativeLock uint64) error {
	c, err := k.ownedContract(ctx, owner, id)
	if err != nil {
		return err
	}
	if c.State != types.POOL_STATE_SELF_POOLING {
		return errorsmod.Wrapf(types.ErrInvalidPoolState, "pool contract %d is %s: join needs SELF_POOLING", id, c.State)
	}
	if _, err := k.payableAddress("target", target); err != nil {
		return err
	}
	if err := types.ValidatePoolURL(poolURL); err != nil {
		return err
	}
	p, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	if relativeLock == 0 || relativeLock > p.MaxRelativeLock {
		return errorsmod.Wrapf(types.ErrInvalidRelativeLock, "%d blocks, want 1…%d", relativeLock, p.MaxRelativeLock)
	}
	ev, err := k.payOut(ctx, p, &c, "")
	if err != nil {
		return err
	}
	prev := c.State
	c.State, c.Target, c.PoolUrl, c.RelativeLock = types.POOL_STATE_FARMING_TO_POOL, target, poolURL, relativeLock
	if err := k.pools.Set(ctx, id, c); err != nil {
		return err
	}
	return modkit.EmitAll(ctx, append(ev, stateChanged(prev, c))...)
}

// LeavePool starts leaving the pool: the contract is LEAVING_POOL, the pool stays its target for
// relative_lock blocks, then it returns to SELF_POOLING (BeginBlock). Only the owner may, only
// from FARMING_TO_POOL. It returns the height at which the lock ends.
func (k Keeper) LeavePool(ctx context.Context, owner string, id uint64) (int64, error) {
	c, err := k.ownedContract(ctx, owner, id)
	if err != nil {
		return 0, err
	}
	if c.State != types.POOL_STATE_FARMING_TO_POOL {
		return 0, errorsmod.Wrapf(types.ErrInvalidPoolState, "pool contract %d is %s: leave needs FARMING_TO_POOL", id, c.State)
	}
	prev := c.State
	c.State = types.POOL_STATE_LEAVING_POOL
	c.LeavingUntil = modkit.BlockHeight(ctx) + int64(c.RelativeLock)
	if err := k.pools.Set(ctx, id, c); err != nil {
		return 0, err
	}
	return c.LeavingUntil, modkit.Emit(ctx, stateChanged(prev, c))
}

// Absorb moves a pool contract's balance to its current target. Anyone may call it (a pool's
// absorb loop, a vault, the owner); target must be the current target.
func (k Keeper) Absorb(ctx context.Context, signer string, id uint64, target string) (sdkmath.Int, error) {
	c, err := k.GetPoolContract(ctx, id)
	if err != nil {
		return sdkmath.Int{}, err
	}
	if target != c.Target {
		return sdkmath.Int{}, errorsmod.Wrapf(types.ErrNotPoolTarget, "pool contract %d: %s is not the target %s", id, target, c.Target)
	}
	if !c.Balance.IsPositive() {
		return sdkmath.Int{}, errorsmod.Wrapf(types.ErrNothingToAbsorb, "pool contract %d", id)
	}
	p, err := k.params.Get(ctx)
	if err != nil {
		return sdkmath.Int{}, err
	}
	amount := c.Balance
	ev, err := k.payOut(ctx, p, &c, signer)
	if err != nil {
		return sdkmath.Int{}, err
	}
	if err := k.pools.Set(ctx, id, c); err != nil {
		return sdkmath.Int{}, err
	}
	return amount, modkit.EmitAll(ctx, ev...)
}

// finishLeaving ends LEAVING_POOL: the pool is paid the balance it won, and the owner becomes
// the target again.
func (k Keeper) finishLeaving(ctx context.Context, id uint64) error {
	c, err := k.GetPoolContract(ctx, id)
	if err != nil {
		return err
	}
	p, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	ev, err := k.payOut(ctx, p, &c, types.ModuleName)
	if err != nil {
		return err
	}
	prev := c.State
	c.State, c.Target, c.PoolUrl, c.RelativeLock, c.LeavingUntil = types.POOL_STATE_SELF_POOLING, c.Owner, "", 0, 0
	if err := k.pools.Set(ctx, id, c); err != nil {
		return err
	}
	return modkit.EmitAll(ctx, append(ev, stateChanged(prev, c))...)
}

// payOut sends a contract's balance to its target (nothing when it is zero), updates the
// contract in memory and the totals in the store, and returns the event to emit.
func (k Keeper) payOut(ctx context.Context, p types.Params, c *types.PoolContract, signer string) ([]proto.Message, error) {
	if !c.Balance.IsPositive() {
		return nil, nil
	}
	to, err := sdk.AccAddressFromBech32(c.Target)
	if err != nil {
		return nil, err
	}
	amount := c.Balance
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, to, sdk.NewCoins(sdk.NewCoin(p.RewardDenom, amount))); err != nil {
		return nil, errorsmod.Wrapf(err, "absorbing pool contract %d", c.Id)
	}
	st, err := k.state.Get(ctx)
	if err != nil {
		return nil, err
	}
	st.Absorbed = st.Absorbed.Add(amount)
	if err := k.state.Set(ctx, st); err != nil {
		return nil, err
	}
	c.Balance = sdkmath.ZeroInt()
	c.TotalAbsorbed = c.TotalAbsorbed.Add(amount)
	if signer == "" {
		signer = c.Owner
	}
	return []proto.Message{&types.EventAbsorbed{Id: c.Id, Target: c.Target, Amount: amount.String(), Denom: p.RewardDenom, Signer: signer}}, nil
}

// ownedContract returns a contract whose owner is signer.
func (k Keeper) ownedContract(ctx context.Context, signer string, id uint64) (types.PoolContract, error) {
	c, err := k.GetPoolContract(ctx, id)
	if err != nil {
		return c, err
	}
	if signer != c.Owner {
		return c, errorsmod.Wrapf(types.ErrNotOwner, "pool contract %d: %s is not the owner %s", id, signer, c.Owner)
	}
	return c, nil
}

// payableAddress parses an address that will receive rewards and refuses one the bank blocks
// (a payout to it would fail inside BeginBlock).
func (k Keeper) payableAddress(field, addr string) (sdk.AccAddress, error) {
	a, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	if k.bank.BlockedAddr(a) {
		return nil, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s %s may not receive funds", field, addr)
	}
	return a, nil
}

func stateChanged(prev types.PoolState, c types.PoolContract) *types.EventPoolContractStateChanged {
	return &types.EventPoolContractStateChanged{
		Id: c.Id, PreviousState: prev, State: c.State, Target: c.Target, PoolUrl: c.PoolUrl,
		RelativeLock: c.RelativeLock, LeavingUntil: c.LeavingUntil,
	}
}
