package types

import (
	"google.golang.org/grpc/codes"

	errorsmod "cosmossdk.io/errors"
)

// Registered errors are part of consensus: never renumber or reuse a code; add new ones at the end.
var (
	ErrInvalidParams      = errorsmod.Register(ModuleName, 2, "invalid parameters")
	ErrInvalidAuthority   = errorsmod.Register(ModuleName, 3, "signer is not the governance authority")
	ErrInvalidGenesis     = errorsmod.Register(ModuleName, 4, "invalid genesis state")
	ErrPoolNotFound       = errorsmod.RegisterWithGRPCCode(ModuleName, 5, codes.NotFound, "pool not found")
	ErrAgentNotFound      = errorsmod.RegisterWithGRPCCode(ModuleName, 6, codes.NotFound, "agent not found")
	ErrInvalidAmount      = errorsmod.Register(ModuleName, 7, "invalid amount")
	ErrZeroShares         = errorsmod.Register(ModuleName, 8, "amount rounds to zero")
	ErrInsufficientLiquid = errorsmod.Register(ModuleName, 9, "not enough liquid funds in the pool")
	ErrInvalidKey         = errorsmod.Register(ModuleName, 10, "invalid requester key")
	ErrNotOwner           = errorsmod.Register(ModuleName, 11, "signer is not the agent's owner")
	ErrNotController      = errorsmod.Register(ModuleName, 12, "signer is neither the agent's owner nor its operator")
	ErrProviderTaken      = errorsmod.Register(ModuleName, 13, "provider already belongs to an agent")
	ErrNotAgentProvider   = errorsmod.Register(ModuleName, 14, "provider is not the agent's collateral")
	ErrTooManyProviders   = errorsmod.Register(ModuleName, 15, "too many providers")
	ErrInvalidCredential  = errorsmod.Register(ModuleName, 16, "invalid credential")
	ErrUntrustedIssuer    = errorsmod.Register(ModuleName, 17, "credential issuer is not trusted")
	ErrBadSignature       = errorsmod.Register(ModuleName, 18, "credential signature does not verify")
	ErrCredentialMismatch = errorsmod.Register(ModuleName, 19, "credential does not match the message")
	ErrCredentialExpired  = errorsmod.Register(ModuleName, 20, "credential is outside its validity window")
	ErrCredentialUsed     = errorsmod.Register(ModuleName, 21, "credential was already used")
	ErrCollateralTooHigh  = errorsmod.Register(ModuleName, 22, "credential collateral value exceeds what the chain sees")
	ErrDTLExceeded        = errorsmod.Register(ModuleName, 23, "debt-to-liquidation-value limit exceeded")
	ErrFaultsExceeded     = errorsmod.Register(ModuleName, 24, "faulty units above tolerance")
	ErrMinLiquidity       = errorsmod.Register(ModuleName, 25, "borrow would break the pool's minimum liquidity")
	ErrAgentCap           = errorsmod.Register(ModuleName, 26, "borrow would exceed the per-agent cap")
	ErrInvalidState       = errorsmod.Register(ModuleName, 27, "agent is not in a state that allows this")
	ErrNoEvidence         = errorsmod.Register(ModuleName, 28, "no evidence for the state change")
	ErrInsufficientFunds  = errorsmod.Register(ModuleName, 29, "agent has not enough funds")
	ErrNoDebt             = errorsmod.Register(ModuleName, 30, "agent has no debt in this denom")
	ErrCredentialNotFound = errorsmod.RegisterWithGRPCCode(ModuleName, 31, codes.NotFound, "credential not found")
	ErrInvalidAddress     = errorsmod.Register(ModuleName, 32, "invalid address")
	ErrProviderNotOffered = errorsmod.Register(ModuleName, 33, "provider's owner has not proposed the agent as owner")
	ErrOutstandingDebt    = errorsmod.Register(ModuleName, 34, "agent has outstanding debt")
)
