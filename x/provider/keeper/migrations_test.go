package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/keeper"
)

func TestMigratedHeartbeatInterval(t *testing.T) {
	cases := []struct {
		name                     string
		current, timeout, expect int64
	}{
		{"default timeout", 0, 600, 60},
		{"short timeout caps at half", 0, 90, 45},
		{"odd timeout rounds down", 0, 91, 45},
		{"too short a timeout gives zero", 0, 1, 0},
		{"already set is kept", 30, 600, 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.expect, keeper.MigratedHeartbeatInterval(c.current, c.timeout))
		})
	}
}
