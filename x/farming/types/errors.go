package types

import (
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
)

// Registered errors are part of consensus: never renumber or reuse a code; add new ones at the end.
var (
	ErrInvalidParams        = errorsmod.Register(ModuleName, 2, "invalid parameters")
	ErrInvalidAuthority     = errorsmod.Register(ModuleName, 3, "signer is not the governance authority")
	ErrInvalidGenesis       = errorsmod.Register(ModuleName, 4, "invalid genesis state")
	ErrSignagePointNotFound = errorsmod.RegisterWithGRPCCode(ModuleName, 5, codes.NotFound, "signage point not found")
	ErrSignagePointExpired  = errorsmod.Register(ModuleName, 6, "signage point window has closed")
	ErrFutureSignagePoint   = errorsmod.Register(ModuleName, 7, "signage point is in the future")
	ErrPlotFilter           = errorsmod.Register(ModuleName, 8, "plot does not pass the filter for this signage point")
	ErrInvalidProof         = errorsmod.Register(ModuleName, 9, "invalid proof of space")
	ErrInvalidK             = errorsmod.Register(ModuleName, 10, "invalid plot size k")
	ErrPoolContractNotFound = errorsmod.RegisterWithGRPCCode(ModuleName, 11, codes.NotFound, "pool contract not found")
	ErrInvalidSignature     = errorsmod.Register(ModuleName, 12, "invalid plot key signature")
	ErrProofNotGoodEnough   = errorsmod.Register(ModuleName, 13, "proof's required iterations are not below the signage point threshold")
	ErrProofReplayed        = errorsmod.Register(ModuleName, 14, "proof already held for this signage point")
	ErrProofNotBetter       = errorsmod.Register(ModuleName, 15, "proof is not better than the one held")
	ErrInvalidPubKey        = errorsmod.Register(ModuleName, 16, "invalid ed25519 public key")
	ErrNotOwner             = errorsmod.Register(ModuleName, 17, "signer is not the pool contract's owner")
	ErrNotPoolTarget        = errorsmod.Register(ModuleName, 18, "address is not the pool contract's target")
	ErrInvalidPoolState     = errorsmod.Register(ModuleName, 19, "operation not allowed in the pool contract's state")
	ErrNothingToAbsorb      = errorsmod.Register(ModuleName, 20, "pool contract balance is zero")
	ErrInvalidPoolURL       = errorsmod.Register(ModuleName, 21, "invalid pool url")
	ErrInvalidRelativeLock  = errorsmod.Register(ModuleName, 22, "invalid relative lock")
	ErrInvalidSignagePoint  = errorsmod.Register(ModuleName, 23, "invalid signage point height")
	ErrOverflow             = errorsmod.Register(ModuleName, 24, "arithmetic overflow")
	ErrInvalidProofSize     = errorsmod.Register(ModuleName, 25, "proof size does not match k")
)
