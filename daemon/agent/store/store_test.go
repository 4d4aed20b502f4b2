package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	providertypes "github.com/guild-network/guild/x/provider/types"
)

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestWorkloadsPersistAcrossReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "agent.db")
	s := open(t, path)
	t0 := time.Unix(1_700_000_000, 123).UTC()

	_, err := s.Workload(ctx, 1)
	require.ErrorIs(t, err, ErrNotFound)

	w := Workload{
		LeaseID: 1, Driver: "volume", Phase: Deploying, Hash: "ab", Data: `{"fs":"ext4"}`,
		Resources: providertypes.Resources{CpuMilli: 1, MemoryBytes: 2, StorageBytes: 3 << 30, Gpus: 4},
		FirstSeen: t0, Updated: t0,
	}
	require.NoError(t, s.PutWorkload(ctx, w))
	w.Phase, w.Info, w.Report, w.DeployedAt = Running, `{"uuid":"x"}`, ReportDeployed, t0.Add(time.Second)
	w.Updated = t0.Add(time.Second)
	require.NoError(t, s.PutWorkload(ctx, w))
	require.NoError(t, s.PutWorkload(ctx, Workload{LeaseID: 2, Driver: "process", Phase: Removed, FirstSeen: t0, Updated: t0}))
	require.NoError(t, s.PutWorkload(ctx, Workload{LeaseID: 3, Driver: "process", Phase: Paused, FirstSeen: t0, Updated: t0}))
	require.NoError(t, s.SetCursor(ctx, 42))
	require.NoError(t, s.SetBooked(ctx, 1, 40))
	require.NoError(t, s.SetBooked(ctx, 1, 41), "the first booking height wins")
	require.NoError(t, s.SetNextAt(ctx, "heartbeat", t0.Add(time.Minute)))
	require.NoError(t, s.SetNodeID(ctx, 7))
	require.NoError(t, s.Close())

	s = open(t, path)
	got, err := s.Workload(ctx, 1)
	require.NoError(t, err)
	require.Equal(t, w, got)
	all, err := s.Workloads(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2, "tombstones are not listed")
	require.EqualValues(t, 1, all[0].LeaseID)
	require.EqualValues(t, 3, all[1].LeaseID)
	counts, err := s.CountByPhase(ctx)
	require.NoError(t, err)
	require.Equal(t, map[Phase]int{Running: 1, Removed: 1, Paused: 1}, counts)
	h, err := s.Cursor(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 42, h)
	b, err := s.Booked(ctx, 1)
	require.NoError(t, err)
	require.EqualValues(t, 40, b)
	b, err = s.Booked(ctx, 9)
	require.NoError(t, err)
	require.Zero(t, b)
	next, err := s.NextAt(ctx, "heartbeat")
	require.NoError(t, err)
	require.True(t, next.Equal(t0.Add(time.Minute)))
	next, err = s.NextAt(ctx, "claim")
	require.NoError(t, err)
	require.True(t, next.IsZero())
	node, err := s.NodeID(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 7, node)

	n, err := s.PruneRemoved(ctx, t0.Add(time.Hour))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}

func TestJournal(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "agent.db")
	s := open(t, path)
	t0 := time.Unix(1_700_000_000, 0).UTC()
	a, err := s.Begin(ctx, 1, "deploy", "volume", t0)
	require.NoError(t, err)
	require.NoError(t, s.Finish(ctx, a, nil, t0.Add(time.Second)))
	b, err := s.Begin(ctx, 2, "pause", "", t0)
	require.NoError(t, err)
	require.NoError(t, s.Finish(ctx, b, errors.New("boom"), t0.Add(time.Second)))
	_, err = s.Begin(ctx, 3, "teardown", "", t0) // the agent dies here
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s = open(t, path)
	open, err := s.Interrupted(ctx, t0.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, open, 1)
	require.EqualValues(t, 3, open[0].LeaseID)
	require.Equal(t, "teardown", open[0].Action)
	again, err := s.Interrupted(ctx, t0.Add(time.Minute))
	require.NoError(t, err)
	require.Empty(t, again)

	all, err := s.Journal(ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, all, 3)
	require.Equal(t, "interrupted", all[0].Status)
	require.Equal(t, "failed", all[1].Status)
	require.Equal(t, "boom", all[1].Detail)
	require.Equal(t, "done", all[2].Status)
	require.Equal(t, "volume", all[2].Detail)
	last, err := s.Journal(ctx, "", 1)
	require.NoError(t, err)
	require.Len(t, last, 1)
}

func TestWALMode(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "agent.db"))
	var mode string
	require.NoError(t, s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	require.Equal(t, "wal", mode)
	var sync int
	require.NoError(t, s.db.QueryRow(`PRAGMA synchronous`).Scan(&sync))
	require.Equal(t, 2, sync, "FULL")
}
