package store

import (
	"context"
	"database/sql"
	"fmt"
)

// SyncSettingsForTest reads, inside a transaction of each kind, the durability setting a commit
// of that kind runs with: a money write (write) and a partial batch (writeRelaxed). The query is
// the dialect's (SQLite: PRAGMA synchronous, 2 = FULL, 1 = NORMAL; PostgreSQL: SHOW
// synchronous_commit).
func SyncSettingsForTest(ctx context.Context, st Store, query string) (money, partials string, err error) {
	s := st.(*sqlStore)
	read := func(dst *string) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error { return tx.QueryRowContext(ctx, query).Scan(dst) }
	}
	if err := s.write(ctx, read(&money)); err != nil {
		return "", "", err
	}
	if err := s.writeRelaxed(ctx, read(&partials)); err != nil {
		return "", "", err
	}
	// A money write after a partial batch is strict again.
	var again string
	if err := s.write(ctx, read(&again)); err != nil {
		return "", "", err
	}
	if again != money {
		return "", "", fmt.Errorf("a money write after a partial batch ran at %s, before it at %s", again, money)
	}
	return money, partials, nil
}
