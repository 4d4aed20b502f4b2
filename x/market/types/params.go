package types

import (
	"fmt"

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
		return fmt.Errorf("%w: community fee %d bps above %d", ErrInvalidParams, p.CommunityFeeBps, MaxCommunityFeeBps)
	}
	if p.DeployTimeoutSlashBps > MaxSlashBps {
		return fmt.Errorf("%w: slash %d bps above %d", ErrInvalidParams, p.DeployTimeoutSlashBps, MaxSlashBps)
	}
	durations := []struct {
		name string
		v    int64
	}{{"min_cover", p.MinCover}, {"grace_period", p.GracePeriod}, {"deploy_timeout", p.DeployTimeout}, {"provider_notice", p.ProviderNotice}}
	for _, dur := range durations {
		if dur.v < 0 || dur.v > 365*24*3600 {
			return fmt.Errorf("%w: %s %d out of [0, 1 year]", ErrInvalidParams, dur.name, dur.v)
		}
	}
	if p.ClosedLeaseRetention <= 0 || p.ClosedLeaseRetention > 10*365*24*3600 {
		return fmt.Errorf("%w: closed_lease_retention %d out of (0, 10 years]", ErrInvalidParams, p.ClosedLeaseRetention)
	}
	if p.DeployTimeout == 0 {
		return fmt.Errorf("%w: deploy_timeout must be positive", ErrInvalidParams)
	}
	if len(p.PaymentDenoms) == 0 {
		return fmt.Errorf("%w: no payment denom", ErrInvalidParams)
	}
	seen := map[string]bool{}
	for _, denom := range p.PaymentDenoms {
		if err := sdk.ValidateDenom(denom); err != nil {
			return fmt.Errorf("%w: payment denom %q: %v", ErrInvalidParams, denom, err)
		}
		if seen[denom] {
			return fmt.Errorf("%w: payment denom %q listed twice", ErrInvalidParams, denom)
		}
		seen[denom] = true
	}
	if p.MaxDuePerBlock == 0 || p.MaxLeasesPerAccount == 0 || p.MaxClaimPage == 0 {
		return fmt.Errorf("%w: per-block and per-account limits must be positive", ErrInvalidParams)
	}
	if p.MaxDeploymentData == 0 || p.MaxDeploymentData > 64*1024 {
		return fmt.Errorf("%w: max_deployment_data %d out of (0, 65536]", ErrInvalidParams, p.MaxDeploymentData)
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
