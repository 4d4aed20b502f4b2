package pospace

import (
	"math/rand/v2"
	"testing"
)

// TestRecordRoundTrip encodes random entries of every table at several k and decodes them back.
func TestRecordRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	mask := func(v uint64, bits uint) uint64 {
		if bits == 0 {
			return 0
		}
		return v >> (64 - bits)
	}
	for _, c := range []struct {
		k, bb   uint
		compact bool
	}{{12, 1, false}, {18, 4, true}, {18, 4, false}, {25, 10, true}, {25, 10, false}, {32, 10, true}, {32, 10, false}} {
		k := c.k
		for tbl := 1; tbl <= Tables; tbl++ {
			prev := uint64(1)<<k + rng.Uint64N(1<<k)
			lay := newRecLayout(k, tbl, prev, c.bb, c.compact)
			var buf []byte
			var want []entry
			for range 200 {
				var e entry
				e.y = mask(rng.Uint64(), lay.fbits)
				for i, n := 0, lay.mbits; n > 0; i++ {
					take := min(n, 64)
					e.m[i] = mask(rng.Uint64(), take) << (64 - take)
					n -= take
				}
				switch {
				case lay.compact:
					e.p1 = rng.Uint64N(prev - 1<<compactDeltaBits)
					e.p2 = e.p1 + 1 + rng.Uint64N(1<<compactDeltaBits-1)
					if rng.IntN(2) == 1 {
						e.p1, e.p2 = e.p2, e.p1
					}
				case lay.pbits > 0:
					e.p1, e.p2 = rng.Uint64N(prev), rng.Uint64N(prev)
					e.tie = rng.IntN(2) == 1
				}
				e.maxX = mask(rng.Uint64(), lay.xbits)
				if tbl == 1 {
					e.maxX = e.m[0] >> (64 - k)
				}
				buf = lay.encode(buf, &e)
				want = append(want, e)
			}
			if len(buf) != len(want)*lay.bytes {
				t.Fatalf("k=%d t=%d compact=%v: %d bytes for %d records of %d", k, tbl, c.compact, len(buf), len(want), lay.bytes)
			}
			buf = append(buf, make([]byte, 16)...)
			for i, w := range want {
				var got entry
				lay.decode(buf[i*lay.bytes:], &got)
				if got != w {
					t.Fatalf("k=%d t=%d compact=%v record %d: got %+v, want %+v", k, tbl, c.compact, i, got, w)
				}
			}
		}
	}
}
