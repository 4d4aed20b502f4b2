package pospace

import "encoding/binary"

// f1 computes table 1: f1(x) = (ChaCha8 keystream bits [x·k, x·k+k)) ‖ (top 6 bits of x), a
// (k+6)-bit value. The ChaCha8 key is 0x01 ‖ plot_id[0:31] (the table index, then the plot id
// without its last byte); the keystream is read as an MSB-first bit string.
type f1 struct {
	k      uint
	cipher *chacha8
}

func newF1(k uint, plotID *[32]byte) *f1 {
	var key [32]byte
	key[0] = 1
	copy(key[1:], plotID[:31])
	return &f1{k: k, cipher: newChacha8(&key)}
}

// eval returns f1(x) for one x.
func (f *f1) eval(x uint64) uint64 {
	pos := x * uint64(f.k)
	blk := pos / 512
	bit := pos % 512
	var buf [128]byte
	f.cipher.block(blk, (*[64]byte)(buf[:64]))
	if bit/8+8 > 64 {
		f.cipher.block(blk+1, (*[64]byte)(buf[64:]))
	}
	v := binary.BigEndian.Uint64(buf[bit/8:]) << (bit % 8) >> (64 - f.k)
	return v<<ExtraBits | x>>(f.k-ExtraBits)
}

// f1ChunkXs is the number of x values evaluated per call to evalChunk. It is a multiple of 512 so
// that every chunk starts on a keystream block boundary for any k.
const f1ChunkXs = 1 << 14

// evalChunk computes f1 for x in [x0, x0+len(ys)), where x0 is a multiple of f1ChunkXs and
// len(ys) ≤ f1ChunkXs. buf is scratch space of at least f1ChunkBufBytes(k) bytes.
func (f *f1) evalChunk(x0 uint64, ys []uint64, buf []byte) {
	k := uint64(f.k)
	startBit := x0 * k // a multiple of 512
	nbits := uint64(len(ys)) * k
	nblocks := (nbits + 511) / 512
	f.cipher.keystream(startBit/512, buf[:nblocks*64])
	clear(buf[nblocks*64 : nblocks*64+8])
	shift := 64 - f.k
	low := f.k - ExtraBits
	var pos uint64
	for i := range ys {
		v := binary.BigEndian.Uint64(buf[pos/8:]) << (pos % 8) >> shift
		x := x0 + uint64(i)
		ys[i] = v<<ExtraBits | x>>low
		pos += k
	}
}

// f1ChunkBufBytes is the scratch size evalChunk needs for a given k.
func f1ChunkBufBytes(k uint) int {
	return int((f1ChunkXs*uint64(k)+511)/512*64) + 8
}
