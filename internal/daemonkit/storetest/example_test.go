package storetest_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/daemonkit/sqlstore"
	"github.com/guild-network/guild/internal/daemonkit/storetest"
)

// This file shows the pattern a daemon follows: its own small Store interface, a memory and an
// SQLite implementation, one list of cases both must pass.

var errNoFarmer = errors.New("farmer not found")

type pointsStore interface {
	AddPoints(ctx context.Context, farmer string, n int64) error
	Points(ctx context.Context, farmer string) (int64, error)
}

type memStore struct {
	mu sync.Mutex
	m  map[string]int64
}

func (s *memStore) AddPoints(_ context.Context, f string, n int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[f] += n
	return nil
}

func (s *memStore) Points(_ context.Context, f string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[f]
	if !ok {
		return 0, errNoFarmer
	}
	return v, nil
}

type sqlStore struct {
	db *sql.DB
	d  sqlstore.Dialect
}

var migrations = []sqlstore.Migration{
	{Version: 1, Name: "points", SQL: `CREATE TABLE points (farmer TEXT PRIMARY KEY, n BIGINT NOT NULL)`},
}

func (s sqlStore) AddPoints(ctx context.Context, f string, n int64) error {
	_, err := s.db.ExecContext(ctx, s.d.Rebind(`INSERT INTO points (farmer, n) VALUES (?, ?)
		ON CONFLICT (farmer) DO UPDATE SET n = points.n + excluded.n`), f, n)
	return err
}

func (s sqlStore) Points(ctx context.Context, f string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, s.d.Rebind(`SELECT n FROM points WHERE farmer = ?`), f).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errNoFarmer
	}
	return n, err
}

var cases = []storetest.Case[pointsStore]{
	{Name: "unknown farmer", Run: func(t *testing.T, s pointsStore) {
		_, err := s.Points(context.Background(), "nobody")
		require.ErrorIs(t, err, errNoFarmer)
	}},
	{Name: "points add up", Run: func(t *testing.T, s pointsStore) {
		ctx := context.Background()
		require.NoError(t, s.AddPoints(ctx, "f", 3))
		require.NoError(t, s.AddPoints(ctx, "f", 4))
		n, err := s.Points(ctx, "f")
		require.NoError(t, err)
		require.Equal(t, int64(7), n)
	}},
}

func TestConformance(t *testing.T) {
	var opened []string
	storetest.Run(t, []storetest.Backend[pointsStore]{
		{Name: "memory", Open: func(t *testing.T) pointsStore {
			opened = append(opened, "memory")
			return &memStore{m: map[string]int64{}}
		}},
		{Name: "sqlite", Open: func(t *testing.T) pointsStore {
			opened = append(opened, "sqlite")
			db := storetest.SQLiteDB(t)
			_, err := sqlstore.Migrate(context.Background(), db, sqlstore.SQLiteDialect, migrations, time.Now)
			require.NoError(t, err)
			return sqlStore{db, sqlstore.SQLiteDialect}
		}},
		{Name: "postgres", Open: func(t *testing.T) pointsStore {
			// This example has no PostgreSQL driver; daemon/pool/store runs the suite on a real
			// server. Skip even when the URL is set (CI sets it for the pool store).
			t.Skip("the example store has no PostgreSQL driver")
			return nil
		}},
	}, cases)
	require.Equal(t, []string{"memory", "memory", "sqlite", "sqlite"}, opened, "each case gets a fresh store")
}
