package keeper

import (
	"context"
	"encoding/hex"
	"errors"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

// position is an agent's standing in the pool a credential speaks about, accrued to now.
type position struct {
	denom string
	pool  types.Pool
	loan  types.Loan
	debt  sdkmath.Int
	// chainSeen is what the chain sees the agent hold in denom after the action.
	chainSeen sdkmath.Int
}

// checkCredential verifies a signed credential for a message without writing anything: the
// signature over the domain-separated hash, a trusted issuer, a short window around the current
// height, a hash never burnt, and subject, action, value and target equal to the message's.
// It returns the credential and its hash; burn records the hash once every check has passed.
func (k Keeper) checkCredential(ctx context.Context, params types.Params, agentID uint64, sc types.SignedCredential, action string, value sdk.Coin, target string) (types.Credential, []byte, error) {
	hash, err := sc.ValidateBasic(modkit.ChainID(ctx))
	if err != nil {
		return types.Credential{}, nil, err
	}
	c := sc.Credential
	if !params.IsTrustedIssuer(c.Issuer) {
		return c, nil, errorsmod.Wrapf(types.ErrUntrustedIssuer, "issuer %x", c.Issuer)
	}
	h := modkit.BlockHeight(ctx)
	if c.ValidUntilHeight-c.IssuedHeight > params.MaxCredentialWindow {
		return c, nil, errorsmod.Wrapf(types.ErrCredentialExpired, "window %d..%d is longer than %d blocks", c.IssuedHeight, c.ValidUntilHeight, params.MaxCredentialWindow)
	}
	if h < c.IssuedHeight || h > c.ValidUntilHeight {
		return c, nil, errorsmod.Wrapf(types.ErrCredentialExpired, "valid %d..%d, height %d", c.IssuedHeight, c.ValidUntilHeight, h)
	}
	used, err := k.used.Has(ctx, hash)
	if err != nil {
		return c, nil, err
	}
	if used {
		return c, nil, errorsmod.Wrapf(types.ErrCredentialUsed, "hash %x", hash)
	}
	if err := c.CheckMatch(agentID, action, value, target); err != nil {
		return c, nil, err
	}
	return c, hash, nil
}

// checkPositionCredential is checkCredential for an agent, plus the position it speaks about:
// the pool of the value's denom, or of the agent's open loan for actions that move no value.
// delta is the change the action makes to what the chain sees the agent hold (cc, in the
// position's denom); the
// credential's collateral_value may not exceed the result (so a compromised issuer cannot
// inflate it).
func (k Keeper) checkPositionCredential(ctx context.Context, params types.Params, a types.Agent, sc types.SignedCredential,
	action string, target string, delta func(cc types.QueryChainCollateralResponse) sdkmath.Int, value ...sdk.Coin,
) (types.Credential, []byte, position, error) {
	v := sdk.Coin{Amount: sdkmath.ZeroInt()}
	if len(value) == 1 {
		v = value[0]
	}
	c, hash, err := k.checkCredential(ctx, params, a.Id, sc, action, v, target)
	if err != nil {
		return c, nil, position{}, err
	}
	pos := position{denom: v.Denom, debt: sdkmath.ZeroInt(), chainSeen: sdkmath.ZeroInt()}
	if pos.denom == "" {
		if pos.denom, err = k.openLoanDenom(ctx, a.Id); err != nil {
			return c, nil, pos, err
		}
	}
	if pos.denom == "" {
		return c, hash, pos, nil // no debt anywhere: nothing to weigh the data against
	}
	if pos.pool, err = k.loadPool(ctx, params, pos.denom); err != nil {
		if errors.Is(err, types.ErrPoolNotFound) && action != types.ActionBorrow {
			return c, hash, position{denom: pos.denom, debt: sdkmath.ZeroInt()}, nil // no debt in a denom without a pool
		}
		return c, nil, pos, err
	}
	if pos.loan, err = k.loan(ctx, a.Id, pos.denom); err != nil {
		return c, nil, pos, err
	}
	pos.debt = types.DebtOf(pos.loan.Scaled, pos.pool.BorrowIndex)
	cc, err := k.ChainCollateral(ctx, a, pos.denom)
	if err != nil {
		return c, nil, pos, err
	}
	pos.chainSeen = cc.Total.Add(delta(cc))
	if c.Data.CollateralValue.GT(pos.chainSeen) {
		return c, nil, pos, errorsmod.Wrapf(types.ErrCollateralTooHigh,
			"collateral_value %s%s, but the chain sees the agent hold %s%s after the action (liquid %s, bonds %s, unclaimed earnings %s)",
			c.Data.CollateralValue, pos.denom, pos.chainSeen, pos.denom, cc.Liquid, cc.Bonds, cc.Earnings)
	}
	return c, hash, pos, nil
}

// checkHealthy requires DTL within max_dtl (failing with errDTL) and faults within tolerance.
func checkHealthy(params types.Params, c types.Credential, debt sdkmath.Int, errDTL *errorsmod.Error) error {
	if !types.FaultsWithin(c.Data.FaultySectors, c.Data.LiveSectors, params.FaultToleranceBps) {
		return errorsmod.Wrapf(types.ErrFaultsExceeded, "%d faulty units against %d live: above %d bps",
			c.Data.FaultySectors, c.Data.LiveSectors, params.FaultToleranceBps)
	}
	if !types.WithinDTL(debt, c.Data.CollateralValue, params.MaxDtlBps) {
		return errorsmod.Wrapf(errDTL, "debt %s against collateral %s is %d bps, above the %d bps limit",
			debt, c.Data.CollateralValue, types.DTLBps(debt, c.Data.CollateralValue), params.MaxDtlBps)
	}
	return nil
}

// burn records a credential's hash until its validity ends; the end blocker prunes it after.
func (k Keeper) burn(ctx context.Context, agentID uint64, hash []byte, c types.Credential) error {
	if err := k.used.Set(ctx, hash, types.UsedCredential{Hash: hash, ValidUntilHeight: c.ValidUntilHeight, AgentId: agentID}); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventCredentialUsed{AgentId: agentID, Hash: hex.EncodeToString(hash), Action: c.Action, ValidUntilHeight: c.ValidUntilHeight})
}

// PruneCredentials deletes at most limit burnt hashes whose validity ended before height: they
// can no longer pass the window check, so forgetting them cannot enable a replay.
func (k Keeper) PruneCredentials(ctx context.Context, height int64, limit int) (int, error) {
	return modkit.WalkDue(ctx, k.used.Indexes.Expiry, height-1, limit, func(_ int64, hash []byte) error {
		return k.used.Remove(ctx, hash)
	})
}

// EndBlocker prunes expired credential hashes, a bounded number per block.
func (k Keeper) EndBlocker(ctx context.Context) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	_, err = k.PruneCredentials(ctx, modkit.BlockHeight(ctx), int(params.PrunePerBlock))
	return err
}
