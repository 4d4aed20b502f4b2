package pospace

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/bits"
)

// Plot file format, version 1. All integers are big-endian; bit-packed columns are MSB-first and
// every section starts on an 8-byte boundary.
//
//	offset size  field
//	0      8     magic "GUILDPOS"
//	8      2     format version (1)
//	10     1     k
//	11     1     reserved, 0
//	12     4     header size (256)
//	16     32    plot id
//	48     32    pool contract id (zero if unknown)
//	80     32    plot public key (zero if unknown)
//	112    56    entry counts of tables 1…7 (7 × u64)
//	168    80    byte offsets of the 10 sections below (10 × u64)
//	248    4     reserved, 0
//	252    4     CRC-32 (IEEE) of bytes 0…251
//
// Sections, in file order:
//
//	X      table 1: count1 x values of k bits, in f1 order (sorted by f1(x))
//	P2…P7  tables 2…7: per entry, in f order: two pointers of w_t bits into table t−1, then one
//	       tie bit; w_t = bits needed for count(t−1)−1 (at least 1)
//	F7     table 7: count7 values f7 = f >> 6, k bits each, ascending
//	I1     every 256th F7 value (index i holds F7[256·i]), k bits each
//	I2     every 65536th F7 value (index i holds F7[65536·i]), k bits each
//
// The two pointers of an entry point at the entries it was made from, in plot order: the first is
// the child whose subtree has the smaller maximum x value (the order Chia's quality string uses).
// The left child of a match (the proof order) is always the one at the lower position, because
// tables are sorted by f and the left entry has the smaller f. The tie bit is set when both
// subtrees have the same maximum x; the prover then computes the quality from the full proof.
const (
	plotMagic      = "GUILDPOS"
	plotVersion    = 1
	headerSize     = 256
	index1Interval = 256
	index2Interval = 256 * 256
	numSections    = 10
)

// Section numbers.
const (
	secX  = 0 // then secX+t−1 for P_t, t = 2…7
	secF7 = 7
	secI1 = 8
	secI2 = 9
)

// Header is the decoded header of a plot file.
type Header struct {
	// Version is the plot format version.
	Version int
	// K is the space parameter.
	K int
	// PlotID seeds every table of the plot.
	PlotID PlotID
	// PoolContractID and PlotPublicKey are the inputs of DerivePlotID, or zero when the plot id
	// was given directly.
	PoolContractID [32]byte
	PlotPublicKey  [32]byte
	// Counts holds the number of entries of tables 1…7 (Counts[0] is table 1).
	Counts [Tables]uint64
	// Offsets holds the byte offsets of the sections: X, P2…P7, F7, I1, I2 in version 1; the
	// version-2 sections of format2.go in version 2.
	Offsets [maxSections]uint64
	// Compression is the compression level of a version-2 plot (bits of the smaller x of each
	// table-2 pair that the prover recomputes); 0 for version 1.
	Compression int
	// Rice holds the Rice parameters of a version-2 plot's sequences T2…T6 and F7.
	Rice [6]uint8
	// FileSize is the size of a version-2 plot file (0 for version 1).
	FileSize uint64
	// compact marks the plotter's intermediate version-1 file, whose pointer sections hold the
	// smaller pointer and a compactDeltaBits distance to the larger one (no plot order, no tie
	// bit): only ConvertPlot reads it.
	compact bool
}

// compactDeltaBits is the width of the distance between the two pointers of an entry in the
// plotter's intermediate file. Both children sit in adjacent BC groups of the previous table
// (about 2·236 entries at most on average, a few hundred more at the extremes), far below 2^16.
const compactDeltaBits = 16

// pointerBits is the width of each pointer of table t, addressing count(t−1) entries.
func pointerBits(prevCount uint64) uint {
	if prevCount <= 1 {
		return 1
	}
	return uint(bits.Len64(prevCount - 1))
}

// entryBits returns the bits per entry and the entry count of section s.
func (h *Header) entryBits(s int) (width uint, count uint64) {
	k := uint(h.K)
	switch {
	case s == secX:
		return k, h.Counts[0]
	case s < secF7:
		t := s + 1
		if h.compact {
			return pointerBits(h.Counts[t-2]) + compactDeltaBits, h.Counts[t-1]
		}
		return 2*pointerBits(h.Counts[t-2]) + 1, h.Counts[t-1]
	case s == secF7:
		return k, h.Counts[Tables-1]
	case s == secI1:
		return k, (h.Counts[Tables-1] + index1Interval - 1) / index1Interval
	default:
		return k, (h.Counts[Tables-1] + index2Interval - 1) / index2Interval
	}
}

// sectionBytes returns the size of section s, padded to 8 bytes.
func (h *Header) sectionBytes(s int) uint64 {
	w, n := h.entryBits(s)
	return (uint64(w)*n + 63) / 64 * 8
}

// layout fills in Offsets from Counts, sections in order right after the header.
func (h *Header) layout() {
	off := uint64(headerSize)
	for s := range numSections {
		h.Offsets[s] = off
		off += h.sectionBytes(s)
	}
}

// size returns the file size implied by the header.
func (h *Header) size() uint64 {
	return h.Offsets[numSections-1] + h.sectionBytes(numSections-1)
}

func (h *Header) marshal() []byte {
	b := make([]byte, headerSize)
	copy(b, plotMagic)
	binary.BigEndian.PutUint16(b[8:], uint16(h.Version))
	b[10] = byte(h.K)
	if h.compact {
		b[11] = 1
	}
	binary.BigEndian.PutUint32(b[12:], headerSize)
	copy(b[16:], h.PlotID[:])
	copy(b[48:], h.PoolContractID[:])
	copy(b[80:], h.PlotPublicKey[:])
	for i, c := range h.Counts {
		binary.BigEndian.PutUint64(b[112+8*i:], c)
	}
	for i, o := range h.Offsets[:numSections] {
		binary.BigEndian.PutUint64(b[168+8*i:], o)
	}
	binary.BigEndian.PutUint32(b[252:], crc32.ChecksumIEEE(b[:252]))
	return b
}

// parseHeader decodes and validates a header of either version; fileSize is the size of the
// plot file. b holds the first min(fileSize, 512) bytes.
func parseHeader(b []byte, fileSize int64) (*Header, error) {
	if len(b) < headerSize || string(b[:8]) != plotMagic {
		return nil, fmt.Errorf("%w: not a plot file (bad magic)", ErrBadPlot)
	}
	if binary.BigEndian.Uint16(b[8:]) == plotVersion2 {
		return parseHeader2(b, fileSize)
	}
	if crc32.ChecksumIEEE(b[:252]) != binary.BigEndian.Uint32(b[252:]) {
		return nil, fmt.Errorf("%w: header checksum mismatch", ErrBadPlot)
	}
	h := &Header{Version: int(binary.BigEndian.Uint16(b[8:])), K: int(b[10])}
	if h.Version != plotVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d or %d", ErrBadPlot, h.Version, plotVersion, plotVersion2)
	}
	if n := binary.BigEndian.Uint32(b[12:]); n != headerSize {
		return nil, fmt.Errorf("%w: header size %d", ErrBadPlot, n)
	}
	if b[11] > 1 {
		return nil, fmt.Errorf("%w: reserved header byte is %d", ErrBadPlot, b[11])
	}
	h.compact = b[11] == 1
	if h.K < MinPlotK || h.K > MaxPlotK {
		return nil, fmt.Errorf("%w: k = %d", ErrBadPlot, h.K)
	}
	copy(h.PlotID[:], b[16:])
	copy(h.PoolContractID[:], b[48:])
	copy(h.PlotPublicKey[:], b[80:])
	for i := range h.Counts {
		h.Counts[i] = binary.BigEndian.Uint64(b[112+8*i:])
		if h.Counts[i] > 1<<(MaxPlotK+2) {
			return nil, fmt.Errorf("%w: table %d has %d entries", ErrBadPlot, i+1, h.Counts[i])
		}
	}
	want := *h
	want.layout()
	for i := range numSections {
		h.Offsets[i] = binary.BigEndian.Uint64(b[168+8*i:])
		if h.Offsets[i] != want.Offsets[i] {
			return nil, fmt.Errorf("%w: section %d at offset %d, want %d", ErrBadPlot, i, h.Offsets[i], want.Offsets[i])
		}
	}
	if size := h.size(); uint64(fileSize) < size {
		return nil, fmt.Errorf("%w: file has %d bytes, header needs %d (truncated?)", ErrBadPlot, fileSize, size)
	}
	return h, nil
}
