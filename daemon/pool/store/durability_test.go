package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/store"
)

// TestDurabilitySettings: every write that moves money (rounds, balances, payouts, farmers)
// commits with the backend's full durability, and partial batches with the relaxed setting that
// ADR 0010 states (durable against a crash of the pool process at once): SQLite FULL / NORMAL,
// PostgreSQL synchronous_commit on / off — also for a money write right after a partial batch.
func TestDurabilitySettings(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		s, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "pool.db"))
		require.NoError(t, err)
		defer s.Close()
		money, partials, err := store.SyncSettingsForTest(ctx, s, "PRAGMA synchronous")
		require.NoError(t, err)
		require.Equal(t, "2", money, "FULL")
		require.Equal(t, "1", partials, "NORMAL")
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := store.OpenPostgres(ctx, freshSchema(t, postgresURL(t)))
		require.NoError(t, err)
		defer s.Close()
		money, partials, err := store.SyncSettingsForTest(ctx, s, "SHOW synchronous_commit")
		require.NoError(t, err)
		require.Equal(t, "on", money)
		require.Equal(t, "off", partials)
	})
}
