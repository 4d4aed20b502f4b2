package ado

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
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

// sqliteStore group-commits: every UseJTI and Audit call becomes an operation queued to one
// writer goroutine, which runs whatever operations are waiting (up to maxBatch) in one
// transaction and acknowledges each only after that transaction has committed (synchronous
// FULL: the WAL is fsynced). An acknowledged jti or audit row is therefore as durable as with
// one transaction per call, but concurrent requests share one fsync instead of paying two each.
// Operations in a batch run in arrival order, so a jti sent twice in one batch is inserted once
// and the second gets ErrReplay.
type sqliteStore struct {
	db        *sql.DB
	ops       chan storeOp
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// maxBatch bounds the operations of one group commit.
const maxBatch = 256

type storeOp struct {
	jti   *jtiRow
	audit *AuditRecord
	res   chan error
}

type jtiRow struct {
	agent uint64
	jti   string
	at    int64
}

// OpenSQLite opens (and migrates) the ADO's SQLite store at path, in WAL mode, and starts its
// group-commit writer (stopped by Close).
func OpenSQLite(ctx context.Context, path string, now func() time.Time) (Store, error) {
	db, err := sqlstore.OpenSQLite(path, sqlstore.SQLiteOptions{})
	if err != nil {
		return nil, err
	}
	if _, err := sqlstore.Migrate(ctx, db, sqlstore.SQLiteDialect, migrations, now); err != nil {
		db.Close()
		return nil, err
	}
	s := &sqliteStore{db: db, ops: make(chan storeOp, maxBatch), stop: make(chan struct{}), done: make(chan struct{})}
	go s.writer()
	return s, nil
}

// writer is the one goroutine that writes: it takes the first waiting operation, then every
// other one already queued, and commits them together.
func (s *sqliteStore) writer() {
	defer close(s.done)
	batch := make([]storeOp, 0, maxBatch)
	for {
		select {
		case <-s.stop:
			return
		case op := <-s.ops:
			batch = append(batch[:0], op)
		drain:
			for len(batch) < maxBatch {
				select {
				case op := <-s.ops:
					batch = append(batch, op)
				default:
					break drain
				}
			}
			s.commit(batch)
		}
	}
}

// commit runs a batch in one transaction. A replayed jti is a per-operation answer; any other
// error rolls the whole batch back and is every operation's answer (nothing of it was written).
func (s *sqliteStore) commit(batch []storeOp) {
	results := make([]error, len(batch))
	err := func() error {
		tx, err := s.db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
		for i, op := range batch {
			if op.jti != nil {
				res, err := tx.Exec(`INSERT INTO jtis (agent, jti, used_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, op.jti.agent, op.jti.jti, op.jti.at)
				if err != nil {
					return err
				}
				if n, err := res.RowsAffected(); err != nil {
					return err
				} else if n == 0 {
					results[i] = fmt.Errorf("%w: agent %d jti %q", ErrReplay, op.jti.agent, op.jti.jti)
				}
			}
			if r := op.audit; r != nil {
				if _, err := tx.Exec(`INSERT INTO audit (at, agent, jti, action, value, target, remote_ip, outcome, reason, hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.At.Unix(), r.Agent, r.JTI, r.Action, r.Value, r.Target, r.RemoteIP, r.Outcome, r.Reason, r.Hash); err != nil {
					return err
				}
			}
		}
		return tx.Commit()
	}()
	for i, op := range batch {
		if err != nil {
			op.res <- err
		} else {
			op.res <- results[i]
		}
	}
}

// submit queues an operation and waits for its batch to commit.
func (s *sqliteStore) submit(ctx context.Context, op storeOp) error {
	op.res = make(chan error, 1)
	select {
	case s.ops <- op:
	case <-s.stop:
		return errStoreClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-op.res:
		return err
	case <-s.done:
		// Close stopped the writer; the operation may or may not have been written.
		select {
		case err := <-op.res:
			return err
		default:
			return errStoreClosed
		}
	case <-ctx.Done():
		return ctx.Err() // the batch may still commit it: a recorded jti only refuses a replay
	}
}

var errStoreClosed = errors.New("ado store: closed")

func (s *sqliteStore) UseJTI(ctx context.Context, agent uint64, jti string, at time.Time) error {
	return s.submit(ctx, storeOp{jti: &jtiRow{agent: agent, jti: jti, at: at.Unix()}})
}

func (s *sqliteStore) Audit(ctx context.Context, r AuditRecord) error {
	return s.submit(ctx, storeOp{audit: &r})
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

// Close stops the writer (after the batch it is committing) and closes the database; it is
// idempotent.
func (s *sqliteStore) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.done
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}
