package types

import (
	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/internal/modkit"
)

// Bounds on terms and governance settings.
const (
	// MaxTotalFeeBps bounds operator + dataset + device fees: holders keep at least half.
	MaxTotalFeeBps = 5_000
	// MaxEarlyExitFeeBps bounds the early-exit fee.
	MaxEarlyExitFeeBps = 2_000
	// MinThresholdBps: a proposal needs more than half of the votes cast, at least.
	MinThresholdBps = 5_000
	// MaxStrategyLength bounds a strategy's free text.
	MaxStrategyLength = 1_024
)

// Validate checks terms against the chain's parameters.
func (t Terms) Validate(p Params) error {
	for _, f := range []struct {
		name string
		bps  uint32
	}{
		{"operator_fee_bps", t.OperatorFeeBps}, {"dataset_fee_bps", t.DatasetFeeBps},
		{"device_fee_bps", t.DeviceFeeBps}, {"liquidity_reserve_bps", t.LiquidityReserveBps},
	} {
		if err := modkit.ValidateBps(f.name, f.bps, BasisPoints, ErrInvalidTerms); err != nil {
			return err
		}
	}
	if err := modkit.ValidateBps("early_exit_fee_bps", t.EarlyExitFeeBps, MaxEarlyExitFeeBps, ErrInvalidTerms); err != nil {
		return err
	}
	if total := t.OperatorFeeBps + t.DatasetFeeBps + t.DeviceFeeBps; total > MaxTotalFeeBps {
		return errorsmod.Wrapf(ErrInvalidTerms, "fees total %d bps, at most %d", total, MaxTotalFeeBps)
	}
	if t.DatasetFeeBps > 0 || t.DatasetRecipient != "" {
		if err := modkit.ValidateAddress("dataset_recipient", t.DatasetRecipient); err != nil {
			return errorsmod.Wrap(ErrInvalidTerms, err.Error())
		}
	}
	if t.DeviceFeeBps > 0 || t.DeviceRecipient != "" {
		if err := modkit.ValidateAddress("device_recipient", t.DeviceRecipient); err != nil {
			return errorsmod.Wrap(ErrInvalidTerms, err.Error())
		}
	}
	if t.MinDeposit.IsNil() || !t.MinDeposit.IsPositive() {
		return errorsmod.Wrap(ErrInvalidTerms, "min_deposit must be positive")
	}
	if t.DepositCap.IsNil() || t.DepositCap.LT(t.MinDeposit) {
		return errorsmod.Wrapf(ErrInvalidTerms, "deposit_cap %s below min_deposit %s", t.DepositCap, t.MinDeposit)
	}
	if t.DepositCap.BigInt().BitLen() > 70 {
		return errorsmod.Wrap(ErrInvalidTerms, "deposit_cap above 2^70")
	}
	if t.LockPeriod < 0 || t.LockPeriod > p.MaxLockPeriod {
		return errorsmod.Wrapf(ErrInvalidTerms, "lock_period %d, want 0…%d", t.LockPeriod, p.MaxLockPeriod)
	}
	return nil
}

// Validate checks governance settings against the chain's parameters.
func (g Governance) Validate(p Params) error {
	if g.QuorumBps == 0 || g.QuorumBps > BasisPoints {
		return errorsmod.Wrapf(ErrInvalidGovernance, "quorum_bps %d, want 1…%d", g.QuorumBps, BasisPoints)
	}
	if g.ThresholdBps < MinThresholdBps || g.ThresholdBps >= BasisPoints {
		return errorsmod.Wrapf(ErrInvalidGovernance, "threshold_bps %d, want %d…%d", g.ThresholdBps, MinThresholdBps, BasisPoints-1)
	}
	if g.VotingPeriod < p.MinVotingPeriod || g.VotingPeriod > p.MaxVotingPeriod {
		return errorsmod.Wrapf(ErrInvalidGovernance, "voting_period %d, want %d…%d", g.VotingPeriod, p.MinVotingPeriod, p.MaxVotingPeriod)
	}
	return nil
}

// ValidateBasic checks a proposal's content without state: its kind and the fields it needs.
// Terms are checked against the parameters by the keeper.
func (c ProposalContent) ValidateBasic() error {
	switch c.Kind {
	case ProposalKind_PROPOSAL_KIND_UPDATE_TERMS:
		if c.Terms == nil {
			return errorsmod.Wrap(ErrInvalidProposal, "update terms: no terms")
		}
	case ProposalKind_PROPOSAL_KIND_CHANGE_OPERATOR, ProposalKind_PROPOSAL_KIND_RELEASE_CUSTODY,
		ProposalKind_PROPOSAL_KIND_PROVIDER_SET_OPERATOR:
		if err := modkit.ValidateAddress("address", c.Address); err != nil {
			return errorsmod.Wrapf(ErrInvalidProposal, "%s: %v", c.Kind, err)
		}
	case ProposalKind_PROPOSAL_KIND_SET_STRATEGY:
		if c.Strategy == "" || len(c.Strategy) > MaxStrategyLength {
			return errorsmod.Wrapf(ErrInvalidProposal, "strategy: %d bytes, want 1…%d", len(c.Strategy), MaxStrategyLength)
		}
		if c.StrategyVersion == 0 {
			return errorsmod.Wrap(ErrInvalidProposal, "strategy_version must be positive")
		}
	case ProposalKind_PROPOSAL_KIND_PROVIDER_WITHDRAW_BOND:
		if c.NodeId == 0 || c.Amount.IsNil() || !c.Amount.IsPositive() {
			return errorsmod.Wrap(ErrInvalidProposal, "withdraw bond: node_id and a positive amount")
		}
	default:
		return errorsmod.Wrapf(ErrInvalidProposal, "kind %d", int32(c.Kind))
	}
	return nil
}
