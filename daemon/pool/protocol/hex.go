package protocol

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Bytes32 is a 32-byte value written as 64 hex digits (an optional 0x prefix is accepted).
type Bytes32 [32]byte

// String returns the value as 0x-prefixed lowercase hex, as pool-reference writes it.
func (b Bytes32) String() string { return "0x" + hex.EncodeToString(b[:]) }

// Hex returns the value as lowercase hex without prefix.
func (b Bytes32) Hex() string { return hex.EncodeToString(b[:]) }

// IsZero reports whether every byte is zero.
func (b Bytes32) IsZero() bool { return b == Bytes32{} }

// MarshalJSON writes the value as a 0x-prefixed hex string.
func (b Bytes32) MarshalJSON() ([]byte, error) { return json.Marshal(b.String()) }

// UnmarshalJSON reads 64 hex digits (decoded in place: a partial carries five of them).
func (b *Bytes32) UnmarshalJSON(data []byte) error {
	s := trimQuotes(data)
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if len(s) != 2*len(b) {
		v, err := ParseBytes32(string(trimQuotes(data))) // the same error as ParseBytes32's
		if err != nil {
			return err
		}
		*b = v
		return nil
	}
	var out Bytes32
	if _, err := hex.Decode(out[:], s); err != nil {
		return fmt.Errorf("invalid hex: %w", err)
	}
	*b = out
	return nil
}

// ParseBytes32 parses 64 hex digits with an optional 0x prefix.
func ParseBytes32(s string) (Bytes32, error) {
	var out Bytes32
	raw, err := decodeHex(s)
	if err != nil {
		return out, err
	}
	if len(raw) != 32 {
		return out, fmt.Errorf("want 32 bytes, got %d", len(raw))
	}
	copy(out[:], raw)
	return out, nil
}

// HexBytes is a byte string written as hex (an optional 0x prefix is accepted).
type HexBytes []byte

// String returns the bytes as 0x-prefixed lowercase hex.
func (b HexBytes) String() string { return "0x" + hex.EncodeToString(b) }

// MarshalJSON writes the bytes as a 0x-prefixed hex string.
func (b HexBytes) MarshalJSON() ([]byte, error) { return json.Marshal(b.String()) }

// UnmarshalJSON reads hex digits.
func (b *HexBytes) UnmarshalJSON(data []byte) error {
	raw, err := decodeHex(string(trimQuotes(data)))
	if err != nil {
		return err
	}
	*b = raw
	return nil
}

func trimQuotes(data []byte) []byte {
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		return data[1 : len(data)-1]
	}
	return data
}

func decodeHex(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	raw, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("invalid hex: %w", err)
	}
	return raw, nil
}
