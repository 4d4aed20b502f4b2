package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

func sdkUnwrap(ctx context.Context) sdk.Context { return sdk.UnwrapSDKContext(ctx) }

// execute carries out a passed proposal. It rechecks the content (the vault or the parameters
// may have changed since it was submitted) and acts as the vault account where x/provider needs
// the owner. It is the only path by which a custodied provider's owner acts.
func (k Keeper) execute(ctx context.Context, p types.Proposal) error {
	v, err := k.GetVault(ctx, p.VaultId)
	if err != nil {
		return err
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	c := p.Content
	if err := checkContent(v, params, c); err != nil {
		return err
	}
	// Income so far is booked under the old rules, before any change.
	t, err := k.touch(ctx, v.Id)
	if err != nil {
		return err
	}
	if err := k.commit(ctx, t); err != nil {
		return err
	}
	v = t.v
	var ev proto.Message
	switch c.Kind {
	case types.ProposalKind_PROPOSAL_KIND_UPDATE_TERMS:
		v.Terms = *c.Terms
		ev = &types.EventTermsUpdated{VaultId: v.Id}
	case types.ProposalKind_PROPOSAL_KIND_CHANGE_OPERATOR:
		v.Operator = c.Address
		if v.Status == types.VaultStatus_VAULT_STATUS_CUSTODY {
			if err := k.provider.SetOperator(ctx, v.Provider, v.Account, c.Address); err != nil {
				return err
			}
		}
		ev = &types.EventVaultOperatorChanged{VaultId: v.Id, Operator: c.Address}
	case types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY:
		v.Strategy, v.StrategyVersion = c.Strategy, c.StrategyVersion
		ev = &types.EventStrategySet{VaultId: v.Id, Strategy: c.Strategy, Version: c.StrategyVersion}
	case types.ProposalKind_PROPOSAL_KIND_PROVIDER_SET_OPERATOR:
		if err := k.provider.SetOperator(ctx, v.Provider, v.Account, c.Address); err != nil {
			return err
		}
	case types.ProposalKind_PROPOSAL_KIND_PROVIDER_WITHDRAW_BOND:
		if err := k.withdrawBond(ctx, &v, c.NodeId, c.Amount); err != nil {
			return err
		}
	case types.ProposalKind_PROPOSAL_KIND_RELEASE_CUSTODY:
		if err := k.release(ctx, &v, c.Address); err != nil {
			return err
		}
		ev = &types.EventCustodyReleased{VaultId: v.Id, Provider: v.Provider, NewOwner: c.Address}
	default:
		return errorsmod.Wrapf(types.ErrInvalidProposal, "kind %s", c.Kind)
	}
	if err := k.saveVault(ctx, v); err != nil {
		return err
	}
	if ev != nil {
		return modkit.Emit(ctx, ev)
	}
	return nil
}

// withdrawBond withdraws amount of a node bond to the vault account: up to the vault's pledge on
// the node it returns to liquid principal; the rest (a bond the vault did not place) arrives as
// income, which the next harvest books as reward.
func (k Keeper) withdrawBond(ctx context.Context, v *types.Vault, nodeID uint64, amount sdkmath.Int) error {
	n, err := k.provider.GetNode(ctx, nodeID)
	if err != nil {
		return err
	}
	if n.Provider != v.Provider {
		return errorsmod.Wrapf(types.ErrWrongProvider, "node %d belongs to %s", nodeID, n.Provider)
	}
	rec, err := k.pledge(ctx, v.Id, nodeID)
	if err != nil {
		return err
	}
	fromPledge := sdkmath.MinInt(rec.Amount, amount)
	if fromPledge.IsPositive() {
		if err := k.unpledge(ctx, v, nodeID, fromPledge); err != nil {
			return err
		}
	}
	if rest := amount.Sub(fromPledge); rest.IsPositive() {
		return k.provider.WithdrawBond(ctx, v.Account, nodeID, sdk.NewCoin(types.PrincipalDenom, rest))
	}
	return nil
}

// release hands the provider to newOwner: every pledge is withdrawn to liquid principal (which
// fails while a pledged node has a live lease), the beneficiary becomes newOwner, and the vault
// proposes newOwner as owner through x/provider's two-step change (newOwner accepts with
// `guildd tx provider accept-owner`). The vault moves to RELEASED; claims and exits go on.
func (k Keeper) release(ctx context.Context, v *types.Vault, newOwner string) error {
	records, err := k.vaultPledges(ctx, v.Id)
	if err != nil {
		return err
	}
	for _, r := range records {
		if err := k.unpledge(ctx, v, r.NodeId, r.Amount); err != nil {
			return err
		}
	}
	if !v.Pledged.IsZero() {
		return errorsmod.Wrapf(types.ErrPledgeStillPlaced, "vault %d: %s still pledged", v.Id, v.Pledged)
	}
	if err := k.provider.SetBeneficiary(ctx, v.Provider, v.Account, newOwner); err != nil {
		return err
	}
	if err := k.provider.ProposeOwner(ctx, v.Provider, v.Account, newOwner); err != nil {
		return err
	}
	v.Status = types.VaultStatus_VAULT_STATUS_RELEASED
	v.ReleasedTo = newOwner
	return nil
}
