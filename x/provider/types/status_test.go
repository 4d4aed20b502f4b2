package types_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestEffectiveStatus(t *testing.T) {
	const (
		on      = types.NODE_STATUS_ONLINE
		standby = types.NODE_STATUS_STANDBY
		off     = types.NODE_STATUS_OFFLINE
		none    = types.NODE_STATUS_UNSPECIFIED
	)
	for _, tc := range []struct {
		name               string
		stored             types.NodeStatus
		last, now, timeout int64
		want               types.NodeStatus
	}{
		{"fresh", on, 1000, 1000, 600, on},
		{"exactly at the timeout", on, 1000, 1600, 600, on},
		{"one second past", on, 1000, 1601, 600, off},
		{"standby fresh", standby, 1000, 1200, 600, standby},
		{"standby stale", standby, 1000, 2000, 600, off},
		{"offline fresh stays offline", off, 1000, 1000, 600, off},
		{"unspecified counts as offline", none, 1000, 1000, 600, off},
		{"heartbeat in the future", on, 5000, 1000, 600, on},
		{"zero timeout, same second", on, 1000, 1000, 0, on},
		{"zero timeout, next second", on, 1000, 1001, 0, off},
		{"negative timeout counts as zero", on, 1000, 1001, -5, off},
		{"extreme range", on, math.MinInt64, math.MaxInt64, math.MaxInt64, off},
		{"extreme range within timeout", on, 0, math.MaxInt64, math.MaxInt64, on},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, types.EffectiveStatus(tc.stored, tc.last, tc.now, tc.timeout))
		})
	}
}

func TestOfferAvailable(t *testing.T) {
	for _, tc := range []struct {
		o    types.Offer
		want bool
		free uint64
	}{
		{types.Offer{Active: true, UnitsTotal: 2, UnitsBooked: 1}, true, 1},
		{types.Offer{Active: true, UnitsTotal: 2, UnitsBooked: 2}, false, 0},
		{types.Offer{Active: false, UnitsTotal: 2}, false, 2},
		{types.Offer{Active: true, UnitsTotal: 1, UnitsBooked: 3}, false, 0},
	} {
		require.Equal(t, tc.want, tc.o.Available())
		require.Equal(t, tc.free, tc.o.FreeUnits())
	}
}
