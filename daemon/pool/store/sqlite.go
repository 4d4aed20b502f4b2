package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

// OpenSQLite opens (creating it if needed) the SQLite database at path and migrates it. It uses
// WAL, one writer connection and a few reader connections. Rewards, rounds and payouts commit
// with synchronous=FULL (they survive a power cut); partial batches with synchronous=NORMAL
// (they survive a crash of the process; a power cut may lose the last few milliseconds).
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)"
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	writer, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	if _, err := migrate(ctx, writer, sqliteDialect); err != nil {
		_ = writer.Close()
		return nil, err
	}
	reader, err := sql.Open("sqlite", dsn+"&_pragma=query_only(ON)")
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	reader.SetMaxOpenConns(4)
	return &sqlStore{d: sqliteDialect, writer: writer, reader: reader,
		relax: "PRAGMA synchronous=NORMAL", strict: "PRAGMA synchronous=FULL"}, nil
}
