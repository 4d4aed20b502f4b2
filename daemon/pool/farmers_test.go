package pool

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/difficulty"
)

// TestFarmerEntryPush: the amortised recent list is always what prepending and truncating
// gives, for bounds small and large, starting empty or from partials loaded from the store.
func TestFarmerEntryPush(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 16, 300} {
		for _, loaded := range []int{0, 1, n - 1, n} {
			e := &farmerEntry{}
			var want []difficulty.Partial
			for i := 0; i < loaded; i++ {
				e.recent = append(e.recent, difficulty.Partial{Timestamp: int64(-i), Difficulty: 1})
			}
			want = append(want, e.recent...)
			for i := 1; i <= 5*n+40; i++ {
				p := difficulty.Partial{Timestamp: int64(i), Difficulty: uint64(i)}
				e.push(p, n)
				want = append([]difficulty.Partial{p}, want...)
				if len(want) > n {
					want = want[:n]
				}
				require.Equal(t, want, e.recent, "n=%d loaded=%d push %d", n, loaded, i)
				require.LessOrEqual(t, len(e.buf), max(16, 2*n))
			}
		}
	}
}
