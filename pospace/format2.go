package pospace

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/bits"
)

// Plot file format, version 2 (see docs/adr/0011-plot-format-v2.md). Big-endian integers,
// MSB-first bit strings, sections on 8-byte boundaries.
//
//	offset size  field
//	0      8     magic "GUILDPOS"
//	8      2     format version (2)
//	10     1     k
//	11     1     compression level c (0…MaxCompression)
//	12     4     header size (512)
//	16     96    plot id, pool contract id, plot public key (as in version 1)
//	112    56    entry counts of tables 1…7 (table 1: 2^k, not stored; tables 2…7: stored entries)
//	168    112   byte offsets of the 14 sections below (14 × u64)
//	280    6     Rice parameters of T2…T6 and F7
//	286    2     reserved, 0
//	288    8     file size
//	296    212   reserved, 0
//	508    4     CRC-32 (IEEE) of bytes 0…507
//
// Sections:
//
//	T2i, T2d … T6i, T6d  tables 2…6 in canonical order: the sorted line points of each entry's
//	         children (x values for table 2, positions in the previous table otherwise) as a
//	         sorted sequence (seq.go) in parks of tableParkSize; i = park index, d = deltas
//	T7       table 7 in f7 order: the line point of the two table-6 children, fixed width
//	F7i, F7d table 7's f7 values (f >> 6), ascending, a sorted sequence in parks of f7ParkSize
//	F7s      the first value of every f7SampleParks-th F7 park (u64), kept in memory by provers
//
// Only entries that lead to a table-7 entry are stored (back-propagation). Canonical order sorts
// a table by (larger child position, smaller child position), and table 1 by x, which is exactly
// the order Chia's quality string compares subtrees in: so the child with the smaller position
// comes first in plot order and no tie bit is needed. Which child is on the left in proof order
// is not stored: the prover finds it by evaluating the match function, as a verifier does.
//
// At compression level c the table-2 line points keep only the top k−c bits of the smaller x;
// the prover recomputes f1 for the 2^c candidates and keeps those that match the larger x.
const (
	plotVersion2      = 2
	headerSize2       = 512
	numSections2      = 14
	tableParkSize     = 512
	f7ParkSize        = 1024
	f7SampleParks     = 256
	maxParkBytes      = 1 << 20
	MaxCompression    = 20
	maxSections       = numSections2
	sec2T7            = 10
	sec2F7i           = 11
	sec2F7d           = 12
	sec2F7s           = 13
	riceF7            = 5 // index of F7's Rice parameter in Header.Rice
	plotVersionLatest = plotVersion2
)

// sec2Index and sec2Data are the section numbers of table t's (2…6) park index and deltas.
func sec2Index(t int) int { return 2 * (t - 2) }
func sec2Data(t int) int  { return 2*(t-2) + 1 }

// seqParks returns the number of parks of a sequence of n values.
func seqParks(n, park uint64) uint64 { return (n + park - 1) / park }

// t7Bits returns the width of a table-7 line point given the table-6 count.
func t7Bits(count6 uint64) uint {
	u := lpUniverse(count6, 0)
	if u <= 1 {
		return 1
	}
	return uint(bits.Len64(u - 1))
}

// fixedSections2 returns, for the sections whose size follows from the counts, that size in
// bytes (before padding to 8), or −1 for the variable-size delta sections.
func (h *Header) sectionBytes2(s int) int64 {
	pad := func(n uint64) int64 { return int64((n + 7) / 8 * 8) }
	switch {
	case s < sec2T7 && s%2 == 0:
		return pad(seqParks(h.Counts[s/2+1], tableParkSize) * parkIndexBytes)
	case s == sec2T7:
		return pad((uint64(t7Bits(h.Counts[5]))*h.Counts[6] + 7) / 8)
	case s == sec2F7i:
		return pad(seqParks(h.Counts[6], f7ParkSize) * parkIndexBytes)
	case s == sec2F7s:
		return pad(seqParks(seqParks(h.Counts[6], f7ParkSize), f7SampleParks) * 8)
	}
	return -1
}

func (h *Header) marshal2() []byte {
	b := make([]byte, headerSize2)
	copy(b, plotMagic)
	binary.BigEndian.PutUint16(b[8:], uint16(h.Version))
	b[10] = byte(h.K)
	b[11] = byte(h.Compression)
	binary.BigEndian.PutUint32(b[12:], headerSize2)
	copy(b[16:], h.PlotID[:])
	copy(b[48:], h.PoolContractID[:])
	copy(b[80:], h.PlotPublicKey[:])
	for i, c := range h.Counts {
		binary.BigEndian.PutUint64(b[112+8*i:], c)
	}
	for i := range numSections2 {
		binary.BigEndian.PutUint64(b[168+8*i:], h.Offsets[i])
	}
	copy(b[280:286], h.Rice[:])
	binary.BigEndian.PutUint64(b[288:], h.FileSize)
	binary.BigEndian.PutUint32(b[508:], crc32.ChecksumIEEE(b[:508]))
	return b
}

// parseHeader2 decodes and validates a version-2 header.
func parseHeader2(b []byte, fileSize int64) (*Header, error) {
	if len(b) < headerSize2 {
		return nil, fmt.Errorf("%w: file too short for a version 2 header", ErrBadPlot)
	}
	if crc32.ChecksumIEEE(b[:508]) != binary.BigEndian.Uint32(b[508:]) {
		return nil, fmt.Errorf("%w: header checksum mismatch", ErrBadPlot)
	}
	h := &Header{Version: plotVersion2, K: int(b[10]), Compression: int(b[11])}
	if n := binary.BigEndian.Uint32(b[12:]); n != headerSize2 {
		return nil, fmt.Errorf("%w: header size %d", ErrBadPlot, n)
	}
	if h.K < MinPlotK || h.K > MaxPlotK {
		return nil, fmt.Errorf("%w: k = %d", ErrBadPlot, h.K)
	}
	if h.Compression > min(MaxCompression, h.K-1) {
		return nil, fmt.Errorf("%w: compression level %d", ErrBadPlot, h.Compression)
	}
	copy(h.PlotID[:], b[16:])
	copy(h.PoolContractID[:], b[48:])
	copy(h.PlotPublicKey[:], b[80:])
	for i := range h.Counts {
		h.Counts[i] = binary.BigEndian.Uint64(b[112+8*i:])
		if h.Counts[i] > 1<<(MaxPlotK+1) || (i > 0 && h.Counts[i] == 0) {
			return nil, fmt.Errorf("%w: table %d has %d entries", ErrBadPlot, i+1, h.Counts[i])
		}
	}
	copy(h.Rice[:], b[280:286])
	for i, r := range h.Rice {
		if r > 62 {
			return nil, fmt.Errorf("%w: Rice parameter %d of sequence %d", ErrBadPlot, r, i)
		}
	}
	h.FileSize = binary.BigEndian.Uint64(b[288:])
	if h.FileSize != uint64(fileSize) {
		return nil, fmt.Errorf("%w: file has %d bytes, header says %d (truncated?)", ErrBadPlot, fileSize, h.FileSize)
	}
	off := uint64(headerSize2)
	for i := range numSections2 {
		h.Offsets[i] = binary.BigEndian.Uint64(b[168+8*i:])
		if h.Offsets[i] < off || h.Offsets[i] > h.FileSize || h.Offsets[i]%8 != 0 {
			return nil, fmt.Errorf("%w: section %d at offset %d", ErrBadPlot, i, h.Offsets[i])
		}
		if n := h.sectionBytes2(i); n >= 0 && h.Offsets[i]+uint64(n) > h.FileSize {
			return nil, fmt.Errorf("%w: section %d extends past the end of the file", ErrBadPlot, i)
		}
		if n := h.sectionBytes2(i); n >= 0 {
			off = h.Offsets[i] + uint64(n)
		} else {
			off = h.Offsets[i]
		}
	}
	return h, nil
}

// sectionEnd2 returns the end offset of section s (the start of the next one, or the file end).
func (h *Header) sectionEnd2(s int) uint64 {
	if s+1 < numSections2 {
		return h.Offsets[s+1]
	}
	return h.FileSize
}
