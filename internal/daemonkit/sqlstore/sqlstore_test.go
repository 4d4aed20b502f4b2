package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/daemonkit/sqlstore"
	"github.com/guild-network/guild/internal/daemonkit/storetest"
)

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		in      string
		backend sqlstore.Backend
		dsn     string
	}{
		{"/var/lib/guild/pool.db", sqlstore.SQLite, "/var/lib/guild/pool.db"},
		{"pool.db", sqlstore.SQLite, "pool.db"},
		{"sqlite:///tmp/p.db", sqlstore.SQLite, "/tmp/p.db"},
		{"file:/tmp/p.db", sqlstore.SQLite, "/tmp/p.db"},
		{"postgres://u@localhost/pool", sqlstore.Postgres, "postgres://u@localhost/pool"},
		{"postgresql://u@localhost/pool", sqlstore.Postgres, "postgresql://u@localhost/pool"},
	} {
		t.Run(c.in, func(t *testing.T) {
			b, dsn, err := sqlstore.ParseURL(c.in)
			require.NoError(t, err)
			require.Equal(t, c.backend, b)
			require.Equal(t, c.dsn, dsn)
		})
	}
	for _, bad := range []string{"", "mysql://x"} {
		_, _, err := sqlstore.ParseURL(bad)
		require.ErrorIs(t, err, sqlstore.ErrUnsupportedURL)
	}
}

func TestDialects(t *testing.T) {
	require.Equal(t, "SELECT a FROM t WHERE a = ? AND b = '?'", sqlstore.SQLiteDialect.Rebind("SELECT a FROM t WHERE a = ? AND b = '?'"))
	require.Equal(t, "SELECT a FROM t WHERE a = $1 AND b = '?' AND c = $2",
		sqlstore.PostgresDialect.Rebind("SELECT a FROM t WHERE a = ? AND b = '?' AND c = ?"))
	d, err := sqlstore.DialectOf(sqlstore.Postgres)
	require.NoError(t, err)
	require.Equal(t, "$3", d.P(3))
	_, err = sqlstore.DialectOf("oracle")
	require.ErrorIs(t, err, sqlstore.ErrUnsupportedURL)
}

func TestOpenSQLiteIsWALAndCreatesItsDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "s.db")
	db, err := sqlstore.OpenSQLite(path, sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	require.NoError(t, err)
	defer db.Close()
	mode, err := sqlstore.JournalMode(db)
	require.NoError(t, err)
	require.Equal(t, "wal", mode)
	var fk int
	require.NoError(t, db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk))
	require.Equal(t, 1, fk)
	_, err = sqlstore.OpenSQLite(path, sqlstore.SQLiteOptions{Synchronous: "OFF"})
	require.ErrorContains(t, err, "synchronous")
}

var migs = []sqlstore.Migration{
	{Version: 1, Name: "farmers", SQL: `CREATE TABLE farmers (id TEXT PRIMARY KEY, points BIGINT NOT NULL)`},
	{Version: 2, Name: "farmer difficulty", SQL: `ALTER TABLE farmers ADD COLUMN difficulty BIGINT NOT NULL DEFAULT 1`},
	{Version: 3, Name: "seed", Func: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO farmers (id, points) VALUES ('pool', 0)`)
		return err
	}},
}

func TestMigrationsConformance(t *testing.T) {
	storetest.Migrations(t, func(t *testing.T) (*sql.DB, sqlstore.Dialect) {
		return storetest.SQLiteDB(t), sqlstore.SQLiteDialect
	}, migs)
}

func TestMigrateAppliesOnlyWhatIsPendingAndResumesAfterACrash(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Unix(1_800_000_000, 0) }
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sqlstore.OpenSQLite(path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	v, err := sqlstore.Migrate(ctx, db, sqlstore.SQLiteDialect, migs[:1], now)
	require.NoError(t, err)
	require.Equal(t, 1, v)
	_, err = db.Exec(`INSERT INTO farmers (id, points) VALUES ('f1', 7)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	db, err = sqlstore.OpenSQLite(path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	defer db.Close()
	v, err = sqlstore.Migrate(ctx, db, sqlstore.SQLiteDialect, migs, now)
	require.NoError(t, err)
	require.Equal(t, 3, v)
	var points, diff int64
	require.NoError(t, db.QueryRow(`SELECT points, difficulty FROM farmers WHERE id = 'f1'`).Scan(&points, &diff))
	require.Equal(t, []int64{7, 1}, []int64{points, diff}, "data kept across migrations")
	hist, err := sqlstore.History(ctx, db)
	require.NoError(t, err)
	require.Equal(t, time.Unix(1_800_000_000, 0).UTC(), hist[2].AppliedAt)
}

func TestMigrateRejectsBadLists(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLiteDB(t)
	for name, bad := range map[string][]sqlstore.Migration{
		"gap":      {{Version: 1, Name: "a", SQL: "SELECT 1"}, {Version: 3, Name: "c", SQL: "SELECT 1"}},
		"from 0":   {{Version: 0, Name: "a", SQL: "SELECT 1"}},
		"no name":  {{Version: 1, SQL: "SELECT 1"}},
		"no body":  {{Version: 1, Name: "a"}},
		"two body": {{Version: 1, Name: "a", SQL: "SELECT 1", Func: func(context.Context, *sql.Tx) error { return nil }}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sqlstore.Migrate(ctx, db, sqlstore.SQLiteDialect, bad, time.Now)
			require.ErrorIs(t, err, sqlstore.ErrBadMigrations)
		})
	}
	_, err := sqlstore.Migrate(ctx, db, sqlstore.SQLiteDialect, []sqlstore.Migration{{Version: 1, Name: "bad sql", SQL: "CREATE TABLBLE x"}}, time.Now)
	require.Error(t, err)
	require.False(t, errors.Is(err, sqlstore.ErrBadMigrations))
	v, err := sqlstore.Version(ctx, db)
	require.NoError(t, err)
	require.Zero(t, v)
}
