package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
)

// GetProvider returns a provider, or ErrProviderNotFound.
func (k Keeper) GetProvider(ctx context.Context, address string) (types.Provider, error) {
	p, err := k.providers.Get(ctx, address)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Provider{}, errorsmod.Wrapf(types.ErrProviderNotFound, "provider %s", address)
	}
	return p, err
}

// IsController reports whether addr is the provider's owner or operator. It fails with
// ErrProviderNotFound for an unknown provider.
func (k Keeper) IsController(ctx context.Context, provider, addr string) (bool, error) {
	p, err := k.GetProvider(ctx, provider)
	if err != nil {
		return false, err
	}
	return isController(p, addr), nil
}

func isController(p types.Provider, addr string) bool {
	return addr != "" && (addr == p.Owner || addr == p.Operator)
}

// controlledProvider loads a provider and checks that signer is its owner or operator.
func (k Keeper) controlledProvider(ctx context.Context, provider, signer string) (types.Provider, error) {
	p, err := k.GetProvider(ctx, provider)
	if err != nil {
		return types.Provider{}, err
	}
	if !isController(p, signer) {
		return types.Provider{}, errorsmod.Wrapf(types.ErrNotController, "%s for provider %s", signer, provider)
	}
	return p, nil
}

// ownedProvider loads a provider and checks that owner is its owner. When the owner is a module
// account (a vault, a credit agent), only that module can pass this check, since nobody holds
// the account's key: it calls the keeper with its own address.
func (k Keeper) ownedProvider(ctx context.Context, provider, owner string) (types.Provider, error) {
	p, err := k.GetProvider(ctx, provider)
	if err != nil {
		return types.Provider{}, err
	}
	if owner == "" || p.Owner != owner {
		return types.Provider{}, errorsmod.Wrapf(types.ErrNotOwner, "%s for provider %s", owner, provider)
	}
	return p, nil
}

// RegisterProvider registers creator as a provider; it becomes owner, beneficiary and operator.
func (k Keeper) RegisterProvider(ctx context.Context, creator, moniker, hostURI string, attrs []types.Attribute) error {
	if err := types.ValidateAddress("creator", creator); err != nil {
		return err
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	if err := types.ValidateMetadata(moniker, hostURI, attrs, params.MaxAttributes); err != nil {
		return err
	}
	has, err := k.providers.Has(ctx, creator)
	if err != nil {
		return err
	}
	if has {
		return errorsmod.Wrapf(types.ErrProviderExists, "provider %s", creator)
	}
	p := types.Provider{
		Address:      creator,
		Owner:        creator,
		Beneficiary:  creator,
		Operator:     creator,
		Moniker:      moniker,
		HostUri:      hostURI,
		Attributes:   attrs,
		RegisteredAt: modkit.BlockTime(ctx),
	}
	if err := k.providers.Set(ctx, creator, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventProviderRegistered{Provider: creator, Owner: creator})
}

// UpdateProvider replaces a provider's moniker, host URI and attributes; signer must be its owner
// or operator.
func (k Keeper) UpdateProvider(ctx context.Context, signer, provider, moniker, hostURI string, attrs []types.Attribute) error {
	p, err := k.controlledProvider(ctx, provider, signer)
	if err != nil {
		return err
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	if err := types.ValidateMetadata(moniker, hostURI, attrs, params.MaxAttributes); err != nil {
		return err
	}
	p.Moniker, p.HostUri, p.Attributes = moniker, hostURI, attrs
	if err := k.providers.Set(ctx, provider, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventProviderUpdated{Provider: provider})
}

// ProposeOwner is the first step of an owner change: the owner names a pending owner, who
// becomes owner when it accepts. An empty newOwner cancels a pending proposal.
func (k Keeper) ProposeOwner(ctx context.Context, provider, owner, newOwner string) error {
	p, err := k.ownedProvider(ctx, provider, owner)
	if err != nil {
		return err
	}
	if newOwner != "" {
		if err := types.ValidateAddress("new_owner", newOwner); err != nil {
			return err
		}
		if newOwner == p.Owner {
			return errorsmod.Wrapf(types.ErrInvalidAddress, "%s is already the owner of %s", newOwner, provider)
		}
	}
	p.PendingOwner = newOwner
	if err := k.providers.Set(ctx, provider, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventOwnerProposed{Provider: provider, Owner: p.Owner, PendingOwner: newOwner})
}

// AcceptOwner completes an owner change: newOwner must be the pending owner. The beneficiary and
// the operator stay as they are; the new owner changes them if it wants to.
func (k Keeper) AcceptOwner(ctx context.Context, provider, newOwner string) error {
	p, err := k.GetProvider(ctx, provider)
	if err != nil {
		return err
	}
	if p.PendingOwner == "" || p.PendingOwner != newOwner {
		return errorsmod.Wrapf(types.ErrNotPendingOwner, "%s for provider %s (pending %q)", newOwner, provider, p.PendingOwner)
	}
	previous := p.Owner
	p.Owner, p.PendingOwner = newOwner, ""
	if err := k.providers.Set(ctx, provider, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventOwnerChanged{Provider: provider, PreviousOwner: previous, Owner: newOwner})
}

// SetBeneficiary changes who receives the provider's payouts; only the owner may.
func (k Keeper) SetBeneficiary(ctx context.Context, provider, owner, beneficiary string) error {
	p, err := k.ownedProvider(ctx, provider, owner)
	if err != nil {
		return err
	}
	if err := types.ValidateAddress("beneficiary", beneficiary); err != nil {
		return err
	}
	p.Beneficiary = beneficiary
	if err := k.providers.Set(ctx, provider, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventBeneficiaryChanged{Provider: provider, Beneficiary: beneficiary})
}

// SetOperator changes who manages the provider's nodes and offers; only the owner may.
func (k Keeper) SetOperator(ctx context.Context, provider, owner, operator string) error {
	p, err := k.ownedProvider(ctx, provider, owner)
	if err != nil {
		return err
	}
	if err := types.ValidateAddress("operator", operator); err != nil {
		return err
	}
	p.Operator = operator
	if err := k.providers.Set(ctx, provider, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventOperatorChanged{Provider: provider, Operator: operator})
}

// Score returns a provider's reputation score and counters.
func (k Keeper) Score(ctx context.Context, provider string) (uint32, types.Reputation, error) {
	p, err := k.GetProvider(ctx, provider)
	if err != nil {
		return 0, types.Reputation{}, err
	}
	return types.Score(p.Reputation), p.Reputation, nil
}
