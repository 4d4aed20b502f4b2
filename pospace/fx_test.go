package pospace

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"lukechampine.com/blake3"
)

// wordsToBytes returns the first n bytes of big-endian words.
func wordsToBytes(w *[8]uint64, n uint) []byte {
	var b [64]byte
	for i, v := range w {
		binary.BigEndian.PutUint64(b[8*i:], v)
	}
	return b[:n]
}

// TestBlake3 checks the single-block hash paths (scalar and 16-lane) against the reference
// BLAKE3 implementation for every input length Fx uses and more.
func TestBlake3(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, avx := range []bool{false, true} {
		if avx && !useAVX512 {
			t.Log("no AVX-512: 16-lane path not tested")
			continue
		}
		for nbytes := uint(1); nbytes <= 64; nbytes++ {
			var b fxBatch
			var inputs [fxLanes][8]uint64
			for l := range fxLanes {
				for i := range inputs[l] {
					inputs[l][i] = rng.Uint64()
				}
				// Zero the bits past nbytes, as bitbuf does.
				full := wordsToBytes(&inputs[l], 64)
				clear(full[nbytes:])
				for i := range inputs[l] {
					inputs[l][i] = binary.BigEndian.Uint64(full[8*i:])
				}
				b.set(l, &inputs[l], nbytes)
			}
			if avx {
				blake3x16(&b.out, &b.in, uint32(nbytes))
			} else {
				saved := useAVX512
				setAVX512(false)
				b.hash(fxLanes, nbytes)
				setAVX512(saved)
			}
			for l := range fxLanes {
				want := blake3.Sum256(wordsToBytes(&inputs[l], nbytes))
				h := b.digest(l)
				var got [32]byte
				for j := range 4 {
					binary.BigEndian.PutUint64(got[8*j:], h[j])
				}
				if got != want {
					t.Fatalf("avx=%v nbytes=%d lane %d: %x, want %x", avx, nbytes, l, got, want)
				}
				if s := blake3Words(&inputs[l], nbytes); s != h {
					t.Fatalf("blake3Words differs at nbytes=%d", nbytes)
				}
			}
		}
	}
}
