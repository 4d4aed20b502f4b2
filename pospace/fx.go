package pospace

import (
	"math/bits"

	"lukechampine.com/blake3/guts"
)

// meta is an entry's metadata: an MSB-first bit string of up to 256 bits (w[0] holds the first
// 64 bits). Its length is implied by k and the table (see metaBits).
type meta [4]uint64

// metaFromUint returns the metadata of a table-1 entry: x as a k-bit string.
func metaFromUint(x uint64, k uint) meta {
	return meta{x << (64 - k)}
}

// bitbuf accumulates an MSB-first bit string of up to 512 bits.
type bitbuf struct {
	w [8]uint64
	n uint
}

// add appends the low width bits of v (width ≤ 64; v must have no higher bits set).
func (b *bitbuf) add(v uint64, width uint) {
	if width == 0 {
		return
	}
	i, off := b.n/64, b.n%64
	free := 64 - off
	if width <= free {
		b.w[i] |= v << (free - width)
	} else {
		b.w[i] |= v >> (width - free)
		b.w[i+1] |= v << (64 - (width - free))
	}
	b.n += width
}

// addMeta appends the first n bits of m.
func (b *bitbuf) addMeta(m *meta, n uint) {
	for i := 0; n > 0; i++ {
		take := min(n, 64)
		b.add(m[i]>>(64-take), take)
		n -= take
	}
}

const blake3Flags = guts.FlagChunkStart | guts.FlagChunkEnd | guts.FlagRoot

// blake3Words hashes the first nbytes bytes of the big-endian words w (at most 64 bytes, the
// rest zero) with BLAKE3-256 and returns the digest as four big-endian words.
func blake3Words(w *[8]uint64, nbytes uint) [5]uint64 {
	n := guts.Node{CV: guts.IV, BlockLen: uint32(nbytes), Flags: blake3Flags}
	for i := range 8 {
		n.Block[2*i] = bits.ReverseBytes32(uint32(w[i] >> 32))
		n.Block[2*i+1] = bits.ReverseBytes32(uint32(w[i]))
	}
	o := guts.CompressNode(n)
	var h [5]uint64 // h[4] stays 0 so that bit extraction may read one word past the digest
	for j := range 4 {
		h[j] = uint64(bits.ReverseBytes32(o[2*j]))<<32 | uint64(bits.ReverseBytes32(o[2*j+1]))
	}
	return h
}

// fx computes the entries of table t (2…7) from matching pairs of table t−1.
type fx struct {
	k       uint
	t       int
	inBits  uint // metadata bits of each input entry
	outBits uint // metadata bits of the output entry (0 for table 7)
}

func newFx(k uint, t int) fx {
	f := fx{k: k, t: t, inBits: vecLens[t] * k}
	if t < Tables {
		f.outBits = vecLens[t+1] * k
	}
	return f
}

// eval returns f_t(yL, mL, mR) and the output metadata: BLAKE3 of yL ‖ mL ‖ mR (zero-padded to
// whole bytes); f is the first k+6 bits of the digest. The output metadata is mL ‖ mR for
// tables 2 and 3, the next vecLens[t+1]·k digest bits for tables 4–6, and empty for table 7.
func (f *fx) eval(yL uint64, mL, mR *meta) (uint64, meta) {
	var in bitbuf
	fbits := f.k + ExtraBits
	in.add(yL, fbits)
	in.addMeta(mL, f.inBits)
	in.addMeta(mR, f.inBits)
	h := blake3Words(&in.w, (in.n+7)/8)
	y := h[0] >> (64 - fbits)
	var out meta
	switch {
	case f.t < 4:
		var c bitbuf
		c.addMeta(mL, f.inBits)
		c.addMeta(mR, f.inBits)
		copy(out[:], c.w[:4])
	case f.t < Tables:
		for j := range out {
			s := fbits + 64*uint(j)
			if s >= f.outBits+fbits {
				break
			}
			q, r := s/64, s%64
			w := h[q] << r
			if r > 0 {
				w |= h[q+1] >> (64 - r)
			}
			out[j] = w
		}
		// Clear the bits past the end so that equal metadata compares equal.
		last := f.outBits / 64
		if rem := f.outBits % 64; rem > 0 {
			out[last] &^= ^uint64(0) >> rem
			last++
		}
		for j := last; j < uint(len(out)); j++ {
			out[j] = 0
		}
	}
	return y, out
}
