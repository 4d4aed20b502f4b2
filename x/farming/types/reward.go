package types

import (
	"math/big"

	sdkmath "cosmossdk.io/math"
)

// FarmerShareDenominator: the farmer receives 1/8 of a signage point's reward, the pool
// contract 7/8 (Chia's split between the farmer and the pool puzzle hash).
const FarmerShareDenominator = 8

// SPReward is the reward minted for the signage point at height: reward_per_sp halved once per
// halving_interval heights (never when it is 0), rounded down. Example: reward_per_sp 1 000 000,
// halving_interval 100: height 99 → 1 000 000, height 100 → 500 000, height 250 → 250 000.
func SPReward(p Params, height int64) sdkmath.Int {
	if p.RewardPerSp.IsNil() || height < 0 {
		return sdkmath.ZeroInt()
	}
	if p.HalvingInterval == 0 {
		return p.RewardPerSp
	}
	halvings := uint64(height) / p.HalvingInterval
	if halvings >= 256 {
		return sdkmath.ZeroInt()
	}
	return sdkmath.NewIntFromBigInt(new(big.Int).Rsh(p.RewardPerSp.BigInt(), uint(halvings)))
}

// SplitReward splits a won reward: farmer = total / 8 rounded down, pool = the rest, so the two
// always add up to total and the rounding goes to the pool contract. Example: 1 000 003 →
// farmer 125 000, pool 875 003.
func SplitReward(total sdkmath.Int) (farmer, pool sdkmath.Int) {
	farmer = total.QuoRaw(FarmerShareDenominator)
	return farmer, total.Sub(farmer)
}

// NextDifficulty is the difficulty for the next epoch, from the epoch's counters only (never a
// loop over proofs): the ideal is d · (won / closed) / target, that is
//
//	d · won · 10 000 / (closed · target_bps)     (rounded down)
//
// clamped to [d / factor, d · factor] (at least 1) and then to [min, max]. More winners than the
// target raise the difficulty; fewer lower it. Example: d = 1000, closed = 100, won = 80, target
// 5000 bps, factor 3 → 1000·80·10000 / (100·5000) = 1600. With won = 0 it falls to d / factor.
func NextDifficulty(d, closed, won uint64, targetBps uint32, factor, minD, maxD uint64) uint64 {
	if closed == 0 || targetBps == 0 {
		return clampDifficulty(d, minD, maxD)
	}
	if factor < 1 {
		factor = 1
	}
	num := new(big.Int).SetUint64(d)
	num.Mul(num, new(big.Int).SetUint64(won))
	num.Mul(num, big.NewInt(10_000))
	den := new(big.Int).Mul(new(big.Int).SetUint64(closed), big.NewInt(int64(targetBps)))
	ideal := num.Quo(num, den)
	lo := max(d/factor, 1)
	hi := new(big.Int).Mul(new(big.Int).SetUint64(d), new(big.Int).SetUint64(factor))
	if ideal.Cmp(hi) > 0 {
		ideal = hi
	}
	var next uint64
	if ideal.IsUint64() {
		next = ideal.Uint64()
	} else {
		next = ^uint64(0)
	}
	next = max(next, lo)
	return clampDifficulty(next, minD, maxD)
}

func clampDifficulty(d, minD, maxD uint64) uint64 {
	return min(max(d, minD), maxD)
}
