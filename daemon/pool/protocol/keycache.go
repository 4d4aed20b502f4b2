package protocol

import (
	"sync"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// stdlibRules makes curve25519-voi accept exactly what crypto/ed25519 accepts (cofactorless,
// non-canonical and small-order keys allowed, canonical S required), so that a cached
// verification never answers differently from Verify.
var stdlibRules = &voi.Options{Verify: voi.VerifyOptionsStdLib}

// KeyCache keeps expanded (decompressed, precomputed) public keys for the keys it has seen: a
// pool sees the same farmers' plot and authentication keys over and over. The PartialVerifier
// takes its keys from it; Verify checks one signature with them under crypto/ed25519's rules,
// in about half the time of crypto/ed25519. It is bounded: two generations of at most size keys
// each (about 1.5 KiB a key); when the newer one fills, the older is dropped. Safe for
// concurrent use.
type KeyCache struct {
	mu       sync.Mutex
	size     int
	cur, old map[Bytes32]*voi.ExpandedPublicKey
}

// NewKeyCache returns a cache holding up to 2×size expanded keys.
func NewKeyCache(size int) *KeyCache {
	if size < 1 {
		size = 1
	}
	return &KeyCache{size: size, cur: map[Bytes32]*voi.ExpandedPublicKey{}, old: map[Bytes32]*voi.ExpandedPublicKey{}}
}

// expanded returns pub's expanded form, or nil when pub is not a curve point.
func (c *KeyCache) expanded(pub Bytes32) *voi.ExpandedPublicKey {
	c.mu.Lock()
	if k, ok := c.cur[pub]; ok {
		c.mu.Unlock()
		return k
	}
	if k, ok := c.old[pub]; ok {
		c.putLocked(pub, k)
		c.mu.Unlock()
		return k
	}
	c.mu.Unlock()
	k, err := voi.NewExpandedPublicKey(voi.PublicKey(pub[:]))
	if err != nil {
		return nil // not a point: no signature by it verifies, and nothing is cached
	}
	c.mu.Lock()
	c.putLocked(pub, k)
	c.mu.Unlock()
	return k
}

func (c *KeyCache) putLocked(pub Bytes32, k *voi.ExpandedPublicKey) {
	if len(c.cur) >= c.size {
		c.old, c.cur = c.cur, make(map[Bytes32]*voi.ExpandedPublicKey, c.size)
	}
	c.cur[pub] = k
}

// Len is the number of keys held.
func (c *KeyCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.old)
}

// Verify is Verify with a cached expanded key: same answers, less work.
func (c *KeyCache) Verify(pub Bytes32, msg Bytes32, sig []byte) bool {
	if len(sig) != SignatureSize {
		return false
	}
	k := c.expanded(pub)
	return k != nil && voi.VerifyExpandedWithOptions(k, msg[:], sig, stdlibRules)
}
