// Package store is the provider agent's durable memory: an SQLite database (pure Go,
// modernc.org/sqlite, WAL mode, synchronous=FULL) in the agent's data directory holding the
// cursor (the last chain height whose events were processed), one row per workload the agent
// has ever deployed with its phase, a journal of every action written before the action is
// taken, the booking heights seen in events, and the heartbeat and claim schedules.
//
// The agent writes what it intends before it acts (phase "deploying", "pausing", …, and an open
// journal entry) and what it did after; after a crash it finds the intent and performs the
// idempotent step again. All methods are safe for concurrent use (one connection serialises
// them).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	providertypes "github.com/guild-network/guild/x/provider/types"
)

// Phase is where a workload is in the agent's hands. Phases ending in "ing" record an intent
// whose step may not have completed.
type Phase string

// Workload phases.
const (
	Deploying Phase = "deploying"
	Running   Phase = "running"
	Failed    Phase = "failed" // the deployment failed; a FAILED report is (or was) due
	Pausing   Phase = "pausing"
	Paused    Phase = "paused"
	Resuming  Phase = "resuming"
	Removing  Phase = "removing"
	Removed   Phase = "removed" // torn down; the row stays as a tombstone
)

// Report results.
const (
	ReportNone     = ""
	ReportDeployed = "deployed"
	ReportFailed   = "failed"
)

// Workload is the agent's record of one lease's workload.
type Workload struct {
	LeaseID   uint64
	Driver    string
	Phase     Phase
	Hash      string // hex of the deployment hash the workload was deployed with
	Data      string // deployment data
	Resources providertypes.Resources
	Info      string // identity of the workload, or why it failed
	// Report is the result to report on a PENDING lease; ReportedHeight is the block that
	// included the report (0 while it is due).
	Report         string
	ReportedHeight int64
	Error          string // last error of an action on this workload
	FirstSeen      time.Time
	DeployedAt     time.Time
	Updated        time.Time
}

// Action is one journal entry.
type Action struct {
	ID       int64
	LeaseID  uint64
	Action   string
	Status   string // "open", "done", "failed", "interrupted"
	Detail   string
	Started  time.Time
	Finished time.Time
}

// ErrNotFound is returned for a workload the store does not know.
var ErrNotFound = errors.New("not found")

// Store is the agent's SQLite database.
type Store struct {
	db *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workloads (
	lease_id        INTEGER PRIMARY KEY,
	driver          TEXT NOT NULL,
	phase           TEXT NOT NULL,
	hash            TEXT NOT NULL DEFAULT '',
	data            TEXT NOT NULL DEFAULT '',
	cpu_milli       INTEGER NOT NULL DEFAULT 0,
	memory_bytes    INTEGER NOT NULL DEFAULT 0,
	storage_bytes   INTEGER NOT NULL DEFAULT 0,
	gpus            INTEGER NOT NULL DEFAULT 0,
	info            TEXT NOT NULL DEFAULT '',
	report          TEXT NOT NULL DEFAULT '',
	reported_height INTEGER NOT NULL DEFAULT 0,
	error           TEXT NOT NULL DEFAULT '',
	first_seen      INTEGER NOT NULL,
	deployed_at     INTEGER NOT NULL DEFAULT 0,
	updated         INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS workloads_by_phase ON workloads (phase);
CREATE TABLE IF NOT EXISTS bookings (lease_id INTEGER PRIMARY KEY, height INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS schedule (name TEXT PRIMARY KEY, next_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS journal (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	lease_id INTEGER NOT NULL,
	action   TEXT NOT NULL,
	status   TEXT NOT NULL,
	detail   TEXT NOT NULL DEFAULT '',
	started  INTEGER NOT NULL,
	finished INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS journal_open ON journal (status);
`

// Open opens (creating if needed) the database at path.
func Open(path string) (*Store, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create schema in %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Cursor returns the last processed height (0 if none).
func (s *Store) Cursor(ctx context.Context) (int64, error) { return s.meta(ctx, "cursor") }

// SetCursor records the last processed height.
func (s *Store) SetCursor(ctx context.Context, h int64) error { return s.setMeta(ctx, "cursor", h) }

func (s *Store) meta(ctx context.Context, key string) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

func (s *Store) setMeta(ctx context.Context, key string, v int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, v)
	return err
}

// NodeID returns the node the database belongs to (0 before the first run).
func (s *Store) NodeID(ctx context.Context) (uint64, error) {
	v, err := s.meta(ctx, "node_id")
	return uint64(v), err
}

// SetNodeID binds the database to a node.
func (s *Store) SetNodeID(ctx context.Context, id uint64) error {
	return s.setMeta(ctx, "node_id", int64(id))
}

const workloadCols = `lease_id, driver, phase, hash, data, cpu_milli, memory_bytes, storage_bytes, gpus,
	info, report, reported_height, error, first_seen, deployed_at, updated`

type scanner interface{ Scan(...any) error }

func scanWorkload(r scanner) (Workload, error) {
	var w Workload
	var cpu, mem, disk, gpus, first, deployed, updated int64
	err := r.Scan(&w.LeaseID, &w.Driver, &w.Phase, &w.Hash, &w.Data, &cpu, &mem, &disk, &gpus,
		&w.Info, &w.Report, &w.ReportedHeight, &w.Error, &first, &deployed, &updated)
	w.Resources = providertypes.Resources{CpuMilli: uint64(cpu), MemoryBytes: uint64(mem), StorageBytes: uint64(disk), Gpus: uint64(gpus)}
	w.FirstSeen, w.DeployedAt, w.Updated = fromNanos(first), fromNanos(deployed), fromNanos(updated)
	return w, err
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Workload returns the record of a lease's workload, or ErrNotFound.
func (s *Store) Workload(ctx context.Context, lease uint64) (Workload, error) {
	w, err := scanWorkload(s.db.QueryRowContext(ctx, `SELECT `+workloadCols+` FROM workloads WHERE lease_id = ?`, lease))
	if errors.Is(err, sql.ErrNoRows) {
		return w, fmt.Errorf("workload of lease %d: %w", lease, ErrNotFound)
	}
	return w, err
}

// Workloads lists every workload not yet removed, by lease id.
func (s *Store) Workloads(ctx context.Context) ([]Workload, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+workloadCols+` FROM workloads WHERE phase != ? ORDER BY lease_id`, Removed)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Workload
	for rows.Next() {
		w, err := scanWorkload(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// PutWorkload inserts or replaces a workload's record.
func (s *Store) PutWorkload(ctx context.Context, w Workload) error {
	if w.Updated.IsZero() {
		w.Updated = time.Now()
	}
	if w.FirstSeen.IsZero() {
		w.FirstSeen = w.Updated
	}
	r := w.Resources
	_, err := s.db.ExecContext(ctx, `INSERT INTO workloads (`+workloadCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(lease_id) DO UPDATE SET driver = excluded.driver, phase = excluded.phase,
			hash = excluded.hash, data = excluded.data, cpu_milli = excluded.cpu_milli,
			memory_bytes = excluded.memory_bytes, storage_bytes = excluded.storage_bytes,
			gpus = excluded.gpus, info = excluded.info, report = excluded.report,
			reported_height = excluded.reported_height, error = excluded.error,
			deployed_at = excluded.deployed_at, updated = excluded.updated`,
		w.LeaseID, w.Driver, w.Phase, w.Hash, w.Data, int64(r.CpuMilli), int64(r.MemoryBytes), int64(r.StorageBytes),
		int64(r.Gpus), w.Info, w.Report, w.ReportedHeight, w.Error, nanos(w.FirstSeen), nanos(w.DeployedAt), nanos(w.Updated))
	return err
}

// CountByPhase counts workloads per phase (tombstones included).
func (s *Store) CountByPhase(ctx context.Context) (map[Phase]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT phase, COUNT(*) FROM workloads GROUP BY phase`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[Phase]int{}
	for rows.Next() {
		var p Phase
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, err
		}
		out[p] = n
	}
	return out, rows.Err()
}

// PruneRemoved deletes tombstones last updated before t.
func (s *Store) PruneRemoved(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM workloads WHERE phase = ? AND updated < ?`, Removed, nanos(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SetBooked records the height at which a lease was booked (from its creation event).
func (s *Store) SetBooked(ctx context.Context, lease uint64, height int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO bookings (lease_id, height) VALUES (?, ?)`, lease, height)
	return err
}

// Booked returns the height at which a lease was booked, 0 if unknown.
func (s *Store) Booked(ctx context.Context, lease uint64) (int64, error) {
	var h int64
	err := s.db.QueryRowContext(ctx, `SELECT height FROM bookings WHERE lease_id = ?`, lease).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return h, err
}

// NextAt returns when a scheduled task (heartbeat, claim) is next due; zero if never set.
func (s *Store) NextAt(ctx context.Context, name string) (time.Time, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT next_at FROM schedule WHERE name = ?`, name).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return fromNanos(n), err
}

// SetNextAt records when a scheduled task is next due.
func (s *Store) SetNextAt(ctx context.Context, name string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO schedule (name, next_at) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET next_at = excluded.next_at`, name, nanos(t))
	return err
}

// Begin opens a journal entry for an action about to be taken.
func (s *Store) Begin(ctx context.Context, lease uint64, action, detail string, at time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO journal (lease_id, action, status, detail, started) VALUES (?, ?, 'open', ?, ?)`,
		lease, action, detail, nanos(at))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Finish closes a journal entry: done, or failed with the error.
func (s *Store) Finish(ctx context.Context, id int64, actErr error, at time.Time) error {
	status, detail := "done", ""
	if actErr != nil {
		status, detail = "failed", actErr.Error()
	}
	_, err := s.db.ExecContext(ctx, `UPDATE journal SET status = ?, detail = CASE WHEN ? = '' THEN detail ELSE ? END,
		finished = ? WHERE id = ?`, status, detail, detail, nanos(at), id)
	return err
}

// Interrupted marks the journal entries still open (from a run that crashed) as interrupted
// and returns them; the agent redoes their steps from the workloads' phases.
func (s *Store) Interrupted(ctx context.Context, at time.Time) ([]Action, error) {
	actions, err := s.Journal(ctx, "open", 0)
	if err != nil {
		return nil, err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE journal SET status = 'interrupted', finished = ? WHERE status = 'open'`, nanos(at))
	return actions, err
}

// Journal lists journal entries, newest first; status "" means any, limit 0 means all.
func (s *Store) Journal(ctx context.Context, status string, limit int) ([]Action, error) {
	q := `SELECT id, lease_id, action, status, detail, started, finished FROM journal`
	var args []any
	if status != "" {
		q += ` WHERE status = ?`
		args = append(args, status)
	}
	q += ` ORDER BY id DESC`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var started, finished int64
		if err := rows.Scan(&a.ID, &a.LeaseID, &a.Action, &a.Status, &a.Detail, &started, &finished); err != nil {
			return nil, err
		}
		a.Started, a.Finished = fromNanos(started), fromNanos(finished)
		out = append(out, a)
	}
	return out, rows.Err()
}
