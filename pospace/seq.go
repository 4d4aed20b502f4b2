package pospace

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Sorted sequences (plot format version 2). A non-decreasing sequence of uint64 values is cut
// into parks of parkSize values. The park index holds, per park, the first value and the bit
// offset of the park's deltas in the data section (two big-endian u64). The data section holds,
// per park, the differences between consecutive values Rice-coded with parameter b: the quotient
// d >> b in unary (that many 0 bits, then a 1), then the low b bits of d. For the deltas of a
// random sorted set (geometric in distribution) a Rice code is within a few hundredths of a bit
// of the entropy, so no table-driven entropy coder is needed.

// parkIndexBytes is the size of one park index entry.
const parkIndexBytes = 16

// seqWriter streams a sorted sequence into its index and data sections.
type seqWriter struct {
	idx, data *sectionWriter
	park      uint64
	b         uint
	n         uint64
	prev      uint64
	bitpos    uint64
}

func newSeqWriter(idx, data *sectionWriter, park uint64, b uint) *seqWriter {
	return &seqWriter{idx: idx, data: data, park: park, b: b}
}

// add appends v, which must not be smaller than the previous value.
func (w *seqWriter) add(v uint64) {
	if w.n%w.park == 0 {
		w.idx.put(v, 64)
		w.idx.put(w.bitpos, 64)
	} else {
		d := v - w.prev
		q := d >> w.b
		w.bitpos += q + 1 + uint64(w.b)
		for ; q >= 63; q -= 63 {
			w.data.put(0, 63)
		}
		w.data.put(1, uint(q)+1)
		w.data.put(d&(1<<w.b-1), w.b)
	}
	w.prev = v
	w.n++
}

func (w *seqWriter) close() error {
	if err := w.idx.close(); err != nil {
		return err
	}
	return w.data.close()
}

// riceBits returns the Rice parameter for n sorted values spread over [0, universe): with a mean
// gap μ the expected code length b + 1 + μ/2^b is smallest near 2^b = μ·ln 2.
func riceBits(universe, n uint64) uint {
	if n == 0 {
		return 0
	}
	mu := universe / n
	best, bestCost := uint(0), uint64(1<<63)
	for b := uint(0); b < 62; b++ {
		cost := uint64(b+1)<<20 + (mu<<20)>>b // in units of 2^-20 bits
		if cost < bestCost {
			best, bestCost = b, cost
		}
		if mu>>b == 0 {
			break
		}
	}
	return best
}

// decodePark decodes the values of one park: first, then n−1 Rice-coded deltas from data
// starting at bit pos and ending before bit limit. It appends to dst (nil: only the last value is
// returned, in a one-element slice of scratch) and fails on truncated or overflowing data.
func decodePark(dst []uint64, first uint64, n int, b uint, data []byte, pos, limit uint64) ([]uint64, error) {
	keep := dst != nil
	if keep {
		dst = append(dst, first)
	}
	limit = min(limit, uint64(len(data))*8)
	v := first
	i := 1
	if !keep && b < 48 {
		// Fast path for a single value: while a whole window is in the buffer and each code fits
		// in it, sum the deltas without checks (the sum is checked below).
		fastEnd := uint64(len(data)-9) * 8
		if len(data) < 9 {
			fastEnd = 0
		}
		fastEnd = min(fastEnd, limit)
		for ; i < n && pos < fastEnd; i++ {
			w := binary.BigEndian.Uint64(data[pos/8:])<<(pos%8) | uint64(data[pos/8+8])>>(8-pos%8)
			lz := uint64(bits.LeadingZeros64(w))
			if lz+1+uint64(b) > 64 {
				break
			}
			d := lz<<b | (w<<(lz+1))>>(64-b)
			if b == 0 {
				d = lz
			}
			pos += lz + 1 + uint64(b)
			if v+d < v {
				return nil, fmt.Errorf("%w: park value overflows", ErrBadPlot)
			}
			v += d
		}
		if pos > limit {
			return nil, fmt.Errorf("%w: park data truncated", ErrBadPlot)
		}
	}
	for ; i < n; i++ {
		if pos >= limit {
			return nil, fmt.Errorf("%w: park data truncated", ErrBadPlot)
		}
		w := peek64(data, pos)
		lz := uint64(bits.LeadingZeros64(w))
		var d uint64
		if lz+1+uint64(b) <= 64 {
			// Fast path: quotient and remainder in one window (a shift by 64 gives 0).
			d = lz<<b | (w<<(lz+1))>>(64-b)
			if b == 0 {
				d = lz
			}
			pos += lz + 1 + uint64(b)
		} else {
			q := lz
			pos += lz
			for lz == 64 {
				if pos >= limit {
					return nil, fmt.Errorf("%w: park data truncated", ErrBadPlot)
				}
				w = peek64(data, pos)
				lz = uint64(bits.LeadingZeros64(w))
				q += lz
				pos += lz
			}
			pos++ // the terminating 1
			if q > 1<<(63-b) {
				return nil, fmt.Errorf("%w: bad park delta", ErrBadPlot)
			}
			d = q<<b | getBits(data, uint(pos), b)
			pos += uint64(b)
		}
		if pos > limit {
			return nil, fmt.Errorf("%w: park data truncated", ErrBadPlot)
		}
		if v+d < v {
			return nil, fmt.Errorf("%w: park value overflows", ErrBadPlot)
		}
		v += d
		if keep {
			dst = append(dst, v)
		}
	}
	if !keep {
		return []uint64{v}, nil
	}
	return dst, nil
}

// peek64 returns the 64 bits of data at bit pos, zero past the end.
func peek64(data []byte, pos uint64) uint64 {
	i, off := pos/8, pos%8
	var tmp [9]byte
	src := data[i:]
	if len(src) >= 9 {
		v := binary.BigEndian.Uint64(src) << off
		if off > 0 {
			v |= uint64(src[8]) >> (8 - off)
		}
		return v
	}
	copy(tmp[:], src)
	v := binary.BigEndian.Uint64(tmp[:]) << off
	if off > 0 {
		v |= uint64(tmp[8]) >> (8 - off)
	}
	return v
}

// Line points. The unordered pair of positions {big, small}, big > small, of a table entry's
// children is stored as one number, lp = big·(big−1)/2 + small, which orders pairs by (big,
// small). At compression level c the table-2 pair of x values keeps only s = small >> c:
// lp = F_c(big) + s with F_c(big) = Σ_{u<big−1} ((u>>c)+1), the number of (big', s') pairs with
// big' < big. Level 0 is the plain line point. Values fit in 64 bits for k ≤ 32.

// lpBase returns F_c(big).
func lpBase(big uint64, c uint) uint64 {
	if big == 0 {
		return 0
	}
	n := big - 1
	q, r := n>>c, n&(1<<c-1)
	var tri uint64 // q·(q−1)/2 without overflow
	if q%2 == 0 {
		tri = q / 2 * (q - 1)
	} else {
		tri = q * ((q - 1) / 2)
	}
	return n + tri<<c + r*q
}

// linePoint encodes the pair (big, small>>c), big > small.
func linePoint(big, small uint64, c uint) uint64 {
	return lpBase(big, c) + small>>c
}

// lpUniverse returns the number of line points for pairs below m (big < m).
func lpUniverse(m uint64, c uint) uint64 { return lpBase(m, c) }

// fromLinePoint inverts linePoint: it returns big and s = small >> c. max bounds big (exclusive).
func fromLinePoint(lp uint64, c uint, max uint64) (big, s uint64, ok bool) {
	// The largest big with lpBase(big) ≤ lp, by binary search over [1, max).
	lo, hi := uint64(1), max
	if hi <= lo || lp >= lpBase(max, c) {
		return 0, 0, false
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if lpBase(mid, c) <= lp {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, lp - lpBase(lo, c), true
}

// sortPairs sorts keys ascending (only the low keyBits bits may be set) and applies the same
// permutation to vals, with an LSD radix sort; tk and tv are scratch of the same lengths.
func sortPairs(keys []uint64, vals []uint32, tk []uint64, tv []uint32, keyBits uint) {
	n := len(keys)
	if n < 2 || keyBits == 0 {
		return
	}
	passes := (keyBits + 10) / 11
	digit := (keyBits + passes - 1) / passes
	mask := uint64(1)<<digit - 1
	counts := make([]int, 1<<digit)
	sk, sv, dk, dv := keys, vals, tk[:n], tv[:n]
	for p := range passes {
		shift := digit * p
		clear(counts)
		for _, k := range sk {
			counts[(k>>shift)&mask]++
		}
		sum := 0
		for i, c := range counts {
			counts[i] = sum
			sum += c
		}
		for i, k := range sk {
			d := (k >> shift) & mask
			dk[counts[d]] = k
			dv[counts[d]] = sv[i]
			counts[d]++
		}
		sk, sv, dk, dv = dk, dv, sk, sv
	}
	if passes%2 == 1 {
		copy(keys, tk[:n])
		copy(vals, tv[:n])
	}
}
