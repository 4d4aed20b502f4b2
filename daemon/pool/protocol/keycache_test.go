package protocol

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestKeyCacheAgreesWithVerify: the cached path accepts and refuses exactly what Verify does —
// good signatures, a flipped bit in the signature or message, the wrong key, a key that is not
// a curve point, a short signature — and stays within its bound while keys come and go.
func TestKeyCacheAgreesWithVerify(t *testing.T) {
	c := NewKeyCache(4)
	var notPoint Bytes32
	for i := range notPoint {
		notPoint[i] = 0xff
	}
	notPoint[31] = 0x7f // not a valid key: no signature verifies under it, cached or not
	for round := 0; round < 3; round++ {
		for i := 0; i < 10; i++ {
			seed := sha256.Sum256([]byte{byte(i)})
			key := ed25519.NewKeyFromSeed(seed[:])
			pub := PublicKey(key)
			msg := Bytes32(sha256.Sum256([]byte{byte(i), 1}))
			sig := Sign(key, msg)
			other := PublicKey(ed25519.NewKeyFromSeed(msg[:]))
			bad := append([]byte(nil), sig...)
			bad[5] ^= 1
			badMsg := msg
			badMsg[0] ^= 1
			cases := []struct {
				pub Bytes32
				msg Bytes32
				sig []byte
			}{{pub, msg, sig}, {pub, msg, bad}, {pub, badMsg, sig}, {other, msg, sig}, {notPoint, msg, sig}, {pub, msg, sig[:63]}}
			for j, tc := range cases {
				require.Equal(t, Verify(tc.pub, tc.msg, tc.sig), c.Verify(tc.pub, tc.msg, tc.sig), "round %d key %d case %d", round, i, j)
			}
			require.True(t, c.Verify(pub, msg, sig))
			require.LessOrEqual(t, c.Len(), 8)
		}
	}
}
