package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Bounds the parameters must respect.
const (
	MaxRewardDenoms = 8
	MaxPerBlock     = 1_000
)

// DefaultParams are the parameters of a new chain.
func DefaultParams() Params {
	return Params{
		RewardDenoms:              []string{PrincipalDenom, "uusdc"},
		HarvestInterval:           3600,
		MaxHarvestsPerBlock:       20,
		MaxExecutionsPerBlock:     20,
		MarketClaimPage:           20,
		MinVotingPeriod:           10,
		MaxVotingPeriod:           30 * 24 * 3600,
		MaxLockPeriod:             4 * 365 * 24 * 3600,
		MaxActiveProposals:        10,
		MaxSnapshotPrunesPerBlock: 200,
	}
}

// Validate checks the parameters' bounds.
func (p Params) Validate() error {
	if len(p.RewardDenoms) == 0 || len(p.RewardDenoms) > MaxRewardDenoms {
		return errorsmod.Wrapf(ErrInvalidParams, "reward_denoms: %d denoms, want 1…%d", len(p.RewardDenoms), MaxRewardDenoms)
	}
	for i, d := range p.RewardDenoms {
		if err := sdk.ValidateDenom(d); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "reward_denoms: %v", err)
		}
		for _, e := range p.RewardDenoms[:i] {
			if e == d {
				return errorsmod.Wrapf(ErrInvalidParams, "reward_denoms: %s twice", d)
			}
		}
	}
	if p.HarvestInterval <= 0 {
		return errorsmod.Wrap(ErrInvalidParams, "harvest_interval must be positive")
	}
	for _, f := range []struct {
		name string
		v    uint32
	}{
		{"max_harvests_per_block", p.MaxHarvestsPerBlock}, {"max_executions_per_block", p.MaxExecutionsPerBlock},
		{"market_claim_page", p.MarketClaimPage}, {"max_active_proposals", p.MaxActiveProposals},
		{"max_snapshot_prunes_per_block", p.MaxSnapshotPrunesPerBlock},
	} {
		if f.v == 0 || f.v > MaxPerBlock {
			return errorsmod.Wrapf(ErrInvalidParams, "%s: %d, want 1…%d", f.name, f.v, MaxPerBlock)
		}
	}
	if p.MinVotingPeriod <= 0 || p.MaxVotingPeriod < p.MinVotingPeriod {
		return errorsmod.Wrapf(ErrInvalidParams, "voting period bounds %d…%d", p.MinVotingPeriod, p.MaxVotingPeriod)
	}
	if p.MaxLockPeriod < 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_lock_period is negative")
	}
	return nil
}
