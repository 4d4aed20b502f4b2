package pospace

import (
	"encoding/binary"
	"math/bits"
)

// chacha8 is the ChaCha stream cipher with 8 rounds in its original layout (Bernstein's "expand
// 32-byte k" constants, 256-bit key, 64-bit block counter in words 12–13, a zero 64-bit nonce in
// words 14–15), as used by chiapos for F1. Neither golang.org/x/crypto/chacha20 (20 rounds, IETF
// nonce layout) nor math/rand/v2's ChaCha8 (a different construction) computes it.
type chacha8 struct {
	key [8]uint32
}

func newChacha8(key *[32]byte) *chacha8 {
	c := new(chacha8)
	for i := range c.key {
		c.key[i] = binary.LittleEndian.Uint32(key[4*i:])
	}
	return c
}

const (
	sigma0 = 0x61707865 // "expa"
	sigma1 = 0x3320646e // "nd 3"
	sigma2 = 0x79622d32 // "2-by"
	sigma3 = 0x6b206574 // "te k"
)

func quarterRound(a, b, c, d uint32) (uint32, uint32, uint32, uint32) {
	a += b
	d = bits.RotateLeft32(d^a, 16)
	c += d
	b = bits.RotateLeft32(b^c, 12)
	a += b
	d = bits.RotateLeft32(d^a, 8)
	c += d
	b = bits.RotateLeft32(b^c, 7)
	return a, b, c, d
}

// block writes the 64-byte keystream block number counter into out.
func (c *chacha8) block(counter uint64, out *[64]byte) {
	k := &c.key
	in12, in13 := uint32(counter), uint32(counter>>32)
	x0, x1, x2, x3 := uint32(sigma0), uint32(sigma1), uint32(sigma2), uint32(sigma3)
	x4, x5, x6, x7 := k[0], k[1], k[2], k[3]
	x8, x9, x10, x11 := k[4], k[5], k[6], k[7]
	x12, x13, x14, x15 := in12, in13, uint32(0), uint32(0)
	for range 4 { // 4 double rounds = 8 rounds
		x0, x4, x8, x12 = quarterRound(x0, x4, x8, x12)
		x1, x5, x9, x13 = quarterRound(x1, x5, x9, x13)
		x2, x6, x10, x14 = quarterRound(x2, x6, x10, x14)
		x3, x7, x11, x15 = quarterRound(x3, x7, x11, x15)
		x0, x5, x10, x15 = quarterRound(x0, x5, x10, x15)
		x1, x6, x11, x12 = quarterRound(x1, x6, x11, x12)
		x2, x7, x8, x13 = quarterRound(x2, x7, x8, x13)
		x3, x4, x9, x14 = quarterRound(x3, x4, x9, x14)
	}
	le := binary.LittleEndian
	le.PutUint32(out[0:], x0+sigma0)
	le.PutUint32(out[4:], x1+sigma1)
	le.PutUint32(out[8:], x2+sigma2)
	le.PutUint32(out[12:], x3+sigma3)
	le.PutUint32(out[16:], x4+k[0])
	le.PutUint32(out[20:], x5+k[1])
	le.PutUint32(out[24:], x6+k[2])
	le.PutUint32(out[28:], x7+k[3])
	le.PutUint32(out[32:], x8+k[4])
	le.PutUint32(out[36:], x9+k[5])
	le.PutUint32(out[40:], x10+k[6])
	le.PutUint32(out[44:], x11+k[7])
	le.PutUint32(out[48:], x12+in12)
	le.PutUint32(out[52:], x13+in13)
	le.PutUint32(out[56:], x14)
	le.PutUint32(out[60:], x15)
}

// keystream fills dst (a multiple of 64 bytes) with the blocks starting at block number first.
func (c *chacha8) keystream(first uint64, dst []byte) {
	for i := 0; i+64 <= len(dst); i += 64 {
		c.block(first, (*[64]byte)(dst[i:i+64]))
		first++
	}
}
