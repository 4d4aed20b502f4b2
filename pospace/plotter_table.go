package pospace

import (
	"fmt"
	"math/bits"
	"sync"
)

// batch holds sorted entries of the table being processed: the entries of the current bucket
// and those carried over from the previous one. Entry i is at position base+i of the table.
type batch struct {
	base uint64
	y    []uint64
	m    []meta
	maxX []uint64
}

// group is a run of batch entries with the same BC group y / BC.
type group struct {
	id         uint64
	start, end int
}

// matchWorker is the per-goroutine state of the matching step.
type matchWorker struct {
	rcount [paramBC + 1]uint16 // how many right-group entries have each local f value (+1: see probe64)
	rstart [paramBC]uint32     // the first of them
	stage  [][]byte            // this batch's output records per bucket (small, stays in cache)
	out    *spill              // this worker's spill of the next table
	err    error               // first error writing it

	// Matches waiting to be hashed, fxLanes at a time.
	pending int
	pl, pr  [fxLanes]int
	ins     [fxLanes][8]uint64 // their hash inputs
	hashes  fxBatch
}

// tableWriters stream the plot sections of one table.
type tableWriters struct {
	compact       bool     // intermediate file: smaller pointer and distance (format.go)
	xs            []uint32 // table 1 of an intermediate file: x values kept here, not in the file
	t             int
	k, pbits      uint
	p, f7, i1, i2 *sectionWriter
	pos           uint64
}

// write appends one entry (in f order) to the table's sections.
func (w *tableWriters) write(e *entry) {
	if w.t == 1 && w.xs != nil {
		w.xs[w.pos] = uint32(e.maxX)
	} else if w.t == 1 {
		w.p.put(e.maxX, w.k) // x
	} else if w.compact {
		lo, hi := min(e.p1, e.p2), max(e.p1, e.p2)
		if hi-lo >= 1<<compactDeltaBits && w.p.err == nil {
			w.p.err = fmt.Errorf("pospace: table %d entry %d: children %d entries apart (limit %d)", w.t, w.pos, hi-lo, 1<<compactDeltaBits-1)
		}
		w.p.put(lo, w.pbits)
		w.p.put((hi-lo)&(1<<compactDeltaBits-1), compactDeltaBits)
	} else {
		w.p.put(e.p1, w.pbits)
		w.p.put(e.p2, w.pbits)
		var tie uint64
		if e.tie {
			tie = 1
		}
		w.p.put(tie, 1)
	}
	if w.t == Tables {
		f7 := e.y >> ExtraBits
		w.f7.put(f7, w.k)
		if w.pos%index1Interval == 0 {
			w.i1.put(f7, w.k)
		}
		if w.pos%index2Interval == 0 {
			w.i2.put(f7, w.k)
		}
	}
	w.pos++
}

func (w *tableWriters) close() error {
	for _, s := range []*sectionWriter{w.p, w.f7, w.i1, w.i2} {
		if s == nil {
			continue
		}
		if err := s.close(); err != nil {
			return err
		}
	}
	return nil
}

// processTable reads table t bucket by bucket in f order, writes its plot section(s) and, for
// t < 7, finds the matches that form table t+1 and spills them.
//
// Three kinds of goroutine share the work: a loader reads, sorts and decodes bucket b+1 and writes
// it to the plot while the workers match bucket b (each spilling its matches to its own file), and
// this goroutine hands buckets from one to the other.
func (p *plotter) processTable(t int, in spills) (spills, error) {
	k := p.k
	count := uint64(in.total())
	p.hdr.Counts[t-1] = count
	if count == 0 {
		return nil, errEmptyTable
	}
	var prevCount uint64
	if t > 1 {
		prevCount = p.hdr.Counts[t-2]
	}
	layIn := newRecLayout(k, t, prevCount, p.bb, p.hdr.compact)
	sec := secX + t - 1
	off := uint64(headerSize)
	if t > 1 {
		off = p.hdr.Offsets[sec-1] + p.hdr.sectionBytes(sec-1)
	}
	p.hdr.Offsets[sec] = off
	tw := &tableWriters{compact: p.hdr.compact, t: t, k: k, pbits: layIn.pbits, p: p.newSectionWriter(off)}
	if p.keep != nil && t == 1 {
		if uint64(len(p.keep.xs)) != count {
			return nil, fmt.Errorf("pospace: internal error: %d x values for %d entries", len(p.keep.xs), count)
		}
		tw.xs = p.keep.xs
	}
	if p.keep != nil && t > 1 && p.keep.want[sec] {
		p.keep.secs[sec] = make([]byte, p.hdr.sectionBytes(sec))
		tw.p = newSectionWriter(memWriter{buf: p.keep.secs[sec], base: int64(off)}, off)
	}
	if t == Tables {
		for s := secF7; s <= secI2; s++ {
			p.hdr.Offsets[s] = p.hdr.Offsets[s-1] + p.hdr.sectionBytes(s-1)
		}
		tw.f7 = p.newSectionWriter(p.hdr.Offsets[secF7])
		tw.i1 = p.newSectionWriter(p.hdr.Offsets[secI1])
		tw.i2 = p.newSectionWriter(p.hdr.Offsets[secI2])
	}
	var (
		out    spills
		layOut recLayout
		g      fx
		ws     []*matchWorker
		err    error
	)
	if t < Tables {
		layOut = newRecLayout(k, t+1, count, p.bb, p.hdr.compact)
		if out, err = newSpills(fmt.Sprintf("%s.t%d", p.tmpBase, t+1), p.workers, p.nb, layOut.bytes, spillBufBytes(int(p.k))); err != nil {
			return nil, err
		}
		out.trackWith(p.track)
		g = newFx(k, t+1)
		ws = make([]*matchWorker, p.workers)
		for i := range ws {
			ws[i] = &matchWorker{out: out[i], stage: make([][]byte, p.nb)}
		}
	}
	phase := fmt.Sprintf("table %d/7", t+1)
	weight := weightTable
	if t == Tables {
		phase, weight = "writing", weightLast
	}

	loader := p.loadBuckets(in, &layIn, tw)
	defer loader.stop()
	fail := func(err error) (spills, error) {
		loader.stop()
		out.close()
		return nil, err
	}

	var (
		bt     batch
		groups []group
	)
	for b := range p.nb {
		if err := p.ctx.Err(); err != nil {
			return fail(err)
		}
		sb, err := loader.next()
		if err != nil {
			return fail(err)
		}
		if t < Tables {
			for i := range sb.ents {
				e := &sb.ents[i]
				bt.y = append(bt.y, e.y)
				bt.m = append(bt.m, e.m)
				bt.maxX = append(bt.maxX, e.maxX)
			}
		}
		loader.done(sb)
		if t < Tables {
			groups = p.matchBatch(&bt, groups, b == p.nb-1, &g, &layOut, ws)
			for _, w := range ws {
				if w.err != nil {
					return fail(w.err)
				}
			}
		}
		p.report(phase, weight, float64(b+1)/float64(p.nb))
	}
	loader.stop() // the loader has written every section entry
	if err := tw.close(); err != nil {
		return fail(err)
	}
	if out != nil {
		if err := out.finish(); err != nil {
			return fail(err)
		}
	}
	return out, nil
}

// sortedBucket is one bucket of a table, decoded and sorted by f.
type sortedBucket struct {
	ents []entry
}

// loadBuckets starts reading the buckets of in in order, one ahead of the consumer: it sorts
// each, writes its entries to the plot sections and hands it over.
//
// Entries are sorted by f, and entries with equal f by x (table 1) or by their pointers: a total
// order, so the plot does not depend on the order in which the workers spilled the entries.
func (p *plotter) loadBuckets(in spills, lay *recLayout, tw *tableWriters) *prefetcher[sortedBucket] {
	var (
		keys, tmp []uint64
		recs      []byte
	)
	localBits := lay.fbits // records hold f without the bucket bits
	rb := lay.bytes
	return prefetch(p.nb, func(b int, sb *sortedBucket) error {
		var err error
		if recs, err = in.read(b, recs); err != nil {
			return err
		}
		n := len(recs) / rb
		full := recs[:len(recs)+16]
		idxBits := uint(bits.Len(uint(n)))
		keys, tmp = grow(keys, n), grow(tmp, n)
		for i := range n {
			y := getBits(full[i*rb:], 0, lay.fbits)
			keys[i] = y<<idxBits | uint64(i)
		}
		radixSort(keys, tmp, localBits+idxBits)
		idxMask := uint64(1)<<idxBits - 1
		if cap(sb.ents) < n {
			sb.ents = make([]entry, n, n+n/4)
		}
		sb.ents = sb.ents[:n]
		prefix := uint64(b) << localBits
		for i, key := range keys {
			lay.decode(full[int(key&idxMask)*rb:], &sb.ents[i])
			sb.ents[i].y |= prefix
		}
		orderTies(sb.ents)
		for i := range sb.ents {
			tw.write(&sb.ents[i])
		}
		return nil
	})
}

// orderTies sorts each run of entries with equal f (already adjacent) by x for table 1 (x is in
// maxX) or by pointers for later tables, with an insertion sort: runs are rare and short.
func orderTies(ents []entry) {
	less := func(a, b *entry) bool {
		if a.p1 != b.p1 {
			return a.p1 < b.p1
		}
		if a.p2 != b.p2 {
			return a.p2 < b.p2
		}
		return a.maxX < b.maxX
	}
	for i := 1; i < len(ents); i++ {
		if ents[i].y != ents[i-1].y {
			continue
		}
		for j := i; j > 0 && ents[j].y == ents[j-1].y && less(&ents[j], &ents[j-1]); j-- {
			ents[j], ents[j-1] = ents[j-1], ents[j]
		}
	}
}

func grow(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n, n+n/4)
	}
	return s[:n]
}

// matchBatch finds all matches between adjacent complete BC groups of the batch, computes the
// new entries in parallel and leaves them in the workers' output buffers, in the order a single
// worker would produce them. The last two groups are carried over to the next batch (their
// right neighbours may be in the next bucket) unless final is set.
func (p *plotter) matchBatch(bt *batch, groups []group, final bool, g *fx, lay *recLayout, ws []*matchWorker) []group {
	n := len(bt.y)
	groups = groups[:0]
	for i := 0; i < n; {
		id := bt.y[i] / paramBC
		j := i + 1
		for j < n && bt.y[j]/paramBC == id {
			j++
		}
		groups = append(groups, group{id: id, start: i, end: j})
		i = j
	}
	nL := len(groups) - 1 // groups that act as left groups in this batch
	if !final {
		nL--
	}
	if nL > 0 {
		// Split the left groups into contiguous ranges of about equal entry counts.
		total := groups[nL-1].end - groups[0].start
		bounds := make([]int, len(ws)+1)
		gi := 0
		for w := 1; w < len(ws); w++ {
			target := groups[0].start + total*w/len(ws)
			for gi < nL && groups[gi].start < target {
				gi++
			}
			bounds[w] = gi
		}
		bounds[len(ws)] = nL
		var wg sync.WaitGroup
		for w := range ws {
			if bounds[w] == bounds[w+1] {
				continue
			}
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				ws[w].match(bt, groups, bounds[w], bounds[w+1], g, lay, p.k+ExtraBits-p.bb)
			}(w)
		}
		wg.Wait()
	}
	drop := 0 // entries that are done: every left group matched
	switch {
	case final:
		drop = n
	case nL > 0:
		drop = groups[nL].start
	}
	m := copy(bt.y, bt.y[drop:])
	copy(bt.m, bt.m[drop:])
	copy(bt.maxX, bt.maxX[drop:])
	bt.y, bt.m, bt.maxX = bt.y[:m], bt.m[:m], bt.maxX[:m]
	bt.base += uint64(drop)
	return groups
}

// match handles left groups [g0, g1), each against the group after it.
func (w *matchWorker) match(bt *batch, groups []group, g0, g1 int, g *fx, lay *recLayout, outShift uint) {
	emit := func(i, j int) {
		w.pl[w.pending], w.pr[w.pending] = i, j
		w.pending++
		if w.pending == fxLanes {
			w.flush(bt, g, lay, outShift)
		}
	}
	defer w.spill()
	defer w.flush(bt, g, lay, outShift)
	for gi := g0; gi < g1; gi++ {
		L, R := groups[gi], groups[gi+1]
		if R.id != L.id+1 {
			continue
		}
		baseR := R.id * paramBC
		for j := R.start; j < R.end; j++ {
			r := bt.y[j] - baseR
			if w.rcount[r] == 0 {
				w.rstart[r] = uint32(j)
			}
			w.rcount[r]++
		}
		baseL := L.id * paramBC
		rows := &matchRows[L.id&1]
		for i := L.start; i < L.end; i++ {
			rl := bt.y[i] - baseL
			row := &rows[rl%paramC]
			base := uint32(rl/paramC) * paramC
			if useAVX512 {
				// 64 targets in four 16-lane gathers; then visit only the hits, in m order.
				for mask := probe64(&w.rcount[0], row, base); mask != 0; mask &= mask - 1 {
					tgt := base + uint32(row[bits.TrailingZeros64(mask)])
					if tgt >= paramBC {
						tgt -= paramBC
					}
					s := int(w.rstart[tgt])
					for j := s; j < s+int(w.rcount[tgt]); j++ {
						emit(i, j)
					}
				}
				continue
			}
			for m := range paramM {
				tgt := base + uint32(row[m])
				if tgt >= paramBC {
					tgt -= paramBC
				}
				if cnt := w.rcount[tgt]; cnt > 0 {
					s := int(w.rstart[tgt])
					for j := s; j < s+int(cnt); j++ {
						emit(i, j)
					}
				}
			}
		}
		for j := R.start; j < R.end; j++ {
			w.rcount[bt.y[j]-baseR] = 0
		}
	}
}

// flush hashes the pending matches and appends their records to the output buffers.
func (w *matchWorker) flush(bt *batch, g *fx, lay *recLayout, outShift uint) {
	n := w.pending
	if n == 0 {
		return
	}
	w.pending = 0
	for l := range n {
		i, j := w.pl[l], w.pr[l]
		w.ins[l] = g.input(bt.y[i], &bt.m[i], &bt.m[j])
		w.hashes.set(l, &w.ins[l], g.inBytes)
	}
	w.hashes.hash(n, g.inBytes)
	var e entry
	for l := range n {
		i, j := w.pl[l], w.pr[l]
		h := w.hashes.digest(l)
		e.y, e.m = g.output(&h, &w.ins[l])
		xl, xr := bt.maxX[i], bt.maxX[j]
		posL, posR := bt.base+uint64(i), bt.base+uint64(j)
		if xr < xl {
			e.p1, e.p2, e.maxX, e.tie = posR, posL, xl, false
		} else {
			e.p1, e.p2, e.maxX, e.tie = posL, posR, xr, xl == xr
		}
		if !lay.fits(&e) && w.err == nil {
			w.err = fmt.Errorf("pospace: an entry's children are %d entries apart (limit %d)", max(e.p1, e.p2)-min(e.p1, e.p2), 1<<compactDeltaBits-1)
		}
		ob := e.y >> outShift
		w.stage[ob] = lay.encode(w.stage[ob], &e)
	}
}

// spill moves the staged records to the worker's spill file.
func (w *matchWorker) spill() {
	for b, recs := range w.stage {
		if len(recs) == 0 {
			continue
		}
		if err := w.out.add(b, recs); err != nil && w.err == nil {
			w.err = err
		}
		w.stage[b] = recs[:0]
	}
}

// newSectionWriter returns a writer of the plot file at off, counted as temporary space when the
// plot file is itself temporary.
func (p *plotter) newSectionWriter(off uint64) *sectionWriter {
	w := newSectionWriter(p.out, off)
	if p.outTemp {
		w.track = p.track
	}
	return w
}
