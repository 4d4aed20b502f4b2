package types

import (
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
)

// Registered errors are part of consensus: never renumber or reuse a code; add new ones at the end.
// Not-found errors carry the gRPC NotFound code, so queries answer NotFound (HTTP 404), and only
// collections.ErrNotFound ever becomes one: every other store error keeps its cause.
var (
	ErrInvalidAddress        = errorsmod.Register(ModuleName, 2, "invalid address")
	ErrInvalidMetadata       = errorsmod.Register(ModuleName, 3, "invalid provider metadata")
	ErrInvalidAttributes     = errorsmod.Register(ModuleName, 4, "invalid attributes")
	ErrTooManyAttributes     = errorsmod.Register(ModuleName, 5, "too many attributes")
	ErrProviderExists        = errorsmod.Register(ModuleName, 6, "provider already registered")
	ErrProviderNotFound      = errorsmod.RegisterWithGRPCCode(ModuleName, 7, codes.NotFound, "provider not found")
	ErrNotOwner              = errorsmod.Register(ModuleName, 8, "signer is not the provider's owner")
	ErrNotController         = errorsmod.Register(ModuleName, 9, "signer is neither the provider's owner nor its operator")
	ErrNotPendingOwner       = errorsmod.Register(ModuleName, 10, "signer is not the provider's pending owner")
	ErrInvalidPubKey         = errorsmod.Register(ModuleName, 11, "invalid node public key")
	ErrDuplicateNode         = errorsmod.Register(ModuleName, 12, "node key already registered")
	ErrNodeNotFound          = errorsmod.RegisterWithGRPCCode(ModuleName, 13, codes.NotFound, "node not found")
	ErrTooManyNodes          = errorsmod.Register(ModuleName, 14, "too many nodes")
	ErrInvalidResources      = errorsmod.Register(ModuleName, 15, "invalid resources")
	ErrCapacityBelowReserved = errorsmod.Register(ModuleName, 16, "capacity below reserved capacity")
	ErrInvalidStatus         = errorsmod.Register(ModuleName, 17, "invalid node status")
	ErrNodeHasLeases         = errorsmod.Register(ModuleName, 18, "node has live leases")
	ErrOfferBooked           = errorsmod.Register(ModuleName, 19, "offer has booked units")
	ErrInvalidBond           = errorsmod.Register(ModuleName, 20, "invalid bond")
	ErrInsufficientBond      = errorsmod.Register(ModuleName, 21, "insufficient bond")
	ErrNotNodeAccount        = errorsmod.Register(ModuleName, 22, "signer is not the node's account")
	ErrOfferNotFound         = errorsmod.RegisterWithGRPCCode(ModuleName, 23, codes.NotFound, "offer not found")
	ErrTooManyOffers         = errorsmod.Register(ModuleName, 24, "too many offers")
	ErrInvalidOfferKind      = errorsmod.Register(ModuleName, 25, "invalid offer kind")
	ErrInvalidPrice          = errorsmod.Register(ModuleName, 26, "invalid price")
	ErrInvalidUnits          = errorsmod.Register(ModuleName, 27, "invalid units")
	ErrOfferInactive         = errorsmod.Register(ModuleName, 28, "offer is not active")
	ErrInsufficientUnits     = errorsmod.Register(ModuleName, 29, "not enough free units")
	ErrNodeNotOnline         = errorsmod.Register(ModuleName, 30, "node is not online")
	ErrInsufficientCapacity  = errorsmod.Register(ModuleName, 31, "not enough free capacity")
	ErrOverflow              = errorsmod.Register(ModuleName, 32, "arithmetic overflow")
	ErrInvalidOutcome        = errorsmod.Register(ModuleName, 33, "invalid lease outcome")
	ErrInvalidAmount         = errorsmod.Register(ModuleName, 34, "invalid amount")
	ErrInvalidSlash          = errorsmod.Register(ModuleName, 35, "invalid slash fraction")
	ErrNotAuthority          = errorsmod.Register(ModuleName, 36, "signer is not the governance authority")
	ErrInvalidParams         = errorsmod.Register(ModuleName, 37, "invalid parameters")
	ErrInvalidGenesis        = errorsmod.Register(ModuleName, 38, "invalid genesis state")
	ErrUnitsBelowBooked      = errorsmod.Register(ModuleName, 39, "units_total below units_booked")
	ErrNoChange              = errorsmod.Register(ModuleName, 40, "nothing to change")
	ErrInvalidID             = errorsmod.Register(ModuleName, 41, "invalid id")
	ErrNoLiveLeases          = errorsmod.Register(ModuleName, 42, "node has no live lease to release")
	ErrNodeSuspended         = errorsmod.Register(ModuleName, 43, "node is suspended after a deploy timeout until its operator brings it back")
)

// ErrInvalidAuthority is the former name of ErrNotAuthority (the same registered error).
//
// Deprecated: use ErrNotAuthority, the name both modules use.
var ErrInvalidAuthority = ErrNotAuthority
