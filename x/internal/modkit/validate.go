package modkit

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// ValidateAddress checks a bech32 account address with the chain's prefix. field names the
// message field in the error. It wraps the SDK's ErrInvalidAddress.
func ValidateAddress(field, addr string) error {
	if addr == "" {
		return errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "%s: empty address", field)
	}
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "%s: %q: %v", field, addr, err)
	}
	return nil
}

// ValidateOptionalAddress is ValidateAddress for a field that may be empty.
func ValidateOptionalAddress(field, addr string) error {
	if addr == "" {
		return nil
	}
	return ValidateAddress(field, addr)
}

// ValidatePositiveCoin checks that c is a valid coin with an amount above zero, and, when denoms
// is not empty, that its denom is one of them. It wraps the SDK's ErrInvalidCoins.
func ValidatePositiveCoin(field string, c sdk.Coin, denoms ...string) error {
	if err := c.Validate(); err != nil {
		return errorsmod.Wrapf(sdkerrors.ErrInvalidCoins, "%s: %v", field, err)
	}
	if !c.Amount.IsPositive() {
		return errorsmod.Wrapf(sdkerrors.ErrInvalidCoins, "%s: %s is not positive", field, c)
	}
	if len(denoms) > 0 && !contains(denoms, c.Denom) {
		return errorsmod.Wrapf(sdkerrors.ErrInvalidCoins, "%s: denom %q is not one of %v", field, c.Denom, denoms)
	}
	return nil
}

// ValidatePositiveCoins checks that cs is a valid, sorted, non-empty set of positive coins.
func ValidatePositiveCoins(field string, cs sdk.Coins) error {
	if cs.Empty() {
		return errorsmod.Wrapf(sdkerrors.ErrInvalidCoins, "%s: no coins", field)
	}
	if err := cs.Validate(); err != nil {
		return errorsmod.Wrapf(sdkerrors.ErrInvalidCoins, "%s: %v", field, err)
	}
	return nil
}

// ValidateBps checks that a basis-point figure is at most max (10,000 is 100%).
func ValidateBps(field string, bps, max uint32, errInvalid *errorsmod.Error) error {
	if bps > max {
		return errorsmod.Wrapf(errInvalid, "%s: %d bps is above the %d bps limit", field, bps, max)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
