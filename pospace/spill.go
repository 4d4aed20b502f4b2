package pospace

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// spill is a temporary file holding the unsorted entries of one table, partitioned into buckets
// by the leading bits of their f value. Each bucket accumulates fixed-size records in a small
// buffer; a full buffer is appended to the file as a chunk. A bucket is read back by reading its
// chunks in order, so the records of a bucket come back in the order they were added.
//
// Full chunks are a whole number of file-system blocks (spillBlock), so a file's chunks start on
// block boundaries and punching a chunk out after it is read frees all of its blocks; a record
// may therefore straddle two chunks of its bucket. (With chunks of a few KiB not aligned to
// blocks, a punch frees only the blocks wholly inside the chunk — about half of an 8 KiB chunk —
// and a spill would not shrink as it is read.)
type spill struct {
	track    *tempUsage
	f        *os.File
	recBytes int
	bufCap   int
	bufs     [][]byte
	chunks   [][]chunkRef
	counts   []int64
	end      int64
	total    int64
	freed    int64 // bytes of chunks already read back and punched out of the file
}

type chunkRef struct {
	off int64
	n   int
}

// Write buffers: spillBufBytes(k) bytes shared by the buckets (and writers) of a spill, between
// spillBufMin and spillBufMax bytes per bucket.
const (
	spillBufMin = 4 << 10
	spillBufMax = 1 << 20
	spillBlock  = 4 << 10 // file-system block; full chunks are a multiple of it
)

// spillBufBytes is the write-buffer memory of one spill of a size-k plot: 2^k bytes, at least
// 16 MiB and at most 512 MiB (at most a quarter of the 4 bytes per entry the version-2 plotter
// holds anyway). A bucket is read back one chunk per read, from places a chunk of every other
// bucket apart, so the chunk size is the read size. Up to k ≈ 27 the spills stay in the page
// cache and small chunks cost nothing; at k = 30 a table's spill (≈ 30 GB) does not, and on this
// kind of machine's virtual disk a random read of 8 KiB moves about 90 MB/s where one of 256 KiB
// moves about 470 MB/s. Chunks per writer with 1,024 buckets and two writers: 8 KiB up to
// k = 24, 16, 32, 64, 128 KiB at k = 25…28 and 256 KiB from k = 29 (the converter, one writer
// and up to 4,096 buckets: 128 KiB).
func spillBufBytes(k int) int {
	return min(max(1<<max(k, 0), 16<<20), 512<<20)
}

func newSpill(path string, buckets, recBytes, bufTotal int) (*spill, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	// The file only needs a name while it is open; removing it now means a crash leaves no
	// temporary file behind.
	if err := os.Remove(path); err != nil {
		f.Close()
		return nil, err
	}
	bufCap := min(max(bufTotal/buckets, spillBufMin), spillBufMax) / spillBlock * spillBlock
	return &spill{
		f:        f,
		recBytes: recBytes,
		bufCap:   bufCap,
		bufs:     make([][]byte, buckets),
		chunks:   make([][]chunkRef, buckets),
		counts:   make([]int64, buckets),
	}, nil
}

// put encodes e into bucket b.
func (s *spill) put(b int, lay *recLayout, e *entry) error {
	buf := s.bufs[b]
	if buf == nil {
		buf = make([]byte, 0, s.bufCap+8*maxRecWords) // slack: encode writes whole words
	}
	buf = lay.encode(buf, e)
	s.counts[b]++
	s.total++
	if len(buf) >= s.bufCap {
		// Write exactly one chunk; the rest of the record starts the next one.
		if err := s.writeChunk(b, buf[:s.bufCap]); err != nil {
			return err
		}
		buf = buf[:copy(buf, buf[s.bufCap:])]
	}
	s.bufs[b] = buf
	return nil
}

// add appends whole records to bucket b.
func (s *spill) add(b int, recs []byte) error {
	n := len(recs) / s.recBytes
	s.counts[b] += int64(n)
	s.total += int64(n)
	for len(recs) > 0 {
		if s.bufs[b] == nil {
			s.bufs[b] = make([]byte, 0, s.bufCap+8*maxRecWords) // slack: encode writes whole words
		}
		buf := s.bufs[b]
		take := min(len(recs), s.bufCap-len(buf))
		s.bufs[b] = append(buf, recs[:take]...)
		recs = recs[take:]
		if len(s.bufs[b]) == s.bufCap {
			if err := s.flush(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush writes bucket b's buffer as a chunk (a whole number of blocks unless it is the last).
func (s *spill) flush(b int) error {
	buf := s.bufs[b]
	if len(buf) == 0 {
		return nil
	}
	if err := s.writeChunk(b, buf); err != nil {
		return err
	}
	s.bufs[b] = buf[:0]
	return nil
}

func (s *spill) writeChunk(b int, buf []byte) error {
	if _, err := s.f.WriteAt(buf, s.end); err != nil {
		return fmt.Errorf("pospace: writing temporary file: %w", err)
	}
	s.chunks[b] = append(s.chunks[b], chunkRef{off: s.end, n: len(buf)})
	s.end += int64(len(buf))
	s.track.add(int64(len(buf)))
	return nil
}

// finish flushes every bucket and releases the write buffers.
func (s *spill) finish() error {
	for b := range s.bufs {
		if err := s.flush(b); err != nil {
			return err
		}
		s.bufs[b] = nil
	}
	return nil
}

// spills is one table spilled by several writers (one spill each, so that they need no locks).
// The records of a bucket are the union of the writers' records for it; their order does not
// matter because the reader sorts them by a total order. The writers share bufTotal bytes of
// write buffers (spillBufBytes).
type spills []*spill

func newSpills(pathPrefix string, writers, buckets, recBytes, bufTotal int) (spills, error) {
	ss := make(spills, writers)
	for i := range ss {
		var err error
		if ss[i], err = newSpill(fmt.Sprintf("%s.%d.tmp", pathPrefix, i), buckets, recBytes, bufTotal); err != nil {
			ss.close()
			return nil, err
		}
		ss[i].bufCap = max(ss[i].bufCap/writers/spillBlock, 1) * spillBlock
	}
	return ss, nil
}

func (ss spills) total() int64 {
	var n int64
	for _, s := range ss {
		n += s.total
	}
	return n
}

func (ss spills) finish() error {
	for _, s := range ss {
		if err := s.finish(); err != nil {
			return err
		}
	}
	return nil
}

// read returns the records of bucket b, appended to dst[:0], followed by 16 zero bytes of slack
// that are not part of the returned slice's length.
func (ss spills) read(b int, dst []byte) ([]byte, error) {
	size := 0
	for _, s := range ss {
		size += int(s.counts[b]) * s.recBytes
	}
	if cap(dst) < size+16 {
		dst = make([]byte, size, size+size/8+16)
	}
	dst = dst[:size]
	pos := 0
	for _, s := range ss {
		for _, c := range s.chunks[b] {
			if _, err := s.f.ReadAt(dst[pos:pos+c.n], c.off); err != nil && err != io.EOF {
				return nil, fmt.Errorf("pospace: reading temporary file: %w", err)
			}
			pos += c.n
			// A chunk is read once: give its disk blocks back now, so that a table's spill
			// shrinks while the next one grows.
			if punchHole(s.f, c.off, int64(c.n)) {
				s.freed += int64(c.n)
				s.track.add(-int64(c.n))
			}
		}
		s.chunks[b] = nil
	}
	clear(dst[size : size+16])
	return dst, nil
}

func (ss spills) close() {
	for _, s := range ss {
		if s != nil && s.f != nil {
			s.f.Close()
			s.f = nil
			s.track.add(-(s.end - s.freed))
		}
	}
}

// trackWith makes the spills count their bytes in t.
func (ss spills) trackWith(t *tempUsage) {
	for _, s := range ss {
		s.track = t
	}
}

// tempUsage counts the temporary bytes on disk and their peak. A nil *tempUsage counts nothing.
type tempUsage struct {
	cur, peak atomic.Int64
}

func (t *tempUsage) add(n int64) {
	if t == nil {
		return
	}
	c := t.cur.Add(n)
	for {
		p := t.peak.Load()
		if c <= p || t.peak.CompareAndSwap(p, c) {
			return
		}
	}
}

// PlotStats receives measurements of a CreatePlot or ConvertPlot run.
type PlotStats struct {
	// PeakTempBytes is the largest number of temporary bytes on disk at any time (bucket files
	// and, for version 2, the intermediate version-1 file).
	PeakTempBytes int64
}
