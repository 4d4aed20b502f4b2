package types

import (
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Default parameters.
const (
	DefaultBondDenom           = "ugld"
	DefaultHeartbeatTimeout    = int64(600)
	DefaultMaxAttributes       = uint32(16)
	DefaultMaxNodesPerProvider = uint32(64)
	DefaultMaxOffersPerNode    = uint32(16)
	// DefaultHeartbeatInterval is the heartbeat_interval the version-2 migration writes.
	DefaultHeartbeatInterval = int64(60)
	// HeartbeatIntervalVersion is the consensus version from which heartbeat_interval exists.
	HeartbeatIntervalVersion = 2
)

// Upper bounds on the parameters, which keep per-message work (counting a provider's nodes,
// deleting a node's offers) and the bond arithmetic bounded.
const (
	MaxNodesPerProviderLimit = 1024
	MaxOffersPerNodeLimit    = 256
	// MaxBondRateBits bounds each bond rate to 128 bits, so that a uint64 quantity times a rate
	// always fits in math.Int.
	MaxBondRateBits = 128
)

// DefaultParams returns the default parameters: 1 GLD per CPU core, 0.1 GLD per GiB of memory,
// 0.01 GLD per GiB of storage and 10 GLD per GPU, in ugld; a 10-minute heartbeat timeout.
func DefaultParams() Params {
	return Params{
		BondPerCpuCore:      sdkmath.NewInt(1_000_000),
		BondPerGibMemory:    sdkmath.NewInt(100_000),
		BondPerGibStorage:   sdkmath.NewInt(10_000),
		BondPerGpu:          sdkmath.NewInt(10_000_000),
		BondDenom:           DefaultBondDenom,
		HeartbeatTimeout:    DefaultHeartbeatTimeout,
		MaxAttributes:       DefaultMaxAttributes,
		MaxNodesPerProvider: DefaultMaxNodesPerProvider,
		MaxOffersPerNode:    DefaultMaxOffersPerNode,
		HeartbeatInterval:   defaultHeartbeatInterval(),
	}
}

// defaultHeartbeatInterval is DefaultHeartbeatInterval from consensus version 2 on, and zero
// (unset) before it.
func defaultHeartbeatInterval() int64 {
	if ConsensusVersion < HeartbeatIntervalVersion {
		return 0
	}
	return DefaultHeartbeatInterval
}

// validateHeartbeatInterval checks heartbeat_interval against the consensus version: unset
// before version 2; from version 2 positive, with two heartbeats inside heartbeat_timeout.
func (p Params) validateHeartbeatInterval() error {
	if ConsensusVersion < HeartbeatIntervalVersion {
		if p.HeartbeatInterval != 0 {
			return errorsmod.Wrapf(ErrInvalidParams, "heartbeat_interval needs x/provider consensus version %d, this node runs %d",
				HeartbeatIntervalVersion, ConsensusVersion)
		}
		return nil
	}
	if p.HeartbeatInterval <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "heartbeat_interval must be positive, got %d", p.HeartbeatInterval)
	}
	if p.HeartbeatInterval > p.HeartbeatTimeout/2 {
		return errorsmod.Wrapf(ErrInvalidParams, "heartbeat_interval %d must be at most half of heartbeat_timeout %d",
			p.HeartbeatInterval, p.HeartbeatTimeout)
	}
	return nil
}

// Validate checks the parameters.
func (p Params) Validate() error {
	rates := []struct {
		name string
		v    sdkmath.Int
	}{
		{"bond_per_cpu_core", p.BondPerCpuCore},
		{"bond_per_gib_memory", p.BondPerGibMemory},
		{"bond_per_gib_storage", p.BondPerGibStorage},
		{"bond_per_gpu", p.BondPerGpu},
	}
	for _, r := range rates {
		if r.v.IsNil() || r.v.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be a non-negative integer", r.name)
		}
		if r.v.BigIntMut().BitLen() > MaxBondRateBits {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be below 2^%d", r.name, MaxBondRateBits)
		}
	}
	if err := sdk.ValidateDenom(p.BondDenom); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "bond_denom: %v", err)
	}
	if p.HeartbeatTimeout <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "heartbeat_timeout must be positive, got %d", p.HeartbeatTimeout)
	}
	if p.MaxAttributes > MaxAttributesLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_attributes %d above %d", p.MaxAttributes, MaxAttributesLimit)
	}
	if p.MaxNodesPerProvider == 0 || p.MaxNodesPerProvider > MaxNodesPerProviderLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_nodes_per_provider must be 1 to %d, got %d", MaxNodesPerProviderLimit, p.MaxNodesPerProvider)
	}
	if p.MaxOffersPerNode == 0 || p.MaxOffersPerNode > MaxOffersPerNodeLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_offers_per_node must be 1 to %d, got %d", MaxOffersPerNodeLimit, p.MaxOffersPerNode)
	}
	return p.validateHeartbeatInterval()
}
