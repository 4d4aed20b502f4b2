package pospace

import (
	"fmt"
	"io"
	"os"
)

// spill is a temporary file holding the unsorted entries of one table, partitioned into buckets
// by the leading bits of their f value. Each bucket accumulates fixed-size records in a small
// buffer; a full buffer is appended to the file as a chunk. A bucket is read back by reading its
// chunks in order, so the records of a bucket come back in the order they were added.
type spill struct {
	f        *os.File
	recBytes int
	bufCap   int
	bufs     [][]byte
	chunks   [][]chunkRef
	counts   []int64
	end      int64
	total    int64
}

type chunkRef struct {
	off int64
	n   int
}

// Write buffers: spillBufTotal bytes shared by the buckets, between spillBufMin and
// spillBufMax bytes each.
const (
	spillBufTotal = 16 << 20
	spillBufMin   = 4 << 10
	spillBufMax   = 64 << 10
)

func newSpill(path string, buckets, recBytes int) (*spill, error) {
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
	bufCap := min(max(spillBufTotal/buckets, spillBufMin), spillBufMax) / recBytes * recBytes
	return &spill{
		f:        f,
		recBytes: recBytes,
		bufCap:   bufCap,
		bufs:     make([][]byte, buckets),
		chunks:   make([][]chunkRef, buckets),
		counts:   make([]int64, buckets),
	}, nil
}

// add appends whole records to bucket b.
func (s *spill) add(b int, recs []byte) error {
	n := len(recs) / s.recBytes
	s.counts[b] += int64(n)
	s.total += int64(n)
	for len(recs) > 0 {
		if s.bufs[b] == nil {
			s.bufs[b] = make([]byte, 0, s.bufCap)
		}
		buf := s.bufs[b]
		take := min(len(recs), s.bufCap-len(buf))
		buf = append(buf, recs[:take]...)
		recs = recs[take:]
		s.bufs[b] = buf
		if len(buf) == s.bufCap {
			if err := s.flush(b); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *spill) flush(b int) error {
	buf := s.bufs[b]
	if len(buf) == 0 {
		return nil
	}
	if _, err := s.f.WriteAt(buf, s.end); err != nil {
		return fmt.Errorf("pospace: writing temporary file: %w", err)
	}
	s.chunks[b] = append(s.chunks[b], chunkRef{off: s.end, n: len(buf)})
	s.end += int64(len(buf))
	s.bufs[b] = buf[:0]
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

// read returns the records of bucket b, appended to dst[:0], followed by 16 zero bytes of slack
// that are not part of the returned slice's length.
func (s *spill) read(b int, dst []byte) ([]byte, error) {
	size := int(s.counts[b]) * s.recBytes
	if cap(dst) < size+16 {
		dst = make([]byte, size, size+size/8+16)
	}
	dst = dst[:size]
	pos := 0
	for _, c := range s.chunks[b] {
		if _, err := s.f.ReadAt(dst[pos:pos+c.n], c.off); err != nil && err != io.EOF {
			return nil, fmt.Errorf("pospace: reading temporary file: %w", err)
		}
		pos += c.n
	}
	clear(dst[size : size+16])
	s.chunks[b] = nil
	return dst, nil
}

func (s *spill) close() error {
	if s == nil || s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
