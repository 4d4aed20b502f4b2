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
	// temp_store(MEMORY): a multi-row insert inside a transaction keeps a statement journal, which
	// SQLite spills to a temporary file past 64 KiB: a write syscall per page of every group
	// commit (the partial benchmark's profile), for a journal that is dropped when the statement
	// ends. wal_autocheckpoint(8000): the pages every commit rewrites (the newest index leaves,
	// the farmers' rows) are copied into the database once per 32 MiB of WAL instead of once per
	// 4 MiB. cache_size(-32768): 32 MiB of page cache, so checkpoints and inserts read from memory.
	pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)" +
		"&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(8000)&_pragma=cache_size(-32768)"
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
	// The writer's one connection stays at NORMAL (partial batches); every other write sets FULL
	// for its transaction. A connection the pool reopens starts at FULL again: stricter, never
	// weaker.
	if _, err := writer.ExecContext(ctx, "PRAGMA synchronous=NORMAL"); err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	reader, err := sql.Open("sqlite", dsn+"&_pragma=query_only(ON)")
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	reader.SetMaxOpenConns(4)
	ckpt, err := sql.Open("sqlite", dsn)
	if err != nil {
		_ = writer.Close()
		_ = reader.Close()
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	ckpt.SetMaxOpenConns(1)
	return &sqlStore{d: sqliteDialect, writer: writer, reader: reader, ckpt: newCheckpointer(ckpt),
		relax: "PRAGMA synchronous=NORMAL", strict: "PRAGMA synchronous=FULL"}, nil
}
