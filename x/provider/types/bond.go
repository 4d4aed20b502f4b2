package types

import (
	"strconv"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// gib is 2^30 bytes.
var gib = sdkmath.NewInt(1 << 30)

// RequiredBond is the bond a node with capacity c must hold before it takes bookings:
//
//	cpu_milli × bond_per_cpu_core / 1000 + memory_bytes × bond_per_gib_memory / 2^30
//	  + storage_bytes × bond_per_gib_storage / 2^30 + gpus × bond_per_gpu
//
// Each term is rounded down on its own. Worked example with the default parameters: 4 cores
// (4000 milli), 8 GiB of memory, 100 GiB of storage and no GPU need 4 × 1_000_000 + 8 × 100_000 +
// 100 × 10_000 = 5_800_000 ugld; 1500 milli-cores alone need 1_500_000, and 1 byte of memory
// needs 100_000 / 2^30 = 0. The error (ErrOverflow, ErrInvalidParams) is unreachable with
// parameters that pass Params.Validate, which bounds every rate to 128 bits.
func RequiredBond(c Resources, p Params) (sdkmath.Int, error) {
	terms := []struct {
		qty  uint64
		rate sdkmath.Int
		per  sdkmath.Int
		name string
	}{
		{c.CpuMilli, p.BondPerCpuCore, sdkmath.NewInt(1000), "bond_per_cpu_core"},
		{c.MemoryBytes, p.BondPerGibMemory, gib, "bond_per_gib_memory"},
		{c.StorageBytes, p.BondPerGibStorage, gib, "bond_per_gib_storage"},
		{c.Gpus, p.BondPerGpu, sdkmath.OneInt(), "bond_per_gpu"},
	}
	total := sdkmath.ZeroInt()
	for _, t := range terms {
		if t.rate.IsNil() || t.rate.IsNegative() {
			return sdkmath.Int{}, errorsmod.Wrapf(ErrInvalidParams, "%s must be a non-negative integer", t.name)
		}
		term, err := sdkmath.NewIntFromUint64(t.qty).SafeMul(t.rate)
		if err != nil {
			return sdkmath.Int{}, errorsmod.Wrapf(ErrOverflow, "%s × %d: %v", t.name, t.qty, err)
		}
		if total, err = total.SafeAdd(term.Quo(t.per)); err != nil {
			return sdkmath.Int{}, errorsmod.Wrapf(ErrOverflow, "required bond: %v", err)
		}
	}
	return total, nil
}

// BasisPoints is 100%: SlashAmount takes bps/BasisPoints of a bond.
const BasisPoints = 10_000

// SlashAmount is ⌊bond × bps / 10000⌋ in the bond's denom, computed as
// ⌊bond / 10000⌋ × bps + ⌊(bond mod 10000) × bps / 10000⌋ so that it never overflows; bps above
// 10000 counts as 10000 and a nil or non-positive bond loses nothing. Worked example: a bond of
// 5_800_000ugld slashed by 250 bps loses 145_000ugld; a bond of 39ugld slashed by 250 bps loses 0.
func SlashAmount(bond sdk.Coin, bps uint32) sdk.Coin {
	if bond.Amount.IsNil() || !bond.Amount.IsPositive() || bps == 0 {
		return sdk.Coin{Denom: bond.Denom, Amount: sdkmath.ZeroInt()}
	}
	if bps > BasisPoints {
		bps = BasisPoints
	}
	whole := bond.Amount.QuoRaw(BasisPoints).MulRaw(int64(bps))
	part := bond.Amount.ModRaw(BasisPoints).MulRaw(int64(bps)).QuoRaw(BasisPoints)
	return sdk.Coin{Denom: bond.Denom, Amount: whole.Add(part)}
}

func u64(v uint64) string { return strconv.FormatUint(v, 10) }
