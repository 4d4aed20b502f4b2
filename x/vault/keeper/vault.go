package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	markettypes "github.com/guild-network/guild/x/market/types"
	"github.com/guild-network/guild/x/vault/types"
)

// CreateVault creates an OPEN vault for a provider, with its own derived account and its x/nft
// class. The signer must be the provider's owner or operator and becomes the vault's operator.
func (k Keeper) CreateVault(ctx context.Context, operator, provider string, terms types.Terms, gov types.Governance) (types.Vault, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return types.Vault{}, err
	}
	if err := terms.Validate(params); err != nil {
		return types.Vault{}, err
	}
	if err := gov.Validate(params); err != nil {
		return types.Vault{}, err
	}
	ok, err := k.provider.IsController(ctx, provider, operator)
	if err != nil {
		return types.Vault{}, err
	}
	if !ok {
		return types.Vault{}, errorsmod.Wrapf(types.ErrNotController, "%s for provider %s", operator, provider)
	}
	if live, err := k.vaults.Indexes.Provider.PrimaryKeys(ctx, provider, 1); err != nil {
		return types.Vault{}, err
	} else if len(live) > 0 {
		return types.Vault{}, errorsmod.Wrapf(types.ErrProviderHasVault, "provider %s has vault %d (open or in custody); one live vault per provider", provider, live[0])
	}
	id, err := modkit.NextID(ctx, k.nextVaultID)
	if err != nil {
		return types.Vault{}, err
	}
	account := types.VaultAddress(id)
	if err := checkRecipients(terms, account); err != nil {
		return types.Vault{}, err
	}
	classID := types.ClassID(id)
	if k.nft.HasClass(ctx, classID) {
		return types.Vault{}, errorsmod.Wrapf(types.ErrInvalidGenesis, "nft class %s exists already", classID)
	}
	if err := k.nft.SaveClass(ctx, nft.Class{
		Id: classID, Name: fmt.Sprintf("Guild vault %d positions", id), Symbol: "GVP",
		Description: fmt.Sprintf("Positions in Guild custody vault %d (provider %s)", id, provider),
	}); err != nil {
		return types.Vault{}, err
	}
	now := modkit.BlockTime(ctx)
	z := sdkmath.ZeroInt()
	v := types.Vault{
		Id: id, Operator: operator, Provider: provider, Account: account.String(),
		Status: types.VaultStatus_VAULT_STATUS_OPEN, Terms: terms, Governance: gov,
		TotalShares: z, Liquid: z, Pledged: z, NextHarvest: now + params.HarvestInterval, CreatedAt: now,
	}
	for _, d := range params.RewardDenoms {
		v.Pool(d)
	}
	if err := k.saveVault(ctx, v); err != nil {
		return types.Vault{}, err
	}
	return v, modkit.Emit(ctx, &types.EventVaultCreated{VaultId: id, Operator: operator, Provider: provider, Account: v.Account, ClassId: classID})
}

// checkRecipients refuses fee recipients that are the vault's own account (a fee paid to itself
// would come back as income at every harvest).
func checkRecipients(t types.Terms, account sdk.AccAddress) error {
	for _, r := range []string{t.DatasetRecipient, t.DeviceRecipient} {
		if r == account.String() {
			return errorsmod.Wrapf(types.ErrInvalidTerms, "fee recipient %s is the vault's own account", r)
		}
	}
	return nil
}

// operatedVault loads a vault and checks the signer is its operator and its status one of want.
func (k Keeper) operatedVault(ctx context.Context, id uint64, signer string, want ...types.VaultStatus) (types.Vault, error) {
	v, err := k.GetVault(ctx, id)
	if err != nil {
		return types.Vault{}, err
	}
	if signer != v.Operator {
		return types.Vault{}, errorsmod.Wrapf(types.ErrNotOperator, "%s for vault %d", signer, id)
	}
	return v, checkStatus(v, want...)
}

func checkStatus(v types.Vault, want ...types.VaultStatus) error {
	for _, s := range want {
		if v.Status == s {
			return nil
		}
	}
	return errorsmod.Wrapf(types.ErrInvalidStatus, "vault %d is %s, want one of %v", v.Id, v.Status, want)
}

// AcceptCustody completes the provider's owner change to the vault account (its owner must have
// proposed the vault account with x/provider's ProposeOwner), then, as the new owner, makes the
// vault account the beneficiary and the vault's operator the provider's operator. From then on no
// key can act as the provider's owner: nobody holds the vault account's key.
func (k Keeper) AcceptCustody(ctx context.Context, operator string, id uint64) error {
	v, err := k.operatedVault(ctx, id, operator, types.VaultStatus_VAULT_STATUS_OPEN)
	if err != nil {
		return err
	}
	if err := k.provider.AcceptOwner(ctx, v.Provider, v.Account); err != nil {
		return errorsmod.Wrapf(err, "vault %d: the provider's owner must first propose %s as new owner", id, v.Account)
	}
	if err := k.provider.SetBeneficiary(ctx, v.Provider, v.Account, v.Account); err != nil {
		return err
	}
	if err := k.provider.SetOperator(ctx, v.Provider, v.Account, v.Operator); err != nil {
		return err
	}
	v.Status = types.VaultStatus_VAULT_STATUS_CUSTODY
	if err := k.saveVault(ctx, v); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventCustodyAccepted{VaultId: id, Provider: v.Provider})
}

// Harvest books the vault account's untracked income as reward (fees to their recipients, the
// rest over the shares) and schedules the next end-block harvest. With claimMarket, a vault in
// custody first claims the next page of its provider's market earnings (x/market pays them to the
// beneficiary, the vault account). Anyone may harvest. It returns the income booked.
func (k Keeper) Harvest(ctx context.Context, id uint64, claimMarket bool) (sdk.Coins, error) {
	v, err := k.GetVault(ctx, id)
	if err != nil {
		return nil, err
	}
	params, err := k.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	cursor := v.MarketCursor
	if claimMarket && k.market != nil && v.Status == types.VaultStatus_VAULT_STATUS_CUSTODY {
		res, err := k.market.ClaimProvider(ctx, &markettypes.MsgClaimProvider{
			Sender: v.Account, Provider: v.Provider, StartAfter: v.MarketCursor, Limit: params.MarketClaimPage,
		})
		if err != nil {
			return nil, errorsmod.Wrapf(err, "vault %d: claiming market earnings of %s", id, v.Provider)
		}
		cursor = res.Next
	}
	t, err := k.touch(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := k.commit(ctx, t); err != nil {
		return nil, err
	}
	t.v.MarketCursor = cursor
	t.v.NextHarvest = modkit.BlockTime(ctx) + params.HarvestInterval
	return t.booked, k.saveVault(ctx, t.v)
}
