package pospace

import "encoding/binary"

// recLayout describes the fixed-size record in which the plotter spills an entry of table t to
// a temporary file: f value, metadata (none for table 7), and for tables 2…7 the two pointers in
// plot order and the tie bit, and (tables 2…6) the largest x of the entry's subtree. A table-1
// entry's metadata is its x, which is also its largest x. Fields are bit-packed MSB-first with f
// first, so that the sort key can be read from the first 8 bytes.
//
// f is stored without its leading bucket bits (the bucket a record is in says them; decode
// leaves them 0). With compact pointers (the intermediate file of a version-2 plot, which stores
// no tie bit) the pointers are the smaller one, its compactDeltaBits distance to the larger one,
// and a bit that says whether the larger one comes first in plot order: the same entry in 16
// bits less than two pointers and a tie bit (2 bytes per record at k = 30).
type recLayout struct {
	fbits   uint // f value, without the bucket bits
	mbits   uint // metadata
	pbits   uint // each pointer (the smaller one when compact); 0 for table 1
	xbits   uint // largest x of the subtree; 0 for tables 1 and 7
	compact bool
	bytes   int
	words   int // 64-bit words covering a record

	offM, offP, offX uint // bit offsets of the metadata, the pointers and the largest x
}

// maxRecWords bounds the record size: at k = 32, 38 + 128 + 2·34 + 1 + 32 = 267 bits.
const maxRecWords = 5

// newRecLayout returns the record layout of table t with prevCount entries in table t−1, for a
// plotter with 2^bucketBits buckets.
func newRecLayout(k uint, t int, prevCount uint64, bucketBits uint, compact bool) recLayout {
	l := recLayout{fbits: k + ExtraBits - bucketBits, compact: compact && t > 1}
	if t < Tables {
		l.mbits = metaBits(k, t)
	}
	if t > 1 {
		l.pbits = pointerBits(prevCount)
	}
	if t > 1 && t < Tables {
		l.xbits = k
	}
	l.offM = l.fbits
	l.offP = l.offM + l.mbits
	l.offX = l.offP
	switch {
	case l.compact:
		l.offX += l.pbits + compactDeltaBits + 1 // smaller pointer, distance, order bit
	case t > 1:
		l.offX += 2*l.pbits + 1 // pointers and tie bit
	}
	total := l.offX + l.xbits
	l.bytes = int((total + 7) / 8)
	l.words = int((total + 63) / 64)
	return l
}

// fits reports whether e's pointers can be encoded (compact pointers at most 2^16−1 apart).
func (l *recLayout) fits(e *entry) bool {
	return !l.compact || max(e.p1, e.p2)-min(e.p1, e.p2) < 1<<compactDeltaBits
}

// entry is a decoded record.
type entry struct {
	y      uint64
	m      meta
	p1, p2 uint64
	tie    bool
	maxX   uint64
}

// recWords holds a record as big-endian words, one spare zero word at the end.
type recWords [maxRecWords + 1]uint64

// put stores the low width bits of v at bit pos.
func (w *recWords) put(pos, width uint, v uint64) {
	if width == 0 {
		return
	}
	q, r := pos/64, pos%64
	v <<= 64 - width // left-align
	w[q] |= v >> r
	w[q+1] |= v << (64 - r) // a shift by 64 gives 0
}

// get returns the width bits at bit pos.
func (w *recWords) get(pos, width uint) uint64 {
	q, r := pos/64, pos%64
	v := w[q]<<r | w[q+1]>>(64-r)
	return v >> (64 - width) // width 0 gives 0
}

// encode appends the record of e to dst.
func (l *recLayout) encode(dst []byte, e *entry) []byte {
	var w recWords
	w.put(0, l.fbits, e.y)
	for i, pos, n := 0, l.offM, l.mbits; n > 0; i, pos = i+1, pos+64 {
		take := min(n, 64)
		w.put(pos, take, e.m[i]>>(64-take))
		n -= take
	}
	switch {
	case l.compact:
		lo, hi := min(e.p1, e.p2), max(e.p1, e.p2)
		w.put(l.offP, l.pbits, lo)
		w.put(l.offP+l.pbits, compactDeltaBits, hi-lo)
		if e.p1 > e.p2 {
			w.put(l.offP+l.pbits+compactDeltaBits, 1, 1)
		}
	case l.pbits > 0:
		w.put(l.offP, l.pbits, e.p1)
		w.put(l.offP+l.pbits, l.pbits, e.p2)
		if e.tie {
			w.put(l.offP+2*l.pbits, 1, 1)
		}
	}
	w.put(l.offX, l.xbits, e.maxX)
	// Write whole words past the end of dst, then keep only the record's bytes.
	n := len(dst)
	if cap(dst)-n < 8*l.words {
		dst = append(dst[:cap(dst)], make([]byte, 8*l.words+cap(dst)/2)...)
	}
	out := dst[n : n+8*l.words]
	for i := range l.words {
		binary.BigEndian.PutUint64(out[8*i:], w[i])
	}
	return dst[:n+l.bytes]
}

// decode reads the record at rec, which must extend (in capacity) to a whole number of words.
// e.y gets f without its bucket bits; compact pointers decode with e.tie false.
func (l *recLayout) decode(rec []byte, e *entry) {
	var w recWords
	rec = rec[:8*l.words]
	for i := range l.words {
		w[i] = binary.BigEndian.Uint64(rec[8*i:])
	}
	// Bits past the record belong to the next one; get never reads past the field it extracts.
	e.y = w.get(0, l.fbits)
	e.m = meta{}
	for i, pos, n := 0, l.offM, l.mbits; n > 0; i, pos = i+1, pos+64 {
		take := min(n, 64)
		e.m[i] = w.get(pos, take) << (64 - take)
		n -= take
	}
	switch {
	case l.compact:
		lo := w.get(l.offP, l.pbits)
		hi := lo + w.get(l.offP+l.pbits, compactDeltaBits)
		e.p1, e.p2, e.tie = lo, hi, false
		if w.get(l.offP+l.pbits+compactDeltaBits, 1) == 1 {
			e.p1, e.p2 = hi, lo
		}
	case l.pbits > 0:
		e.p1 = w.get(l.offP, l.pbits)
		e.p2 = w.get(l.offP+l.pbits, l.pbits)
		e.tie = w.get(l.offP+2*l.pbits, 1) == 1
	}
	e.maxX = w.get(l.offX, l.xbits)
	if l.xbits == 0 && l.pbits == 0 {
		e.maxX = e.m[0] >> (64 - l.mbits) // table 1: the metadata is x
	}
}
