//go:build !upgradetest

package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

// TestHeartbeatIntervalBeforeV2: consensus version 1 leaves heartbeat_interval unset and
// refuses any value for it (governance cannot set a field the running rules do not know).
func TestHeartbeatIntervalBeforeV2(t *testing.T) {
	require.Equal(t, 1, types.ConsensusVersion)
	require.Zero(t, types.DefaultParams().HeartbeatInterval)
	p := types.DefaultParams()
	p.HeartbeatInterval = 60
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
}
