package pospace

import "encoding/binary"

// bitWriter appends an MSB-first bit string to buf.
type bitWriter struct {
	buf []byte
	acc uint64 // pending bits, left-aligned
	n   uint   // number of pending bits, < 64
}

// put appends the low width bits of v (width ≤ 64; v must have no higher bits set).
func (w *bitWriter) put(v uint64, width uint) {
	if width == 0 {
		return
	}
	free := 64 - w.n
	if width < free {
		w.acc |= v << (free - width)
		w.n += width
		return
	}
	spill := width - free
	w.acc |= v >> spill
	w.buf = binary.BigEndian.AppendUint64(w.buf, w.acc)
	w.acc, w.n = 0, spill
	if spill > 0 {
		w.acc = v << (64 - spill)
	}
}

// flush appends the pending bits, zero-padded to a whole byte, and returns the buffer.
func (w *bitWriter) flush() []byte {
	for w.n > 0 {
		w.buf = append(w.buf, byte(w.acc>>56))
		w.acc <<= 8
		w.n = w.n - min(w.n, 8)
	}
	w.acc = 0
	return w.buf
}

// getBits returns the width bits (width ≤ 64) of buf starting at bit pos. buf must extend at
// least 9 bytes past pos/8, or be long enough for a slow path that pads.
func getBits(buf []byte, pos, width uint) uint64 {
	if width == 0 {
		return 0
	}
	i, off := pos/8, pos%8
	if i+9 > uint(len(buf)) {
		var tmp [9]byte
		copy(tmp[:], buf[i:])
		return getBits(tmp[:], off, width)
	}
	v := binary.BigEndian.Uint64(buf[i:]) << off
	if off+width > 64 {
		v |= uint64(buf[i+8]) >> (8 - off)
	}
	return v >> (64 - width)
}
