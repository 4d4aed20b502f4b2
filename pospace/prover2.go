package pospace

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// Version-2 lookups (format2.go). Tables 2…6 are read one park at a time; table 7 and its f7
// values are in f7 order.

// open2 loads the in-memory part of a version-2 plot: the F7 park samples.
func (p *Prover) open2() error {
	h := &p.hdr
	n := seqParks(seqParks(h.Counts[6], f7ParkSize), f7SampleParks)
	buf := make([]byte, 8*n)
	if _, err := p.r.ReadAt(buf, int64(h.Offsets[sec2F7s])); err != nil {
		return fmt.Errorf("pospace: reading plot: %w", err)
	}
	p.samples = make([]uint64, n)
	for i := range p.samples {
		p.samples[i] = binary.BigEndian.Uint64(buf[8*i:])
		if i > 0 && p.samples[i] < p.samples[i-1] {
			return fmt.Errorf("%w: F7 samples not sorted", ErrBadPlot)
		}
	}
	p.f1 = newF1(uint(h.K), (*[32]byte)(&h.PlotID))
	return nil
}

// parkIndex reads the index entries of parks [j, j+n) of a sequence section.
func (p *Prover) parkIndex(si int, j, n uint64) ([]uint64, []uint64, error) {
	buf := make([]byte, n*parkIndexBytes)
	if _, err := p.r.ReadAt(buf, int64(p.hdr.Offsets[si]+j*parkIndexBytes)); err != nil {
		return nil, nil, fmt.Errorf("pospace: reading plot: %w", err)
	}
	firsts, offs := make([]uint64, n), make([]uint64, n)
	for i := range n {
		firsts[i] = binary.BigEndian.Uint64(buf[16*i:])
		offs[i] = binary.BigEndian.Uint64(buf[16*i+8:])
	}
	return firsts, offs, nil
}

// readPark decodes park j of the sequence (si, sd) of count values in parks of size park, up to
// its first upto values.
func (p *Prover) readPark(si, sd int, j, count, park uint64, b uint, upto int) ([]uint64, error) {
	parks := seqParks(count, park)
	if j >= parks {
		return nil, fmt.Errorf("%w: park %d of %d", ErrBadPlot, j, parks)
	}
	h := &p.hdr
	dataBits := (h.sectionEnd2(sd) - h.Offsets[sd]) * 8
	nIdx := uint64(2)
	if j+1 == parks {
		nIdx = 1
	}
	firsts, offs, err := p.parkIndex(si, j, nIdx)
	if err != nil {
		return nil, err
	}
	start, end := offs[0], dataBits
	if nIdx == 2 {
		end = offs[1]
	}
	if start > end || end > dataBits || end-start > maxParkBytes*8 {
		return nil, fmt.Errorf("%w: park %d has bad offsets", ErrBadPlot, j)
	}
	n := int(min(park, count-j*park))
	if upto > 0 {
		n = min(n, upto)
	}
	first := start / 8
	buf := make([]byte, (end+7)/8-first+16)
	if _, err := p.r.ReadAt(buf[:len(buf)-16], int64(h.Offsets[sd]+first)); err != nil {
		return nil, fmt.Errorf("pospace: reading plot: %w", err)
	}
	var dst []uint64
	if upto == 0 {
		dst = make([]uint64, 0, n)
	}
	return decodePark(dst, firsts[0], n, b, buf, start%8, end-first*8)
}

// entry2 returns the children of entry pos of table t (2…7) of a version-2 plot: big and small
// positions in table t−1, or for table 2 the larger x and the kept bits s of the smaller x.
func (p *Prover) entry2(t int, pos uint64) (big, small uint64, err error) {
	h := &p.hdr
	if pos >= h.Counts[t-1] {
		return 0, 0, fmt.Errorf("%w: table %d position %d out of range", ErrBadPlot, t, pos)
	}
	prevMax := h.Counts[t-2]
	c := uint(0)
	if t == 2 {
		prevMax, c = 1<<uint(h.K), uint(h.Compression)
	}
	var lp uint64
	if t == Tables {
		w := t7Bits(h.Counts[5])
		var buf [24]byte
		start := pos * uint64(w)
		if _, err := p.r.ReadAt(buf[:(start%8+uint64(w)+7)/8], int64(h.Offsets[sec2T7]+start/8)); err != nil {
			return 0, 0, fmt.Errorf("pospace: reading plot: %w", err)
		}
		lp = getBits(buf[:], uint(start%8), w)
	} else {
		vals, err := p.readPark(sec2Index(t), sec2Data(t), pos/tableParkSize, h.Counts[t-1], tableParkSize, uint(h.Rice[t-2]), int(pos%tableParkSize)+1)
		if err != nil {
			return 0, 0, err
		}
		lp = vals[len(vals)-1]
	}
	big, small, ok := fromLinePoint(lp, c, prevMax)
	if !ok {
		return 0, 0, fmt.Errorf("%w: table %d position %d has a bad line point", ErrBadPlot, t, pos)
	}
	return big, small, nil
}

// find2 returns the first table-7 position whose f7 is the challenge's and how many there are.
// A run of equal values may start in an earlier park than the first park that begins with it,
// and may continue over any number of parks: both are followed.
func (p *Prover) find2(challenge *[32]byte) (uint64, uint64, error) {
	h := &p.hdr
	k := uint(h.K)
	target := binary.BigEndian.Uint64(challenge[:8]) >> (64 - k)
	count := h.Counts[6]
	parks := seqParks(count, f7ParkSize)
	// Samples: the first value of parks 0, 256, 512, … The last park whose first value is
	// below target is in the block of the last sample below target.
	s := uint64(sort.Search(len(p.samples), func(i int) bool { return p.samples[i] >= target }))
	lo := uint64(0)
	if s > 0 {
		lo = (s - 1) * f7SampleParks
	}
	hi := min(parks, s*f7SampleParks+1) // exclusive
	if hi <= lo {
		hi = min(parks, lo+1)
	}
	firsts, _, err := p.parkIndex(sec2F7i, lo, hi-lo)
	if err != nil {
		return 0, 0, err
	}
	j := uint64(sort.Search(len(firsts), func(i int) bool { return firsts[i] >= target }))
	park := lo
	if j > 0 {
		park = lo + j - 1
	}
	var first, n uint64
	found := false
	for ; park < parks; park++ {
		vals, err := p.readPark(sec2F7i, sec2F7d, park, count, f7ParkSize, uint(h.Rice[riceF7]), 0)
		if err != nil {
			return 0, 0, err
		}
		for i, v := range vals {
			if v == target {
				if !found {
					first, found = park*f7ParkSize+uint64(i), true
				}
				n++
			} else if v > target {
				return first, n, nil
			}
		}
	}
	return first, n, nil
}

// quality2 follows the challenge's path from table-7 position pos down to table 2.
func (p *Prover) quality2(challenge *[32]byte, pos uint64) ([32]byte, error) {
	k := uint(p.hdr.K)
	a := uint64(2 * (challenge[31] & 0x1f))
	big, small, err := p.entry2(Tables, pos)
	if err != nil {
		return [32]byte{}, err
	}
	for t := Tables; t >= 3; t-- {
		next := small // the child with the smaller position comes first in plot order
		if (a>>(t-2))&1 == 1 {
			next = big
		}
		if big, small, err = p.entry2(t-1, next); err != nil {
			return [32]byte{}, err
		}
	}
	xs, err := p.smallCandidates(big, small)
	if err != nil {
		return [32]byte{}, err
	}
	if len(xs) == 1 {
		return qualityOf(k, challenge, xs[0], big), nil
	}
	// Ambiguous (compressed plots only, rarely): the rest of the proof decides.
	proof, err := p.proofXs2(challenge, pos)
	if err != nil {
		return [32]byte{}, err
	}
	return qualityFromProof(k, challenge, proof), nil
}

// pathAmbiguous reports whether the table-2 entry on the quality path of table-7 position pos
// has more than one candidate smaller x (tests use it to check coverage).
func (p *Prover) pathAmbiguous(challenge *[32]byte, pos uint64) (bool, error) {
	a := uint64(2 * (challenge[31] & 0x1f))
	big, small, err := p.entry2(Tables, pos)
	if err != nil {
		return false, err
	}
	for t := Tables; t >= 3; t-- {
		next := small
		if (a>>(t-2))&1 == 1 {
			next = big
		}
		if big, small, err = p.entry2(t-1, next); err != nil {
			return false, err
		}
	}
	xs, err := p.smallCandidates(big, small)
	return len(xs) > 1, err
}

// smallCandidates returns the smaller x values of a table-2 pair with larger x big and kept bits
// s that match big (in either order); at compression level 0 that is s itself.
func (p *Prover) smallCandidates(big, s uint64) ([]uint64, error) {
	c := uint(p.hdr.Compression)
	if c == 0 {
		return []uint64{s}, nil
	}
	x0 := s << c
	x1 := min(x0+1<<c, big)
	if x0 >= x1 {
		return nil, fmt.Errorf("%w: table-2 pair out of range", ErrBadPlot)
	}
	yb := p.f1.eval(big)
	ys := make([]uint64, x1-x0)
	p.f1.evalRange(x0, ys)
	var out []uint64
	for i, y := range ys {
		if matches(yb, y) || matches(y, yb) {
			out = append(out, x0+uint64(i))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no x matches a table-2 entry", ErrBadPlot)
	}
	return out, nil
}

// node is a candidate subtree while a proof is rebuilt: its f value, metadata and x values in
// proof order.
type node struct {
	y  uint64
	m  meta
	xs []uint64
}

// resolve rebuilds the candidate subtrees of entry pos of table t, in proof order.
func (p *Prover) resolve(t int, pos uint64) ([]node, error) {
	k := uint(p.hdr.K)
	big, small, err := p.entry2(t, pos)
	if err != nil {
		return nil, err
	}
	var ls, rs []node
	if t == 2 {
		xs, err := p.smallCandidates(big, small)
		if err != nil {
			return nil, err
		}
		rs = []node{{y: p.f1.eval(big), m: metaFromUint(big, k), xs: []uint64{big}}}
		for _, x := range xs {
			ls = append(ls, node{y: p.f1.eval(x), m: metaFromUint(x, k), xs: []uint64{x}})
		}
	} else {
		if ls, err = p.resolve(t-1, small); err != nil {
			return nil, err
		}
		if rs, err = p.resolve(t-1, big); err != nil {
			return nil, err
		}
	}
	g := newFx(k, t)
	var out []node
	for i := range ls {
		for j := range rs {
			l, r := &ls[i], &rs[j]
			if !matches(l.y, r.y) {
				if !matches(r.y, l.y) {
					continue
				}
				l, r = r, l
			}
			y, m := g.eval(l.y, &l.m, &r.m)
			out = append(out, node{y: y, m: m, xs: append(append(make([]uint64, 0, 2*len(l.xs)), l.xs...), r.xs...)})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: table %d position %d: children do not match", ErrBadPlot, t, pos)
	}
	return out, nil
}

// proofXs2 rebuilds the proof of table-7 position pos, in proof order.
func (p *Prover) proofXs2(challenge *[32]byte, pos uint64) (*[ProofXs]uint64, error) {
	k := uint(p.hdr.K)
	target := binary.BigEndian.Uint64(challenge[:8]) >> (64 - k)
	nodes, err := p.resolve(Tables, pos)
	if err != nil {
		return nil, err
	}
	for _, nd := range nodes {
		if nd.y>>ExtraBits == target && len(nd.xs) == ProofXs {
			return (*[ProofXs]uint64)(nd.xs), nil
		}
	}
	return nil, fmt.Errorf("%w: table-7 position %d does not rebuild to the challenge", ErrBadPlot, pos)
}

// evalRange computes f1 for x in [x0, x0+len(ys)), any x0.
func (f *f1) evalRange(x0 uint64, ys []uint64) {
	k := uint64(f.k)
	startBit := x0 * k
	firstBlock := startBit / 512
	endBit := (x0 + uint64(len(ys))) * k
	nblocks := (endBit+511)/512 - firstBlock
	buf := make([]byte, nblocks*64+16)
	f.cipher.keystream(firstBlock, buf[:nblocks*64])
	shift := 64 - f.k
	low := f.k - ExtraBits
	pos := startBit - firstBlock*512
	for i := range ys {
		v := binary.BigEndian.Uint64(buf[pos/8:]) << (pos % 8) >> shift // k ≤ 32: 8 bytes suffice
		x := x0 + uint64(i)
		ys[i] = v<<ExtraBits | x>>low
		pos += k
	}
}
