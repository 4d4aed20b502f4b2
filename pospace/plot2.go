package pospace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	if _, err := createPlot1(ctx, v1, o1, track, true); err != nil {
		return nil, err
	}
	co := ConvertOptions{Compression: opts.Compression, TempDir: tmpDir, consume: true}
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
}

// countMargin bounds a table's entry count relative to 2^k (tables have about 2^k entries; the
// bound leaves room for the variation between plot ids).
func countBound(k uint) uint64 { return (uint64(1) << k) * 105 / 100 }

// EstimateSpace returns the disk and memory a plot of size k in the given format (0 or 2:
// version 2; 1: version 1) needs, from the record sizes the plotter uses, phase by phase:
//
//   - building table t+1 from table t, the temporary files hold the bucket records of both (on
//     Linux, buckets already read are punched out, so about the larger of the two) and the plot
//     sections written so far;
//   - version 2 then converts the complete version-1 file (temporary now), with 12 bytes of
//     bucket records per entry of one table at a time, into the final file.
func EstimateSpace(k, format int) SpaceNeeds {
	ku := uint(k)
	n := countBound(ku)
	bb, compact := plotBucketBits(ku), format != plotVersion
	secBytes := func(t int) uint64 { // version-1 section of table t (t = 8: F7 and its indexes)
		switch {
		case t == 1:
			return (uint64(ku)<<ku + 7) / 8
		case t <= Tables && format != plotVersion: // the compact intermediate file
			return (uint64(pointerBits(n)+compactDeltaBits)*n + 7) / 8
		case t <= Tables:
			return (uint64(2*pointerBits(n)+1)*n + 7) / 8
		default:
			return (uint64(ku)*n+7)/8 + (uint64(ku)*n/index1Interval+7)/8 + 64
		}
	}
	var v1, peak, peakSpill uint64
	v1 = headerSize
	for t := 1; t <= Tables; t++ {
		v1 += secBytes(t)
		in := uint64(newRecLayout(ku, t, n, bb, compact).bytes) * n
		var out uint64
		if t < Tables {
			out = uint64(newRecLayout(ku, t+1, n, bb, compact).bytes) * n
		}
		spill := in + out
		if punchSupported {
			spill = max(in, out) + min(in, out)/8 // blocks of partly read chunks, write buffers
		}
		peak = max(peak, spill+v1)
		peakSpill = max(peakSpill, spill)
	}
	v1 += secBytes(Tables + 1)
	fwdMem := uint64(spillBufTotal)*2 + uint64(8<<20)*uint64(4) + 64<<20
	if format == plotVersion {
		return SpaceNeeds{Temp: peakSpill, Final: v1, Total: peakSpill + v1, Memory: fwdMem}
	}
	v2 := n * uint64(6*ku+12) / 8
	// Converting, each table's intermediate section is punched out once its (smaller) version-2
	// tables are written, so temporary plus final space is largest at the start of conversion.
	total := max(peak, v1+12*n) + v2
	if punchSupported {
		total = max(peak, v1+12*n+v2/6)
	}
	return SpaceNeeds{
		Temp:   max(peak, v1+12*n),
		Final:  v2,
		Total:  total,
		Memory: max(fwdMem, 4*n+5*n/8+uint64(spillBufTotal)+64<<20),
	}
}

// checkSpace compares EstimateSpace with the free space of the temporary and plot directories.
func checkSpace(opts PlotOptions, path string, v2 bool) error {
	format := plotVersion
	if v2 {
		format = plotVersion2
	}
	need := EstimateSpace(opts.K, format)
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
