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
	for _, k := range []uint{12, 18, 25, 32} {
		for tbl := 1; tbl <= Tables; tbl++ {
			prev := uint64(1)<<k + rng.Uint64N(1<<k)
			lay := newRecLayout(k, tbl, prev)
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
				if lay.pbits > 0 {
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
				t.Fatalf("k=%d t=%d: %d bytes for %d records of %d", k, tbl, len(buf), len(want), lay.bytes)
			}
			buf = append(buf, make([]byte, 16)...)
			for i, w := range want {
				var got entry
				lay.decode(buf[i*lay.bytes:], &got)
				if got != w {
					t.Fatalf("k=%d t=%d record %d: got %+v, want %+v", k, tbl, i, got, w)
				}
			}
		}
	}
}
