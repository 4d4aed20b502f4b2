package pool

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/pospace"
)

// Log keys, constant across the server's logs.
const (
	logKeyErr      = "err"
	logKeyCount    = "count"
	logKeyLauncher = "launcher_id"
	logKeyBatch    = "batch"
	logKeyTx       = "tx"
	logKeyStep     = "step"
	logKeyAddr     = "addr"
	logKeyRound    = "round"
	logKeyHeight   = "height"
)

// errRateLimited is answered with HTTP 429.
var errRateLimited = protocol.Errorf(protocol.RequestFailed, "rate limit exceeded: slow down")

// Server is the pool server. New validates and opens; Run serves until its context ends; Close
// releases the store.
type Server struct {
	cfg     Config
	log     *slog.Logger
	clock   Clock
	chain   Chain
	store   store.Store
	metrics *Metrics
	reg     *prometheus.Registry
	iters   pospace.IterationConstants

	sps           *spCache
	farmers       *farmerCache
	ipLimit       *limiter
	launcherLimit *limiter

	writes     chan *write
	writerDone chan struct{}

	mu         sync.Mutex
	listener   net.Listener
	lastRound  time.Time
	loopsAt    map[string]time.Time
	absorbFrom int64
	halted     string
	closeOnce  sync.Once
}

// Options are the server's collaborators.
type Options struct {
	Chain  Chain
	Store  store.Store // nil: open Config.Store.URL
	Clock  Clock       // nil: the wall clock
	Logger *slog.Logger
}

// New validates the configuration and opens the store.
func New(ctx context.Context, cfg Config, opts Options) (*Server, error) {
	if err := cfg.ValidateBasic(); err != nil {
		return nil, err
	}
	if opts.Chain == nil {
		return nil, errors.New("pool: a chain is required")
	}
	ic, _ := cfg.Proof.IterationConstants()
	st := opts.Store
	if st == nil {
		var err error
		if st, err = store.Open(ctx, cfg.Store.URL); err != nil {
			return nil, err
		}
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	reg := prometheus.NewRegistry()
	s := &Server{
		cfg: cfg, log: opts.Logger, clock: opts.Clock, chain: opts.Chain, store: st,
		metrics: NewMetrics(reg), reg: reg, iters: ic,
		sps:           newSPCache(cfg.Proof.SignagePoints),
		farmers:       newFarmerCache(st, cfg.Pool.DifficultyCount),
		ipLimit:       newLimiter(cfg.Limits.PerIPPerMinute, cfg.Limits.PerIPBurst),
		launcherLimit: newLimiter(cfg.Limits.PerLauncherPerMinute, cfg.Limits.PerLauncherBurst),
		writes:        make(chan *write, 4*cfg.Limits.MaxWriteBatch),
		writerDone:    make(chan struct{}),
		loopsAt:       map[string]time.Time{},
	}
	if v, err := st.State(ctx, stateAbsorbCursor); err == nil {
		s.absorbFrom = v
	} else {
		return nil, err
	}
	return s, nil
}

// Handler returns the HTTP handler of every route.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	route := func(pattern, name string, h func(http.ResponseWriter, *http.Request) error) {
		mux.HandleFunc(pattern, s.wrap(name, h))
	}
	route("GET /pool_info", "pool_info", s.handlePoolInfo)
	route("POST /farmer", "post_farmer", s.handlePostFarmer)
	route("PUT /farmer", "put_farmer", s.handlePutFarmer)
	route("GET /farmer", "get_farmer", s.handleGetFarmer)
	route("POST /partial", "partial", s.handlePartial)
	route("GET /login", "login", s.handleLogin)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	return mux
}

// wrap applies the per-IP limit and the body limit and turns a handler's error into
// pool-reference's error object.
func (s *Server) wrap(route string, h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		if !s.ipLimit.allow(ip, s.clock.Now()) {
			s.metrics.RateLimited.WithLabelValues("ip").Inc()
			s.fail(w, route, errRateLimited)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxBodyBytes)
		if err := h(w, r); err != nil {
			s.fail(w, route, err)
			return
		}
		s.metrics.Requests.WithLabelValues(route, "ok").Inc()
		if route == "partial" {
			s.metrics.Partials.WithLabelValues("ok").Inc()
		}
	}
}

func (s *Server) fail(w http.ResponseWriter, route string, err error) {
	var pe *protocol.Error
	if !errors.As(err, &pe) {
		pe = protocol.Errorf(protocol.ServerException, "%v", err)
	}
	status := http.StatusOK // pool-reference answers protocol errors with 200 and the error object
	switch {
	case errors.Is(err, errRateLimited):
		status = http.StatusTooManyRequests
	case errors.Is(err, protocol.ErrBodyTooLarge):
		status = http.StatusRequestEntityTooLarge
	case pe.Code == protocol.RequestFailed && strings.HasPrefix(pe.Message, "malformed JSON"):
		status = http.StatusBadRequest
	case pe.Code == protocol.ServerException:
		status = http.StatusInternalServerError
		s.log.Error("request failed", "route", route, logKeyErr, err)
	}
	s.metrics.Requests.WithLabelValues(route, pe.Code.String()).Inc()
	if route == "partial" {
		s.metrics.Partials.WithLabelValues(pe.Code.String()).Inc()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(pe)
}

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}

func (s *Server) handlePoolInfo(w http.ResponseWriter, _ *http.Request) error {
	c := s.cfg.Pool
	return writeJSON(w, protocol.PoolInfo{
		Name: c.Name, LogoURL: c.LogoURL, MinimumDifficulty: c.MinDifficulty, RelativeLockHeight: c.RelativeLock,
		ProtocolVersion: protocol.ProtocolVersion, Fee: bpsDecimal(c.FeeBps), Description: c.Description,
		TargetPuzzleHash: c.Address, AuthenticationTokenTimeout: c.AuthTokenTimeout,
	})
}

// bpsDecimal writes basis points as a decimal fraction: 100 → "0.01".
func bpsDecimal(bps uint32) string {
	s := fmt.Sprintf("%d.%04d", bps/10_000, bps%10_000)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Health is what /healthz reports.
type Health struct {
	OK              bool      `json:"ok"`
	SignagePoint    uint64    `json:"signage_point_height"`
	SignagePointAge string    `json:"signage_point_age"`
	Loops           []string  `json:"stale_loops,omitempty"`
	Halted          string    `json:"halted_at,omitempty"`
	Time            time.Time `json:"time"`
}

// health fails when no signage point arrived for 30 signage-point intervals (the subscription
// is stuck) or a loop has not completed for three of its intervals.
func (s *Server) health() Health {
	now := s.clock.Now()
	sp, at := s.sps.head()
	h := Health{OK: true, SignagePoint: sp.Height, Time: now}
	if at.IsZero() || now.Sub(at) > 30*s.cfg.Proof.SPInterval.D() {
		h.OK = false
	}
	if !at.IsZero() {
		h.SignagePointAge = now.Sub(at).Round(time.Millisecond).String()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, every := range map[string]time.Duration{"payout": s.cfg.Payout.Interval.D(), "absorb": s.cfg.Payout.AbsorbInterval.D(),
		"membership": s.cfg.Payout.AbsorbInterval.D()} {
		if last, ok := s.loopsAt[name]; ok && now.Sub(last) > 3*every+time.Minute {
			h.OK = false
			h.Loops = append(h.Loops, name)
		}
	}
	h.Halted = s.halted
	return h
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	h := s.health()
	w.Header().Set("Content-Type", "application/json")
	if !h.OK {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(h)
}

// Addr returns the listener's address once Run has started listening.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return ""
	}
	return s.listener.Addr().String()
}

// Listen opens the listener (Run does it when it was not done before).
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener != nil {
		return nil
	}
	l, err := net.Listen("tcp", s.cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("pool: listening on %s: %w", s.cfg.Server.Listen, err)
	}
	s.listener = l
	return nil
}

// Run serves the pool protocol and runs the loops (signage point subscription, membership,
// absorb, payouts, pruning) until ctx ends, then shuts down gracefully: in-flight requests finish
// and their partials are committed before the writer stops. It returns the first error.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	srv := &http.Server{Handler: s.Handler(), ReadTimeout: s.cfg.Server.ReadTimeout.D(),
		WriteTimeout: s.cfg.Server.WriteTimeout.D(), ReadHeaderTimeout: s.cfg.Server.ReadTimeout.D(),
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	stopWriter := make(chan struct{})
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.writeLoop(stopWriter) })
	g.Go(func() error {
		var err error
		if s.cfg.Server.TLSCert != "" {
			err = srv.ServeTLS(s.listener, s.cfg.Server.TLSCert, s.cfg.Server.TLSKey)
		} else {
			err = srv.Serve(s.listener)
		}
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), s.cfg.Server.ShutdownTimeout.D())
		defer cancel()
		err := srv.Shutdown(sctx)
		close(stopWriter)
		return err
	})
	g.Go(func() error { return s.subscribeLoop(gctx) })
	g.Go(func() error { return s.every(gctx, "membership", s.cfg.Payout.AbsorbInterval.D(), s.MembershipStep) })
	g.Go(func() error { return s.every(gctx, "absorb", s.cfg.Payout.AbsorbInterval.D(), s.AbsorbStep) })
	g.Go(func() error { return s.every(gctx, "payout", s.cfg.Payout.Interval.D(), s.PayoutStep) })
	g.Go(func() error { return s.every(gctx, "prune", time.Hour, s.PruneStep) })
	s.log.Info("pool server listening", logKeyAddr, s.Addr())
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// Close releases the store. It is idempotent.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() { err = s.store.Close() })
	return err
}
