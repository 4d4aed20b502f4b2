package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// migrations are applied in order, each once, in its own transaction; they are never edited
// once released (add a new one instead). {{ID}} is the dialect's auto-increment primary key.
var migrations = []string{
	// 1: farmers, partials, rewards, rounds, payouts.
	`CREATE TABLE farmer (
		launcher_id TEXT PRIMARY KEY,
		contract_id BIGINT NOT NULL,
		auth_public_key TEXT NOT NULL,
		payout_address TEXT NOT NULL,
		difficulty BIGINT NOT NULL,
		points BIGINT NOT NULL DEFAULT 0,
		balance BIGINT NOT NULL DEFAULT 0,
		is_member INTEGER NOT NULL,
		joined_at BIGINT NOT NULL,
		pending_difficulty BIGINT NOT NULL DEFAULT 0,
		pending_difficulty_at BIGINT NOT NULL DEFAULT 0,
		updated_at BIGINT NOT NULL DEFAULT 0
	);
	CREATE TABLE partial (
		launcher_id TEXT NOT NULL,
		sp_hash TEXT NOT NULL,
		plot_id TEXT NOT NULL,
		proof_hash TEXT NOT NULL,
		harvester_id TEXT NOT NULL,
		received_at BIGINT NOT NULL,
		difficulty BIGINT NOT NULL,
		PRIMARY KEY (sp_hash, plot_id)
	);
	CREATE INDEX partial_by_farmer ON partial (launcher_id, received_at);
	CREATE INDEX partial_by_time ON partial (received_at);
	CREATE TABLE reward (
		reward_key TEXT PRIMARY KEY,
		contract_id BIGINT NOT NULL,
		amount BIGINT NOT NULL,
		height BIGINT NOT NULL,
		round_id BIGINT NOT NULL DEFAULT 0
	);
	CREATE INDEX reward_unassigned ON reward (round_id);
	CREATE TABLE round (
		id {{ID}},
		created_at BIGINT NOT NULL,
		scheme TEXT NOT NULL,
		total BIGINT NOT NULL,
		fee BIGINT NOT NULL,
		credited BIGINT NOT NULL,
		dust BIGINT NOT NULL
	);
	CREATE TABLE payout_batch (
		id {{ID}},
		state INTEGER NOT NULL,
		tx_hash TEXT NOT NULL DEFAULT '',
		tx_bytes TEXT NOT NULL DEFAULT '',
		timeout_height BIGINT NOT NULL DEFAULT 0,
		confirmed_height BIGINT NOT NULL DEFAULT 0,
		attempts INTEGER NOT NULL DEFAULT 0,
		created_at BIGINT NOT NULL
	);
	CREATE INDEX payout_batch_open ON payout_batch (state, id);
	CREATE TABLE payout (
		id {{ID}},
		batch_id BIGINT NOT NULL,
		round_id BIGINT NOT NULL,
		launcher_id TEXT NOT NULL,
		address TEXT NOT NULL,
		amount BIGINT NOT NULL,
		created_at BIGINT NOT NULL
	);
	CREATE INDEX payout_by_farmer ON payout (launcher_id, id);
	CREATE INDEX payout_by_batch ON payout (batch_id);
	CREATE TABLE pool_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
	INSERT INTO pool_state (name, value) VALUES ('dust', 0);`,
	// 2: each round's terms (PPLNS window start, fee) and every farmer's points and credit in
	// it, written in the round's own transaction, so that anyone can replay a round's split.
	`ALTER TABLE round ADD COLUMN window_start BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE round ADD COLUMN fee_bps BIGINT NOT NULL DEFAULT 0;
	CREATE TABLE round_share (
		round_id BIGINT NOT NULL,
		launcher_id TEXT NOT NULL,
		points BIGINT NOT NULL,
		credit BIGINT NOT NULL,
		PRIMARY KEY (round_id, launcher_id)
	);`,
}

type dialect struct {
	name     string
	autoID   string
	numbered bool // $1 placeholders instead of ?
	// insertIgnore and onConflictIgnore make the partial insert skip rows already recorded.
	insertIgnore, onConflictIgnore string
}

var (
	sqliteDialect   = dialect{name: "sqlite", autoID: "INTEGER PRIMARY KEY AUTOINCREMENT", insertIgnore: "OR IGNORE "}
	postgresDialect = dialect{name: "postgres", autoID: "BIGSERIAL PRIMARY KEY", numbered: true,
		onConflictIgnore: " ON CONFLICT (sp_hash, plot_id) DO NOTHING"}
)

// q rewrites ? placeholders for the dialect.
func (d dialect) q(query string) string {
	if !d.numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// migrate brings the schema to the newest version and returns it.
func migrate(ctx context.Context, db *sql.DB, d dialect) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return 0, fmt.Errorf("store: schema_version: %w", err)
	}
	var cur int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return 0, fmt.Errorf("store: reading schema version: %w", err)
	}
	if cur > len(migrations) {
		return cur, fmt.Errorf("store: database schema version %d is newer than this binary's %d", cur, len(migrations))
	}
	for v := cur + 1; v <= len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return cur, err
		}
		body := strings.ReplaceAll(migrations[v-1], "{{ID}}", d.autoID)
		for _, stmt := range strings.Split(body, ";") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				_ = tx.Rollback()
				return cur, fmt.Errorf("store: migration %d: %w", v, err)
			}
		}
		if _, err := tx.ExecContext(ctx, d.q(`INSERT INTO schema_version (version) VALUES (?)`), v); err != nil {
			_ = tx.Rollback()
			return cur, err
		}
		if err := tx.Commit(); err != nil {
			return cur, fmt.Errorf("store: migration %d: %w", v, err)
		}
		cur = v
	}
	return cur, nil
}
