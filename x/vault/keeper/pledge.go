package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

// Pledge moves liquid principal into a node bond of the custodied provider (x/provider's
// DepositBond, sent by the vault account). Only the operator may, only in custody, and only
// while liquid principal stays at least MinLiquid(principal assets, liquidity_reserve_bps).
func (k Keeper) Pledge(ctx context.Context, operator string, id, nodeID uint64, amount sdk.Coin) error {
	if err := modkit.ValidatePositiveCoin("amount", amount, types.PrincipalDenom); err != nil {
		return err
	}
	if _, err := k.operatedVault(ctx, id, operator, types.VaultStatus_VAULT_STATUS_CUSTODY); err != nil {
		return err
	}
	t, err := k.touch(ctx, id)
	if err != nil {
		return err
	}
	v := &t.v
	n, err := k.provider.GetNode(ctx, nodeID)
	if err != nil {
		return err
	}
	if n.Provider != v.Provider {
		return errorsmod.Wrapf(types.ErrWrongProvider, "node %d belongs to %s, vault %d holds %s", nodeID, n.Provider, id, v.Provider)
	}
	if amount.Amount.GT(v.Liquid) {
		return errorsmod.Wrapf(types.ErrInsufficientLiquid, "vault %d: pledge %s, liquid %s", id, amount, v.Liquid)
	}
	minLiquid := types.MinLiquid(v.PrincipalAssets(), v.Terms.LiquidityReserveBps)
	if left := v.Liquid.Sub(amount.Amount); left.LT(minLiquid) {
		return errorsmod.Wrapf(types.ErrReserveBreached, "vault %d: pledging %s leaves %s liquid, the %d bps reserve needs %s (at most %s can be pledged)",
			id, amount, left, v.Terms.LiquidityReserveBps, minLiquid, sdkmath.MaxInt(v.Liquid.Sub(minLiquid), sdkmath.ZeroInt()))
	}
	if err := k.commit(ctx, t); err != nil {
		return err
	}
	if err := k.provider.DepositBond(ctx, v.Account, nodeID, amount); err != nil {
		return errorsmod.Wrapf(err, "vault %d: pledge on node %d", id, nodeID)
	}
	rec, err := k.pledge(ctx, id, nodeID)
	if err != nil {
		return err
	}
	rec.Amount = rec.Amount.Add(amount.Amount)
	if err := k.pledges.Set(ctx, collections.Join(id, nodeID), rec); err != nil {
		return err
	}
	v.Liquid = v.Liquid.Sub(amount.Amount)
	v.Pledged = v.Pledged.Add(amount.Amount)
	if err := k.saveVault(ctx, *v); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventPledged{VaultId: id, NodeId: nodeID, Amount: amount.Amount.String()})
}

// Unpledge withdraws pledged principal from a node bond back to the vault account (x/provider's
// WithdrawBond as the owner); x/provider refuses it while the node has a live lease.
func (k Keeper) Unpledge(ctx context.Context, operator string, id, nodeID uint64, amount sdk.Coin) error {
	if err := modkit.ValidatePositiveCoin("amount", amount, types.PrincipalDenom); err != nil {
		return err
	}
	if _, err := k.operatedVault(ctx, id, operator, types.VaultStatus_VAULT_STATUS_CUSTODY); err != nil {
		return err
	}
	t, err := k.touch(ctx, id)
	if err != nil {
		return err
	}
	stored, err := k.pledge(ctx, id, nodeID)
	if err != nil {
		return err
	}
	rec := stored.Amount
	for _, p := range t.pledges { // a reconcile may have written it down
		if p.NodeId == nodeID {
			rec = p.Amount
		}
	}
	if !rec.IsPositive() {
		return errorsmod.Wrapf(types.ErrPledgeNotFound, "vault %d has nothing pledged on node %d", id, nodeID)
	}
	if amount.Amount.GT(rec) {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "vault %d: unpledge %s, pledged %s on node %d", id, amount, rec, nodeID)
	}
	n, err := k.provider.GetNode(ctx, nodeID)
	if err != nil {
		return err
	}
	if n.LiveLeases > 0 {
		return errorsmod.Wrapf(types.ErrInvalidStatus, "node %d has %d live leases: unpledge when it has none", nodeID, n.LiveLeases)
	}
	if err := k.commit(ctx, t); err != nil {
		return err
	}
	if err := k.unpledge(ctx, &t.v, nodeID, amount.Amount); err != nil {
		return err
	}
	return k.saveVault(ctx, t.v)
}

// unpledge withdraws amount (at most the record) from a node bond into the vault account as
// liquid principal and updates the record. The vault is updated in memory; the caller saves it.
func (k Keeper) unpledge(ctx context.Context, v *types.Vault, nodeID uint64, amount sdkmath.Int) error {
	rec, err := k.pledge(ctx, v.Id, nodeID)
	if err != nil {
		return err
	}
	if amount.GT(rec.Amount) {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "vault %d: unpledge %s, pledged %s on node %d", v.Id, amount, rec.Amount, nodeID)
	}
	if err := k.provider.WithdrawBond(ctx, v.Account, nodeID, sdk.NewCoin(types.PrincipalDenom, amount)); err != nil {
		return errorsmod.Wrapf(err, "vault %d: unpledge from node %d", v.Id, nodeID)
	}
	rec.Amount = rec.Amount.Sub(amount)
	key := collections.Join(v.Id, nodeID)
	if rec.Amount.IsZero() {
		err = k.pledges.Remove(ctx, key)
	} else {
		err = k.pledges.Set(ctx, key, rec)
	}
	if err != nil {
		return err
	}
	v.Liquid = v.Liquid.Add(amount)
	v.Pledged = v.Pledged.Sub(amount)
	return modkit.Emit(ctx, &types.EventUnpledged{VaultId: v.Id, NodeId: nodeID, Amount: amount.String()})
}

// pledge returns the pledge record of a vault on a node (zero if none).
func (k Keeper) pledge(ctx context.Context, vaultID, nodeID uint64) (types.Pledge, error) {
	p, err := k.pledges.Get(ctx, collections.Join(vaultID, nodeID))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Pledge{VaultId: vaultID, NodeId: nodeID, Amount: sdkmath.ZeroInt()}, nil
	}
	return p, err
}
