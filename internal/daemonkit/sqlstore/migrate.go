package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Migration is one numbered, forward-only schema change. Versions start at 1 and have no
// gaps; a migration once released is never edited (add the next one instead). SQL may hold
// several statements separated by semicolons when the driver accepts that (both do); Func is
// for changes that need Go.
type Migration struct {
	Version int
	Name    string
	SQL     string
	Func    func(ctx context.Context, tx *sql.Tx) error
}

// Errors of the migrations runner.
var (
	ErrBadMigrations = errors.New("bad migration list")
	ErrSchemaTooNew  = errors.New("database schema is newer than this program")
)

// Applied is one row of the schema_migrations table.
type Applied struct {
	Version   int
	Name      string
	AppliedAt time.Time
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at BIGINT NOT NULL
)`

// Migrate brings db's schema to the last of migs: each pending migration runs in its own
// transaction together with its row in schema_migrations, so a crash leaves the schema at a
// whole version. It refuses a database that has a version this program does not know
// (ErrSchemaTooNew) and a list that is not numbered 1, 2, 3, … (ErrBadMigrations). It returns
// the resulting version. now stamps applied_at (pass the daemon's clock).
func Migrate(ctx context.Context, db *sql.DB, d Dialect, migs []Migration, now func() time.Time) (int, error) {
	for i, m := range migs {
		if m.Version != i+1 {
			return 0, fmt.Errorf("%w: migration #%d has version %d, want %d", ErrBadMigrations, i, m.Version, i+1)
		}
		if m.Name == "" || (m.SQL == "") == (m.Func == nil) {
			return 0, fmt.Errorf("%w: migration %d needs a name and exactly one of SQL and Func", ErrBadMigrations, m.Version)
		}
	}
	if _, err := db.ExecContext(ctx, migrationsTable); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	for {
		done, err := migrateOne(ctx, db, d, migs, now)
		if err != nil {
			return 0, err
		}
		if done {
			return Version(ctx, db)
		}
	}
}

// migrateOne applies the next pending migration; it reports true when none is pending.
func migrateOne(ctx context.Context, db *sql.DB, d Dialect, migs []Migration, now func() time.Time) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()
	if d.migrationLock != "" {
		if _, err := tx.ExecContext(ctx, d.migrationLock); err != nil {
			return false, fmt.Errorf("migration lock: %w", err)
		}
	}
	var cur int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if cur > len(migs) {
		return false, fmt.Errorf("%w: database at version %d, this program knows %d", ErrSchemaTooNew, cur, len(migs))
	}
	if cur == len(migs) {
		return true, nil
	}
	m := migs[cur]
	if m.Func != nil {
		err = m.Func(ctx, tx)
	} else {
		_, err = tx.ExecContext(ctx, m.SQL)
	}
	if err != nil {
		return false, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
	}
	q := d.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`)
	if _, err := tx.ExecContext(ctx, q, m.Version, m.Name, now().UnixNano()); err != nil {
		return false, fmt.Errorf("record migration %d: %w", m.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit migration %d: %w", m.Version, err)
	}
	return false, nil
}

// Version is the schema version of db (0 before any migration).
func Version(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// History lists the applied migrations in order.
func History(ctx context.Context, db *sql.DB) ([]Applied, error) {
	rows, err := db.QueryContext(ctx, `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Applied
	for rows.Next() {
		var a Applied
		var at int64
		if err := rows.Scan(&a.Version, &a.Name, &at); err != nil {
			return nil, err
		}
		a.AppliedAt = time.Unix(0, at).UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}
