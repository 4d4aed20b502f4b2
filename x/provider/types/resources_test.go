package types_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func res(cpu, mem, sto, gpu uint64) types.Resources {
	return types.Resources{CpuMilli: cpu, MemoryBytes: mem, StorageBytes: sto, Gpus: gpu}
}

func TestResourcesAdd(t *testing.T) {
	for _, tc := range []struct {
		name    string
		a, b    types.Resources
		want    types.Resources
		wantErr bool
	}{
		{"zero", res(0, 0, 0, 0), res(0, 0, 0, 0), res(0, 0, 0, 0), false},
		{"fields", res(1, 2, 3, 4), res(10, 20, 30, 40), res(11, 22, 33, 44), false},
		{"max", res(math.MaxUint64, 0, 0, 0), res(0, 0, 0, 0), res(math.MaxUint64, 0, 0, 0), false},
		{"cpu overflow", res(math.MaxUint64, 0, 0, 0), res(1, 0, 0, 0), types.Resources{}, true},
		{"memory overflow", res(0, math.MaxUint64, 0, 0), res(0, 1, 0, 0), types.Resources{}, true},
		{"storage overflow", res(0, 0, 1<<63, 0), res(0, 0, 1<<63, 0), types.Resources{}, true},
		{"gpu overflow", res(0, 0, 0, math.MaxUint64), res(0, 0, 0, math.MaxUint64), types.Resources{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.a.Add(tc.b)
			if tc.wantErr {
				require.ErrorIs(t, err, types.ErrOverflow)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestResourcesSub(t *testing.T) {
	for _, tc := range []struct {
		name    string
		a, b    types.Resources
		want    types.Resources
		wantErr bool
	}{
		{"equal", res(5, 6, 7, 8), res(5, 6, 7, 8), res(0, 0, 0, 0), false},
		{"fields", res(10, 20, 30, 40), res(1, 2, 3, 4), res(9, 18, 27, 36), false},
		{"cpu underflow", res(0, 5, 5, 5), res(1, 0, 0, 0), types.Resources{}, true},
		{"memory underflow", res(5, 0, 5, 5), res(0, 1, 0, 0), types.Resources{}, true},
		{"storage underflow", res(5, 5, 0, 5), res(0, 0, 1, 0), types.Resources{}, true},
		{"gpu underflow", res(5, 5, 5, 0), res(0, 0, 0, 1), types.Resources{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.a.Sub(tc.b)
			if tc.wantErr {
				require.ErrorIs(t, err, types.ErrOverflow)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestResourcesMul(t *testing.T) {
	for _, tc := range []struct {
		name    string
		a       types.Resources
		n       uint64
		want    types.Resources
		wantErr bool
	}{
		{"by zero", res(1, 2, 3, 4), 0, res(0, 0, 0, 0), false},
		{"by one", res(1, 2, 3, 4), 1, res(1, 2, 3, 4), false},
		{"by three", res(1000, 1<<30, 1<<34, 1), 3, res(3000, 3<<30, 3<<34, 3), false},
		{"zero by max", res(0, 0, 0, 0), math.MaxUint64, res(0, 0, 0, 0), false},
		{"one by max", res(1, 0, 0, 0), math.MaxUint64, res(math.MaxUint64, 0, 0, 0), false},
		{"cpu overflow", res(2, 0, 0, 0), 1 << 63, types.Resources{}, true},
		{"memory overflow", res(0, 1<<32, 0, 0), 1 << 32, types.Resources{}, true},
		{"storage overflow", res(0, 0, 3, 0), math.MaxUint64/3 + 1, types.Resources{}, true},
		{"gpu overflow", res(0, 0, 0, math.MaxUint64), 2, types.Resources{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.a.Mul(tc.n)
			if tc.wantErr {
				require.ErrorIs(t, err, types.ErrOverflow)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestResourcesFitsIn(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, c types.Resources
		want bool
	}{
		{"zero in zero", res(0, 0, 0, 0), res(0, 0, 0, 0), true},
		{"equal", res(1, 2, 3, 4), res(1, 2, 3, 4), true},
		{"smaller", res(1, 2, 3, 4), res(2, 3, 4, 5), true},
		{"cpu larger", res(2, 2, 3, 4), res(1, 2, 3, 4), false},
		{"memory larger", res(1, 3, 3, 4), res(1, 2, 3, 4), false},
		{"storage larger", res(1, 2, 4, 4), res(1, 2, 3, 4), false},
		{"gpu larger", res(1, 2, 3, 5), res(1, 2, 3, 4), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.a.FitsIn(tc.c))
			require.Equal(t, tc.want, tc.c.AtLeast(tc.a))
		})
	}
	require.True(t, res(0, 0, 0, 0).IsZero())
	for _, r := range []types.Resources{res(1, 0, 0, 0), res(0, 1, 0, 0), res(0, 0, 1, 0), res(0, 0, 0, 1)} {
		require.False(t, r.IsZero())
	}
}
