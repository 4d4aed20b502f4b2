//go:build upgradetest

package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/keeper"
	"github.com/guild-network/guild/x/provider/types"
)

// TestMigrate1to2 replays the v2 upgrade on a version-1 store: heartbeat_interval is written,
// every other parameter is kept, one params event is emitted.
func TestMigrate1to2(t *testing.T) {
	f := setup(t)
	v1 := types.DefaultParams()
	v1.HeartbeatInterval = 0
	v1.HeartbeatTimeout = 90
	v1.MaxAttributes = 3
	require.NoError(t, f.k.SetParamsRaw(f.ctx, v1))
	em := f.newEvents()
	require.NoError(t, keeper.NewMigrator(f.k).Migrate1to2(f.ctx))
	got, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	want := v1
	want.HeartbeatInterval = 45
	require.Equal(t, want, got)
	require.NoError(t, got.Validate())
	require.Equal(t, []string{"guild.provider.v1.EventParamsUpdated"}, eventTypes(em))
}

// TestMigrate1to2RefusesInvalid: a heartbeat_timeout too short for any interval stops the
// migration, and the stored parameters stay as they were.
func TestMigrate1to2RefusesInvalid(t *testing.T) {
	f := setup(t)
	v1 := types.DefaultParams()
	v1.HeartbeatInterval = 0
	v1.HeartbeatTimeout = 1
	require.NoError(t, f.k.SetParamsRaw(f.ctx, v1))
	require.ErrorIs(t, keeper.NewMigrator(f.k).Migrate1to2(f.ctx), types.ErrInvalidParams)
	got, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, v1, got)
}
