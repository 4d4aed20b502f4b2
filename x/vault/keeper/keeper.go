// Package keeper holds x/vault's state and operations: vaults and their custody of a provider,
// positions (x/nft tokens) with their reward checkpoints, pledges into the provider's node bonds,
// per-vault governance, and the end-blocker that harvests due vaults and ends due proposals from
// two queues, a bounded number per block. Every operation checks everything before its first
// write and emits a typed event per change. The money math is in types/math.go.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

// VaultIndexes: the harvest queue, keyed by next_harvest, holds every vault not yet released;
// the live vault of each provider (OPEN or CUSTODY: at most one per provider) is indexed by the
// provider's address.
type VaultIndexes struct {
	Harvest  *modkit.PartialIndex[int64, uint64, types.Vault]
	Provider *modkit.PartialIndex[string, uint64, types.Vault]
}

// IndexesList implements collections.Indexes.
func (i VaultIndexes) IndexesList() []collections.Index[uint64, types.Vault] {
	return []collections.Index[uint64, types.Vault]{i.Harvest, i.Provider}
}

// PositionIndexes: positions by vault.
type PositionIndexes struct {
	Vault *modkit.PartialIndex[uint64, uint64, types.Position]
}

// IndexesList implements collections.Indexes.
func (i PositionIndexes) IndexesList() []collections.Index[uint64, types.Position] {
	return []collections.Index[uint64, types.Position]{i.Vault}
}

// ProposalIndexes: the end queue (proposals in voting, keyed by end), proposals by vault, the
// proposals in voting by vault (at most max_active_proposals each: what a share change
// snapshots for), and the snapshot prune queue (ended proposals whose vote snapshots are not
// all deleted yet, keyed by end).
type ProposalIndexes struct {
	End   *modkit.PartialIndex[int64, uint64, types.Proposal]
	Vault *modkit.PartialIndex[uint64, uint64, types.Proposal]
	Open  *modkit.PartialIndex[uint64, uint64, types.Proposal]
	Prune *modkit.PartialIndex[int64, uint64, types.Proposal]
}

// IndexesList implements collections.Indexes.
func (i ProposalIndexes) IndexesList() []collections.Index[uint64, types.Proposal] {
	return []collections.Index[uint64, types.Proposal]{i.End, i.Vault, i.Open, i.Prune}
}

// Keeper owns the x/vault store. It is safe to copy; all copies share the store.
type Keeper struct {
	authority string
	bank      types.BankKeeper
	provider  types.ProviderKeeper
	nft       types.NFTKeeper
	market    types.MarketClaimer

	schema         collections.Schema
	params         collections.Item[types.Params]
	vaults         *collections.IndexedMap[uint64, types.Vault, VaultIndexes]
	positions      *collections.IndexedMap[uint64, types.Position, PositionIndexes]
	pledges        collections.Map[collections.Pair[uint64, uint64], types.Pledge]
	proposals      *collections.IndexedMap[uint64, types.Proposal, ProposalIndexes]
	votes          collections.Map[collections.Pair[uint64, uint64], types.Vote]
	snapshots      collections.Map[collections.Pair[uint64, uint64], types.VoteSnapshot]
	nextVaultID    collections.Sequence
	nextPositionID collections.Sequence
	nextProposalID collections.Sequence
}

// NewKeeper builds the keeper. authority is the chain's governance account (parameters only:
// nothing it signs can move a vault's funds). market may be nil (no market claim at harvest).
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, authority string,
	bank types.BankKeeper, provider types.ProviderKeeper, nft types.NFTKeeper, market types.MarketClaimer,
) Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("x/vault: invalid authority %q: %v", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		authority: authority, bank: bank, provider: provider, nft: nft, market: market,
		params: collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		vaults: collections.NewIndexedMap(sb, types.VaultsPrefix, "vaults", collections.Uint64Key, codec.CollValue[types.Vault](cdc),
			VaultIndexes{
				Harvest: modkit.NewPartialIndex(sb, types.HarvestQueuePrefix, "harvest_queue",
					collections.Int64Key, collections.Uint64Key,
					func(_ uint64, v types.Vault) (int64, bool) {
						return v.NextHarvest, v.Status != types.VaultStatus_VAULT_STATUS_RELEASED
					}),
				Provider: modkit.NewPartialIndex(sb, types.LiveVaultByProviderPrefix, "live_vault_by_provider",
					collections.StringKey, collections.Uint64Key,
					func(_ uint64, v types.Vault) (string, bool) {
						return v.Provider, v.Status != types.VaultStatus_VAULT_STATUS_RELEASED
					}),
			}),
		positions: collections.NewIndexedMap(sb, types.PositionsPrefix, "positions", collections.Uint64Key, codec.CollValue[types.Position](cdc),
			PositionIndexes{Vault: modkit.NewPartialIndex(sb, types.PositionsByVaultPrefx, "positions_by_vault",
				collections.Uint64Key, collections.Uint64Key,
				func(_ uint64, p types.Position) (uint64, bool) { return p.VaultId, true })}),
		pledges: collections.NewMap(sb, types.PledgesPrefix, "pledges",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.Pledge](cdc)),
		proposals: collections.NewIndexedMap(sb, types.ProposalsPrefix, "proposals", collections.Uint64Key, codec.CollValue[types.Proposal](cdc),
			ProposalIndexes{
				End: modkit.NewPartialIndex(sb, types.ProposalQueuePrefix, "proposal_queue",
					collections.Int64Key, collections.Uint64Key,
					func(_ uint64, p types.Proposal) (int64, bool) {
						return p.End, p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING
					}),
				Vault: modkit.NewPartialIndex(sb, types.ProposalsByVaultPrefx, "proposals_by_vault",
					collections.Uint64Key, collections.Uint64Key,
					func(_ uint64, p types.Proposal) (uint64, bool) { return p.VaultId, true }),
				Open: modkit.NewPartialIndex(sb, types.OpenProposalsByVaultPrefix, "open_proposals_by_vault",
					collections.Uint64Key, collections.Uint64Key,
					func(_ uint64, p types.Proposal) (uint64, bool) {
						return p.VaultId, p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING
					}),
				Prune: modkit.NewPartialIndex(sb, types.SnapshotPruneQueuePrefix, "snapshot_prune_queue",
					collections.Int64Key, collections.Uint64Key,
					func(_ uint64, p types.Proposal) (int64, bool) {
						return p.End, p.Status != types.ProposalStatus_PROPOSAL_STATUS_VOTING && !p.SnapshotsPruned
					}),
			}),
		votes: collections.NewMap(sb, types.VotesPrefix, "votes",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.Vote](cdc)),
		snapshots: collections.NewMap(sb, types.VoteSnapshotsPrefix, "vote_snapshots",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.VoteSnapshot](cdc)),
		nextVaultID:    collections.NewSequence(sb, types.NextVaultIDKey, "next_vault_id"),
		nextPositionID: collections.NewSequence(sb, types.NextPositionIDKey, "next_position_id"),
		nextProposalID: collections.NewSequence(sb, types.NextProposalIDKey, "next_proposal_id"),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Sprintf("x/vault: building the store schema: %v", err))
	}
	k.schema = schema
	return k
}

// Authority is the address allowed to change the parameters.
func (k Keeper) Authority() string { return k.authority }

// GetParams returns the parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) { return k.params.Get(ctx) }

// UpdateParams replaces the parameters; only the authority may.
func (k Keeper) UpdateParams(ctx context.Context, authority string, p types.Params) error {
	if err := modkit.CheckAuthority(k.authority, authority, types.ErrInvalidAuthority); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := k.params.Set(ctx, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventParamsUpdated{Authority: authority})
}

// GetVault returns a vault, or ErrVaultNotFound.
func (k Keeper) GetVault(ctx context.Context, id uint64) (types.Vault, error) {
	v, err := k.vaults.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Vault{}, errorsmod.Wrapf(types.ErrVaultNotFound, "vault %d", id)
	}
	return v, err
}

// GetPosition returns a position, or ErrPositionNotFound.
func (k Keeper) GetPosition(ctx context.Context, id uint64) (types.Position, error) {
	p, err := k.positions.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Position{}, errorsmod.Wrapf(types.ErrPositionNotFound, "position %d", id)
	}
	return p, err
}

// GetProposal returns a proposal, or ErrProposalNotFound.
func (k Keeper) GetProposal(ctx context.Context, id uint64) (types.Proposal, error) {
	p, err := k.proposals.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Proposal{}, errorsmod.Wrapf(types.ErrProposalNotFound, "proposal %d", id)
	}
	return p, err
}

// PositionOwner is the position token's owner as x/nft records it now (never cached).
func (k Keeper) PositionOwner(ctx context.Context, p types.Position) sdk.AccAddress {
	return k.nft.GetOwner(ctx, types.ClassID(p.VaultId), types.TokenID(p.Id))
}

// ownedPosition loads a position and checks that signer owns its token in x/nft.
func (k Keeper) ownedPosition(ctx context.Context, id uint64, signer string) (types.Position, error) {
	p, err := k.GetPosition(ctx, id)
	if err != nil {
		return types.Position{}, err
	}
	owner := k.PositionOwner(ctx, p)
	if owner.Empty() || owner.String() != signer {
		return types.Position{}, errorsmod.Wrapf(types.ErrNotPositionOwner, "%s for position %d (owner %s)", signer, id, owner)
	}
	return p, nil
}
