package types

import (
	"slices"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/internal/modkit"
)

// DefaultGenesis is the default genesis state: default parameters, the initial difficulty, no
// signage points or pool contracts, ids from 1.
func DefaultGenesis() *GenesisState {
	p := DefaultParams()
	return &GenesisState{Params: p, State: NewFarmingState(p), NextPoolContractId: 1}
}

// Validate checks the genesis state. These are the module's state invariants (the keeper adds
// the bank balance): valid parameters; difficulty within its bounds; non-negative totals with
// minted = paid_farmers + Σ pool balances + absorbed + carried and paid_pools = Σ balances +
// absorbed; signage points unique by height, each with at most one best proof whose iterations
// are below the bar; pool contracts unique, below next_pool_contract_id, consistent with their
// state.
func (gs GenesisState) Validate() error {
	p := gs.Params
	if err := p.Validate(); err != nil {
		return err
	}
	st := gs.State
	if st.Difficulty < p.MinDifficulty || st.Difficulty > p.MaxDifficulty {
		return errorsmod.Wrapf(ErrInvalidGenesis, "difficulty %d outside [%d, %d]", st.Difficulty, p.MinDifficulty, p.MaxDifficulty)
	}
	totals := []struct {
		name string
		v    sdkmath.Int
	}{{"carried", st.Carried}, {"minted", st.Minted}, {"paid_farmers", st.PaidFarmers}, {"paid_pools", st.PaidPools}, {"absorbed", st.Absorbed}}
	for _, t := range totals {
		if t.v.IsNil() || t.v.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s must be a non-negative integer", t.name)
		}
	}
	if gs.NextPoolContractId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_pool_contract_id starts at 1")
	}
	balances := sdkmath.ZeroInt()
	ids := make([]uint64, 0, len(gs.PoolContracts))
	for _, c := range gs.PoolContracts {
		if err := c.Validate(gs.NextPoolContractId); err != nil {
			return err
		}
		ids = append(ids, c.Id)
		balances = balances.Add(c.Balance)
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d listed twice", ids[i])
		}
	}
	if !st.Minted.Equal(st.PaidFarmers.Add(balances).Add(st.Absorbed).Add(st.Carried)) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "minted %s ≠ paid_farmers %s + pool balances %s + absorbed %s + carried %s",
			st.Minted, st.PaidFarmers, balances, st.Absorbed, st.Carried)
	}
	if !st.PaidPools.Equal(balances.Add(st.Absorbed)) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "paid_pools %s ≠ pool balances %s + absorbed %s", st.PaidPools, balances, st.Absorbed)
	}
	heights := make([]int64, 0, len(gs.SignagePoints))
	for _, sp := range gs.SignagePoints {
		if err := sp.Validate(p); err != nil {
			return err
		}
		heights = append(heights, sp.Height)
	}
	slices.Sort(heights)
	for i := 1; i < len(heights); i++ {
		if heights[i] == heights[i-1] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "signage point %d listed twice", heights[i])
		}
	}
	return nil
}

// Validate checks one signage point.
func (sp SignagePoint) Validate(p Params) error {
	if sp.Height <= 0 || len(sp.Hash) != 32 || sp.CloseHeight <= sp.Height || sp.PruneHeight < sp.CloseHeight {
		return errorsmod.Wrapf(ErrInvalidGenesis, "signage point %d: bad height, hash or window", sp.Height)
	}
	if sp.Reward.IsNil() || sp.Reward.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidGenesis, "signage point %d: bad reward", sp.Height)
	}
	if sp.Best != nil {
		if len(sp.Best.PlotId) != 32 || len(sp.Best.Quality) != 32 || sp.Best.RequiredIters >= p.SpIntervalIters {
			return errorsmod.Wrapf(ErrInvalidGenesis, "signage point %d: bad best proof", sp.Height)
		}
		if err := modkit.ValidateAddress("reward_address", sp.Best.RewardAddress); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "signage point %d: %v", sp.Height, err)
		}
	}
	return nil
}

// Validate checks one pool contract.
func (c PoolContract) Validate(nextID uint64) error {
	if c.Id == 0 || c.Id >= nextID {
		return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract id %d not in [1, %d)", c.Id, nextID)
	}
	if err := modkit.ValidateAddress("owner", c.Owner); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: %v", c.Id, err)
	}
	if err := modkit.ValidateAddress("target", c.Target); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: %v", c.Id, err)
	}
	if err := ValidatePubKey("owner_public_key", c.OwnerPublicKey); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: %v", c.Id, err)
	}
	for _, v := range []sdkmath.Int{c.Balance, c.TotalWon, c.TotalAbsorbed} {
		if v.IsNil() || v.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: negative or missing amount", c.Id)
		}
	}
	if !c.TotalWon.Equal(c.Balance.Add(c.TotalAbsorbed)) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: total_won ≠ balance + total_absorbed", c.Id)
	}
	switch c.State {
	case POOL_STATE_SELF_POOLING:
		if c.Target != c.Owner || c.LeavingUntil != 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: self-pooling with a foreign target or a leave height", c.Id)
		}
	case POOL_STATE_FARMING_TO_POOL:
		if c.LeavingUntil != 0 || c.RelativeLock == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: farming to pool without a lock or with a leave height", c.Id)
		}
	case POOL_STATE_LEAVING_POOL:
		if c.LeavingUntil <= 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: leaving without a leave height", c.Id)
		}
	default:
		return errorsmod.Wrapf(ErrInvalidGenesis, "pool contract %d: state %s", c.Id, c.State)
	}
	return nil
}
