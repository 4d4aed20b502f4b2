package edkey

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

// SLIP-0010 test vector 1 for ed25519 (seed 000102…0f).
func TestDeriveSLIP10Vector(t *testing.T) {
	seed, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	cases := map[string]string{
		"m":                         "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7",
		"m/0'":                      "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3",
		"m/0'/1'/2'/2'":             "30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662",
		"m/0'/1'/2'/2'/1000000000'": "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793",
	}
	for path, want := range cases {
		got, err := DeriveSLIP10(seed, path)
		require.NoError(t, err, path)
		require.Equal(t, want, hex.EncodeToString(got), path)
	}
	_, err := DeriveSLIP10(seed, "m/x'")
	require.Error(t, err)
}

func TestAlgoSignsAndVerifies(t *testing.T) {
	mn := "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	bz, err := Algo.Derive()(mn, "", "m/44'/118'/0'/0/0")
	require.NoError(t, err)
	priv := Algo.Generate()(bz)
	sig, err := priv.Sign([]byte("guild"))
	require.NoError(t, err)
	require.True(t, priv.PubKey().VerifySignature([]byte("guild"), sig))
	require.Len(t, priv.PubKey().Bytes(), 32)
}
