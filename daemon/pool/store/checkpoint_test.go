package store_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/store"
)

// TestSQLiteCheckpointsOffTheWriter: in WAL mode the database file only grows when a checkpoint
// copies pages into it. The partial batches here make far fewer WAL pages than the writer's own
// automatic checkpoint waits for (8 000), so the file grows only if the background checkpointer
// ran; and every partial committed is still there after the store is reopened.
func TestSQLiteCheckpointsOffTheWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := store.OpenSQLite(ctx, path)
	require.NoError(t, err)
	var lid store.Key
	lid[0] = 1
	require.NoError(t, s.AddFarmer(ctx, store.Farmer{LauncherID: lid, ContractID: 1, PayoutAddress: "guild1payout",
		Difficulty: 1, IsMember: true}))
	fileSize := func() int64 {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		return fi.Size()
	}
	// Let the checkpoint of the migration and the farmer happen first, then measure from there.
	require.Eventually(t, func() bool { return fileSize() > 0 }, 10*time.Second, 10*time.Millisecond)
	before := fileSize()
	const batches, per = 20, 50
	for b := 0; b < batches; b++ {
		ps := make([]store.Partial, per)
		for i := range ps {
			ps[i] = store.Partial{LauncherID: lid, Timestamp: int64(1000 + b), Difficulty: 1}
			_, _ = rand.Read(ps[i].SPHash[:])
			_, _ = rand.Read(ps[i].PlotID[:])
		}
		res, err := s.RecordPartials(ctx, ps)
		require.NoError(t, err)
		for _, e := range res {
			require.NoError(t, e)
		}
	}
	require.Eventually(t, func() bool { return fileSize() > before }, 10*time.Second, 10*time.Millisecond,
		"the database file did not grow: no checkpoint ran off the writer")
	require.NoError(t, s.Close())

	s, err = store.OpenSQLite(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	f, err := s.Farmer(ctx, lid)
	require.NoError(t, err)
	require.Equal(t, uint64(batches*per), f.Points)
}
