// Package sqlstore is the storage pattern of Guild's daemons. A daemon that needs a database
// declares its own small Store interface (the operations it performs, in its own words) and
// implements it once per backend over database/sql: SQLite (pure Go, modernc.org/sqlite, WAL)
// by default and, where an operator wants it, PostgreSQL (the daemon adds the pgx driver). Both
// backends share this package's numbered migrations runner and pass one conformance suite
// (daemonkit/storetest), so they behave alike.
//
// The store URL chooses the backend: a plain path or sqlite://PATH (or file:PATH) is SQLite;
// postgres:// or postgresql:// is PostgreSQL.
package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Backend names a database engine.
type Backend string

// Backends.
const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// ErrUnsupportedURL is returned for a store URL whose scheme no backend serves.
var ErrUnsupportedURL = errors.New("unsupported store url")

// ParseURL tells which backend a store URL names and the data source to open it with: for
// SQLite the file path, for PostgreSQL the URL itself.
func ParseURL(raw string) (Backend, string, error) {
	switch {
	case raw == "":
		return "", "", fmt.Errorf("%w: empty", ErrUnsupportedURL)
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		return Postgres, raw, nil
	case strings.HasPrefix(raw, "sqlite://"):
		return SQLite, strings.TrimPrefix(raw, "sqlite://"), nil
	case strings.HasPrefix(raw, "file:"):
		return SQLite, strings.TrimPrefix(raw, "file:"), nil
	case strings.Contains(raw, "://"):
		return "", "", fmt.Errorf("%w: %q (want a path, sqlite://PATH or postgres://…)", ErrUnsupportedURL, raw)
	default:
		return SQLite, raw, nil
	}
}

// SQLiteOptions tune OpenSQLite.
type SQLiteOptions struct {
	// Synchronous is the synchronous pragma: FULL (the default: a committed transaction survives
	// a power loss) or NORMAL (may lose the last transactions on power loss, never corrupts).
	Synchronous string
	// BusyTimeoutMillis is how long a writer waits for a lock (default 10000).
	BusyTimeoutMillis int
	// MaxOpenConns bounds the pool; the default 1 serialises every statement, which is what a
	// daemon with one writer wants and makes "read then write" sequences safe.
	MaxOpenConns int
}

// OpenSQLite opens (creating the file and its directory if needed) the SQLite database at
// path in WAL mode with foreign keys on, and checks that it answers.
func OpenSQLite(path string, o SQLiteOptions) (*sql.DB, error) {
	if o.Synchronous == "" {
		o.Synchronous = "FULL"
	}
	switch o.Synchronous {
	case "FULL", "NORMAL":
	default:
		return nil, fmt.Errorf("sqlite %s: synchronous %q: want FULL or NORMAL", path, o.Synchronous)
	}
	if o.BusyTimeoutMillis == 0 {
		o.BusyTimeoutMillis = 10000
	}
	if o.MaxOpenConns == 0 {
		o.MaxOpenConns = 1
	}
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("sqlite %s: %w", path, err)
		}
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(" + o.Synchronous + ")",
		"busy_timeout(" + strconv.Itoa(o.BusyTimeoutMillis) + ")", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(o.MaxOpenConns)
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	return db, nil
}

// JournalMode returns the database's journal mode ("wal" for OpenSQLite's databases).
func JournalMode(db *sql.DB) (string, error) {
	var mode string
	err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	return mode, err
}

// Dialect is what differs between the backends in the SQL a store writes.
type Dialect struct {
	Backend Backend
	// placeholder renders the n-th (1-based) bind parameter.
	placeholder func(n int) string
	// migrationLock is run first in every migration's transaction (empty: none).
	migrationLock string
}

// Dialects of the backends.
var (
	SQLiteDialect   = Dialect{Backend: SQLite, placeholder: func(int) string { return "?" }}
	PostgresDialect = Dialect{Backend: Postgres, placeholder: func(n int) string { return "$" + strconv.Itoa(n) },
		// One migrator at a time across processes; released when the transaction ends.
		migrationLock: `SELECT pg_advisory_xact_lock(7007001)`}
)

// DialectOf returns the dialect of a backend.
func DialectOf(b Backend) (Dialect, error) {
	switch b {
	case SQLite:
		return SQLiteDialect, nil
	case Postgres:
		return PostgresDialect, nil
	}
	return Dialect{}, fmt.Errorf("%w: backend %q", ErrUnsupportedURL, b)
}

// P is the n-th (1-based) bind parameter: "?" for SQLite, "$n" for PostgreSQL.
func (d Dialect) P(n int) string {
	if d.placeholder == nil {
		return "?"
	}
	return d.placeholder(n)
}

// Rebind rewrites a query written with "?" placeholders into the dialect's.
func (d Dialect) Rebind(query string) string {
	if d.Backend != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	inString := false
	for _, r := range query {
		switch {
		case r == '\'':
			inString = !inString
			b.WriteRune(r)
		case r == '?' && !inString:
			n++
			b.WriteString(d.P(n))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
