package difficulty

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

// The cases of pool-reference's tests/test_difficulty.py.
func TestNextPoolReferenceCases(t *testing.T) {
	const now = int64(1_800_000_000)
	series := func(n int, offset, step int64, d uint64) []Partial {
		out := make([]Partial, n)
		for i := range out {
			out[i] = Partial{Timestamp: now - (int64(i)+offset)*step, Difficulty: d}
		}
		return out
	}
	target := DefaultTarget()
	recentlyUpdated := series(300, 0, 200, 20)
	recentlyUpdated2 := series(300, 0, 200, 20)
	recentlyUpdated2[0] = Partial{Timestamp: now, Difficulty: 50}
	notEnough := series(300, 0, 200, 20)
	notEnough[299].Difficulty = 15

	for _, tc := range []struct {
		name     string
		partials []Partial
		target   Target
		current  uint64
		min      uint64
		want     uint64
	}{
		{"no things in db", nil, target, 10, 1, 10},
		{"recently updated", recentlyUpdated, target, 50, 1, 50},
		{"recently updated, newest at the new difficulty", recentlyUpdated2, target, 50, 1, 50},
		{"really slow: decreases by 5x", series(300, 100, 200, 20), target, 20, 1, 4},
		{"really slow: respects min difficulty", series(300, 100, 200, 20), target, 20, 10, 10},
		{"kind of slow: decreases by 1.5x", series(300, 20, 200, 20), target, 20, 1, 13},
		{"not enough partials at this difficulty yet", notEnough, target, 20, 1, 20},
		{"increases diff", series(300, 0, 200, 20), target, 20, 1, 28},
		{"decreases diff", series(300, 0, 380, 20), target, 20, 1, 15},
		{"partials low over 24 h decreases diff", series(150, 0, 600, 20), Target{Count: 300, Seconds: 86_400}, 20, 1, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Next(tc.partials, tc.current, now, tc.min, tc.target))
		})
	}
}

func TestNextEdges(t *testing.T) {
	const now = int64(1_000_000)
	t.Run("fewer partials within the time target keep", func(t *testing.T) {
		ps := []Partial{{now, 10}, {now - 100, 10}}
		require.Equal(t, uint64(10), Next(ps, 10, now, 1, DefaultTarget()))
	})
	t.Run("all at one instant does not divide by zero", func(t *testing.T) {
		ps := make([]Partial, 300)
		for i := range ps {
			ps[i] = Partial{now, 10}
		}
		require.Equal(t, uint64(10*86_400), Next(ps, 10, now, 1, DefaultTarget()))
	})
	t.Run("huge difficulty does not overflow", func(t *testing.T) {
		ps := make([]Partial, 300)
		for i := range ps {
			ps[i] = Partial{now - int64(i)*1000, 1 << 60}
		}
		got := Next(ps, 1<<60, now, 1, DefaultTarget())
		want := new(big.Int).Lsh(big.NewInt(1), 60)
		want.Mul(want, big.NewInt(86_400)).Quo(want, big.NewInt(299_000))
		require.Equal(t, want.Uint64(), got)
	})
	t.Run("configurable target", func(t *testing.T) {
		ps := make([]Partial, 30)
		for i := range ps {
			ps[i] = Partial{now - int64(i)*60, 100}
		}
		// 30 partials spanning 29 minutes, target 30 per 5 minutes: 100·300/1740 = 17
		require.Equal(t, uint64(17), Next(ps, 100, now, 1, Target{Count: 30, Seconds: 300}))
	})
}
