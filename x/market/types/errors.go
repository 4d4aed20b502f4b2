package types

import errorsmod "cosmossdk.io/errors"

// x/market errors. Codes are consensus: never renumber or reuse one.
var (
	ErrInvalidAmount     = errorsmod.Register(ModuleName, 2, "invalid amount")
	ErrDenomNotAccepted  = errorsmod.Register(ModuleName, 3, "denom not accepted for payment")
	ErrInsufficientCover = errorsmod.Register(ModuleName, 4, "balance does not cover the live leases for the minimum cover period")
	ErrInsufficientFunds = errorsmod.Register(ModuleName, 5, "insufficient escrow balance")
	ErrLeaseNotFound     = errorsmod.Register(ModuleName, 6, "lease not found")
	ErrWrongSigner       = errorsmod.Register(ModuleName, 7, "signer may not act on this lease")
	ErrInvalidState      = errorsmod.Register(ModuleName, 8, "lease is not in a state that allows this")
	ErrInvalidDeployment = errorsmod.Register(ModuleName, 9, "invalid deployment")
	ErrPriceAboveMax     = errorsmod.Register(ModuleName, 10, "offer price is above the tenant's maximum")
	ErrTooManyLeases     = errorsmod.Register(ModuleName, 11, "too many live leases for this account")
	ErrAccountInGrace    = errorsmod.Register(ModuleName, 12, "account is out of funds; deposit first")
	ErrInvalidReason     = errorsmod.Register(ModuleName, 13, "invalid close reason")
	ErrInvalidParams     = errorsmod.Register(ModuleName, 14, "invalid parameters")
	ErrUnauthorized      = errorsmod.Register(ModuleName, 15, "unauthorized")
	ErrInvalidAddress    = errorsmod.Register(ModuleName, 16, "invalid address")
	ErrInvalidRequest    = errorsmod.Register(ModuleName, 17, "invalid request")
	ErrInvariantBroken   = errorsmod.Register(ModuleName, 18, "accounting invariant broken")
)
