package pool

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/internal/clock"
	"github.com/guild-network/guild/internal/daemonkit"
	"github.com/guild-network/guild/pospace"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
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

// keyCacheSize bounds the expanded public keys the partial path keeps (two generations of this
// many, about 1.5 KiB each): enough for every plot and authentication key of a busy pool.
const keyCacheSize = 16384

// errRateLimited is answered with HTTP 429.
var errRateLimited = protocol.Errorf(protocol.RequestFailed, "rate limit exceeded: slow down")

// Server is the pool server. New validates and opens; Run serves until its context ends; Close
// releases the store.
type Server struct {
	cfg     Config
	log     *slog.Logger
	clock   clock.Clock
	health  *daemonkit.Health
	chain   Chain
	store   store.Store
	metrics *Metrics
	reg     *prometheus.Registry
	params  farmingtypes.Params
	iters   pospace.IterationConstants

	sps           *spCache
	keys          *protocol.KeyCache        // expanded plot and authentication keys
	sigs          *protocol.PartialVerifier // partials' signatures, batched across requests
	farmers       *farmerCache
	ipLimit       *limiter
	launcherLimit *limiter

	writes     chan *write
	writerDone chan struct{}
	wstats     writerStats
	cpu        chan struct{} // the partial path's CPU slots (see enter)

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
	Clock  clock.Clock // nil: the wall clock
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
	params := cfg.Proof.Params()
	if ps, ok := opts.Chain.(ParamsSource); ok {
		p, err := ps.FarmingParams(ctx)
		if err != nil {
			return nil, fmt.Errorf("pool: reading farming params: %w", err)
		}
		params = p
	}
	st := opts.Store
	if st == nil {
		var err error
		if st, err = store.Open(ctx, cfg.Store.URL); err != nil {
			return nil, err
		}
	}
	opts.Clock = clock.OrReal(opts.Clock)
	if opts.Logger == nil {
		opts.Logger = daemonkit.Discard()
	}
	reg := daemonkit.NewRegistry()
	s := &Server{
		cfg: cfg, log: opts.Logger, clock: opts.Clock, chain: opts.Chain, store: st,
		metrics: NewMetrics(reg), reg: reg, params: params, iters: params.IterationConstants(),
		sps:           newSPCache(cfg.Proof.SignagePoints),
		keys:          protocol.NewKeyCache(keyCacheSize),
		farmers:       newFarmerCache(st, cfg.Pool.DifficultyCount),
		ipLimit:       newLimiter(cfg.Limits.PerIPPerMinute, cfg.Limits.PerIPBurst),
		launcherLimit: newLimiter(cfg.Limits.PerLauncherPerMinute, cfg.Limits.PerLauncherBurst),
		writes:        make(chan *write, 4*cfg.Limits.MaxWriteBatch),
		writerDone:    make(chan struct{}),
		cpu:           make(chan struct{}, runtime.GOMAXPROCS(0)),
		health:        daemonkit.NewHealth(opts.Clock),
	}
	s.sigs = protocol.NewPartialVerifier(s.keys)
	s.health.Check("signage_points", s.checkSignagePoints)
	s.health.Info(s.healthInfo)
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
	route("GET /payouts", "payouts", s.handleRounds)
	mux.Handle("GET /healthz", s.health)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	return mux
}

// wrap applies the per-IP limit and the body limit and turns a handler's error into
// pool-reference's error object.
func (s *Server) wrap(route string, h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	// The success counters are looked up once, not per request (a label lookup hashes strings).
	okRequests := s.metrics.Requests.WithLabelValues(route, "ok")
	okPartials := s.metrics.Partials.WithLabelValues("ok")
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
		// One byte more than the limit, so that the decoder sees an oversized body as such.
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxBodyBytes+1)
		if err := h(w, r); err != nil {
			s.fail(w, route, err)
			return
		}
		okRequests.Inc()
		if route == "partial" {
			okPartials.Inc()
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

// checkSignagePoints fails when no signage point arrived for 30 signage-point intervals: the
// subscription is stuck and every partial would be refused as not found.
func (s *Server) checkSignagePoints(context.Context) error {
	_, at := s.sps.head()
	if at.IsZero() {
		return errors.New("no signage point received yet")
	}
	if age := s.clock.Since(at); age > 30*s.cfg.Proof.SPInterval.D() {
		return fmt.Errorf("last signage point %s ago", age.Round(time.Second))
	}
	return nil
}

// HealthInfo is the server's own state in /healthz.
type HealthInfo struct {
	SignagePointHeight uint64 `json:"signage_point_height"`
	HaltedAt           string `json:"halted_at,omitempty"` // the stop_at test hook's step, once reached
}

func (s *Server) healthInfo() any {
	sp, _ := s.sps.head()
	s.mu.Lock()
	defer s.mu.Unlock()
	return HealthInfo{SignagePointHeight: sp.Height, HaltedAt: s.halted}
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
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	stopWriter := make(chan struct{})
	loop := func(name string, every time.Duration, step func(context.Context) error) daemonkit.Func {
		l := s.health.Loop(name, 3*every+time.Minute)
		return daemonkit.Named(name, daemonkit.Every(s.clock, every, l, func(ctx context.Context) error {
			err := step(ctx)
			if err != nil && !errors.Is(err, errHalted) && ctx.Err() == nil {
				s.log.Warn("loop step failed", logKeyStep, name, logKeyErr, err)
			}
			if errors.Is(err, errHalted) {
				return nil // halted on purpose: stay healthy so the test sees the halt
			}
			return err
		}))
	}
	s.log.Info("pool server listening", logKeyAddr, s.Addr())
	return daemonkit.Run(ctx,
		func(context.Context) error { return s.writeLoop(stopWriter) },
		func(context.Context) error {
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
		},
		func(ctx context.Context) error {
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), s.cfg.Server.ShutdownTimeout.D())
			defer cancel()
			err := srv.Shutdown(sctx)
			close(stopWriter) // every handler has returned: no partial is waiting for the writer
			return err
		},
		s.subscribeLoop,
		loop("membership", s.cfg.Payout.AbsorbInterval.D(), s.MembershipStep),
		loop("absorb", s.cfg.Payout.AbsorbInterval.D(), s.AbsorbStep),
		loop("payout", s.cfg.Payout.Interval.D(), s.PayoutStep),
		loop("prune", time.Hour, s.PruneStep),
	)
}

// Close releases the store. It is idempotent.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() { err = s.store.Close() })
	return err
}
