package pospace

// recLayout describes the fixed-size record in which the plotter spills an entry of table t to
// a temporary file: f value, metadata (none for table 7), and for tables 2…7 the two pointers in
// plot order, the tie bit, and (tables 2…6) the largest x of the entry's subtree. A table-1
// entry's metadata is its x, which is also its largest x. Fields are bit-packed MSB-first with f
// first, so that the sort key can be read from the first 8 bytes.
type recLayout struct {
	fbits uint // f value
	mbits uint // metadata
	pbits uint // each pointer; 0 for table 1
	xbits uint // largest x of the subtree; 0 for tables 1 and 7
	bytes int
}

func newRecLayout(k uint, t int, prevCount uint64) recLayout {
	l := recLayout{fbits: k + ExtraBits}
	if t < Tables {
		l.mbits = metaBits(k, t)
	}
	if t > 1 {
		l.pbits = pointerBits(prevCount)
	}
	if t > 1 && t < Tables {
		l.xbits = k
	}
	total := l.fbits + l.mbits + 2*l.pbits + l.xbits
	if t > 1 {
		total++ // tie bit
	}
	l.bytes = int((total + 7) / 8)
	return l
}

// entry is a decoded record.
type entry struct {
	y      uint64
	m      meta
	p1, p2 uint64
	tie    bool
	maxX   uint64
}

// encode appends the record of e to dst.
func (l *recLayout) encode(dst []byte, e *entry) []byte {
	w := bitWriter{buf: dst}
	w.put(e.y, l.fbits)
	w.putMeta(&e.m, l.mbits)
	if l.pbits > 0 {
		w.put(e.p1, l.pbits)
		w.put(e.p2, l.pbits)
		var tie uint64
		if e.tie {
			tie = 1
		}
		w.put(tie, 1)
	}
	w.put(e.maxX, l.xbits)
	return w.flush()
}

// decode reads the record at rec (which must be followed by at least 9 readable bytes).
func (l *recLayout) decode(rec []byte, e *entry) {
	pos := uint(0)
	e.y = getBits(rec, pos, l.fbits)
	pos += l.fbits
	e.m = getMeta(rec, pos, l.mbits)
	pos += l.mbits
	if l.pbits > 0 {
		e.p1 = getBits(rec, pos, l.pbits)
		e.p2 = getBits(rec, pos+l.pbits, l.pbits)
		e.tie = getBits(rec, pos+2*l.pbits, 1) == 1
		pos += 2*l.pbits + 1
	}
	e.maxX = getBits(rec, pos, l.xbits)
	if l.xbits == 0 && l.pbits == 0 {
		e.maxX = e.m[0] >> (64 - l.mbits) // table 1: the metadata is x
	}
}
