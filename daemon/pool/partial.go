package pool

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/guild-network/guild/daemon/pool/difficulty"
	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// write is one verified partial waiting for the writer.
type write struct {
	rec  store.Partial
	done chan error
	at   time.Time // when it was handed to the writer
}

// writerStats are the writer's occupancy counters (the load benchmark reports them): time spent
// committing batches, batches, partials, and the partials' summed wait from hand-over to answer.
type writerStats struct {
	busyNs, commits, partials, waitNs, maxNs atomic.Int64
}

// errStopping is returned to partials that arrive while the server stops.
var errStopping = errors.New("pool server is stopping")

// handlePartial is POST /partial. It never sleeps and never asks the node: the signage point
// comes from the cache, the farmer from memory, and the only wait is the group commit that
// makes the partial durable before the farmer is told it counts.
func (s *Server) handlePartial(w http.ResponseWriter, r *http.Request) error {
	start := s.clock.Now()
	// The body is read before the gate: a slow client holds no CPU slot while it sends.
	body, err := protocol.ReadBody(r.Body, s.cfg.Limits.MaxBodyBytes)
	if err != nil {
		return err
	}
	if err := s.enter(r.Context()); err != nil {
		return err
	}
	req, err := protocol.DecodePartialBody(body)
	s.leave()
	if err != nil {
		return err
	}
	p := &req.Payload
	lid := store.Key(p.LauncherID)
	if !s.launcherLimit.allow(p.LauncherID.Hex(), start) {
		s.metrics.RateLimited.WithLabelValues("launcher").Inc()
		return errRateLimited
	}
	resp, err := s.processPartial(r.Context(), req, start)
	if err != nil {
		if e, ok := s.farmers.peek(lid); ok {
			e.fail(start, int(protocol.Code(err)), err.Error())
		}
		return err
	}
	s.metrics.PartialSeconds.Observe(s.clock.Now().Sub(start).Seconds())
	return writeJSON(w, resp)
}

// enter takes one of the partial path's CPU slots (as many as the Go scheduler's processors):
// decoding and proof checks run at most that many at once, and the partials beyond them wait
// here, not in the scheduler's run queue. There, dozens of runnable handlers delayed the store
// writer and the signature verifier each time they gave up their processor (a syscall, a channel
// wait), and every partial in flight waited for those two serial stages.
func (s *Server) enter(ctx context.Context) error {
	select {
	case s.cpu <- struct{}{}:
		return nil
	case <-ctx.Done():
		return protocol.Errorf(protocol.RequestFailed, "request cancelled: %v", ctx.Err())
	}
}

// leave gives back the slot enter took.
func (s *Server) leave() { <-s.cpu }

func (s *Server) processPartial(ctx context.Context, req *protocol.PostPartialRequest, now time.Time) (*protocol.PostPartialResponse, error) {
	p := &req.Payload
	lid := store.Key(p.LauncherID)
	if err := protocol.CheckAuthToken(p.AuthenticationToken, now, s.cfg.Pool.AuthTokenTimeout); err != nil {
		return nil, err
	}
	e, err := s.farmers.get(ctx, lid)
	if errors.Is(err, store.ErrNotFound) {
		return nil, protocol.Errorf(protocol.FarmerNotKnown, "farmer with launcher_id %s is not known to this pool", p.LauncherID)
	} else if err != nil {
		return nil, protocol.Errorf(protocol.ServerException, "loading farmer: %v", err)
	}
	if err := s.applyPendingDifficulty(ctx, e, now); err != nil {
		return nil, err
	}
	e.mu.Lock()
	authKey, member, diff, contractID := e.rec.AuthPublicKey, e.rec.IsMember, e.rec.Difficulty, e.rec.ContractID
	e.mu.Unlock()
	if !member {
		return nil, protocol.Errorf(protocol.InvalidSingleton, "pool contract %s is not a member of this pool", p.LauncherID)
	}
	if err := s.sigs.VerifyPartial(p, protocol.Bytes32(authKey), req.AggregateSignature); err != nil {
		return nil, err
	}
	rec, next, err := s.checkProof(ctx, e, req, now, diff, contractID)
	if err != nil {
		return nil, err
	}
	if err := s.record(ctx, rec); err != nil {
		s.farmers.invalidate(lid)
		if errors.Is(err, store.ErrDuplicate) {
			return nil, protocol.Errorf(protocol.InvalidProof, "duplicate partial: %v", err)
		}
		s.sps.release(rec.SPHash, rec.PlotID)
		return nil, protocol.Errorf(protocol.ServerException, "recording partial: %v", err)
	}
	s.metrics.Points.Add(float64(rec.Difficulty))
	return &protocol.PostPartialResponse{NewDifficulty: next}, nil
}

// checkProof checks the proof of a partial whose signatures verified, claims its (signage point,
// plot) and moves the farmer's points and difficulty in memory; it returns the partial to record
// and the farmer's next difficulty. diff and contractID are the farmer's when the partial came
// in. It runs in a CPU slot.
func (s *Server) checkProof(ctx context.Context, e *farmerEntry, req *protocol.PostPartialRequest, now time.Time, diff, contractID uint64) (store.Partial, uint64, error) {
	if err := s.enter(ctx); err != nil {
		return store.Partial{}, 0, err
	}
	defer s.leave()
	p := &req.Payload
	pos := &p.ProofOfSpace
	lid := store.Key(p.LauncherID)
	if pos.PoolContractPuzzleHash != p.LauncherID {
		return store.Partial{}, 0, protocol.Errorf(protocol.InvalidP2SingletonPuzzleHash,
			"the proof farms to pool contract %s, not to the farmer's %s", pos.PoolContractPuzzleHash, p.LauncherID)
	}
	if p.EndOfSubSlot {
		return store.Partial{}, 0, protocol.Errorf(protocol.NotFound, "Guild has no end-of-sub-slot signage points")
	}
	sp, received, ok := s.sps.get(p.SPHash)
	if !ok {
		return store.Partial{}, 0, protocol.Errorf(protocol.NotFound, "signage point %s is not known (recent ones only)", p.SPHash)
	}
	if late := now.Sub(received); late > s.cfg.Pool.PartialTimeLimit.D() {
		return store.Partial{}, 0, protocol.Errorf(protocol.TooLate, "partial arrived %s after its signage point (limit %s)", late.Round(time.Millisecond), s.cfg.Pool.PartialTimeLimit.D())
	}
	if want := farmingtypes.PoolContractKey(contractID); want != [32]byte(p.LauncherID) {
		return store.Partial{}, 0, protocol.Errorf(protocol.InvalidP2SingletonPuzzleHash, "launcher_id %s is not pool contract %d's key", p.LauncherID, contractID)
	}
	ev, err := farmingtypes.EvaluateProof(s.params, contractID, pos.PlotPublicKey[:], uint32(pos.Size), pos.Proof, sp.Hash, diff)
	if err != nil {
		return store.Partial{}, 0, protocol.Errorf(protocol.InvalidProof, "%v", err)
	}
	plotID := ev.PlotID
	if farmingtypes.ProofChallenge(plotID, sp.Hash) != pos.Challenge {
		return store.Partial{}, 0, protocol.Errorf(protocol.InvalidProof, "the proof's challenge is not the plot's challenge for this signage point")
	}
	if ev.RequiredIters >= s.params.SpIntervalIters {
		return store.Partial{}, 0, protocol.Errorf(protocol.ProofNotGoodEnough, "required iterations %d are not below %d at difficulty %d", ev.RequiredIters, s.params.SpIntervalIters, diff)
	}
	if !s.sps.claim(sp.Hash, store.Key(plotID)) {
		return store.Partial{}, 0, protocol.Errorf(protocol.InvalidProof, "duplicate partial: plot %s already sent a partial for signage point %s", plotID, p.SPHash)
	}

	// Points are the difficulty the proof was checked at; the difficulty may move after it.
	e.mu.Lock()
	e.push(difficulty.Partial{Timestamp: now.Unix(), Difficulty: diff}, s.cfg.Pool.DifficultyCount)
	next := difficulty.Next(e.recent, e.rec.Difficulty, now.Unix(), s.cfg.Pool.MinDifficulty, s.difficultyTarget())
	rec := store.Partial{LauncherID: lid, SPHash: store.Key(sp.Hash), PlotID: store.Key(plotID),
		ProofHash: sha256.Sum256(pos.Proof), HarvesterID: store.Key(p.HarvesterID), Timestamp: now.Unix(), Difficulty: diff}
	if next != e.rec.Difficulty {
		rec.NewDifficulty = next
		e.rec.Difficulty = next
	}
	e.rec.Points += diff
	e.mu.Unlock()

	return rec, next, nil
}

// record hands a partial to the writer and waits until it is committed.
func (s *Server) record(ctx context.Context, rec store.Partial) error {
	w := &write{rec: rec, done: make(chan error, 1), at: time.Now()}
	select {
	case s.writes <- w:
	case <-s.writerDone:
		return errStopping
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-w.done:
		return err
	case <-s.writerDone:
		return errStopping
	}
}

// writeLoop is the one writer of partials: it takes every partial waiting (up to the batch
// limit), commits them in one transaction and answers each. It never waits for a batch to fill,
// so a lone partial is committed at once and a burst shares one commit.
func (s *Server) writeLoop(stop <-chan struct{}) error {
	defer close(s.writerDone)
	batch := make([]*write, 0, s.cfg.Limits.MaxWriteBatch)
	for {
		batch = batch[:0]
		select {
		case w := <-s.writes:
			batch = append(batch, w)
		case <-stop:
			return nil
		}
		// Under load, the partials that are already runnable (just past their proof check) join
		// this commit rather than the next: a yield, not a wait, at most twice, and only while
		// the queue grows. Each commit has a fixed cost (the transaction, the farmers' rows, the
		// WAL's shared pages) that a bigger batch shares.
		for yields, queued := 0, len(s.writes); yields < 2 && queued > 0; yields++ {
			runtime.Gosched()
			if n := len(s.writes); n > queued {
				queued = n
			} else {
				break
			}
		}
	fill:
		for len(batch) < s.cfg.Limits.MaxWriteBatch {
			select {
			case w := <-s.writes:
				batch = append(batch, w)
			default:
				break fill
			}
		}
		t0 := time.Now()
		recs := make([]store.Partial, len(batch))
		for i, w := range batch {
			recs[i] = w.rec
		}
		res, err := s.store.RecordPartials(context.Background(), recs)
		s.metrics.WriteBatch.Observe(float64(len(batch)))
		for i, w := range batch {
			switch {
			case err != nil:
				w.done <- fmt.Errorf("store: %w", err)
			default:
				w.done <- res[i]
			}
		}
		t1 := time.Now()
		s.wstats.busyNs.Add(int64(t1.Sub(t0)))
		if d := int64(t1.Sub(t0)); d > s.wstats.maxNs.Load() {
			s.wstats.maxNs.Store(d) // only the writer stores
		}
		s.wstats.commits.Add(1)
		s.wstats.partials.Add(int64(len(batch)))
		for _, w := range batch {
			s.wstats.waitNs.Add(int64(t1.Sub(w.at)))
		}
		if err != nil {
			s.log.Error("recording partials", logKeyErr, err, logKeyCount, len(batch))
		}
	}
}

func (s *Server) difficultyTarget() difficulty.Target {
	return difficulty.Target{Count: s.cfg.Pool.DifficultyCount, Seconds: int64(s.cfg.Pool.DifficultyTime.D() / time.Second)}
}

// applyPendingDifficulty applies a suggested difficulty whose cooldown has passed.
func (s *Server) applyPendingDifficulty(ctx context.Context, e *farmerEntry, now time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.rec.PendingDifficulty == 0 || now.Unix() < e.rec.PendingDifficultyAt {
		return nil
	}
	d, zero, zeroAt := e.rec.PendingDifficulty, uint64(0), int64(0)
	if err := s.store.UpdateFarmer(ctx, e.rec.LauncherID, store.FarmerUpdate{Difficulty: &d, PendingDifficulty: &zero, PendingDifficultyAt: &zeroAt}); err != nil {
		return protocol.Errorf(protocol.ServerException, "applying suggested difficulty: %v", err)
	}
	e.rec.Difficulty, e.rec.PendingDifficulty, e.rec.PendingDifficultyAt = d, 0, 0
	return nil
}
