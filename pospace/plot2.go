package pospace

import (
	"context"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
)

// createPlot2 writes a version-2 plot: a version-1 plot into the temporary directory (forward
// propagation), then ConvertPlot's back-propagation and compression into path.
func createPlot2(ctx context.Context, path string, opts PlotOptions) (*Header, error) {
	if opts.Compression < 0 || opts.Compression > MaxCompression || opts.Compression >= opts.K {
		return nil, fmt.Errorf("%w: compression level %d, want 0…%d", ErrInvalidCompression, opts.Compression, min(MaxCompression, opts.K-1))
	}
	if !opts.SkipSpaceCheck {
		if err := checkSpace(opts, path, true); err != nil {
			return nil, err
		}
	}
	tmpDir := opts.TempDir
	if tmpDir == "" {
		tmpDir = filepath.Dir(path)
	}
	v1 := filepath.Join(tmpDir, filepath.Base(path)+".v1.tmp")
	defer os.Remove(v1)
	progress := opts.Progress
	o1 := opts
	o1.Format, o1.Compression = plotVersion, 0
	if progress != nil {
		o1.Progress = func(f float64, phase string) { progress(f*forwardShare, phase) }
	}
	track := new(tempUsage)
	// Table 1's x values, in f order: kept in memory from forward propagation to the conversion
	// (which maps table-2 children through them), with room for the larger tables after it.
	keep := &inMemory{xs: make([]uint32, 1<<uint(opts.K), countBound(uint(opts.K)))}
	keep.want = memorySections(opts.K, opts.Memory)
	if _, err := createPlot1(ctx, v1, o1, track, true, keep); err != nil {
		return nil, err
	}
	co := ConvertOptions{Compression: opts.Compression, TempDir: tmpDir, consume: true, keep: keep}
	if progress != nil {
		co.Progress = func(f float64, phase string) {
			progress(forwardShare+(1-forwardShare)*f, "compressing "+phase)
		}
	}
	h, err := convertPlot(ctx, v1, path, co, track)
	if err == nil && opts.Stats != nil {
		opts.Stats.PeakTempBytes = track.peak.Load()
	}
	return h, err
}

// forwardShare is the part of the progress bar given to forward propagation.
const forwardShare = 0.8

// SpaceNeeds is the disk space a plot needs while it is made (upper bounds).
type SpaceNeeds struct {
	// Temp is the peak temporary space in the temporary directory.
	Temp uint64
	// Final is the size of the finished plot (at most).
	Final uint64
	// Total is the peak of temporary plus final space when both are on one file system.
	Total uint64
	// Memory is the plotter's peak heap memory (at most, roughly).
	Memory uint64
	// Phases bounds temporary plus final space phase by phase, in order; each name is the
	// progress phase (PlotOptions.Progress) it covers, "compressing back-propagation" all of
	// the back-propagation phases.
	Phases []PhaseSpace
}

// PhaseSpace is the disk space bound of one plotting phase.
type PhaseSpace struct {
	Name string
	// Temp is temporary space, Total temporary plus final space.
	Temp, Total uint64
}

// countBound bounds a table's entry count relative to 2^k (tables have about 2^k entries; the
// bound leaves room for the variation between plot ids).
func countBound(k uint) uint64 { return (uint64(1) << k) * 105 / 100 }

// maxConvertBucketBits bounds the converter's bucket bits.
const maxConvertBucketBits = 12

// convertSpillBound bounds the bucket records of one table in the converter, kept ≤ n entries
// whose children are < n: a record is the line point without its bb bucket bits and a 4-byte
// entry. Fewer kept entries mean fewer bucket bits (longer records) only below 2^(15+bb) entries,
// where records take at most 12 bytes.
func convertSpillBound(n uint64) uint64 {
	bb := convertBucketBits(n)
	keyBits := max(bits.Len64(lpUniverse(n, 0)-1)-int(bb), 0)
	return max(uint64((keyBits+7)/8+4)*n, 12<<(15+bb))
}

// convertBucketBits is the number of bucket bits the converter uses for a table of kept entries.
func convertBucketBits(kept uint64) uint {
	return uint(min(bits.Len64(kept>>16), maxConvertBucketBits))
}

// maxSpillWriters bounds the number of plotting workers (each has its own spill file).
const maxSpillWriters = 16

// plotWorkers returns the number of workers the plotter uses when asked for n.
func plotWorkers(n int) int {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return min(n, maxSpillWriters)
}

// EstimateSpace returns the disk and memory a plot of size k in the given format (0 or 2:
// version 2; 1: version 1) needs, from the record sizes the plotter uses, phase by phase:
//
//   - building table t+1 from table t ("table t+1/7"; table 7 is written in "writing"), the
//     temporary files hold the bucket records of both — on Linux, the buckets already read are
//     punched out, so about the larger of the two — and the intermediate sections of tables
//     2…t (version 2 keeps table 1's x values in memory instead of writing its X section);
//   - version 2 then back-propagates over the complete intermediate file and converts it one
//     table at a time ("compressing table t/7"): the table's intermediate section is punched
//     out chunk by chunk as it is read while its bucket records (10 bytes at k = 30) are written, then the
//     buckets are read back (and punched out) in order while the version-2 table is written;
//     the sections of later tables and the version-2 tables already written stay.
//
// It allows for the default number of workers (GOMAXPROCS, at most 16) and no extra memory.
func EstimateSpace(k, format int) SpaceNeeds { return estimateSpace(k, format, 0, 0) }

// EstimateSpaceMemory is EstimateSpace for a version-2 plot allowed memory bytes of extra memory
// (PlotOptions.Memory) to keep intermediate sections off the disk.
func EstimateSpaceMemory(k, format int, memory uint64) SpaceNeeds {
	return estimateSpace(k, format, 0, memory)
}

// interSectionBytes bounds the size of section P_t (t = 2…7) of a version-2 plot's intermediate
// file.
func interSectionBytes(k uint) uint64 {
	return (uint64(pointerBits(countBound(k))+compactDeltaBits)*countBound(k) + 63) / 64 * 8
}

// memorySections returns the intermediate sections a k plot keeps in memory with memory bytes
// of extra memory: P2, P3, … while their bounds fit.
func memorySections(k int, memory uint64) (want [numSections]bool) {
	size, used := interSectionBytes(uint(k)), uint64(0)
	for t := 2; t <= Tables && used+size <= memory; t++ {
		want[secX+t-1] = true
		used += size
	}
	return want
}

func estimateSpace(k, format, workers int, memory uint64) SpaceNeeds {
	writers := uint64(plotWorkers(workers))
	ku := uint(k)
	n := countBound(ku)
	v2 := format != plotVersion
	bb := plotBucketBits(ku)
	pb := pointerBits(n)
	var inMem [numSections]bool
	if v2 {
		inMem = memorySections(k, memory)
	}
	var memSecs uint64
	// Intermediate (version-1) section sizes: sec[t] for X (t = 1) and P2…P7, sec[8] for F7
	// and its indexes.
	var sec [Tables + 2]uint64
	sec[1] = (uint64(ku)<<ku + 7) / 8
	if v2 {
		sec[1] = 0 // a hole: the x values are in memory
	}
	for t := 2; t <= Tables; t++ {
		switch {
		case v2 && inMem[secX+t-1]:
			memSecs += interSectionBytes(ku)
		case v2:
			sec[t] = interSectionBytes(ku)
		default:
			sec[t] = (uint64(2*pb+1)*n + 63) / 64 * 8
		}
	}
	sec[Tables+1] = (uint64(ku)*n+63)/64*8 + (uint64(ku)*n/index1Interval+63)/64*8 + 64
	nb := uint64(1) << bb
	punchSlack := func(a, b uint64) uint64 { // two spills, one read while the other is written
		if !punchSupported {
			return a + b
		}
		// Read buckets are punched out whole (their chunks are block-aligned) while the matches
		// are written: in·(1−f) + out·f ≤ max(in, out), plus the two buckets in flight (4/nb
		// leaves room for uneven buckets) and a partly filled last block per bucket and writer
		// of each spill.
		return max(a, b) + (a+b)*4/nb + 2*nb*writers*spillBlock
	}
	var need SpaceNeeds
	phase := func(name string, temp, final uint64) {
		need.Phases = append(need.Phases, PhaseSpace{Name: name, Temp: temp, Total: temp + final})
		need.Temp = max(need.Temp, temp)
		need.Total = max(need.Total, temp+final)
	}
	stored := uint64(headerSize)
	rec := func(t int) uint64 { return uint64(newRecLayout(ku, t, n, bb, v2).bytes) }
	phase("table 1/7", rec(1)<<ku+nb*writers*spillBlock, 0) // and a last block per bucket and writer
	for t := 1; t <= Tables; t++ {
		stored += sec[t]
		in := rec(t) * n
		if t == 1 {
			in = rec(1) << ku
		}
		var out uint64
		name := "writing"
		if t < Tables {
			out = rec(t+1) * n
			name = fmt.Sprintf("table %d/7", t+1)
		} else {
			stored += sec[Tables+1]
		}
		if v2 {
			phase(name, punchSlack(in, out)+stored, 0) // the intermediate file is temporary
		} else {
			phase(name, punchSlack(in, out), stored) // the plot file is the final one
		}
	}
	fwdMem := uint64(spillBufBytes(k))*2 + uint64(8<<20)*uint64(4) + 64<<20
	if !v2 {
		need.Final = stored
		need.Memory = fwdMem
		return need
	}
	// Version 2: the version-2 tables T2…T6 take at most k+3 bits per entry (Rice-coded
	// line-point deltas, k + 1.3 bits at most for the mean gap the parameter is chosen from,
	// and the park index), table 7 and F7 2k + 3.
	tab2 := n * uint64(ku+3) / 8
	final := n * uint64(6*ku+12) / 8
	need.Final = final
	phase("compressing back-propagation", stored, 0)
	written := uint64(0)
	for t := 2; t <= Tables; t++ {
		stored -= sec[t]
		cur := max(sec[t], convertSpillBound(n)) + spillBlock<<convertBucketBits(n) // last blocks
		if t == Tables {
			stored -= sec[Tables+1]
			cur = sec[Tables] + sec[Tables+1] // read and punched while table 7 and F7 are written
		}
		written = min(final, written+tab2)
		if t == Tables {
			written = final
		}
		phase(fmt.Sprintf("compressing table %d/7", t), stored+cur, written)
	}
	// Memory: the x values (then canonical positions) of one table, 4 bytes per entry; the
	// back-propagation bitmaps, 5 bits per entry; the bucket buffers.
	// Sections kept in memory stay there until their table is converted.
	need.Memory = max(fwdMem+4*n, 4*n+5*n/8+uint64(spillBufBytes(k))+64<<20) + memSecs
	return need
}

// checkSpace compares EstimateSpace with the free space of the temporary and plot directories.
func checkSpace(opts PlotOptions, path string, v2 bool) error {
	format := plotVersion
	if v2 {
		format = plotVersion2
	}
	need := estimateSpace(opts.K, format, opts.Workers, opts.Memory)
	dir := filepath.Dir(path)
	tmpDir := opts.TempDir
	if tmpDir == "" {
		tmpDir = dir
	}
	freeDst, devDst, ok1 := diskFree(dir)
	freeTmp, devTmp, ok2 := diskFree(tmpDir)
	if !ok1 || !ok2 {
		return nil // unknown: nothing to check against
	}
	if devDst == devTmp {
		if need.Total > freeDst {
			return fmt.Errorf("%w: k = %d needs %s in %s at the peak (%s temporary, %s for the plot), %s free",
				ErrNoSpace, opts.K, FormatBytes(need.Total), dir, FormatBytes(need.Temp), FormatBytes(need.Final), FormatBytes(freeDst))
		}
		return nil
	}
	if need.Temp > freeTmp {
		return fmt.Errorf("%w: k = %d needs %s of temporary space in %s, %s free", ErrNoSpace, opts.K, FormatBytes(need.Temp), tmpDir, FormatBytes(freeTmp))
	}
	if need.Final > freeDst {
		return fmt.Errorf("%w: k = %d needs %s for the plot in %s, %s free", ErrNoSpace, opts.K, FormatBytes(need.Final), dir, FormatBytes(freeDst))
	}
	return nil
}

// FormatBytes prints a byte count in GiB, MiB or KiB.
func FormatBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
}
