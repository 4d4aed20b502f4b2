package store

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// OpenPostgres connects to the PostgreSQL database at url (postgres://user@host:port/db) and
// migrates it. Writes are serialised by the store (one writer) on one connection of their own,
// so that each of the partial batch's prepared statements is parsed once, not once per pooled
// connection a transaction happens to get; reads use a pool of connections.
func OpenPostgres(ctx context.Context, url string) (Store, error) {
	writer, err := openPostgresDB(ctx, url, 1)
	if err != nil {
		return nil, err
	}
	if _, err := migrate(ctx, writer, postgresDialect); err != nil {
		_ = writer.Close()
		return nil, err
	}
	// The writer's one connection commits partial batches without waiting for the WAL flush;
	// every other write sets synchronous_commit=on in its transaction (sqlStore.strictTx). A
	// connection database/sql reopens starts at the server's setting (on): stricter, never weaker.
	if _, err := writer.ExecContext(ctx, "SET synchronous_commit TO off"); err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	reader, err := openPostgresDB(ctx, url, 8)
	if err != nil {
		_ = writer.Close()
		return nil, err
	}
	return &sqlStore{d: postgresDialect, writer: writer, reader: reader,
		strictTx: "SET LOCAL synchronous_commit TO on"}, nil
}

func openPostgresDB(ctx context.Context, url string, conns int) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store: opening postgres: %w", err)
	}
	db.SetMaxOpenConns(conns)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: connecting to postgres: %w", err)
	}
	return db, nil
}

// Open opens the store a URL names: postgres:// or postgresql:// for PostgreSQL, anything else
// (a path, or sqlite:PATH) for SQLite.
func Open(ctx context.Context, url string) (Store, error) {
	switch {
	case len(url) > 11 && url[:11] == "postgres://", len(url) > 13 && url[:13] == "postgresql://":
		return OpenPostgres(ctx, url)
	case len(url) > 7 && url[:7] == "sqlite:":
		return OpenSQLite(ctx, url[7:])
	default:
		return OpenSQLite(ctx, url)
	}
}
