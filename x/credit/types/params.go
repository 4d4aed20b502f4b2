package types

import (
	"crypto/ed25519"
	"slices"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Hard limits on parameters, so that a governance typo cannot make per-message work unbounded.
const (
	MaxCredentialWindowLimit  = 1000
	MaxProvidersPerAgentLimit = 50
	MaxPrunePerBlockLimit     = 10000
	BpsDenominator            = 10000
)

// DefaultParams are GLIF's production figures where it has them: borrow DTL 75%, liquidation
// 85%, 10% treasury share of interest and 10% liquidation fee, a 10% liquidity reserve.
func DefaultParams() Params {
	return Params{
		LendingDenoms:        []string{"ugld", "uusdc"},
		MaxCredentialWindow:  30,
		MaxDtlBps:            7500,
		AdministrationDtlBps: 8000,
		LiquidationDtlBps:    8500,
		FaultToleranceBps:    1000,
		MinLiquidityBps:      1000,
		MaxAgentPrincipal:    sdkmath.ZeroInt(),
		TreasuryBps:          1000,
		LiquidationFeeBps:    1000,
		BaseRate:             sdkmath.LegacyNewDecWithPrec(2, 2),  // 2% a year
		KinkUtilization:      sdkmath.LegacyNewDecWithPrec(80, 2), // 80%
		Slope1:               sdkmath.LegacyNewDecWithPrec(10, 2), // +10% at the kink
		Slope2:               sdkmath.LegacyNewDec(1),             // +100% from kink to full
		MaxProvidersPerAgent: 20,
		PrunePerBlock:        100,
	}
}

// Validate checks the parameters.
func (p Params) Validate() error {
	for i, d := range p.LendingDenoms {
		if err := sdk.ValidateDenom(d); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "lending denom %q: %v", d, err)
		}
		if slices.Contains(p.LendingDenoms[:i], d) {
			return errorsmod.Wrapf(ErrInvalidParams, "lending denom %q listed twice", d)
		}
	}
	for i, k := range p.TrustedIssuers {
		if len(k) != ed25519.PublicKeySize {
			return errorsmod.Wrapf(ErrInvalidParams, "trusted issuer %d: %d bytes, want %d", i, len(k), ed25519.PublicKeySize)
		}
	}
	if p.MaxCredentialWindow <= 0 || p.MaxCredentialWindow > MaxCredentialWindowLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_credential_window %d not in 1..%d", p.MaxCredentialWindow, MaxCredentialWindowLimit)
	}
	if !(p.MaxDtlBps > 0 && p.MaxDtlBps <= p.AdministrationDtlBps && p.AdministrationDtlBps <= p.LiquidationDtlBps && p.LiquidationDtlBps <= BpsDenominator) {
		return errorsmod.Wrapf(ErrInvalidParams, "need 0 < max_dtl (%d) <= administration_dtl (%d) <= liquidation_dtl (%d) <= 10000",
			p.MaxDtlBps, p.AdministrationDtlBps, p.LiquidationDtlBps)
	}
	// A borrow pays into the agent, so its post-action collateral grows with it: max_dtl must
	// stay below 100% or the borrow limit (mC - D) / (1 - m) is unbounded.
	if p.MaxDtlBps >= BpsDenominator {
		return errorsmod.Wrap(ErrInvalidParams, "max_dtl must be below 10000 bps")
	}
	for _, b := range []struct {
		name string
		v    uint32
	}{
		{"fault_tolerance_bps", p.FaultToleranceBps}, {"min_liquidity_bps", p.MinLiquidityBps},
		{"treasury_bps", p.TreasuryBps}, {"liquidation_fee_bps", p.LiquidationFeeBps},
	} {
		if b.v > BpsDenominator {
			return errorsmod.Wrapf(ErrInvalidParams, "%s %d above 10000", b.name, b.v)
		}
	}
	if p.MaxAgentPrincipal.IsNil() || p.MaxAgentPrincipal.IsNegative() {
		return errorsmod.Wrap(ErrInvalidParams, "max_agent_principal must be zero (no cap) or positive")
	}
	for _, r := range []struct {
		name string
		d    sdkmath.LegacyDec
	}{{"base_rate", p.BaseRate}, {"slope1", p.Slope1}, {"slope2", p.Slope2}} {
		if r.d.IsNil() || r.d.IsNegative() || r.d.GT(sdkmath.LegacyNewDec(100)) {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be in [0, 100]", r.name)
		}
	}
	if p.KinkUtilization.IsNil() || !p.KinkUtilization.IsPositive() || p.KinkUtilization.GTE(sdkmath.LegacyOneDec()) {
		return errorsmod.Wrap(ErrInvalidParams, "kink_utilization must be in (0, 1)")
	}
	if p.MaxProvidersPerAgent == 0 || p.MaxProvidersPerAgent > MaxProvidersPerAgentLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_providers_per_agent %d not in 1..%d", p.MaxProvidersPerAgent, MaxProvidersPerAgentLimit)
	}
	if p.PrunePerBlock == 0 || p.PrunePerBlock > MaxPrunePerBlockLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "prune_per_block %d not in 1..%d", p.PrunePerBlock, MaxPrunePerBlockLimit)
	}
	return nil
}

// IsLendingDenom reports whether denom has a pool.
func (p Params) IsLendingDenom(denom string) bool {
	return slices.Contains(p.LendingDenoms, denom)
}

// IsTrustedIssuer reports whether key is a trusted issuer.
func (p Params) IsTrustedIssuer(key []byte) bool {
	for _, k := range p.TrustedIssuers {
		if string(k) == string(key) {
			return true
		}
	}
	return false
}
