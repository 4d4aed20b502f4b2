package types

import (
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Default parameters (docs/adr/0009-farming-constants.md explains each).
const (
	DefaultRewardDenom         = "ugld"
	DefaultRewardPerSP         = int64(1_000_000)
	DefaultClaimWindow         = uint32(5)
	DefaultSPRetention         = uint32(200)
	DefaultPlotFilterBits      = uint32(9)
	DefaultDCFBits             = uint32(54)
	DefaultSPIntervalIters     = uint64(587_500_000)
	DefaultMinK                = uint32(32)
	DefaultMaxK                = uint32(50)
	DefaultInitialDifficulty   = uint64(2_000)
	DefaultMinDifficulty       = uint64(1)
	DefaultMaxDifficulty       = uint64(1) << 50
	DefaultEpochLength         = uint64(256)
	DefaultTargetWinBps        = uint32(5_000)
	DefaultMaxDifficultyFactor = uint64(3)
	DefaultMaxAwardsPerBlock   = uint32(8)
	DefaultMaxRelativeLock     = uint64(4_608)
)

// Hard limits that keep per-block work and the arithmetic bounded.
const (
	MaxClaimWindow      = 1_000
	MaxSPRetention      = 100_000
	MaxDCFBits          = 128
	MaxAwardsPerBlock   = 1_000
	MaxDifficultyFactor = 1_000
	MaxRewardBits       = 128
	// MaxPoolURLLength bounds a pool URL.
	MaxPoolURLLength = 256
)

// DefaultParams returns the parameters of a real network of k ≥ 32 plots: 1 GLD per signage
// point, a 5-block window, Chia's filter (9 bits) and bar (587 500 000), and DCF = 2^54 instead
// of Chia's 2^67 so that the difficulty (which starts at 2 000) has room below it for smaller
// networks. Devnets override min_k, the filter and the difficulty (see internal/devnet).
func DefaultParams() Params {
	return Params{
		RewardDenom:                  DefaultRewardDenom,
		RewardPerSp:                  sdkmath.NewInt(DefaultRewardPerSP),
		HalvingInterval:              0,
		ClaimWindow:                  DefaultClaimWindow,
		SpRetention:                  DefaultSPRetention,
		PlotFilterBits:               DefaultPlotFilterBits,
		DifficultyConstantFactorBits: DefaultDCFBits,
		SpIntervalIters:              DefaultSPIntervalIters,
		MinK:                         DefaultMinK,
		MaxK:                         DefaultMaxK,
		InitialDifficulty:            DefaultInitialDifficulty,
		MinDifficulty:                DefaultMinDifficulty,
		MaxDifficulty:                DefaultMaxDifficulty,
		EpochLength:                  DefaultEpochLength,
		TargetWinBps:                 DefaultTargetWinBps,
		MaxDifficultyFactor:          DefaultMaxDifficultyFactor,
		MaxAwardsPerBlock:            DefaultMaxAwardsPerBlock,
		MaxRelativeLock:              DefaultMaxRelativeLock,
	}
}

// DevnetParams are the parameters of `guildd dev` and the end-to-end tests: k 18…22 plots, no
// plot filter and difficulty 1, so that a few small plots win about a third of the signage
// points (see the ADR for the arithmetic).
func DevnetParams() Params {
	p := DefaultParams()
	p.PlotFilterBits = 0
	p.MinK = 18
	p.InitialDifficulty = 1
	p.MinDifficulty = 1
	p.EpochLength = 64
	p.SpRetention = 100
	return p
}

// Validate checks the parameters.
func (p Params) Validate() error {
	if err := sdk.ValidateDenom(p.RewardDenom); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "reward_denom: %v", err)
	}
	if p.RewardPerSp.IsNil() || p.RewardPerSp.IsNegative() || p.RewardPerSp.BigInt().BitLen() > MaxRewardBits {
		return errorsmod.Wrapf(ErrInvalidParams, "reward_per_sp must be an integer in [0, 2^%d)", MaxRewardBits)
	}
	if p.ClaimWindow == 0 || p.ClaimWindow > MaxClaimWindow {
		return errorsmod.Wrapf(ErrInvalidParams, "claim_window must be 1 to %d, got %d", MaxClaimWindow, p.ClaimWindow)
	}
	if p.SpRetention <= p.ClaimWindow || p.SpRetention > MaxSPRetention {
		return errorsmod.Wrapf(ErrInvalidParams, "sp_retention must be above claim_window (%d) and at most %d, got %d", p.ClaimWindow, MaxSPRetention, p.SpRetention)
	}
	if p.PlotFilterBits > 32 {
		return errorsmod.Wrapf(ErrInvalidParams, "plot_filter_bits must be at most 32, got %d", p.PlotFilterBits)
	}
	if p.DifficultyConstantFactorBits == 0 || p.DifficultyConstantFactorBits > MaxDCFBits {
		return errorsmod.Wrapf(ErrInvalidParams, "difficulty_constant_factor_bits must be 1 to %d, got %d", MaxDCFBits, p.DifficultyConstantFactorBits)
	}
	if p.SpIntervalIters == 0 || p.SpIntervalIters > (^uint64(0))/SPsPerSubSlot {
		return errorsmod.Wrapf(ErrInvalidParams, "sp_interval_iters must be positive and at most 2^64/64, got %d", p.SpIntervalIters)
	}
	if p.MinK < 10 || p.MaxK > 50 || p.MinK > p.MaxK {
		return errorsmod.Wrapf(ErrInvalidParams, "need 10 ≤ min_k ≤ max_k ≤ 50, got %d…%d", p.MinK, p.MaxK)
	}
	if p.MinDifficulty == 0 || p.MinDifficulty > p.MaxDifficulty {
		return errorsmod.Wrapf(ErrInvalidParams, "need 1 ≤ min_difficulty ≤ max_difficulty, got %d, %d", p.MinDifficulty, p.MaxDifficulty)
	}
	if p.InitialDifficulty < p.MinDifficulty || p.InitialDifficulty > p.MaxDifficulty {
		return errorsmod.Wrapf(ErrInvalidParams, "initial_difficulty %d outside [%d, %d]", p.InitialDifficulty, p.MinDifficulty, p.MaxDifficulty)
	}
	if p.EpochLength == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "epoch_length must be positive")
	}
	if p.TargetWinBps == 0 || p.TargetWinBps > 10_000 {
		return errorsmod.Wrapf(ErrInvalidParams, "target_win_bps must be 1 to 10000, got %d", p.TargetWinBps)
	}
	if p.MaxDifficultyFactor < 2 || p.MaxDifficultyFactor > MaxDifficultyFactor {
		return errorsmod.Wrapf(ErrInvalidParams, "max_difficulty_factor must be 2 to %d, got %d", MaxDifficultyFactor, p.MaxDifficultyFactor)
	}
	if p.MaxAwardsPerBlock < 2 || p.MaxAwardsPerBlock > MaxAwardsPerBlock {
		// At least 2: one signage point closes per block, so the queue always drains.
		return errorsmod.Wrapf(ErrInvalidParams, "max_awards_per_block must be 2 to %d, got %d", MaxAwardsPerBlock, p.MaxAwardsPerBlock)
	}
	if p.MaxRelativeLock == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_relative_lock must be positive")
	}
	return nil
}

// NewFarmingState is the state of a new chain: the initial difficulty, epoch 1, zero totals.
func NewFarmingState(p Params) FarmingState {
	z := sdkmath.ZeroInt()
	return FarmingState{
		Difficulty: p.InitialDifficulty, Epoch: 1,
		Carried: z, Minted: z, PaidFarmers: z, PaidPools: z, Absorbed: z,
	}
}
