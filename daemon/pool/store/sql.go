package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// sqlStore is the Store of both backends: they differ only in dialect and connections.
type sqlStore struct {
	d      dialect
	writer *sql.DB // one connection for SQLite; the pool for PostgreSQL
	reader *sql.DB
	mu     sync.Mutex // serialises write transactions (one writer)
	close  sync.Once
	// relax, for SQLite, is the writer connection's setting, which lets a partial batch commit
	// without waiting for the disk (its WAL frames are durable against a process crash at once,
	// against a power cut at the next synchronous commit or checkpoint); strict is set around
	// every other write (money moves commit with synchronous=FULL).
	relax, strict string
	// strictTx, for PostgreSQL, is the first statement of every write that is not a partial
	// batch: the writer connection's own setting is synchronous_commit=off (partial batches are
	// durable against a crash of the pool process at once, against a crash of the database server
	// or a power cut once the WAL writer flushed them, within a few hundred milliseconds), and
	// every other write — money moves — commits with synchronous_commit=on.
	strictTx string
	ckpt     *checkpointer // SQLite: checkpoints the WAL off the writer's path; nil for PostgreSQL
	stmtMu   sync.Mutex
	prepared map[stmtKey]*sql.Stmt // the partial batch's statements by kind and row count, under stmtMu
}

func (k Key) hex() string { return hex.EncodeToString(k[:]) }

func parseKey(s string) (Key, error) {
	var k Key
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return k, fmt.Errorf("%w: key %q", ErrInvalidRecord, s)
	}
	copy(k[:], b)
	return k, nil
}

func i64(v uint64) int64 { return int64(v) }

func (s *sqlStore) Close() error {
	var err error
	s.close.Do(func() {
		s.stmtMu.Lock()
		for _, st := range s.prepared {
			err = errors.Join(err, st.Close())
		}
		s.prepared = nil
		s.stmtMu.Unlock()
		err = errors.Join(err, s.ckpt.close(), s.writer.Close(), s.readerClose())
	})
	return err
}

func (s *sqlStore) readerClose() error {
	if s.reader == s.writer {
		return nil
	}
	return s.reader.Close()
}

// write runs fn in one write transaction, committed durably (SQLite: synchronous=FULL, set for
// this transaction only; PostgreSQL: synchronous_commit=on, set in the transaction).
func (s *sqlStore) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.strictTx != "" {
		return s.writeLocked(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, s.strictTx); err != nil {
				return fmt.Errorf("store: %w", err)
			}
			return fn(tx)
		})
	}
	if s.strict == "" {
		return s.writeLocked(ctx, fn)
	}
	if _, err := s.writer.ExecContext(ctx, s.strict); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	err := s.writeLocked(ctx, fn)
	// Back to the partial batches' setting; should this fail, the connection stays stricter.
	if _, rerr := s.writer.ExecContext(ctx, s.relax); rerr != nil && err == nil {
		err = fmt.Errorf("store: %w", rerr)
	}
	return err
}

// writeRelaxed runs fn in one write transaction at the writer connection's own setting: for
// SQLite, synchronous=NORMAL, durable against a crash of the process at once and against a
// power cut from the next checkpoint on; for PostgreSQL, synchronous_commit=off, durable against
// a crash of the process at once and against a crash of the server from the WAL writer's next
// flush on (partial batches only; the setting is the connection's, so a batch costs no extra
// statement).
func (s *sqlStore) writeRelaxed(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeLocked(ctx, fn)
}

func (s *sqlStore) writeLocked(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	s.ckpt.committed()
	return nil
}

func (s *sqlStore) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	res, err := tx.ExecContext(ctx, s.d.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", firstWords(query), err)
	}
	return res, nil
}

func firstWords(q string) string {
	if len(q) > 40 {
		return q[:40]
	}
	return q
}

const farmerCols = `launcher_id, contract_id, auth_public_key, payout_address, difficulty, points, balance, is_member,
	joined_at, pending_difficulty, pending_difficulty_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanFarmer(r scanner) (Farmer, error) {
	var (
		f                     Farmer
		lid, auth             string
		contract, diff, pts   int64
		bal, member           int64
		pend, pendAt, updated int64
	)
	if err := r.Scan(&lid, &contract, &auth, &f.PayoutAddress, &diff, &pts, &bal, &member, &f.JoinedAt, &pend, &pendAt, &updated); err != nil {
		return f, err
	}
	var err error
	if f.LauncherID, err = parseKey(lid); err != nil {
		return f, err
	}
	if f.AuthPublicKey, err = parseKey(auth); err != nil {
		return f, err
	}
	f.ContractID, f.Difficulty, f.Points, f.Balance = uint64(contract), uint64(diff), uint64(pts), uint64(bal)
	f.IsMember = member != 0
	f.PendingDifficulty, f.PendingDifficultyAt, f.UpdatedAt = uint64(pend), pendAt, updated
	return f, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (s *sqlStore) AddFarmer(ctx context.Context, f Farmer) error {
	if f.Difficulty == 0 || f.PayoutAddress == "" {
		return fmt.Errorf("%w: farmer needs a difficulty and a payout address", ErrInvalidRecord)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `INSERT INTO farmer (`+farmerCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (launcher_id) DO NOTHING`,
			f.LauncherID.hex(), i64(f.ContractID), f.AuthPublicKey.hex(), f.PayoutAddress, i64(f.Difficulty), i64(f.Points),
			i64(f.Balance), boolInt(f.IsMember), f.JoinedAt, i64(f.PendingDifficulty), f.PendingDifficultyAt, f.UpdatedAt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s", ErrFarmerExists, f.LauncherID.hex())
		}
		return nil
	})
}

func (s *sqlStore) Farmer(ctx context.Context, lid Key) (Farmer, error) {
	f, err := scanFarmer(s.reader.QueryRowContext(ctx, s.d.q(`SELECT `+farmerCols+` FROM farmer WHERE launcher_id = ?`), lid.hex()))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("%w: farmer %s", ErrNotFound, lid.hex())
	}
	return f, err
}

func (s *sqlStore) Farmers(ctx context.Context) ([]Farmer, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+farmerCols+` FROM farmer ORDER BY launcher_id`)
	if err != nil {
		return nil, fmt.Errorf("store: farmers: %w", err)
	}
	defer rows.Close()
	var out []Farmer
	for rows.Next() {
		f, err := scanFarmer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *sqlStore) UpdateFarmer(ctx context.Context, lid Key, u FarmerUpdate) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, s.d.q(`SELECT 1 FROM farmer WHERE launcher_id = ?`), lid.hex()).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: farmer %s", ErrNotFound, lid.hex())
		} else if err != nil {
			return err
		}
		set := func(col string, v any) error {
			_, err := s.exec(ctx, tx, `UPDATE farmer SET `+col+` = ? WHERE launcher_id = ?`, v, lid.hex())
			return err
		}
		var errs []error
		if u.AuthPublicKey != nil {
			errs = append(errs, set("auth_public_key", u.AuthPublicKey.hex()))
		}
		if u.PayoutAddress != nil {
			errs = append(errs, set("payout_address", *u.PayoutAddress))
		}
		if u.Difficulty != nil {
			errs = append(errs, set("difficulty", i64(*u.Difficulty)))
		}
		if u.PendingDifficulty != nil {
			errs = append(errs, set("pending_difficulty", i64(*u.PendingDifficulty)))
		}
		if u.PendingDifficultyAt != nil {
			errs = append(errs, set("pending_difficulty_at", *u.PendingDifficultyAt))
		}
		if u.UpdatedAt != nil {
			errs = append(errs, set("updated_at", *u.UpdatedAt))
		}
		if u.IsMember != nil {
			errs = append(errs, set("is_member", boolInt(*u.IsMember)))
		}
		return errors.Join(errs...)
	})
}

// partialChunk is how many partials one multi-row INSERT carries (7 parameters each, well under
// SQLite's and PostgreSQL's parameter limits): one statement per chunk instead of one per partial
// is most of what a batch costs.
const partialChunk = 128

func (s *sqlStore) RecordPartials(ctx context.Context, ps []Partial) ([]error, error) {
	results := make([]error, len(ps))
	// A (signage point, plot) twice in one batch: the second is a duplicate of the first.
	first := make(map[[2]Key]int, len(ps))
	for i, p := range ps {
		k := [2]Key{p.SPHash, p.PlotID}
		if _, ok := first[k]; ok {
			results[i] = fmt.Errorf("%w: plot %s at %s", ErrDuplicate, p.PlotID.hex(), p.SPHash.hex())
			continue
		}
		first[k] = i
	}
	// The statements are prepared before the transaction: SQLite's writer has one connection,
	// which the transaction holds. The farmers to credit are those with a partial not refused
	// yet; one whose partials all turn out recorded already gets +0.
	stmts := make([]*sql.Stmt, 0, len(ps)/partialChunk+1)
	for lo := 0; lo < len(ps); lo += partialChunk {
		n := 0
		for i := lo; i < min(lo+partialChunk, len(ps)); i++ {
			if results[i] == nil {
				n++
			}
		}
		st, err := s.stmt(ctx, stmtInsertPartials, n)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, st)
	}
	// Points and the newest difficulty per farmer, applied once per farmer per batch.
	type credit struct {
		points, difficulty uint64
	}
	credits := map[Key]*credit{}
	var order []Key
	for i, p := range ps {
		if results[i] == nil && credits[p.LauncherID] == nil {
			credits[p.LauncherID] = &credit{}
			order = append(order, p.LauncherID)
		}
	}
	creditStmts := make([]*sql.Stmt, 0, len(order)/creditChunk+1)
	for lo := 0; lo < len(order); lo += creditChunk {
		st, err := s.stmt(ctx, stmtCreditFarmers, min(creditChunk, len(order)-lo))
		if err != nil {
			return nil, err
		}
		creditStmts = append(creditStmts, st)
	}
	err := s.writeRelaxed(ctx, func(tx *sql.Tx) error {
		inserted := make([]bool, len(ps))
		for c, lo := 0, 0; lo < len(ps); c, lo = c+1, lo+partialChunk {
			if err := s.insertPartials(ctx, tx, stmts[c], ps, lo, min(lo+partialChunk, len(ps)), results, first, inserted); err != nil {
				return err
			}
		}
		for i, p := range ps {
			if results[i] != nil {
				continue
			}
			if !inserted[i] {
				results[i] = fmt.Errorf("%w: plot %s at %s", ErrDuplicate, p.PlotID.hex(), p.SPHash.hex())
				continue
			}
			c := credits[p.LauncherID]
			c.points += p.Difficulty
			if p.NewDifficulty != 0 {
				c.difficulty = p.NewDifficulty
			}
		}
		for c, lo := 0, 0; lo < len(order); c, lo = c+1, lo+creditChunk {
			chunk := order[lo:min(lo+creditChunk, len(order))]
			args := make([]any, 0, 3*len(chunk))
			for _, lid := range chunk {
				args = append(args, lid.hex(), i64(credits[lid].points), i64(credits[lid].difficulty))
			}
			res, err := tx.StmtContext(ctx, creditStmts[c]).ExecContext(ctx, args...)
			if err != nil {
				return fmt.Errorf("store: credit farmers: %w", err)
			}
			if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
				return fmt.Errorf("%w: %d of %d farmers credited", ErrNotFound, n, len(chunk))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// creditChunk is how many farmers one points UPDATE carries (3 parameters each).
const creditChunk = 256

// Kinds of prepared statement of a partial batch.
const (
	stmtInsertPartials = iota // INSERT of n partials
	stmtCreditFarmers         // UPDATE of n farmers' points and difficulty
)

type stmtKey struct{ kind, n int }

// stmt returns the prepared statement of that kind for n rows, preparing it on first use
// (parsing a many-row statement for every batch cost as much as running it); nil for none.
// Never called inside a write transaction.
func (s *sqlStore) stmt(ctx context.Context, kind, n int) (*sql.Stmt, error) {
	if n == 0 {
		return nil, nil
	}
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	k := stmtKey{kind, n}
	if st, ok := s.prepared[k]; ok {
		return st, nil
	}
	var q strings.Builder
	rows := func(row string) {
		for i := 0; i < n; i++ {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(row)
		}
	}
	switch kind {
	case stmtInsertPartials:
		// SQLite: OR IGNORE (no conflict of this insert can abort it) spares the statement
		// journal, a copy of every page the statement touches that SQLite keeps to undo a
		// statement that fails half-way; PostgreSQL: ON CONFLICT DO NOTHING (duplicates are the
		// only conflict).
		q.WriteString(`INSERT ` + s.d.insertIgnore + `INTO partial (launcher_id, sp_hash, plot_id, proof_hash, harvester_id, received_at, difficulty) VALUES `)
		rows("(?, ?, ?, ?, ?, ?, ?)")
		q.WriteString(s.d.onConflictIgnore + ` RETURNING sp_hash, plot_id`)
	case stmtCreditFarmers:
		// One UPDATE … FROM (VALUES …) for the batch's farmers instead of one UPDATE each: the
		// points added, and the new difficulty when not 0.
		q.WriteString(`UPDATE farmer SET points = farmer.points + v.column2,
			difficulty = CASE WHEN v.column3 > 0 THEN v.column3 ELSE farmer.difficulty END FROM (VALUES `)
		rows("(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT))")
		q.WriteString(`) AS v WHERE farmer.launcher_id = v.column1`)
	}
	st, err := s.writer.PrepareContext(ctx, s.d.q(q.String()))
	if err != nil {
		return nil, fmt.Errorf("store: prepare partial batch statement: %w", err)
	}
	if s.prepared == nil {
		s.prepared = map[stmtKey]*sql.Stmt{}
	}
	s.prepared[k] = st
	return st, nil
}

// insertPartials inserts ps[lo:hi] (those not already refused) in one statement and marks in
// inserted the ones the database took: the others were already recorded (duplicates).
func (s *sqlStore) insertPartials(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, ps []Partial, lo, hi int, results []error, first map[[2]Key]int, inserted []bool) error {
	args := make([]any, 0, 7*(hi-lo))
	for i := lo; i < hi; i++ {
		if results[i] != nil {
			continue
		}
		p := ps[i]
		args = append(args, p.LauncherID.hex(), p.SPHash.hex(), p.PlotID.hex(), p.ProofHash.hex(), p.HarvesterID.hex(), p.Timestamp, i64(p.Difficulty))
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := tx.StmtContext(ctx, stmt).QueryContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("store: insert partials: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sp, plot string
		if err := rows.Scan(&sp, &plot); err != nil {
			return fmt.Errorf("store: insert partials: %w", err)
		}
		spk, err1 := parseKey(sp)
		pk, err2 := parseKey(plot)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if i, ok := first[[2]Key{spk, pk}]; ok {
			inserted[i] = true
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: insert partials: %w", err)
	}
	return nil
}

func (s *sqlStore) RecentPartials(ctx context.Context, lid Key, n int) ([]Partial, error) {
	rows, err := s.reader.QueryContext(ctx, s.d.q(`SELECT sp_hash, plot_id, proof_hash, harvester_id, received_at, difficulty
		FROM partial WHERE launcher_id = ? ORDER BY received_at DESC, sp_hash DESC LIMIT ?`), lid.hex(), n)
	if err != nil {
		return nil, fmt.Errorf("store: recent partials: %w", err)
	}
	defer rows.Close()
	var out []Partial
	for rows.Next() {
		var sp, plot, proof, harv string
		p := Partial{LauncherID: lid}
		var d int64
		if err := rows.Scan(&sp, &plot, &proof, &harv, &p.Timestamp, &d); err != nil {
			return nil, err
		}
		p.Difficulty = uint64(d)
		var e1, e2, e3, e4 error
		p.SPHash, e1 = parseKey(sp)
		p.PlotID, e2 = parseKey(plot)
		p.ProofHash, e3 = parseKey(proof)
		p.HarvesterID, e4 = parseKey(harv)
		if err := errors.Join(e1, e2, e3, e4); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *sqlStore) PrunePartials(ctx context.Context, before int64) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `DELETE FROM partial WHERE received_at < ?`, before)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
