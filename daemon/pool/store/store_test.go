package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/daemon/pool/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (store.Store, func() store.Store) {
		path := filepath.Join(t.TempDir(), "pool.db")
		s, err := store.OpenSQLite(context.Background(), path)
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		return s, func() store.Store {
			s, err := store.Open(context.Background(), "sqlite:"+path)
			require.NoError(t, err)
			return s
		}
	})
}

// PostgresURL returns the test server's URL from GUILD_TEST_POSTGRES_URL. Without it the test is
// skipped on a developer's machine and fails in CI (CI=true), where .ci/run starts a server.
func postgresURL(t *testing.T) string {
	url := os.Getenv("GUILD_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("GUILD_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL and export it")
		}
		t.Skip("GUILD_TEST_POSTGRES_URL not set")
	}
	return url
}

// freshSchema creates an empty schema and returns a URL whose connections use it.
func freshSchema(t *testing.T, url string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "pooltest_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		db, err := sql.Open("pgx", url)
		if err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			_ = db.Close()
		}
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

func TestPostgres(t *testing.T) {
	base := postgresURL(t)
	storetest.Run(t, func(t *testing.T) (store.Store, func() store.Store) {
		url := freshSchema(t, base)
		s, err := store.Open(context.Background(), url)
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		return s, func() store.Store {
			s, err := store.Open(context.Background(), url)
			require.NoError(t, err)
			return s
		}
	})
}

func TestMigrationsAreIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pool.db")
	for i := 0; i < 2; i++ {
		s, err := store.OpenSQLite(context.Background(), path)
		require.NoError(t, err)
		require.NoError(t, s.Close())
	}
}
