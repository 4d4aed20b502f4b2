package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/guild-network/guild/daemon/pool/payout"
)

func (s *sqlStore) AddReward(ctx context.Context, r Reward) (bool, error) {
	if r.Key == "" || r.Amount == 0 {
		return false, fmt.Errorf("%w: reward needs a key and an amount", ErrInvalidRecord)
	}
	var added bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `INSERT INTO reward (reward_key, contract_id, amount, height) VALUES (?, ?, ?, ?)
			ON CONFLICT (reward_key) DO NOTHING`, r.Key, i64(r.ContractID), i64(r.Amount), r.Height)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		added = n == 1
		return nil
	})
	return added, err
}

func (s *sqlStore) one(ctx context.Context, tx *sql.Tx, query string, args ...any) (uint64, error) {
	var v int64
	if err := tx.QueryRowContext(ctx, s.d.q(query), args...).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: %s: %w", firstWords(query), err)
	}
	return uint64(v), nil
}

func (s *sqlStore) PlanRound(ctx context.Context, plan RoundPlan) (Round, error) {
	if plan.Scheme != PPLNS && plan.Scheme != Proportional {
		return Round{}, fmt.Errorf("%w: scheme %q", ErrInvalidRecord, plan.Scheme)
	}
	var round Round
	err := s.write(ctx, func(tx *sql.Tx) error {
		unassigned, err := s.one(ctx, tx, `SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM reward WHERE round_id = 0`)
		if err != nil {
			return err
		}
		dust, err := s.one(ctx, tx, `SELECT value FROM pool_state WHERE name = 'dust'`)
		if err != nil {
			return err
		}
		if unassigned == 0 {
			return ErrNothingToPay
		}
		var q string
		var args []any
		if plan.Scheme == PPLNS {
			q = `SELECT launcher_id, CAST(SUM(difficulty) AS BIGINT) FROM partial WHERE received_at > ? GROUP BY launcher_id ORDER BY launcher_id`
			args = []any{plan.WindowStart}
		} else {
			q = `SELECT launcher_id, points FROM farmer WHERE points > 0 ORDER BY launcher_id`
		}
		rows, err := tx.QueryContext(ctx, s.d.q(q), args...)
		if err != nil {
			return fmt.Errorf("store: points: %w", err)
		}
		var shares []payout.Share
		for rows.Next() {
			var lid string
			var pts int64
			if err := rows.Scan(&lid, &pts); err != nil {
				rows.Close()
				return err
			}
			shares = append(shares, payout.Share{Farmer: lid, Points: uint64(pts)})
		}
		rows.Close()
		split, err := payout.Distribute(unassigned+dust, plan.FeeBps, shares)
		if errors.Is(err, payout.ErrNoPoints) {
			return ErrNoPoints
		} else if err != nil {
			return err
		}
		round = Round{CreatedAt: plan.Now, Scheme: plan.Scheme, FeeBps: plan.FeeBps, Total: split.Total, Fee: split.Fee, Dust: split.Dust}
		if plan.Scheme == PPLNS {
			round.WindowStart = plan.WindowStart
		}
		credit := map[string]uint64{}
		for _, c := range split.Credits {
			round.Credited += c.Amount
			credit[c.Farmer] = c.Amount
		}
		if err := tx.QueryRowContext(ctx, s.d.q(`INSERT INTO round (created_at, scheme, total, fee, credited, dust, window_start, fee_bps)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), plan.Now, string(plan.Scheme), i64(round.Total), i64(round.Fee),
			i64(round.Credited), i64(round.Dust), round.WindowStart, int64(round.FeeBps)).Scan(&round.ID); err != nil {
			return fmt.Errorf("store: insert round: %w", err)
		}
		// The points the round was split by, beside its terms: the split can be replayed.
		for _, sh := range shares {
			if sh.Points == 0 {
				continue
			}
			lid, err := parseKey(sh.Farmer)
			if err != nil {
				return err
			}
			round.Shares = append(round.Shares, RoundShare{LauncherID: lid, Points: sh.Points, Credit: credit[sh.Farmer]})
			if _, err := s.exec(ctx, tx, `INSERT INTO round_share (round_id, launcher_id, points, credit) VALUES (?, ?, ?, ?)`,
				i64(round.ID), sh.Farmer, i64(sh.Points), i64(credit[sh.Farmer])); err != nil {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, `UPDATE reward SET round_id = ? WHERE round_id = 0`, i64(round.ID)); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `UPDATE pool_state SET value = ? WHERE name = 'dust'`, i64(split.Dust)); err != nil {
			return err
		}
		for _, c := range split.Credits {
			if _, err := s.exec(ctx, tx, `UPDATE farmer SET balance = balance + ? WHERE launcher_id = ?`, i64(c.Amount), c.Farmer); err != nil {
				return err
			}
		}
		// The round credits points; the points since the last round start again from zero.
		if _, err := s.exec(ctx, tx, `UPDATE farmer SET points = 0 WHERE points > 0`); err != nil {
			return err
		}
		return s.planPayouts(ctx, tx, plan, &round)
	})
	return round, err
}

// planPayouts moves every balance at or above the minimum into planned payout batches.
func (s *sqlStore) planPayouts(ctx context.Context, tx *sql.Tx, plan RoundPlan, round *Round) error {
	min := max(plan.MinPayout, 1)
	rows, err := tx.QueryContext(ctx, s.d.q(`SELECT launcher_id, payout_address, balance FROM farmer WHERE balance >= ? ORDER BY launcher_id`), i64(min))
	if err != nil {
		return fmt.Errorf("store: balances: %w", err)
	}
	type due struct {
		lid, addr string
		amount    int64
	}
	var dues []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.lid, &d.addr, &d.amount); err != nil {
			rows.Close()
			return err
		}
		dues = append(dues, d)
	}
	rows.Close()
	for _, b := range payout.Batches(len(dues), plan.PayoutsPerTx) {
		var batchID uint64
		if err := tx.QueryRowContext(ctx, s.d.q(`INSERT INTO payout_batch (state, created_at) VALUES (?, ?) RETURNING id`),
			int(Planned), plan.Now).Scan(&batchID); err != nil {
			return fmt.Errorf("store: insert batch: %w", err)
		}
		round.Batches = append(round.Batches, batchID)
		for _, d := range dues[b[0]:b[1]] {
			if _, err := s.exec(ctx, tx, `INSERT INTO payout (batch_id, round_id, launcher_id, address, amount, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				i64(batchID), i64(round.ID), d.lid, d.addr, d.amount, plan.Now); err != nil {
				return err
			}
			if _, err := s.exec(ctx, tx, `UPDATE farmer SET balance = balance - ? WHERE launcher_id = ?`, d.amount, d.lid); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *sqlStore) Rounds(ctx context.Context, n int) ([]Round, error) {
	rows, err := s.reader.QueryContext(ctx, s.d.q(`SELECT id, created_at, scheme, window_start, fee_bps, total, fee, credited, dust
		FROM round ORDER BY id DESC LIMIT ?`), n)
	if err != nil {
		return nil, fmt.Errorf("store: rounds: %w", err)
	}
	var out []Round
	for rows.Next() {
		var r Round
		var scheme string
		var feeBps int64
		if err := rows.Scan(&r.ID, &r.CreatedAt, &scheme, &r.WindowStart, &feeBps, &r.Total, &r.Fee, &r.Credited, &r.Dust); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: rounds: %w", err)
		}
		r.Scheme, r.FeeBps = Scheme(scheme), uint32(feeBps)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: rounds: %w", err)
	}
	for i := range out {
		if out[i].Shares, err = s.roundShares(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *sqlStore) roundShares(ctx context.Context, id uint64) ([]RoundShare, error) {
	rows, err := s.reader.QueryContext(ctx, s.d.q(`SELECT launcher_id, points, credit FROM round_share WHERE round_id = ? ORDER BY launcher_id`), i64(id))
	if err != nil {
		return nil, fmt.Errorf("store: round %d shares: %w", id, err)
	}
	defer rows.Close()
	var out []RoundShare
	for rows.Next() {
		var lid string
		var sh RoundShare
		if err := rows.Scan(&lid, &sh.Points, &sh.Credit); err != nil {
			return nil, fmt.Errorf("store: round %d shares: %w", id, err)
		}
		if sh.LauncherID, err = parseKey(lid); err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

const batchCols = `id, state, tx_hash, tx_bytes, timeout_height, confirmed_height, attempts, created_at`

func (s *sqlStore) OpenBatches(ctx context.Context) ([]Batch, error) {
	rows, err := s.reader.QueryContext(ctx, s.d.q(`SELECT `+batchCols+` FROM payout_batch WHERE state <> ? ORDER BY id`), int(Confirmed))
	if err != nil {
		return nil, fmt.Errorf("store: open batches: %w", err)
	}
	var out []Batch
	for rows.Next() {
		var b Batch
		var txb string
		if err := rows.Scan(&b.ID, &b.State, &b.TxHash, &txb, &b.TimeoutHeight, &b.ConfirmedHeight, &b.Attempts, &b.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		if b.TxBytes, err = hex.DecodeString(txb); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%w: batch %d tx bytes", ErrInvalidRecord, b.ID)
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Payouts, err = s.payouts(ctx, `batch_id = ?`, i64(out[i].ID), 1<<30); err != nil {
			return nil, err
		}
		for j := range out[i].Payouts {
			out[i].Payouts[j].State, out[i].Payouts[j].TxHash = out[i].State, out[i].TxHash
		}
	}
	return out, nil
}

func (s *sqlStore) payouts(ctx context.Context, where string, arg any, n int) ([]Payout, error) {
	rows, err := s.reader.QueryContext(ctx, s.d.q(`SELECT p.id, p.batch_id, p.round_id, p.launcher_id, p.address, p.amount, p.created_at, b.state, b.tx_hash
		FROM payout p JOIN payout_batch b ON b.id = p.batch_id WHERE p.`+where+` ORDER BY p.id DESC LIMIT ?`), arg, n)
	if err != nil {
		return nil, fmt.Errorf("store: payouts: %w", err)
	}
	defer rows.Close()
	var out []Payout
	for rows.Next() {
		var p Payout
		var lid string
		if err := rows.Scan(&p.ID, &p.BatchID, &p.RoundID, &lid, &p.Address, &p.Amount, &p.CreatedAt, &p.State, &p.TxHash); err != nil {
			return nil, err
		}
		if p.LauncherID, err = parseKey(lid); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *sqlStore) FarmerPayouts(ctx context.Context, lid Key, n int) ([]Payout, error) {
	return s.payouts(ctx, `launcher_id = ?`, lid.hex(), n)
}

// transition moves a batch from one state to another, checking where it stands.
func (s *sqlStore) transition(ctx context.Context, id uint64, from BatchState, wantHash string, set string, args ...any) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var state BatchState
		var hash string
		err := tx.QueryRowContext(ctx, s.d.q(`SELECT state, tx_hash FROM payout_batch WHERE id = ?`), i64(id)).Scan(&state, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: payout batch %d", ErrNotFound, id)
		} else if err != nil {
			return err
		}
		if state != from || (wantHash != "" && hash != wantHash) {
			return fmt.Errorf("%w: batch %d is %s with tx %q, want %s with tx %q", ErrInvalidState, id, state, hash, from, wantHash)
		}
		_, err = s.exec(ctx, tx, `UPDATE payout_batch SET `+set+` WHERE id = ?`, append(args, i64(id))...)
		return err
	})
}

func (s *sqlStore) MarkBroadcast(ctx context.Context, id uint64, txHash string, txBytes []byte, timeoutHeight int64) error {
	if txHash == "" {
		return fmt.Errorf("%w: empty tx hash", ErrInvalidRecord)
	}
	return s.transition(ctx, id, Planned, "", `state = ?, tx_hash = ?, tx_bytes = ?, timeout_height = ?, attempts = attempts + 1`,
		int(Broadcast), txHash, hex.EncodeToString(txBytes), timeoutHeight)
}

func (s *sqlStore) MarkConfirmed(ctx context.Context, id uint64, txHash string, height int64) error {
	return s.transition(ctx, id, Broadcast, txHash, `state = ?, confirmed_height = ?, tx_bytes = ''`, int(Confirmed), height)
}

func (s *sqlStore) ResetBatch(ctx context.Context, id uint64, txHash string) error {
	return s.transition(ctx, id, Broadcast, txHash, `state = ?, tx_hash = '', tx_bytes = '', timeout_height = 0`, int(Planned))
}

func (s *sqlStore) Ledger(ctx context.Context) (Ledger, error) {
	var l Ledger
	var vals [7]int64
	err := s.reader.QueryRowContext(ctx, s.d.q(`SELECT
		(SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM reward),
		(SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM reward WHERE round_id = 0),
		(SELECT CAST(COALESCE(SUM(fee), 0) AS BIGINT) FROM round),
		(SELECT value FROM pool_state WHERE name = 'dust'),
		(SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM farmer),
		(SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM payout p JOIN payout_batch b ON b.id = p.batch_id WHERE b.state <> ?),
		(SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM payout p JOIN payout_batch b ON b.id = p.batch_id WHERE b.state = ?)`),
		int(Confirmed), int(Confirmed)).Scan(&vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &vals[5], &vals[6])
	if err != nil {
		return l, fmt.Errorf("store: ledger: %w", err)
	}
	l = Ledger{Rewards: uint64(vals[0]), Unassigned: uint64(vals[1]), Fees: uint64(vals[2]), Dust: uint64(vals[3]),
		Balances: uint64(vals[4]), InFlight: uint64(vals[5]), Paid: uint64(vals[6])}
	return l, nil
}

func (s *sqlStore) State(ctx context.Context, name string) (int64, error) {
	var v int64
	err := s.reader.QueryRowContext(ctx, s.d.q(`SELECT value FROM pool_state WHERE name = ?`), "s:"+name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: state %s: %w", name, err)
	}
	return v, nil
}

func (s *sqlStore) SetState(ctx context.Context, name string, v int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO pool_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, "s:"+name, v)
		return err
	})
}
