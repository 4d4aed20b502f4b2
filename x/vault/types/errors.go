package types

import (
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
)

// Registered errors are part of consensus: never renumber or reuse a code; add new ones at the end.
var (
	ErrInvalidTerms       = errorsmod.Register(ModuleName, 2, "invalid vault terms")
	ErrInvalidGovernance  = errorsmod.Register(ModuleName, 3, "invalid vault governance settings")
	ErrVaultNotFound      = errorsmod.RegisterWithGRPCCode(ModuleName, 4, codes.NotFound, "vault not found")
	ErrPositionNotFound   = errorsmod.RegisterWithGRPCCode(ModuleName, 5, codes.NotFound, "position not found")
	ErrProposalNotFound   = errorsmod.RegisterWithGRPCCode(ModuleName, 6, codes.NotFound, "proposal not found")
	ErrNotOperator        = errorsmod.Register(ModuleName, 7, "signer is not the vault's operator")
	ErrNotPositionOwner   = errorsmod.Register(ModuleName, 8, "signer does not own the position token")
	ErrInvalidStatus      = errorsmod.Register(ModuleName, 9, "vault is not in the required status")
	ErrBelowMinDeposit    = errorsmod.Register(ModuleName, 10, "deposit below the vault's minimum")
	ErrAboveCap           = errorsmod.Register(ModuleName, 11, "deposit above the vault's cap")
	ErrZeroShares         = errorsmod.Register(ModuleName, 12, "deposit would mint zero shares")
	ErrInsufficientLiquid = errorsmod.Register(ModuleName, 13, "not enough liquid principal")
	ErrReserveBreached    = errorsmod.Register(ModuleName, 14, "pledge would breach the liquidity reserve")
	ErrInvalidShares      = errorsmod.Register(ModuleName, 15, "invalid shares")
	ErrNothingToClaim     = errorsmod.Register(ModuleName, 16, "nothing to claim")
	ErrAlreadyVoted       = errorsmod.Register(ModuleName, 17, "position already voted on this proposal")
	ErrNotEligible        = errorsmod.Register(ModuleName, 18, "position minted after the proposal started")
	ErrVotingClosed       = errorsmod.Register(ModuleName, 19, "proposal is not in voting")
	ErrInvalidProposal    = errorsmod.Register(ModuleName, 20, "invalid proposal")
	ErrTooManyProposals   = errorsmod.Register(ModuleName, 21, "too many active proposals")
	ErrInvalidAmount      = errorsmod.Register(ModuleName, 22, "invalid amount")
	ErrPledgeNotFound     = errorsmod.RegisterWithGRPCCode(ModuleName, 23, codes.NotFound, "pledge not found")
	ErrWrongProvider      = errorsmod.Register(ModuleName, 24, "node belongs to another provider")
	ErrInvalidAuthority   = errorsmod.Register(ModuleName, 25, "signer is not the chain's authority")
	ErrInvalidParams      = errorsmod.Register(ModuleName, 26, "invalid parameters")
	ErrInvalidGenesis     = errorsmod.Register(ModuleName, 27, "invalid genesis state")
	ErrNotController      = errorsmod.Register(ModuleName, 28, "signer is neither the provider's owner nor its operator")
	ErrInvariant          = errorsmod.Register(ModuleName, 29, "vault invariant broken")
	ErrPledgeStillPlaced  = errorsmod.Register(ModuleName, 30, "principal is still pledged")
	ErrPositionLocked     = errorsmod.Register(ModuleName, 31, "position is locked")
	ErrProviderHasVault   = errorsmod.Register(ModuleName, 32, "provider already has a live vault")
)
