package types_test

import (
	"os"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// TestMain installs the chain's bech32 prefix, as the binary does at start.
func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	os.Exit(m.Run())
}

// addr returns a distinct valid address per seed byte.
func addr(seed byte) string {
	b := make([]byte, 20)
	for i := range b {
		b[i] = seed
	}
	return sdk.AccAddress(b).String()
}

// pubKey returns a distinct 32-byte key per seed byte.
func pubKey(seed byte) []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = seed + byte(i)
	}
	return b
}
