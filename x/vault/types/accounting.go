package types

import (
	sdkmath "cosmossdk.io/math"
)

// Pool returns the vault's reward pool of a denom, adding an empty one if there is none yet
// (its accumulator starts at zero, so positions without a checkpoint in it are settled from 0).
func (v *Vault) Pool(denom string) *RewardPool {
	for i := range v.Rewards {
		if v.Rewards[i].Denom == denom {
			return &v.Rewards[i]
		}
	}
	z := sdkmath.ZeroInt()
	v.Rewards = append(v.Rewards, RewardPool{Denom: denom, Acc: z, AccRemainder: z, Outstanding: z, Parked: z, Harvested: z})
	return &v.Rewards[len(v.Rewards)-1]
}

// PrincipalAssets is liquid + pledged principal.
func (v Vault) PrincipalAssets() sdkmath.Int { return v.Liquid.Add(v.Pledged) }

// Tracked is what the vault account must hold of a denom by the vault's books: liquid principal
// (ugld only), parked reward and reward credited to holders but not claimed. Anything above it
// is untracked income, which the next harvest books.
func (v *Vault) Tracked(denom string) sdkmath.Int {
	t := sdkmath.ZeroInt()
	for _, p := range v.Rewards {
		if p.Denom == denom {
			t = t.Add(p.Outstanding).Add(p.Parked)
		}
	}
	if denom == PrincipalDenom {
		t = t.Add(v.Liquid)
	}
	return t
}

// BookIncome books income of one denom: the fees by the vault's terms, then the holders' part
// (with anything parked) spread over the shares, or parked when there are none. It returns the
// split, what was credited to holders (parked reward included) and what was parked. O(1): no
// position is visited.
func (v *Vault) BookIncome(denom string, income sdkmath.Int) (split FeeSplit, toHolders, parked sdkmath.Int) {
	pool := v.Pool(denom)
	split = SplitFees(income, v.Terms.OperatorFeeBps, v.Terms.DatasetFeeBps, v.Terms.DeviceFeeBps)
	pool.Harvested = pool.Harvested.Add(income)
	if !v.TotalShares.IsPositive() {
		pool.Parked = pool.Parked.Add(split.Holders)
		return split, sdkmath.ZeroInt(), split.Holders
	}
	toHolders = split.Holders.Add(pool.Parked)
	pool.Acc, pool.AccRemainder = Accrue(pool.Acc, pool.AccRemainder, v.TotalShares, toHolders)
	pool.Outstanding = pool.Outstanding.Add(toHolders)
	pool.Parked = sdkmath.ZeroInt()
	return split, toHolders, sdkmath.ZeroInt()
}

// Checkpoint returns the position's checkpoint in a denom, adding a zero one if missing.
func (p *Position) Checkpoint(denom string) *RewardCheckpoint {
	for i := range p.Rewards {
		if p.Rewards[i].Denom == denom {
			return &p.Rewards[i]
		}
	}
	z := sdkmath.ZeroInt()
	p.Rewards = append(p.Rewards, RewardCheckpoint{Denom: denom, Checkpoint: z, Unclaimed: z, Remainder: z})
	return &p.Rewards[len(p.Rewards)-1]
}

// SettlePosition credits the position with everything its shares earned since its checkpoints,
// in every denom of the vault, and moves the checkpoints to the accumulators. Call it before any
// change of the position's shares.
func SettlePosition(v *Vault, p *Position) {
	for _, pool := range v.Rewards {
		cp := p.Checkpoint(pool.Denom)
		credit, rem := Settle(p.Shares, pool.Acc, cp.Checkpoint, cp.Remainder)
		cp.Unclaimed = cp.Unclaimed.Add(credit)
		cp.Remainder, cp.Checkpoint = rem, pool.Acc
	}
}
