package types

import (
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
)

// x/market errors. Codes are consensus: never renumber or reuse one; add new ones at the end.
// Not-found errors carry the gRPC NotFound code, and only collections.ErrNotFound ever becomes
// one: every other store error keeps its cause. Names follow one scheme across modules:
// Err<Noun>NotFound, ErrNot<Role>, ErrInvalid<Field>.
var (
	ErrInvalidAmount     = errorsmod.Register(ModuleName, 2, "invalid amount")
	ErrDenomNotAccepted  = errorsmod.Register(ModuleName, 3, "denom not accepted for payment")
	ErrInsufficientCover = errorsmod.Register(ModuleName, 4, "balance does not cover the live leases for the minimum cover period")
	ErrInsufficientFunds = errorsmod.Register(ModuleName, 5, "insufficient escrow balance")
	ErrLeaseNotFound     = errorsmod.RegisterWithGRPCCode(ModuleName, 6, codes.NotFound, "lease not found")
	// ErrWrongSigner is no longer returned: ErrNotTenant, ErrNotNodeAccount and ErrNotController
	// name the role the signer lacks. It stays registered so that code 7 is never reused.
	ErrWrongSigner       = errorsmod.Register(ModuleName, 7, "signer may not act on this lease")
	ErrInvalidState      = errorsmod.Register(ModuleName, 8, "lease is not in a state that allows this")
	ErrInvalidDeployment = errorsmod.Register(ModuleName, 9, "invalid deployment")
	ErrPriceAboveMax     = errorsmod.Register(ModuleName, 10, "offer price is above the tenant's maximum")
	ErrTooManyLeases     = errorsmod.Register(ModuleName, 11, "too many live leases for this account")
	ErrAccountInGrace    = errorsmod.Register(ModuleName, 12, "account is out of funds; deposit first")
	ErrInvalidReason     = errorsmod.Register(ModuleName, 13, "invalid close reason")
	ErrInvalidParams     = errorsmod.Register(ModuleName, 14, "invalid parameters")
	ErrNotAuthority      = errorsmod.Register(ModuleName, 15, "signer is not the governance authority")
	ErrInvalidAddress    = errorsmod.Register(ModuleName, 16, "invalid address")
	ErrInvalidRequest    = errorsmod.Register(ModuleName, 17, "invalid request")
	ErrInvariantBroken   = errorsmod.Register(ModuleName, 18, "accounting invariant broken")
	ErrNotTenant         = errorsmod.Register(ModuleName, 19, "signer is not the lease's tenant")
	ErrNotNodeAccount    = errorsmod.Register(ModuleName, 20, "signer is not the account of the lease's node")
	ErrNotController     = errorsmod.Register(ModuleName, 21, "signer is neither the provider's owner nor its operator")
)

// ErrUnauthorized is the former name of ErrNotAuthority (the same registered error, code 15).
//
// Deprecated: use ErrNotAuthority, the name both modules use.
var ErrUnauthorized = ErrNotAuthority
