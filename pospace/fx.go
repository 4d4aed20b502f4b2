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
	for i := range (nbytes + 7) / 8 {
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
	inBytes uint // bytes hashed: k+6 + 2·inBits bits, rounded up
}

func newFx(k uint, t int) fx {
	f := fx{k: k, t: t, inBits: vecLens[t] * k}
	if t < Tables {
		f.outBits = vecLens[t+1] * k
	}
	f.inBytes = (k + ExtraBits + 2*f.inBits + 7) / 8
	return f
}

// eval returns f_t(yL, mL, mR) and the output metadata: BLAKE3 of yL ‖ mL ‖ mR (zero-padded to
// whole bytes); f is the first k+6 bits of the digest. The output metadata is mL ‖ mR for
// tables 2 and 3, the next vecLens[t+1]·k digest bits for tables 4–6, and empty for table 7.
func (f *fx) eval(yL uint64, mL, mR *meta) (uint64, meta) {
	in := f.input(yL, mL, mR)
	h := blake3Words(&in, f.inBytes)
	return f.output(&h, &in)
}

// input returns the hash input yL ‖ mL ‖ mR as big-endian words.
func (f *fx) input(yL uint64, mL, mR *meta) [8]uint64 {
	var in bitbuf
	in.add(yL, f.k+ExtraBits)
	in.addMeta(mL, f.inBits)
	in.addMeta(mR, f.inBits)
	return in.w
}

// output derives f and the output metadata from the digest h (big-endian words) and the hash
// input in (for tables 2 and 3, whose output metadata mL ‖ mR follows f in the input).
func (f *fx) output(h *[5]uint64, in *[8]uint64) (uint64, meta) {
	fbits := f.k + ExtraBits
	y := h[0] >> (64 - fbits)
	var out meta
	switch {
	case f.t < 4:
		out = extractMeta(in[:], fbits, f.outBits)
	case f.t < Tables:
		out = extractMeta(h[:], fbits, f.outBits)
	}
	return y, out
}

// extractMeta returns bits [start, start+n) of the big-endian words w as metadata (n ≤ 256, and w
// must have a word past the last one read), with the bits past n cleared.
func extractMeta(w []uint64, start, n uint) meta {
	var out meta
	for j := uint(0); j*64 < n; j++ {
		s := start + 64*j
		q, r := s/64, s%64
		out[j] = w[q]<<r | w[q+1]>>(64-r) // a shift by 64 gives 0
	}
	if rem := n % 64; rem > 0 {
		out[n/64] &^= ^uint64(0) >> rem
	}
	return out
}

// fxLanes is the number of hashes fxBatch computes at once.
const fxLanes = 16

// fxBatch hashes up to 16 single-block inputs of the same length at once: with AVX-512 when the
// CPU has it (blake3x16_amd64.s), otherwise one at a time.
type fxBatch struct {
	in  [16][fxLanes]uint32 // in[w][l]: block word w (little-endian) of lane l
	out [8][fxLanes]uint32  // out[w][l]: digest word w of lane l
}

// set stores the input of lane l (big-endian words, nbytes long).
func (b *fxBatch) set(l int, w *[8]uint64, nbytes uint) {
	for i := range (nbytes + 7) / 8 {
		b.in[2*i][l] = bits.ReverseBytes32(uint32(w[i] >> 32))
		b.in[2*i+1][l] = bits.ReverseBytes32(uint32(w[i]))
	}
}

// hash hashes lanes 0…n−1, every input nbytes long.
func (b *fxBatch) hash(n int, nbytes uint) {
	if useAVX512 {
		blake3x16(&b.out, &b.in, uint32(nbytes))
		return
	}
	for l := range n {
		node := guts.Node{CV: guts.IV, BlockLen: uint32(nbytes), Flags: blake3Flags}
		for w := range node.Block {
			node.Block[w] = b.in[w][l]
		}
		o := guts.CompressNode(node)
		for w := range b.out {
			b.out[w][l] = o[w]
		}
	}
}

// digest returns the digest of lane l as big-endian words (the fifth word is 0).
func (b *fxBatch) digest(l int) [5]uint64 {
	var h [5]uint64
	for j := range 4 {
		h[j] = uint64(bits.ReverseBytes32(b.out[2*j][l]))<<32 | uint64(bits.ReverseBytes32(b.out[2*j+1][l]))
	}
	return h
}
