package payout

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFee(t *testing.T) {
	for _, tc := range []struct {
		name  string
		total uint64
		bps   uint32
		want  uint64
	}{
		{"zero fee", 1000, 0, 0},
		{"exact", 10_000, 100, 100},
		{"rounds up", 1_000_003, 100, 10_001},
		{"tiny total rounds up to one", 1, 1, 1},
		{"all", 777, 10_000, 777},
		{"no overflow", ^uint64(0), 9_999, ^uint64(0)/10_000*9_999 + 9_999*(^uint64(0)%10_000)/10_000 + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Fee(tc.total, tc.bps)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	_, err := Fee(1, 10_001)
	require.ErrorIs(t, err, ErrInvalidFee)
}

func TestDistributeWorkedExample(t *testing.T) {
	s, err := Distribute(1_000_003, 100, []Share{{"b", 1}, {"a", 2}})
	require.NoError(t, err)
	require.Equal(t, Split{Total: 1_000_003, Fee: 10_001, Credits: []Credit{{"a", 660_001}, {"b", 330_000}}, Dust: 1}, s)
}

func TestDistributeCases(t *testing.T) {
	for _, tc := range []struct {
		name   string
		total  uint64
		bps    uint32
		shares []Share
		want   Split
		err    error
	}{
		{"no points", 100, 0, []Share{{"a", 0}}, Split{}, ErrNoPoints},
		{"no shares", 100, 0, nil, Split{}, ErrNoPoints},
		{"one farmer takes all after fee", 100, 1000, []Share{{"a", 5}}, Split{Total: 100, Fee: 10, Credits: []Credit{{"a", 90}}}, nil},
		{"shares of one farmer are summed", 90, 0, []Share{{"a", 1}, {"b", 1}, {"a", 1}}, Split{Total: 90, Credits: []Credit{{"a", 60}, {"b", 30}}}, nil},
		{"rounding to zero is omitted and carried", 2, 0, []Share{{"a", 1}, {"b", 1}, {"c", 1}}, Split{Total: 2, Dust: 2}, nil},
		{"proportional to plots", 8_000_000, 250, []Share{{"small", 100}, {"big", 300}}, Split{Total: 8_000_000, Fee: 200_000, Credits: []Credit{{"big", 5_850_000}, {"small", 1_950_000}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Distribute(tc.total, tc.bps, tc.shares)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// Property: nothing is created or lost, and nobody gets more than their exact share.
func TestDistributeConserves(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		total := r.Uint64N(1 << 50)
		bps := uint32(r.IntN(10_001))
		var shares []Share
		for j := 0; j < 1+r.IntN(20); j++ {
			shares = append(shares, Share{Farmer: string(rune('a' + j)), Points: r.Uint64N(1 << 40)})
		}
		s, err := Distribute(total, bps, shares)
		if err != nil {
			require.ErrorIs(t, err, ErrNoPoints)
			continue
		}
		sum := s.Fee + s.Dust
		for _, c := range s.Credits {
			sum += c.Amount
		}
		require.Equal(t, total, sum)
		require.Less(t, s.Dust, uint64(len(shares))+1)
	}
}

func TestDue(t *testing.T) {
	pay, carry := Due([]Credit{{"a", 100}, {"b", 99}, {"c", 0}, {"d", 250}}, 100)
	require.Equal(t, []Credit{{"a", 100}, {"d", 250}}, pay)
	require.Equal(t, []Credit{{"b", 99}}, carry)
	pay, carry = Due([]Credit{{"a", 1}}, 0)
	require.Equal(t, []Credit{{"a", 1}}, pay)
	require.Empty(t, carry)
}

func TestBatches(t *testing.T) {
	require.Equal(t, [][2]int{{0, 400}, {400, 800}, {800, 801}}, Batches(801, 400))
	require.Empty(t, Batches(0, 400))
	require.Equal(t, [][2]int{{0, 1}, {1, 2}}, Batches(2, 0))
}
