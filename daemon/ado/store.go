package ado

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/guild-network/guild/internal/daemonkit/sqlstore"
)

// ErrReplay is the answer to a jti the ADO has already seen.
var ErrReplay = errors.New("jti already used")

// AuditRecord is one row of the audit log: every answered request, issued or refused.
type AuditRecord struct {
	At       time.Time
	Agent    uint64
	JTI      string
	Action   string
	Value    string
	Target   string
	RemoteIP string
	Outcome  string // "issued" or the refusal code
	Reason   string
	Hash     string // the credential hash, when issued
}

// Store is what the ADO persists: the jtis it has answered and the audit log.
type Store interface {
	// UseJTI records (agent, jti) and fails with ErrReplay if it was recorded before.
	UseJTI(ctx context.Context, agent uint64, jti string, at time.Time) error
	Audit(ctx context.Context, r AuditRecord) error
	AuditLog(ctx context.Context, agent uint64, limit int) ([]AuditRecord, error)
	Ping(ctx context.Context) error
	Close() error
}

var migrations = []sqlstore.Migration{{
	Version: 1,
	Name:    "jtis and audit log",
	SQL: `CREATE TABLE jtis (agent INTEGER NOT NULL, jti TEXT NOT NULL, used_at INTEGER NOT NULL, PRIMARY KEY (agent, jti));
CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, agent INTEGER NOT NULL, jti TEXT NOT NULL,
  action TEXT NOT NULL, value TEXT NOT NULL, target TEXT NOT NULL, remote_ip TEXT NOT NULL, outcome TEXT NOT NULL,
  reason TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_agent ON audit (agent, id);`,
}}

type sqliteStore struct{ db *sql.DB }

// OpenSQLite opens (and migrates) the ADO's SQLite store at path, in WAL mode.
func OpenSQLite(ctx context.Context, path string, now func() time.Time) (Store, error) {
	db, err := sqlstore.OpenSQLite(path, sqlstore.SQLiteOptions{})
	if err != nil {
		return nil, err
	}
	if _, err := sqlstore.Migrate(ctx, db, sqlstore.SQLiteDialect, migrations, now); err != nil {
		db.Close()
		return nil, err
	}
	return &sqliteStore{db: db}, nil
}

func (s *sqliteStore) UseJTI(ctx context.Context, agent uint64, jti string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO jtis (agent, jti, used_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, agent, jti, at.Unix())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("%w: agent %d jti %q", ErrReplay, agent, jti)
	}
	return nil
}

func (s *sqliteStore) Audit(ctx context.Context, r AuditRecord) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit (at, agent, jti, action, value, target, remote_ip, outcome, reason, hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.At.Unix(), r.Agent, r.JTI, r.Action, r.Value, r.Target, r.RemoteIP, r.Outcome, r.Reason, r.Hash)
	return err
}

func (s *sqliteStore) AuditLog(ctx context.Context, agent uint64, limit int) ([]AuditRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, agent, jti, action, value, target, remote_ip, outcome, reason, hash
FROM audit WHERE agent = ? ORDER BY id DESC LIMIT ?`, agent, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		var r AuditRecord
		var at int64
		if err := rows.Scan(&at, &r.Agent, &r.JTI, &r.Action, &r.Value, &r.Target, &r.RemoteIP, &r.Outcome, &r.Reason, &r.Hash); err != nil {
			return nil, err
		}
		r.At = time.Unix(at, 0)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *sqliteStore) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }
func (s *sqliteStore) Close() error                   { return s.db.Close() }
