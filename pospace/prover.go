package pospace

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// Prover answers challenges from a plot file by looking up the entries it needs with ReadAt; it
// keeps only the header and a small index (one k-bit value per 65536 table-7 entries) in memory.
// A Prover is safe for concurrent use.
type Prover struct {
	r      io.ReaderAt
	closer io.Closer
	hdr    Header
	idx2   []uint64 // version 1: every 65536th F7 value
	// Version 2: the first value of every f7SampleParks-th F7 park, and f1 for rebuilding
	// proofs.
	samples []uint64
	f1      *f1
}

// OpenProver opens the plot file at path.
func OpenProver(path string) (*Prover, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	p, err := NewProver(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p.closer = f
	return p, nil
}

// NewProver reads a plot of the given size from r.
func NewProver(r io.ReaderAt, size int64) (*Prover, error) {
	if size < headerSize {
		return nil, fmt.Errorf("%w: file too short", ErrBadPlot)
	}
	buf := make([]byte, min(size, headerSize2))
	if _, err := r.ReadAt(buf, 0); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: file too short", ErrBadPlot)
		}
		return nil, err
	}
	h, err := parseHeader(buf, size)
	if err != nil {
		return nil, err
	}
	if h.compact {
		return nil, fmt.Errorf("%w: an unfinished plot (the plotter's intermediate file)", ErrBadPlot)
	}
	p := &Prover{r: r, hdr: *h}
	if h.Version == plotVersion2 {
		if err := p.open2(); err != nil {
			return nil, err
		}
		return p, nil
	}
	w, n := h.entryBits(secI2)
	if p.idx2, err = p.readValues(secI2, 0, n, w); err != nil {
		return nil, err
	}
	return p, nil
}

// Close closes the plot file opened by OpenProver.
func (p *Prover) Close() error {
	if p.closer == nil {
		return nil
	}
	return p.closer.Close()
}

// Header returns the plot's header.
func (p *Prover) Header() Header { return p.hdr }

// Qualities returns the quality strings of every proof the plot has for challenge, in table-7
// order; the i-th quality belongs to Proof(challenge, i). Each costs about eight small reads.
func (p *Prover) Qualities(challenge [32]byte) ([][32]byte, error) {
	first, n, err := p.find(&challenge)
	if err != nil || n == 0 {
		return nil, err
	}
	out := make([][32]byte, 0, n)
	for i := range n {
		quality := p.quality
		if p.hdr.Version == plotVersion2 {
			quality = p.quality2
		}
		q, err := quality(&challenge, first+i)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// Proof returns the index-th proof (in the order of Qualities) for challenge: 64 x values of k
// bits in proof order, 8·k bytes, as Verify expects. It costs 127 small reads.
func (p *Prover) Proof(challenge [32]byte, index int) ([]byte, error) {
	first, n, err := p.find(&challenge)
	if err != nil {
		return nil, err
	}
	if index < 0 || uint64(index) >= n {
		return nil, fmt.Errorf("%w: index %d, the plot has %d proofs for the challenge", ErrNoProof, index, n)
	}
	var xs *[ProofXs]uint64
	if p.hdr.Version == plotVersion2 {
		xs, err = p.proofXs2(&challenge, first+uint64(index))
	} else {
		xs, err = p.proofXs(first + uint64(index))
	}
	if err != nil {
		return nil, err
	}
	return packProof(uint(p.hdr.K), xs), nil
}

// quality walks from table-7 entry pos down the path that the challenge selects: at each entry
// the first or second pointer (plot order) by one bit of a = 2·(challenge[31] mod 32), from
// bit 5 at table 7 to bit 1 at table 3; the table-2 entry gives x[a] and x[a+1].
func (p *Prover) quality(challenge *[32]byte, pos uint64) ([32]byte, error) {
	k := uint(p.hdr.K)
	a := uint64(2 * (challenge[31] & 0x1f))
	root := pos
	for t := Tables; t >= 2; t-- {
		p1, p2, tie, err := p.readEntry(t, pos)
		if err != nil {
			return [32]byte{}, err
		}
		if tie {
			// Two subtrees with the same largest x: the order needs the full proof.
			xs, err := p.proofXs(root)
			if err != nil {
				return [32]byte{}, err
			}
			return qualityFromProof(k, challenge, xs), nil
		}
		if t == 2 {
			x1, err := p.readValue(secX, p1)
			if err != nil {
				return [32]byte{}, err
			}
			x2, err := p.readValue(secX, p2)
			if err != nil {
				return [32]byte{}, err
			}
			return qualityOf(k, challenge, x1, x2), nil
		}
		pos = p1
		if (a>>(t-2))&1 == 1 {
			pos = p2
		}
	}
	panic("unreachable")
}

// proofXs expands table-7 entry pos into its 64 x values in proof order (left child first; the
// left child is the one at the lower position).
func (p *Prover) proofXs(pos uint64) (*[ProofXs]uint64, error) {
	xs := new([ProofXs]uint64)
	n := 0
	var walk func(t int, pos uint64) error
	walk = func(t int, pos uint64) error {
		if t == 1 {
			x, err := p.readValue(secX, pos)
			xs[n] = x
			n++
			return err
		}
		p1, p2, _, err := p.readEntry(t, pos)
		if err != nil {
			return err
		}
		if err := walk(t-1, min(p1, p2)); err != nil {
			return err
		}
		return walk(t-1, max(p1, p2))
	}
	if err := walk(Tables, pos); err != nil {
		return nil, err
	}
	return xs, nil
}

// find returns the position of the first table-7 entry whose f7 equals the first k bits of the
// challenge, and the number of such entries.
func (p *Prover) find(challenge *[32]byte) (uint64, uint64, error) {
	if p.hdr.Version == plotVersion2 {
		return p.find2(challenge)
	}
	k := uint(p.hdr.K)
	target := binary.BigEndian.Uint64(challenge[:8]) >> (64 - k)
	count := p.hdr.Counts[Tables-1]
	// The first position with f7 ≥ target lies in [lo, hi]. Narrow it with each index level.
	lo, hi := uint64(0), count
	j := uint64(sort.Search(len(p.idx2), func(i int) bool { return p.idx2[i] >= target }))
	if j > 0 {
		lo = (j-1)*index2Interval + 1
	}
	if j < uint64(len(p.idx2)) {
		hi = min(hi, j*index2Interval)
	}
	a := (lo + index1Interval - 1) / index1Interval
	b := hi / index1Interval
	if _, n1 := p.hdr.entryBits(secI1); b >= n1 {
		b = n1 - 1
	}
	if a <= b {
		vals, err := p.readValues(secI1, a, b-a+1, k)
		if err != nil {
			return 0, 0, err
		}
		j1 := a + uint64(sort.Search(len(vals), func(i int) bool { return vals[i] >= target }))
		if j1 > a {
			lo = max(lo, (j1-1)*index1Interval+1)
		}
		if j1 <= b {
			hi = min(hi, j1*index1Interval)
		}
	}
	if lo > hi || hi-lo > 2*index1Interval {
		return 0, 0, fmt.Errorf("%w: F7 indexes are inconsistent", ErrBadPlot)
	}
	vals, err := p.readValues(secF7, lo, hi-lo, k)
	if err != nil {
		return 0, 0, err
	}
	first := lo + uint64(sort.Search(len(vals), func(i int) bool { return vals[i] >= target }))
	// Count the run of equal values, reading ahead in small blocks.
	n := uint64(0)
	for pos := first; pos < count; {
		m := min(64, count-pos)
		vals, err := p.readValues(secF7, pos, m, k)
		if err != nil {
			return 0, 0, err
		}
		for _, v := range vals {
			if v != target {
				return first, n, nil
			}
			n++
		}
		pos += m
	}
	return first, n, nil
}

// readEntry reads entry pos of table t (2…7): the two pointers in plot order and the tie bit.
func (p *Prover) readEntry(t int, pos uint64) (p1, p2 uint64, tie bool, err error) {
	sec := secX + t - 1
	width, count := p.hdr.entryBits(sec)
	if pos >= count {
		return 0, 0, false, fmt.Errorf("%w: table %d position %d out of range", ErrBadPlot, t, pos)
	}
	pb := (width - 1) / 2
	var buf [24]byte
	bit, err := p.readBits(sec, pos*uint64(width), width, buf[:])
	if err != nil {
		return 0, 0, false, err
	}
	p1 = getBits(buf[:], bit, pb)
	p2 = getBits(buf[:], bit+pb, pb)
	tie = getBits(buf[:], bit+2*pb, 1) == 1
	if p1 >= p.hdr.Counts[t-2] || p2 >= p.hdr.Counts[t-2] || p1 == p2 {
		return 0, 0, false, fmt.Errorf("%w: table %d position %d has bad pointers", ErrBadPlot, t, pos)
	}
	return p1, p2, tie, nil
}

// readValue reads value pos of a single-value section (X, F7, I1, I2).
func (p *Prover) readValue(sec int, pos uint64) (uint64, error) {
	width, count := p.hdr.entryBits(sec)
	if pos >= count {
		return 0, fmt.Errorf("%w: section %d position %d out of range", ErrBadPlot, sec, pos)
	}
	var buf [24]byte
	bit, err := p.readBits(sec, pos*uint64(width), width, buf[:])
	if err != nil {
		return 0, err
	}
	return getBits(buf[:], bit, width), nil
}

// readValues reads n consecutive values of section sec starting at pos.
func (p *Prover) readValues(sec int, pos, n uint64, width uint) ([]uint64, error) {
	if n == 0 {
		return nil, nil
	}
	start := pos * uint64(width)
	nbits := n * uint64(width)
	buf := make([]byte, (start%8+nbits+7)/8+16)
	bit, err := p.readBits(sec, start, uint(nbits), buf)
	if err != nil {
		return nil, err
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = getBits(buf, bit+uint(i)*width, width)
	}
	return out, nil
}

// readBits reads the bytes of section sec that hold bits [start, start+n) into buf and returns
// the bit offset of start within buf.
func (p *Prover) readBits(sec int, start uint64, n uint, buf []byte) (uint, error) {
	first := start / 8
	nbytes := (start%8 + uint64(n) + 7) / 8
	if _, err := p.r.ReadAt(buf[:nbytes], int64(p.hdr.Offsets[sec]+first)); err != nil {
		return 0, fmt.Errorf("pospace: reading plot: %w", err)
	}
	return uint(start % 8), nil
}
