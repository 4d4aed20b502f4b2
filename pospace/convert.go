package pospace

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
)

// ConvertOptions configure ConvertPlot.
type ConvertOptions struct {
	// Compression is the compression level of the version-2 plot, 0…MaxCompression (and < k).
	Compression int
	// TempDir holds the temporary bucket files (at most 12 bytes per table entry at a time).
	// Default: the directory of the output file.
	TempDir string
	// Progress, if set, is called with the fraction done (0…1) and a phase name.
	Progress func(fraction float64, phase string)
	// Stats, if set, receives measurements of the run.
	Stats *PlotStats
	// consume: src is the plotter's intermediate file; its sections are punched out as they are
	// converted.
	consume bool
	// keep: what of the intermediate file is in memory (table 1's x values, sections).
	keep *inMemory
}

// ConvertPlot rewrites the version-1 plot at src as a version-2 plot at dst (through a temporary
// file renamed on success), without replotting, and returns the new header. The result is the
// same file CreatePlot writes for the same options. src is left in place.
func ConvertPlot(ctx context.Context, src, dst string, opts ConvertOptions) (*Header, error) {
	track := new(tempUsage)
	h, err := convertPlot(ctx, src, dst, opts, track)
	if err == nil && opts.Stats != nil {
		opts.Stats.PeakTempBytes = track.peak.Load()
	}
	return h, err
}

func convertPlot(ctx context.Context, src, dst string, opts ConvertOptions, track *tempUsage) (*Header, error) {
	flag := os.O_RDONLY
	if opts.consume {
		flag = os.O_RDWR
	}
	f, err := os.OpenFile(src, flag, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, min(st.Size(), headerSize2))
	if _, err := f.ReadAt(buf, 0); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", src, ErrBadPlot, err)
	}
	h, err := parseHeader(buf, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	if h.Version != plotVersion {
		return nil, fmt.Errorf("%s: %w: format version %d, only version 1 plots are converted", src, ErrBadPlot, h.Version)
	}
	if opts.Compression < 0 || opts.Compression > MaxCompression || opts.Compression >= h.K {
		return nil, fmt.Errorf("%w: compression level %d, want 0…%d", ErrInvalidCompression, opts.Compression, min(MaxCompression, h.K-1))
	}
	tmpDir := opts.TempDir
	if tmpDir == "" {
		tmpDir = filepath.Dir(dst)
	}
	tmpPath := dst + ".tmp"
	out, err := os.OpenFile(tmpPath, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	var punch *os.File
	if opts.consume {
		punch = f
	}
	c := &converter{
		punch: punch,
		track: track,
		ctx:   ctx, r: f, in: h, out: out, c: uint(opts.Compression),
		tmpBase: filepath.Join(tmpDir, filepath.Base(dst)), progress: opts.Progress,
	}
	if opts.keep != nil {
		c.xs, c.mem = opts.keep.xs, &opts.keep.secs
	}
	nh, err := c.run()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmpPath, dst)
	}
	if err != nil {
		os.Remove(tmpPath)
		return nil, err
	}
	return nh, nil
}

type converter struct {
	punch    *os.File // the intermediate file, whose converted sections are punched out
	track    *tempUsage
	ctx      context.Context
	r        io.ReaderAt
	in       *Header
	out      *os.File
	c        uint
	tmpBase  string
	progress func(float64, string)
	hdr      Header
	xs       []uint32             // table 1's x values when the file has no X section
	mem      *[numSections][]byte // sections kept in memory instead of the file
	punched  [numSections]int64   // bytes of each intermediate section already punched out
}

func (c *converter) report(frac float64, phase string) {
	if c.progress != nil {
		c.progress(min(1, frac), phase)
	}
}

// bitmap is a set of table positions.
type bitmap []uint64

func newBitmap(n uint64) bitmap    { return make(bitmap, (n+63)/64) }
func (b bitmap) set(i uint64)      { b[i/64] |= 1 << (i % 64) }
func (b bitmap) has(i uint64) bool { return b[i/64]>>(i%64)&1 == 1 }
func (b bitmap) count() (n uint64) {
	for _, w := range b {
		n += uint64(bits.OnesCount64(w))
	}
	return n
}

// fixedReader reads the fixed-width entries of a version-1 section in order.
type fixedReader struct {
	compact    bool
	r          io.ReaderAt
	off        uint64
	width      uint
	n, next    uint64
	buf        []byte
	start, end uint64             // entries held in buf
	punch      func(off, n int64) // if set, called for each chunk of the section once it is read
}

const fixedChunk = 1 << 16 // entries per read; a multiple of 8, so chunks start on a byte

func newFixedReader(r io.ReaderAt, h *Header, sec int) *fixedReader {
	w, n := h.entryBits(sec)
	return &fixedReader{compact: h.compact, r: r, off: h.Offsets[sec], width: w, n: n, buf: make([]byte, fixedChunk*uint64(w)/8+16)}
}

// entry returns the buffer and bit position of the next entry.
func (fr *fixedReader) entry() ([]byte, uint, error) {
	if fr.next >= fr.n {
		return nil, 0, fmt.Errorf("%w: section ends early", ErrBadPlot)
	}
	if fr.next >= fr.end {
		if fr.punch != nil && fr.end > fr.start {
			// The previous chunk is done; chunks start on a byte (fixedChunk is a multiple of 8).
			fr.punch(int64(fr.off+fr.start*uint64(fr.width)/8), int64((fr.end-fr.start)*uint64(fr.width)/8))
		}
		fr.start = fr.next
		fr.end = min(fr.n, fr.start+fixedChunk)
		nbytes := ((fr.end-fr.start)*uint64(fr.width) + 7) / 8
		clear(fr.buf)
		if _, err := fr.r.ReadAt(fr.buf[:nbytes], int64(fr.off+fr.start*uint64(fr.width)/8)); err != nil {
			return nil, 0, fmt.Errorf("pospace: reading plot: %w", err)
		}
	}
	pos := uint((fr.next - fr.start) * uint64(fr.width))
	fr.next++
	return fr.buf, pos, nil
}

// pointers reads the next entry of a pointer section: the two pointers (plot order in version
// 1; only the pair matters here).
func (fr *fixedReader) pointers(prevCount uint64) (uint64, uint64, error) {
	buf, pos, err := fr.entry()
	if err != nil {
		return 0, 0, err
	}
	var p1, p2 uint64
	if fr.compact {
		pb := fr.width - compactDeltaBits
		p1 = getBits(buf, pos, pb)
		p2 = p1 + getBits(buf, pos+pb, compactDeltaBits)
	} else {
		pb := (fr.width - 1) / 2
		p1, p2 = getBits(buf, pos, pb), getBits(buf, pos+pb, pb)
	}
	if p1 >= prevCount || p2 >= prevCount || p1 == p2 {
		return 0, 0, fmt.Errorf("%w: bad pointers", ErrBadPlot)
	}
	return p1, p2, nil
}

func (fr *fixedReader) value() (uint64, error) {
	buf, pos, err := fr.entry()
	if err != nil {
		return 0, err
	}
	return getBits(buf, pos, fr.width), nil
}

func (c *converter) run() (*Header, error) {
	in := c.in
	c.hdr = Header{
		Version: plotVersion2, K: in.K, Compression: int(c.c), PlotID: in.PlotID,
		PoolContractID: in.PoolContractID, PlotPublicKey: in.PlotPublicKey,
	}
	c.hdr.Counts[0] = in.Counts[0]
	c.hdr.Counts[6] = in.Counts[6]
	for t, n := range in.Counts {
		// Positions are kept in 32 bits (4 bytes per entry of memory and of bucket records).
		if n > 1<<32 {
			return nil, fmt.Errorf("%w: table %d has %d entries, more than 2^32", ErrBadPlot, t+1, n)
		}
	}

	// Back-propagation: mark the entries of tables 2…6 that lead to a table-7 entry.
	collectTableGarbage() // forward propagation's buffers
	used := make([]bitmap, Tables+1)
	for t := Tables; t >= 3; t-- {
		if err := c.ctx.Err(); err != nil {
			return nil, err
		}
		c.report(float64(Tables-t)/30, fmt.Sprintf("back-propagation %d/7", t))
		used[t-1] = newBitmap(in.Counts[t-2])
		fr := newFixedReader(c.src(secX+t-1), in, secX+t-1)
		for i := range in.Counts[t-1] {
			p1, p2, err := fr.pointers(in.Counts[t-2])
			if err != nil {
				return nil, fmt.Errorf("table %d: %w", t, err)
			}
			if t == Tables || used[t].has(i) {
				used[t-1].set(p1)
				used[t-1].set(p2)
			}
		}
	}

	// m maps a table-(t−1) position in version-1 (f) order to its canonical value: x for table
	// 1, the canonical position for the others. One array, reused for each table.
	m := c.xs
	if m == nil {
		m = make([]uint32, in.Counts[0])
		fr := c.consumingReader(secX)
		for i := range m {
			x, err := fr.value()
			if err != nil {
				return nil, err
			}
			m[i] = uint32(x)
		}
	} else if uint64(len(m)) != in.Counts[0] {
		return nil, fmt.Errorf("pospace: internal error: %d x values for %d entries", len(m), in.Counts[0])
	}
	c.consumed(secX)
	off := uint64(headerSize2)
	for t := 2; t < Tables; t++ {
		collectTableGarbage()
		var err error
		if m, off, err = c.table(t, used, m, off); err != nil {
			return nil, err
		}
		used[t] = nil
		c.consumed(secX + t - 1)
	}
	collectTableGarbage()
	if err := c.table7(m, off); err != nil {
		return nil, err
	}
	for s := secX + Tables - 1; s < numSections; s++ {
		c.consumed(s)
	}
	if err := c.out.Truncate(int64(c.hdr.FileSize)); err != nil {
		return nil, err
	}
	if _, err := c.out.WriteAt(c.hdr.marshal2(), 0); err != nil {
		return nil, err
	}
	if err := c.out.Sync(); err != nil {
		return nil, err
	}
	c.report(1, "done")
	h := c.hdr
	return &h, nil
}

// table writes table t (2…6) in canonical order and returns the map of its positions.
func (c *converter) table(t int, used []bitmap, m []uint32, off uint64) ([]uint32, uint64, error) {
	in := c.in
	k := uint(in.K)
	kept := used[t].count()
	c.hdr.Counts[t-1] = kept
	if kept == 0 {
		return nil, 0, errEmptyTable
	}
	var prevMax uint64 // exclusive bound of the children's values
	if t == 2 {
		prevMax = 1 << k
	} else {
		prevMax = c.hdr.Counts[t-2]
	}
	full := lpUniverse(prevMax, 0)
	bb := convertBucketBits(kept)
	shift := uint(max(bits.Len64(full-1)-int(bb), 0))
	nb := 1 << bb
	// A record is the line point without its bucket bits (keyBytes, big-endian) and the entry.
	keyBytes := int(shift+7) / 8
	rs := keyBytes + 4
	sp, err := newSpills(fmt.Sprintf("%s.v2t%d", c.tmpBase, t), 1, nb, rs, spillBufBytes(int(k)))
	if err != nil {
		return nil, 0, err
	}
	sp.trackWith(c.track)
	defer sp.close()
	fr := c.consumingReader(secX + t - 1)
	var rec [12]byte
	phase := fmt.Sprintf("table %d/7", t)
	base := (float64(t-2) + 0.2) / 6
	// Entries are handled in batches so that the map lookups (random reads of a large array)
	// are issued back to back and overlap.
	const batchN = 256
	var bi, b1, b2 [batchN]uint32
	var blp [batchN]uint64
	nbatch := 0
	flush := func() error {
		for j := range nbatch {
			a, b := uint64(m[b1[j]]), uint64(m[b2[j]])
			blp[j] = linePoint(max(a, b), min(a, b), 0)
		}
		for j := range nbatch {
			binary.BigEndian.PutUint64(rec[:], blp[j]<<(64-8*keyBytes)) // the low keyBytes bytes first
			binary.BigEndian.PutUint32(rec[keyBytes:], bi[j])
			if err := sp[0].add(int(blp[j]>>shift), rec[:rs]); err != nil {
				return err
			}
		}
		nbatch = 0
		return nil
	}
	for i := range in.Counts[t-1] {
		p1, p2, err := fr.pointers(in.Counts[t-2])
		if err != nil {
			return nil, 0, fmt.Errorf("table %d: %w", t, err)
		}
		if !used[t].has(i) {
			continue
		}
		bi[nbatch], b1[nbatch], b2[nbatch] = uint32(i), uint32(p1), uint32(p2)
		if nbatch++; nbatch == batchN {
			if err := flush(); err != nil {
				return nil, 0, err
			}
		}
		if i%(1<<20) == 0 {
			if err := c.ctx.Err(); err != nil {
				return nil, 0, err
			}
			c.report(base+0.4/6*float64(i)/float64(in.Counts[t-1]), phase)
		}
	}
	if err := flush(); err != nil {
		return nil, 0, err
	}
	if err := sp.finish(); err != nil {
		return nil, 0, err
	}
	// The children's map is no longer needed: reuse it for this table's positions.
	if uint64(cap(m)) < in.Counts[t-1] {
		m = make([]uint32, in.Counts[t-1])
	}
	m = m[:in.Counts[t-1]]

	cc := uint(0)
	if t == 2 {
		cc = c.c
	}
	rb := riceBits(lpUniverse(prevMax, cc), kept)
	c.hdr.Rice[t-2] = uint8(rb)
	si, sd := sec2Index(t), sec2Data(t)
	c.hdr.Offsets[si] = off
	c.hdr.Offsets[sd] = off + uint64(c.hdr.sectionBytes2(si))
	dw := newSectionWriter(c.out, c.hdr.Offsets[sd])
	sw := newSeqWriter(newSectionWriter(c.out, off), dw, tableParkSize, rb)
	var (
		pos        uint32
		keyMask    = uint64(1)<<shift - 1
		prevLP     uint64
		havePrevLP bool
	)
	// Bucket b+1 is read back and sorted on another goroutine while bucket b is numbered and
	// encoded here, in bucket order, so the output does not depend on the goroutines' timing.
	sorted := prefetch(nb, func(b int, s *lpBucket) error {
		var err error
		if s.recs, err = sp.read(b, s.recs); err != nil {
			return err
		}
		n := len(s.recs) / rs
		padded := s.recs[:len(s.recs)+16] // read leaves 16 bytes of slack: whole words can be read
		s.keys, s.tk = grow(s.keys, n), grow(s.tk, n)
		s.vals, s.tv = growU32(s.vals, n), growU32(s.tv, n)
		for j := range n {
			s.keys[j] = binary.BigEndian.Uint64(padded[rs*j:]) >> (64 - 8*keyBytes) & keyMask
			s.vals[j] = binary.BigEndian.Uint32(padded[rs*j+keyBytes:])
		}
		sortPairs(s.keys, s.vals, s.tk, s.tv, shift)
		return nil
	})
	defer sorted.stop()
	for b := range nb {
		s, err := sorted.next()
		if err != nil {
			return nil, 0, err
		}
		keys, vals := s.keys, s.vals
		for j := range len(keys) {
			lp := uint64(b)<<shift | keys[j]
			if havePrevLP && lp < prevLP {
				return nil, 0, fmt.Errorf("pospace: internal error: line points out of order")
			}
			prevLP, havePrevLP = lp, true
			m[vals[j]] = pos
			pos++
			if cc > 0 {
				big, small, ok := fromLinePoint(lp, 0, prevMax)
				if !ok {
					return nil, 0, fmt.Errorf("%w: table %d line point out of range", ErrBadPlot, t)
				}
				lp = linePoint(big, small, cc)
			}
			sw.add(lp)
		}
		sorted.done(s)
		if b%64 == 0 {
			if err := c.ctx.Err(); err != nil {
				return nil, 0, err
			}
			c.report(base+0.4/6+0.4/6*float64(b+1)/float64(nb), phase)
		}
	}
	if err := sw.close(); err != nil {
		return nil, 0, err
	}
	end := uint64(dw.off)
	return m, (end + 7) / 8 * 8, nil
}

// table7 writes table 7 in f7 order: the line points of its children and the F7 sequence.
func (c *converter) table7(m []uint32, off uint64) error {
	in := c.in
	k := uint(in.K)
	n7 := in.Counts[6]
	w := t7Bits(c.hdr.Counts[5])
	c.hdr.Offsets[sec2T7] = off
	c.hdr.Offsets[sec2F7i] = off + uint64(c.hdr.sectionBytes2(sec2T7))
	c.hdr.Offsets[sec2F7d] = c.hdr.Offsets[sec2F7i] + uint64(c.hdr.sectionBytes2(sec2F7i))
	rb := riceBits(1<<k, n7)
	c.hdr.Rice[riceF7] = uint8(rb)
	tw := newSectionWriter(c.out, off)
	dw := newSectionWriter(c.out, c.hdr.Offsets[sec2F7d])
	sw := newSeqWriter(newSectionWriter(c.out, c.hdr.Offsets[sec2F7i]), dw, f7ParkSize, rb)
	var samples []uint64
	pr := c.consumingReader(secX + Tables - 1)
	fr := c.consumingReader(secF7)
	prev := uint64(0)
	for i := range n7 {
		p1, p2, err := pr.pointers(in.Counts[5])
		if err != nil {
			return fmt.Errorf("table 7: %w", err)
		}
		a, b := uint64(m[p1]), uint64(m[p2])
		tw.put(linePoint(max(a, b), min(a, b), 0), w)
		f7, err := fr.value()
		if err != nil {
			return err
		}
		if f7 < prev {
			return fmt.Errorf("%w: F7 not sorted", ErrBadPlot)
		}
		prev = f7
		if i%(f7ParkSize*f7SampleParks) == 0 {
			samples = append(samples, f7)
		}
		sw.add(f7)
		if i%(1<<20) == 0 {
			if err := c.ctx.Err(); err != nil {
				return err
			}
			c.report((5.2+0.8*float64(i)/float64(n7))/6, "table 7/7")
		}
	}
	if err := tw.close(); err != nil {
		return err
	}
	if err := sw.close(); err != nil {
		return err
	}
	end := (uint64(dw.off) + 7) / 8 * 8
	c.hdr.Offsets[sec2F7s] = end
	ss := newSectionWriter(c.out, end)
	for _, v := range samples {
		ss.put(v, 64)
	}
	if err := ss.close(); err != nil {
		return err
	}
	c.hdr.FileSize = end + uint64(c.hdr.sectionBytes2(sec2F7s))
	return nil
}

// consumed punches (what is left of) section s out of the intermediate file once it has been
// converted.
func (c *converter) consumed(s int) {
	if c.punch == nil {
		return
	}
	n := int64(c.in.sectionBytes(s))
	if s == secX && c.xs != nil {
		return // never written
	}
	if c.mem != nil && c.mem[s] != nil {
		c.mem[s] = nil // in memory, never written: give the memory back
		return
	}
	if punchHole(c.punch, int64(c.in.Offsets[s]), n) {
		c.track.add(-(n - c.punched[s]))
		c.punched[s] = n
	}
}

// src returns the reader of section s: the intermediate file, or memory.
func (c *converter) src(s int) io.ReaderAt {
	if c.mem != nil && c.mem[s] != nil {
		return memReader{buf: c.mem[s], base: int64(c.in.Offsets[s])}
	}
	return c.r
}

// consumingReader returns a reader of section s, read for the last time: when the intermediate
// file is consumed, each chunk of the section is punched out as soon as the reader moves past it,
// so the section shrinks while the bucket files of its table grow.
func (c *converter) consumingReader(s int) *fixedReader {
	fr := newFixedReader(c.src(s), c.in, s)
	if c.punch != nil && (c.mem == nil || c.mem[s] == nil) {
		fr.punch = func(off, n int64) {
			if punchHole(c.punch, off, n) {
				c.track.add(-n)
				c.punched[s] += n
			}
		}
	}
	return fr
}

func growU32(s []uint32, n int) []uint32 {
	if cap(s) < n {
		return make([]uint32, n, n+n/4)
	}
	return s[:n]
}

// lpBucket is one bucket of the converter's spill, read back and sorted by line point.
type lpBucket struct {
	recs     []byte
	keys, tk []uint64
	vals, tv []uint32
}
