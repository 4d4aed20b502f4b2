// Package storetest is the conformance-suite helper for daemon stores with two backends. A
// daemon writes its store's behaviour once, as Cases over its own Store interface, and runs
// them with Run against every backend (SQLite always, PostgreSQL when GUILD_TEST_POSTGRES_URL
// names a database), each case on a fresh store; Migrations checks a migration list's
// properties on a backend.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/daemonkit/sqlstore"
)

// PostgresEnv names the environment variable with a PostgreSQL URL for the conformance suites;
// without it the PostgreSQL backend is skipped.
const PostgresEnv = "GUILD_TEST_POSTGRES_URL"

// Backend is one implementation of a store under test.
type Backend[S any] struct {
	Name string
	// Open returns a fresh, empty, migrated store, closed by a t.Cleanup it registers. It may
	// t.Skip when the backend is not available.
	Open func(t *testing.T) S
}

// Case is one behaviour every backend must have.
type Case[S any] struct {
	Name string
	Run  func(t *testing.T, s S)
}

// Run runs every case against every backend as subtests "backend/case", each case on a store
// of its own.
func Run[S any](t *testing.T, backends []Backend[S], cases []Case[S]) {
	t.Helper()
	require.NotEmpty(t, backends, "no backend to test")
	require.NotEmpty(t, cases, "no case to run")
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.Name, func(t *testing.T) { c.Run(t, b.Open(t)) })
			}
		})
	}
}

// PostgresURL returns the PostgreSQL URL of the environment, or skips the test.
func PostgresURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv(PostgresEnv)
	if u == "" {
		t.Skipf("%s not set: PostgreSQL backend not tested", PostgresEnv)
	}
	return u
}

// SQLiteDB opens a fresh SQLite database (WAL, as sqlstore.OpenSQLite) in a temporary
// directory, closed at cleanup.
func SQLiteDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sqlstore.OpenSQLite(filepath.Join(t.TempDir(), "store.db"), sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// Migrations checks a migration list on fresh databases from open: it migrates to the last
// version and records each one in order; a second run changes nothing; a database already at a
// version the list does not know is refused with ErrSchemaTooNew; and a failing next migration
// leaves the database at the previous whole version.
func Migrations(t *testing.T, open func(t *testing.T) (*sql.DB, sqlstore.Dialect), migs []sqlstore.Migration) {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return time.Unix(1_800_000_000, 0) }

	t.Run("to the last version, in order", func(t *testing.T) {
		db, d := open(t)
		v, err := sqlstore.Migrate(ctx, db, d, migs, now)
		require.NoError(t, err)
		require.Equal(t, len(migs), v)
		hist, err := sqlstore.History(ctx, db)
		require.NoError(t, err)
		require.Len(t, hist, len(migs))
		for i, h := range hist {
			require.Equal(t, migs[i].Version, h.Version)
			require.Equal(t, migs[i].Name, h.Name)
		}
		v, err = sqlstore.Migrate(ctx, db, d, migs, now)
		require.NoError(t, err, "a second run is a no-op")
		require.Equal(t, len(migs), v)
		again, err := sqlstore.History(ctx, db)
		require.NoError(t, err)
		require.Equal(t, hist, again)
	})

	t.Run("newer schema refused", func(t *testing.T) {
		db, d := open(t)
		_, err := sqlstore.Migrate(ctx, db, d, migs, now)
		require.NoError(t, err)
		newer := append(append([]sqlstore.Migration(nil), migs...),
			sqlstore.Migration{Version: len(migs) + 1, Name: "from the future", SQL: `CREATE TABLE storetest_future (x INTEGER)`})
		_, err = sqlstore.Migrate(ctx, db, d, newer, now)
		require.NoError(t, err)
		_, err = sqlstore.Migrate(ctx, db, d, migs, now)
		require.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
	})

	t.Run("a failing migration keeps the previous version", func(t *testing.T) {
		db, d := open(t)
		boom := errors.New("boom")
		broken := append(append([]sqlstore.Migration(nil), migs...), sqlstore.Migration{
			Version: len(migs) + 1, Name: "broken",
			Func: func(ctx context.Context, tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `CREATE TABLE storetest_half (x INTEGER)`); err != nil {
					return err
				}
				return boom
			},
		})
		_, err := sqlstore.Migrate(ctx, db, d, broken, now)
		require.ErrorIs(t, err, boom)
		v, err := sqlstore.Version(ctx, db)
		require.NoError(t, err)
		require.Equal(t, len(migs), v)
		_, err = db.ExecContext(ctx, `SELECT x FROM storetest_half`)
		require.Error(t, err, "the failed migration's table was rolled back")
	})
}
