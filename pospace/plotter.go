package pospace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// PlotOptions configure CreatePlot.
type PlotOptions struct {
	// K is the space parameter, MinK…MaxPlotK. A plot has about 2^K entries per table and takes
	// about 17 bytes per 2^K entries at k = 22 in version 2 (EstimateSpace bounds it), (14K+18)/8 in
	// version 1.
	K int
	// PlotID seeds the plot. Use DerivePlotID(PoolContractID, PlotPublicKey) for a farmable plot.
	PlotID PlotID
	// PoolContractID and PlotPublicKey are recorded in the header (they may be zero when the plot
	// id is given directly, for example to reproduce test vectors).
	PoolContractID [32]byte
	PlotPublicKey  [32]byte
	// TempDir holds the temporary bucket files and, for version 2, the intermediate version-1
	// file (EstimateSpace(K, Format).Temp bytes at most). Default: the directory of the plot file.
	TempDir string
	// Workers is the number of goroutines that compute matches and hashes. Default: GOMAXPROCS;
	// at most 16 (each has its own spill file).
	// The output does not depend on it.
	Workers int
	// Progress, if set, is called from the plotting goroutine with the fraction done (0…1) and a
	// short lowercase phase name such as "table 3/7".
	Progress func(fraction float64, phase string)
	// Format is the plot format version: 2 (the default, when 0) or 1.
	Format int
	// Compression is the compression level of a version-2 plot, 0…min(MaxCompression, K−1):
	// the number of low bits of the smaller x of each table-2 pair left out of the file and
	// recomputed by the prover (2^Compression f1 evaluations per table-2 entry it reads).
	Compression int
	// Stats, if set, receives measurements of the run.
	Stats *PlotStats
	// Memory is how much memory a version-2 plot may use beyond what it needs
	// (EstimateSpaceMemory(K, 2, 0).Memory) to keep the intermediate file's first pointer
	// sections (tables 2, 3, … in order, each taking EstimateSpaceMemory's bound in full) off
	// the disk: EstimateSpaceMemory(K, 2, Memory) gives the disk and memory that result.
	// Default 0: none.
	Memory uint64
	// SkipSpaceCheck disables the free-space check against TempSpace (for file systems that
	// do not report free space).
	SkipSpaceCheck bool
}

// PlotFileName returns the conventional file name of a plot: plot-k<k>-<plot id hex>.plot.
func PlotFileName(k int, id PlotID) string {
	return fmt.Sprintf("plot-k%d-%s.plot", k, id)
}

// CreatePlot writes a plot file at path (through a temporary file renamed on success) and returns
// its header. The output is deterministic: the same options give the same bytes.
//
// Memory use is bounded by the bucket size, not the plot size: each table is spilled to a
// temporary file in 2^b buckets by the leading bits of f, and read back one bucket at a time,
// sorted in memory with a radix sort, matched against its neighbours, and streamed into the plot.
func CreatePlot(ctx context.Context, path string, opts PlotOptions) (*Header, error) {
	if opts.K < MinPlotK || opts.K > MaxPlotK {
		return nil, fmt.Errorf("%w: k = %d, the plotter makes %d…%d", ErrInvalidK, opts.K, MinPlotK, MaxPlotK)
	}
	switch opts.Format {
	case 0, plotVersion2:
		return createPlot2(ctx, path, opts)
	case plotVersion:
		if opts.Compression != 0 {
			return nil, fmt.Errorf("%w: version 1 plots are not compressed", ErrInvalidCompression)
		}
	default:
		return nil, fmt.Errorf("%w: format version %d, want 1 or 2", ErrBadPlot, opts.Format)
	}
	if !opts.SkipSpaceCheck {
		if err := checkSpace(opts, path, false); err != nil {
			return nil, err
		}
	}
	track := new(tempUsage)
	h, err := createPlot1(ctx, path, opts, track, false, nil)
	if err == nil && opts.Stats != nil {
		opts.Stats.PeakTempBytes = track.peak.Load()
	}
	return h, err
}

// createPlot1 writes a version-1 plot, counting temporary bytes in track (and the plot file's
// bytes too if outTemp). With keep set, table 1's x values (keep.xs, len 2^k) and the sections
// keep.want says go to memory, and their sections in the file are left holes.
func createPlot1(ctx context.Context, path string, opts PlotOptions, track *tempUsage, outTemp bool, keep *inMemory) (*Header, error) {
	workers := plotWorkers(opts.Workers)
	tmpDir := opts.TempDir
	if tmpDir == "" {
		tmpDir = filepath.Dir(path)
	}
	tmpPath := path + ".tmp"
	out, err := os.OpenFile(tmpPath, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	k := uint(opts.K)
	bb := plotBucketBits(k)
	p := &plotter{
		track:    track,
		outTemp:  outTemp,
		ctx:      ctx,
		k:        k,
		workers:  workers,
		bb:       bb,
		nb:       1 << bb,
		out:      out,
		tmpBase:  filepath.Join(tmpDir, filepath.Base(path)),
		progress: opts.Progress,
		keep:     keep,
		hdr: Header{
			Version: plotVersion, K: opts.K, PlotID: opts.PlotID,
			PoolContractID: opts.PoolContractID, PlotPublicKey: opts.PlotPublicKey,
			compact: outTemp, // the intermediate file of a version-2 plot
		},
	}
	err = p.run()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmpPath)
		return nil, err
	}
	if err := os.Rename(tmpPath, path); err != nil {
		os.Remove(tmpPath)
		return nil, err
	}
	h := p.hdr
	return &h, nil
}

// Buckets hold about 2^bucketEntryBits entries, so that a bucket's records and sort keys stay
// in the CPU's L2 cache; there are at most 2^maxBucketBits buckets.
const (
	bucketEntryBits = 14
	maxBucketBits   = 10
)

// plotBucketBits is the number of bucket bits of the forward-propagation spills of a k plot.
func plotBucketBits(k uint) uint { return uint(min(max(int(k)-bucketEntryBits, 1), maxBucketBits)) }

// Progress weights of the phases: computing table 1, building tables 2…7 from their
// predecessors, and writing table 7.
const (
	weightF1    = 0.4
	weightTable = 1.0
	weightLast  = 0.2
	weightTotal = weightF1 + 6*weightTable + weightLast
)

type plotter struct {
	track    *tempUsage // temporary bytes; outTemp: the output file counts too
	outTemp  bool
	ctx      context.Context
	k        uint
	workers  int
	bb       uint // bucket bits
	nb       int  // number of buckets
	out      *os.File
	tmpBase  string
	hdr      Header
	progress func(float64, string)
	done     float64 // weight of finished phases
	// keep, when set (the intermediate file of a version-2 plot), holds what stays in memory
	// instead of the file, whose sections are then holes.
	keep *inMemory
}

// inMemory is the part of a version-2 plot's intermediate file kept in memory.
type inMemory struct {
	// xs receives table 1's x values in f order instead of the X section: the converter needs
	// them as an array in memory anyway, so keeping them there saves k bits per entry of disk.
	xs []uint32
	// secs[s], when allocated (sectionBytes long), holds section s instead of the file.
	secs [numSections][]byte
	// want[s] says that section s is to be kept in memory.
	want [numSections]bool
}

// memWriter writes a section into memory; off is the section's offset in the file.
type memWriter struct {
	buf  []byte
	base int64
}

func (w memWriter) WriteAt(p []byte, off int64) (int, error) {
	if off < w.base || off-w.base+int64(len(p)) > int64(len(w.buf)) {
		return 0, fmt.Errorf("pospace: internal error: section write at %d out of range", off)
	}
	return copy(w.buf[off-w.base:], p), nil
}

// memReader reads a section kept in memory; off is the section's offset in the file.
type memReader memWriter

func (r memReader) ReadAt(p []byte, off int64) (int, error) {
	if off < r.base || off-r.base > int64(len(r.buf)) {
		return 0, fmt.Errorf("pospace: internal error: section read at %d out of range", off)
	}
	n := copy(p, r.buf[off-r.base:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// collectTableGarbage runs the garbage collector between two tables. Each table allocates its
// own write and bucket buffers and drops the previous table's; without a collection here the
// dropped ones stay in the heap until the Go runtime's next one, which at large k (minutes per
// table, a heap of gigabytes and GOGC's doubling) adds hundreds of MiB to the resident memory
// beyond EstimateSpace's bound (k = 26: 701.9 MiB peak RSS without, 397.9 MiB with, bound
// 492.8 MiB; the plot took 161 s without and 153 s with, one run each).
func collectTableGarbage() { runtime.GC() }

func (p *plotter) report(phase string, weight, frac float64) {
	if p.progress != nil {
		p.progress(min(1, (p.done+weight*frac)/weightTotal), phase)
	}
}

func (p *plotter) run() error {
	in, err := p.computeF1()
	if err != nil {
		return err
	}
	p.done += weightF1
	for t := 1; t <= Tables; t++ {
		collectTableGarbage()
		next, err := p.processTable(t, in)
		in.close()
		if err != nil {
			return err
		}
		in = next
		if t < Tables {
			p.done += weightTable
		} else {
			p.done += weightLast
		}
	}
	// Sections are padded to 8 bytes; the last one may not have been written up to its end.
	if err := p.out.Truncate(int64(p.hdr.size())); err != nil {
		return err
	}
	hdr := p.hdr.marshal()
	if _, err := p.out.WriteAt(hdr, 0); err != nil {
		return err
	}
	if err := p.out.Sync(); err != nil {
		return err
	}
	p.report("done", 0, 0)
	return nil
}

// computeF1 evaluates f1 for every x and spills the table-1 entries (f, x) into buckets. The
// workers take 16 Ki-x chunks in turn, each writing to its own spill.
func (p *plotter) computeF1() (spills, error) {
	lay := newRecLayout(p.k, 1, 0, p.bb, false)
	ss, err := newSpills(p.tmpBase+".t1", p.workers, p.nb, lay.bytes, spillBufBytes(int(p.k)))
	if err != nil {
		return nil, err
	}
	ss.trackWith(p.track)
	f := newF1(p.k, (*[32]byte)(&p.hdr.PlotID))
	n := uint64(1) << p.k
	chunks := int((n + f1ChunkXs - 1) / f1ChunkXs)
	shift := p.k + ExtraBits - p.bb
	type f1Worker struct {
		ys  []uint64
		buf []byte
		err error
	}
	ws := make([]f1Worker, p.workers)
	for i := range ws {
		ws[i] = f1Worker{ys: make([]uint64, f1ChunkXs), buf: make([]byte, f1ChunkBufBytes(p.k))}
	}
	var wg sync.WaitGroup
	for c0 := 0; c0 < chunks; c0 += p.workers {
		if err := p.ctx.Err(); err != nil {
			ss.close()
			return nil, err
		}
		for w := range ws {
			c := c0 + w
			if c >= chunks {
				break
			}
			wg.Add(1)
			go func(w *f1Worker, sp *spill, c int) {
				defer wg.Done()
				x0 := uint64(c) * f1ChunkXs
				ys := w.ys[:min(f1ChunkXs, n-x0)]
				f.evalChunk(x0, ys, w.buf)
				var e entry
				for i, y := range ys {
					e.y = y
					e.m = metaFromUint(x0+uint64(i), p.k)
					if err := sp.put(int(y>>shift), &lay, &e); err != nil && w.err == nil {
						w.err = err
					}
				}
			}(&ws[w], ss[w], c)
		}
		wg.Wait()
		for _, w := range ws {
			if w.err != nil {
				ss.close()
				return nil, w.err
			}
		}
		p.report("table 1/7", weightF1, min(1, float64(c0+p.workers)/float64(chunks)))
	}
	if err := ss.finish(); err != nil {
		ss.close()
		return nil, err
	}
	return ss, nil
}

// sectionWriter streams a bit-packed section of the plot file.
type sectionWriter struct {
	track *tempUsage
	f     io.WriterAt
	off   int64
	bw    bitWriter
	err   error
}

const sectionBufBytes = 1 << 20

func newSectionWriter(f io.WriterAt, off uint64) *sectionWriter {
	return &sectionWriter{f: f, off: int64(off), bw: bitWriter{buf: make([]byte, 0, sectionBufBytes+16)}}
}

func (s *sectionWriter) put(v uint64, width uint) {
	s.bw.put(v, width)
	if len(s.bw.buf) >= sectionBufBytes {
		s.write()
	}
}

func (s *sectionWriter) write() {
	if s.err == nil && len(s.bw.buf) > 0 {
		_, s.err = s.f.WriteAt(s.bw.buf, s.off)
		s.off += int64(len(s.bw.buf))
		s.track.add(int64(len(s.bw.buf)))
	}
	s.bw.buf = s.bw.buf[:0]
}

// close writes the pending bits, zero-padded to a whole byte.
func (s *sectionWriter) close() error {
	s.bw.flush()
	s.write()
	if s.err != nil {
		return fmt.Errorf("pospace: writing plot: %w", s.err)
	}
	return nil
}

var errEmptyTable = errors.New("pospace: a table has no entries (k too small?)")
