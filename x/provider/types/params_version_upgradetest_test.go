//go:build upgradetest

package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

// TestHeartbeatIntervalV2: from consensus version 2 heartbeat_interval defaults to 60 s and
// must be positive and at most half of heartbeat_timeout.
func TestHeartbeatIntervalV2(t *testing.T) {
	require.Equal(t, 2, types.ConsensusVersion)
	require.Equal(t, int64(60), types.DefaultParams().HeartbeatInterval)
	require.NoError(t, types.DefaultParams().Validate())
	for _, c := range []struct {
		name              string
		interval, timeout int64
		ok                bool
	}{
		{"zero", 0, 600, false},
		{"negative", -1, 600, false},
		{"half the timeout", 300, 600, true},
		{"above half", 301, 600, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := types.DefaultParams()
			p.HeartbeatInterval, p.HeartbeatTimeout = c.interval, c.timeout
			if c.ok {
				require.NoError(t, p.Validate())
			} else {
				require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
			}
		})
	}
}
