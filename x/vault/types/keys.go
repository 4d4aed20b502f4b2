package types

import (
	"fmt"
	"strconv"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/types/address"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// ModuleName is the module's name, its (empty) module account's name, the root of every
	// vault account's derivation and the prefix of its events and errors.
	ModuleName = "vault"
	// StoreKey is the name of the module's KV store.
	StoreKey = ModuleName
	// PrincipalDenom is the denom of deposits, principal and pledges.
	PrincipalDenom = "ugld"
)

// One prefix per collection. Never reuse or renumber a prefix: it is part of the state layout.
var (
	ParamsKey             = collections.NewPrefix(0)
	VaultsPrefix          = collections.NewPrefix(1)
	NextVaultIDKey        = collections.NewPrefix(2)
	HarvestQueuePrefix    = collections.NewPrefix(3)
	PositionsPrefix       = collections.NewPrefix(4)
	PositionsByVaultPrefx = collections.NewPrefix(5)
	NextPositionIDKey     = collections.NewPrefix(6)
	PledgesPrefix         = collections.NewPrefix(7)
	ProposalsPrefix       = collections.NewPrefix(8)
	ProposalQueuePrefix   = collections.NewPrefix(9)
	ProposalsByVaultPrefx = collections.NewPrefix(10)
	NextProposalIDKey     = collections.NewPrefix(11)
	VotesPrefix           = collections.NewPrefix(12)
	// LiveVaultByProviderPrefix: (provider, vault id) of the vault OPEN or CUSTODY for it.
	LiveVaultByProviderPrefix = collections.NewPrefix(13)
	// OpenProposalsByVaultPrefix: (vault id, proposal id) of the proposals in voting.
	OpenProposalsByVaultPrefix = collections.NewPrefix(14)
	// VoteSnapshotsPrefix: (proposal id, position id) → the position's shares at the start.
	VoteSnapshotsPrefix = collections.NewPrefix(15)
	// SnapshotPruneQueuePrefix: (end, proposal id) of the ended proposals whose vote snapshots
	// are not all deleted yet.
	SnapshotPruneQueuePrefix = collections.NewPrefix(16)
)

// VaultAddress is vault id's own account: derived from the module name and the id
// (address.Module), so no key signs for it and it is not a registered module account (the
// bank's blocked list does not hold it, and market payouts reach it by plain send).
func VaultAddress(id uint64) sdk.AccAddress {
	return address.Module(ModuleName, sdk.Uint64ToBigEndian(id))
}

// ClassID is the x/nft class of vault id's positions.
func ClassID(vaultID uint64) string { return fmt.Sprintf("vault-%d", vaultID) }

// TokenID is the x/nft token id of a position: its id in decimal.
func TokenID(positionID uint64) string { return strconv.FormatUint(positionID, 10) }

// ParseTokenID reads a position id back from a token id.
func ParseTokenID(tokenID string) (uint64, error) { return strconv.ParseUint(tokenID, 10, 64) }
