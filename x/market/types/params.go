package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Limits no governance vote can exceed.
const (
	MaxCommunityFeeBps = 2500
	MaxSlashBps        = 10_000
)

// DefaultParams are the devnet and genesis defaults.
func DefaultParams() Params {
	return Params{
		CommunityFeeBps:       500,
		MinCover:              7 * 24 * 3600,
		GracePeriod:           14 * 24 * 3600,
		DeployTimeout:         600,
		ProviderNotice:        24 * 3600,
		PaymentDenoms:         []string{"uusdc"},
		DeployTimeoutSlashBps: 100,
		MaxDuePerBlock:        50,
		MaxLeasesPerAccount:   100,
		MaxClaimPage:          50,
		MaxDeploymentData:     4096,
		MaxReportText:         280,
		ClosedLeaseRetention:  30 * 24 * 3600,
	}
}

// Validate checks every parameter's bounds.
func (p Params) Validate() error {
	if p.CommunityFeeBps > MaxCommunityFeeBps {
		return errorsmod.Wrapf(ErrInvalidParams, "community fee %d bps above %d", p.CommunityFeeBps, MaxCommunityFeeBps)
	}
	if p.DeployTimeoutSlashBps > MaxSlashBps {
		return errorsmod.Wrapf(ErrInvalidParams, "slash %d bps above %d", p.DeployTimeoutSlashBps, MaxSlashBps)
	}
	durations := []struct {
		name string
		v    int64
	}{{"min_cover", p.MinCover}, {"grace_period", p.GracePeriod}, {"deploy_timeout", p.DeployTimeout}, {"provider_notice", p.ProviderNotice}}
	for _, dur := range durations {
		if dur.v < 0 || dur.v > 365*24*3600 {
			return errorsmod.Wrapf(ErrInvalidParams, "%s %d out of [0, 1 year]", dur.name, dur.v)
		}
	}
	if p.ClosedLeaseRetention <= 0 || p.ClosedLeaseRetention > 10*365*24*3600 {
		return errorsmod.Wrapf(ErrInvalidParams, "closed_lease_retention %d out of (0, 10 years]", p.ClosedLeaseRetention)
	}
	if p.DeployTimeout == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "deploy_timeout must be positive")
	}
	if len(p.PaymentDenoms) == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "no payment denom")
	}
	seen := map[string]bool{}
	for _, denom := range p.PaymentDenoms {
		if err := sdk.ValidateDenom(denom); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "payment denom %q: %v", denom, err)
		}
		if seen[denom] {
			return errorsmod.Wrapf(ErrInvalidParams, "payment denom %q listed twice", denom)
		}
		seen[denom] = true
	}
	if p.MaxDuePerBlock == 0 || p.MaxLeasesPerAccount == 0 || p.MaxClaimPage == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "per-block and per-account limits must be positive")
	}
	if p.MaxDeploymentData == 0 || p.MaxDeploymentData > 64*1024 {
		return errorsmod.Wrapf(ErrInvalidParams, "max_deployment_data %d out of (0, 65536]", p.MaxDeploymentData)
	}
	return nil
}

// AcceptsDenom reports whether denom is a payment denom.
func (p Params) AcceptsDenom(denom string) bool {
	for _, d := range p.PaymentDenoms {
		if d == denom {
			return true
		}
	}
	return false
}
