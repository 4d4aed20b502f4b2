package types

import (
	"strings"
	"unicode"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Bounds on the free-form fields of a provider. The number of attributes is further bounded by
// the max_attributes parameter, itself at most MaxAttributesLimit.
const (
	MaxMonikerLength        = 64
	MaxHostURILength        = 256
	MaxAttributeKeyLength   = 64
	MaxAttributeValueLength = 256
	MaxAttributesLimit      = 64
	// MaxReasonLength bounds the reason recorded with a slash.
	MaxReasonLength = 256
)

// NodeAccount returns the account address of a node's ed25519 public key: the only account that
// may send the node's heartbeats and report on its leases.
func NodeAccount(pubKey []byte) (string, error) {
	if len(pubKey) != ed25519.PubKeySize {
		return "", errorsmod.Wrapf(ErrInvalidPubKey, "length %d, want %d", len(pubKey), ed25519.PubKeySize)
	}
	return sdk.AccAddress((&ed25519.PubKey{Key: pubKey}).Address()).String(), nil
}

// ValidateAddress checks that addr is a bech32 account address with the chain's prefix.
func ValidateAddress(field, addr string) error {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	return nil
}

// ValidateMoniker checks a provider's display name: 1 to MaxMonikerLength bytes of printable UTF-8.
func ValidateMoniker(moniker string) error {
	if strings.TrimSpace(moniker) == "" {
		return errorsmod.Wrap(ErrInvalidMetadata, "moniker is empty")
	}
	if len(moniker) > MaxMonikerLength {
		return errorsmod.Wrapf(ErrInvalidMetadata, "moniker is %d bytes, at most %d", len(moniker), MaxMonikerLength)
	}
	if !isPrintable(moniker) {
		return errorsmod.Wrap(ErrInvalidMetadata, "moniker has invalid UTF-8 or control characters")
	}
	return nil
}

// ValidateHostURI checks a provider's host URI: empty, or up to MaxHostURILength bytes of
// printable ASCII without spaces.
func ValidateHostURI(uri string) error {
	if len(uri) > MaxHostURILength {
		return errorsmod.Wrapf(ErrInvalidMetadata, "host URI is %d bytes, at most %d", len(uri), MaxHostURILength)
	}
	for i := 0; i < len(uri); i++ {
		if uri[i] <= ' ' || uri[i] > '~' {
			return errorsmod.Wrapf(ErrInvalidMetadata, "host URI has an invalid byte 0x%02x at %d", uri[i], i)
		}
	}
	return nil
}

// ValidateAttributes checks a provider's attributes: at most max of them, keys of 1 to
// MaxAttributeKeyLength characters from [A-Za-z0-9._/-] without duplicates, values of at most
// MaxAttributeValueLength bytes of printable UTF-8.
func ValidateAttributes(attrs []Attribute, max uint32) error {
	if uint64(len(attrs)) > uint64(max) {
		return errorsmod.Wrapf(ErrTooManyAttributes, "%d attributes, at most %d", len(attrs), max)
	}
	for i, a := range attrs {
		if a.Key == "" || len(a.Key) > MaxAttributeKeyLength {
			return errorsmod.Wrapf(ErrInvalidAttributes, "attribute %d: key must have 1 to %d characters", i, MaxAttributeKeyLength)
		}
		for j := 0; j < len(a.Key); j++ {
			if !isKeyByte(a.Key[j]) {
				return errorsmod.Wrapf(ErrInvalidAttributes, "attribute %d: key %q may only use A-Z a-z 0-9 . _ / -", i, a.Key)
			}
		}
		if len(a.Value) > MaxAttributeValueLength {
			return errorsmod.Wrapf(ErrInvalidAttributes, "attribute %q: value is %d bytes, at most %d", a.Key, len(a.Value), MaxAttributeValueLength)
		}
		if !isPrintable(a.Value) {
			return errorsmod.Wrapf(ErrInvalidAttributes, "attribute %q: value has invalid UTF-8 or control characters", a.Key)
		}
		for _, b := range attrs[:i] {
			if b.Key == a.Key {
				return errorsmod.Wrapf(ErrInvalidAttributes, "duplicate key %q", a.Key)
			}
		}
	}
	return nil
}

// ValidateMetadata checks the moniker, host URI and attributes of a provider.
func ValidateMetadata(moniker, hostURI string, attrs []Attribute, maxAttributes uint32) error {
	if err := ValidateMoniker(moniker); err != nil {
		return err
	}
	if err := ValidateHostURI(hostURI); err != nil {
		return err
	}
	return ValidateAttributes(attrs, maxAttributes)
}

// ValidateBondCoin checks a coin used as a bond: a valid denom and a non-negative amount.
func ValidateBondCoin(c sdk.Coin) error {
	if c.Amount.IsNil() {
		return errorsmod.Wrap(ErrInvalidBond, "amount is missing")
	}
	if err := c.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidBond, "%v", err)
	}
	return nil
}

// ValidatePositiveCoin checks an amount to deposit or withdraw: a valid denom and a positive amount.
func ValidatePositiveCoin(c sdk.Coin) error {
	if c.Amount.IsNil() {
		return errorsmod.Wrap(ErrInvalidAmount, "amount is missing")
	}
	if err := c.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidAmount, "%v", err)
	}
	if !c.Amount.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s is not positive", c)
	}
	return nil
}

// ValidatePrice checks an offer price: a valid denom and a positive decimal amount. Whether the
// denom is an accepted payment denom is x/market's check, at booking.
func ValidatePrice(p sdk.DecCoin) error {
	if p.Amount.IsNil() {
		return errorsmod.Wrap(ErrInvalidPrice, "amount is missing")
	}
	if err := sdk.ValidateDenom(p.Denom); err != nil {
		return errorsmod.Wrapf(ErrInvalidPrice, "%v", err)
	}
	if !p.Amount.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidPrice, "%s is not positive", p)
	}
	return nil
}

// ValidateOfferResources checks the resources of one unit of an offer: not all zero.
func ValidateOfferResources(r Resources) error {
	if r.IsZero() {
		return errorsmod.Wrap(ErrInvalidResources, "a unit must have some resources")
	}
	return nil
}

func isPrintable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func isKeyByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '.' || c == '_' || c == '/' || c == '-'
}
