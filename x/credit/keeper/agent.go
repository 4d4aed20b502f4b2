package keeper

import (
	"context"
	"slices"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

// CreateAgent creates an agent owned by owner (operator defaults to the owner) with its
// derived account, and returns its id and address.
func (k Keeper) CreateAgent(ctx context.Context, owner, operator string, requesterKey []byte) (uint64, string, error) {
	if err := modkit.ValidateAddress("owner", owner); err != nil {
		return 0, "", err
	}
	if operator == "" {
		operator = owner
	}
	if err := modkit.ValidateAddress("operator", operator); err != nil {
		return 0, "", err
	}
	if err := types.ValidateRequesterKey(requesterKey); err != nil {
		return 0, "", err
	}
	id, err := modkit.NextID(ctx, k.nextAgentID)
	if err != nil {
		return 0, "", err
	}
	a := types.Agent{
		Id: id, Address: types.AgentAddress(id).String(), Owner: owner, Operator: operator,
		RequesterKey: requesterKey, State: types.AGENT_STATE_HEALTHY, CreatedAt: modkit.BlockTime(ctx),
	}
	if err := k.agents.Set(ctx, id, a); err != nil {
		return 0, "", err
	}
	return id, a.Address, modkit.Emit(ctx, &types.EventAgentCreated{AgentId: id, Address: a.Address, Owner: owner, Operator: operator})
}

// SetRequesterKey rotates the key that signs the agent's ADO requests; only the owner may.
func (k Keeper) SetRequesterKey(ctx context.Context, owner string, agentID uint64, key []byte) error {
	a, err := k.ownedAgent(ctx, agentID, owner)
	if err != nil {
		return err
	}
	if err := types.ValidateRequesterKey(key); err != nil {
		return err
	}
	a.RequesterKey = key
	if err := k.agents.Set(ctx, agentID, a); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventRequesterKeyChanged{AgentId: agentID})
}

// ownedAgent loads an agent and checks that signer is its owner.
func (k Keeper) ownedAgent(ctx context.Context, id uint64, signer string) (types.Agent, error) {
	a, err := k.GetAgent(ctx, id)
	if err != nil {
		return a, err
	}
	if signer != a.Owner {
		return a, errorsmod.Wrapf(types.ErrNotOwner, "%s for agent %d", signer, id)
	}
	return a, nil
}

// controlledAgent loads an agent and checks that signer is its owner or operator.
func (k Keeper) controlledAgent(ctx context.Context, id uint64, signer string) (types.Agent, error) {
	a, err := k.GetAgent(ctx, id)
	if err != nil {
		return a, err
	}
	if signer != a.Owner && signer != a.Operator {
		return a, errorsmod.Wrapf(types.ErrNotController, "%s for agent %d", signer, id)
	}
	return a, nil
}

// AddProvider takes a provider as the agent's collateral. The provider's owner must first have
// proposed the agent's account as owner (x/provider propose-owner); the agent then accepts and
// makes itself the beneficiary, so the provider's payouts land in the agent. Owner or operator.
func (k Keeper) AddProvider(ctx context.Context, signer string, agentID uint64, provider string) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	a, err := k.controlledAgent(ctx, agentID, signer)
	if err != nil {
		return err
	}
	if a.State == types.AGENT_STATE_DEFAULT {
		return errorsmod.Wrapf(types.ErrInvalidState, "agent %d is in default", agentID)
	}
	if slices.Contains(a.Providers, provider) {
		return errorsmod.Wrapf(types.ErrProviderTaken, "agent %d already holds %s", agentID, provider)
	}
	if uint32(len(a.Providers)) >= params.MaxProvidersPerAgent {
		return errorsmod.Wrapf(types.ErrTooManyProviders, "agent %d holds %d providers (max %d)", agentID, len(a.Providers), params.MaxProvidersPerAgent)
	}
	p, err := k.provider.GetProvider(ctx, provider)
	if err != nil {
		return err
	}
	if p.PendingOwner != a.Address {
		return errorsmod.Wrapf(types.ErrProviderNotOffered, "provider %s: pending owner %q, agent account %s; run `guildd tx provider propose-owner %s %s` as its owner first",
			provider, p.PendingOwner, a.Address, provider, a.Address)
	}
	if err := k.provider.AcceptOwner(ctx, provider, a.Address); err != nil {
		return err
	}
	if err := k.provider.SetBeneficiary(ctx, provider, a.Address, a.Address); err != nil {
		return err
	}
	a.Providers = append(a.Providers, provider)
	slices.Sort(a.Providers)
	if err := k.agents.Set(ctx, agentID, a); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventProviderAdded{AgentId: agentID, Provider: provider})
}

// RemoveProvider releases a provider from the agent (owner only, with a credential whose
// collateral_value is the agent's value without the provider): the agent keeps DTL within
// max_dtl, proposes its owner as the provider's owner (who accepts with x/provider accept-owner)
// and makes the owner the beneficiary again.
func (k Keeper) RemoveProvider(ctx context.Context, owner string, agentID uint64, provider string, sc types.SignedCredential) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	a, err := k.ownedAgent(ctx, agentID, owner)
	if err != nil {
		return err
	}
	if a.State != types.AGENT_STATE_HEALTHY {
		return errorsmod.Wrapf(types.ErrInvalidState, "agent %d is %s", agentID, a.State)
	}
	if !slices.Contains(a.Providers, provider) {
		return errorsmod.Wrapf(types.ErrNotAgentProvider, "agent %d does not hold %s", agentID, provider)
	}
	cred, hash, pos, err := k.checkPositionCredential(ctx, params, a, sc, types.ActionRemoveProvider, provider, func(cc types.QueryChainCollateralResponse) sdkmath.Int {
		return providerCollateral(cc, provider).Neg()
	})
	if err != nil {
		return err
	}
	if err := checkHealthy(params, cred, pos.debt, types.ErrDTLExceeded); err != nil {
		return err
	}
	if err := k.burn(ctx, a.Id, hash, cred); err != nil {
		return err
	}
	if err := k.releaseProvider(ctx, a, provider); err != nil {
		return err
	}
	a.Providers = slices.DeleteFunc(a.Providers, func(p string) bool { return p == provider })
	return k.agents.Set(ctx, agentID, a)
}

// releaseProvider hands a provider back to the agent's owner (proposed owner and beneficiary).
func (k Keeper) releaseProvider(ctx context.Context, a types.Agent, provider string) error {
	if err := k.provider.SetBeneficiary(ctx, provider, a.Address, a.Owner); err != nil {
		return err
	}
	if err := k.provider.ProposeOwner(ctx, provider, a.Address, a.Owner); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventProviderRemoved{AgentId: a.Id, Provider: provider, ProposedOwner: a.Owner})
}

// ChainCollateral is what the chain itself sees the agent hold in denom: its liquid balance,
// the bonds of its providers' nodes in denom, and its providers' unclaimed market earnings in
// denom that the default waterfall can claim (x/market's lower bound net of the community fee,
// counted only for a provider whose live leases fit in the maxClaimPages pages the waterfall
// claims). No credential may claim more. Work: O(providers × payment denoms).
func (k Keeper) ChainCollateral(ctx context.Context, a types.Agent, denom string) (types.QueryChainCollateralResponse, error) {
	z := sdkmath.ZeroInt()
	res := types.QueryChainCollateralResponse{Liquid: k.bank.GetBalance(ctx, sdk.MustAccAddressFromBech32(a.Address), denom).Amount,
		Bonds: z, Earnings: z}
	for _, p := range a.Providers {
		b, err := k.provider.ProviderBonds(ctx, p)
		if err != nil {
			return res, err
		}
		e, err := k.market.ProviderEarnings(ctx, p, denom)
		if err != nil {
			return res, errorsmod.Wrapf(err, "earnings of %s", p)
		}
		pc := types.ProviderCollateral{Provider: p, Bonds: b.AmountOf(denom), Earnings: z, ClaimPages: e.ClaimPages}
		if e.ClaimPages <= maxClaimPages {
			pc.Earnings = e.Net
		}
		res.Bonds = res.Bonds.Add(pc.Bonds)
		res.Earnings = res.Earnings.Add(pc.Earnings)
		res.Providers = append(res.Providers, pc)
	}
	res.Total = res.Liquid.Add(res.Bonds).Add(res.Earnings)
	return res, nil
}

// providerCollateral is what one held provider adds to the agent's chain-seen collateral in
// denom (its bonds and counted earnings), or zero.
func providerCollateral(cc types.QueryChainCollateralResponse, provider string) sdkmath.Int {
	for _, p := range cc.Providers {
		if p.Provider == provider {
			return p.Bonds.Add(p.Earnings)
		}
	}
	return sdkmath.ZeroInt()
}
