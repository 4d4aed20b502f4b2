// Package ado is Guild's ADO (`guildd ado serve`), the off-chain data aggregator that issues
// x/credit credentials. An agent's client sends it a compact JWS signed by the agent's
// requester key (EdDSA only) carrying {agent, action, value, target, height, jti}. The ADO
// checks the signature against the key the chain holds for the agent, the height against the
// chain head, and that the jti is new (persisted in SQLite); it computes the agent's data from
// chain queries with the formulas in agentdata.go, pre-checks that the action would pass on
// chain and answers a clear reason when it would not; then it signs the credential with the
// issuer key from the keyring and writes an audit log. It rate-limits per IP and per agent and
// serves /healthz and /metrics.
package ado

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/guild-network/guild/internal/clock"
	"github.com/guild-network/guild/internal/daemonkit"
	credittypes "github.com/guild-network/guild/x/credit/types"
)

// Route is the credential endpoint.
const Route = "/v1/credential"

// Signer signs credential hashes with the issuer key.
type Signer interface {
	PublicKey() ed25519.PublicKey
	Sign(hash []byte) ([]byte, error)
}

// KeySigner is a Signer over an in-memory key (tests and benchmarks).
type KeySigner struct{ Key ed25519.PrivateKey }

// PublicKey implements Signer.
func (s KeySigner) PublicKey() ed25519.PublicKey { return s.Key.Public().(ed25519.PublicKey) }

// Sign implements Signer.
func (s KeySigner) Sign(hash []byte) ([]byte, error) { return ed25519.Sign(s.Key, hash), nil }

// Deps are what New needs besides the configuration.
type Deps struct {
	Chain  Chain
	Signer Signer
	Store  Store
	Clock  clock.Clock
	Log    *slog.Logger
	// Codec renders credentials as protobuf JSON.
	Codec codec.JSONCodec
}

// ADO is the credential service.
type ADO struct {
	cfg      Config
	d        Deps
	listener net.Listener
	registry *prometheus.Registry
	limiter  *daemonkit.RateLimiter
	health   *daemonkit.Health
	closeOne sync.Once

	requests *prometheus.CounterVec
	latency  prometheus.Histogram
}

// New validates the configuration, opens the listener (when [server] listen is set) and
// returns the service.
func New(cfg Config, d Deps) (*ADO, error) {
	if err := cfg.ValidateBasic(); err != nil {
		return nil, err
	}
	if d.Chain == nil || d.Signer == nil || d.Store == nil || d.Codec == nil {
		return nil, errors.New("ado: chain, signer, store and codec are required")
	}
	d.Clock = clock.OrReal(d.Clock)
	if d.Log == nil {
		d.Log = daemonkit.Discard()
	}
	a := &ADO{cfg: cfg, d: d, registry: daemonkit.NewRegistry(), health: daemonkit.NewHealth(d.Clock)}
	a.limiter = daemonkit.NewRateLimiter(d.Clock, cfg.Limits.PerIP, map[string]daemonkit.Rate{"key": cfg.Limits.PerKey}, 100_000)
	a.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "guild_ado_requests_total", Help: "credential requests by outcome (issued or the refusal code)",
	}, []string{"outcome"})
	a.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "guild_ado_request_seconds", Help: "credential request latency",
		Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .25, .5, 1},
	})
	a.registry.MustRegister(a.requests, a.latency)
	a.health.Check("store", d.Store.Ping)
	a.health.Check("chain", func(ctx context.Context) error { _, err := d.Chain.Height(ctx); return err })
	if cfg.Server.Listen != "" {
		l, err := daemonkit.Listen(cfg.Server.Listen)
		if err != nil {
			return nil, err
		}
		a.listener = l
	}
	return a, nil
}

// Addr is the listen address (for tests that listen on port 0).
func (a *ADO) Addr() string {
	if a.listener == nil {
		return ""
	}
	return a.listener.Addr().String()
}

// Handler is the whole HTTP surface: the credential route, /healthz and /metrics.
func (a *ADO) Handler() http.Handler {
	mux := daemonkit.Mux(a.health, a.registry)
	onLimit := func(string) { a.requests.WithLabelValues("rate_limited").Inc() }
	mux.Handle(Route, a.limiter.Middleware("ip", nil, onLimit, a.recoverer(http.HandlerFunc(a.serveCredential))))
	return mux
}

// recoverer turns a panic in a request into a logged 500 with its cause, so a bug shows as an
// answer and a log line instead of a dropped connection.
func (a *ADO) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				a.d.Log.Error("panic in request", daemonkit.KeyErr, fmt.Sprint(p), "stack", string(debug.Stack()))
				a.requests.WithLabelValues("internal").Inc()
				a.answer(w, http.StatusInternalServerError, Answer{Error: "internal", Reason: fmt.Sprint(p)})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Run serves until ctx is cancelled, then shuts down gracefully.
func (a *ADO) Run(ctx context.Context) error {
	if a.listener == nil {
		<-ctx.Done()
		return nil
	}
	return daemonkit.Run(ctx, daemonkit.Named("http", daemonkit.HTTPService{Listener: a.listener, Handler: a.Handler(), Log: a.d.Log}.Run))
}

// Close releases the store; it is idempotent.
func (a *ADO) Close() error {
	var err error
	a.closeOne.Do(func() { err = a.d.Store.Close() })
	return err
}

// Answer is the JSON the credential route returns.
type Answer struct {
	// Credential is the signed credential as protobuf JSON (a guild.credit.v1.SignedCredential).
	Credential json.RawMessage `json:"credential,omitempty"`
	Hash       string          `json:"hash,omitempty"`
	// Error is a stable code (malformed, bad_signature, unknown_agent, stale, replay, dtl,
	// liquidity, agent_cap, state, collateral, faults, …) and Reason says it in a sentence.
	Error  string `json:"error,omitempty"`
	Reason string `json:"reason,omitempty"`
}

func (a *ADO) serveCredential(w http.ResponseWriter, req *http.Request) {
	start := a.d.Clock.Now()
	defer func() { a.latency.Observe(a.d.Clock.Since(start).Seconds()) }()
	if req.Method != http.MethodPost {
		a.answer(w, http.StatusMethodNotAllowed, Answer{Error: "method", Reason: "POST a compact JWS"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, 16<<10))
	if err != nil {
		a.answer(w, http.StatusBadRequest, Answer{Error: "malformed", Reason: err.Error()})
		return
	}
	ip, _, _ := net.SplitHostPort(req.RemoteAddr)
	status, ans, r := a.issue(req.Context(), string(body), ip)
	a.requests.WithLabelValues(outcomeLabel(ans)).Inc()
	if r.Agent != 0 {
		rec := AuditRecord{At: a.d.Clock.Now(), Agent: r.Agent, JTI: r.JTI, Action: r.Action, Value: r.Value, Target: r.Target,
			RemoteIP: ip, Outcome: outcomeLabel(ans), Reason: ans.Reason, Hash: ans.Hash}
		if err := a.d.Store.Audit(req.Context(), rec); err != nil {
			a.d.Log.Error("audit log", daemonkit.KeyErr, err, daemonkit.KeyAgent, r.Agent)
			a.answer(w, http.StatusInternalServerError, Answer{Error: "internal", Reason: "audit log unavailable"})
			return
		}
	}
	a.answer(w, status, ans)
}

func outcomeLabel(ans Answer) string {
	if ans.Error == "" {
		return "issued"
	}
	return ans.Error
}

func (a *ADO) answer(w http.ResponseWriter, status int, ans Answer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(ans)
}

// issue runs every check and signs. It returns the HTTP status, the answer and the request as
// far as it was parsed (Agent 0 when the signature did not verify: nothing to audit then but a
// log line).
func (a *ADO) issue(ctx context.Context, compact, ip string) (int, Answer, Request) {
	qctx, cancel := context.WithTimeout(ctx, a.cfg.Chain.Timeout.D())
	defer cancel()
	var agent credittypes.Agent
	r, err := ParseRequest(compact, func(id uint64) (ed25519.PublicKey, error) {
		res, err := a.d.Chain.Credit().Agent(qctx, &credittypes.QueryAgentRequest{AgentId: id})
		if err != nil {
			return nil, fmt.Errorf("%w: agent %d: %v", errUnknownAgent, id, err)
		}
		agent = res.Agent
		if len(agent.RequesterKey) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: agent %d has no requester key", errUnknownAgent, id)
		}
		return agent.RequesterKey, nil
	})
	switch {
	case errors.Is(err, errUnknownAgent):
		return http.StatusNotFound, Answer{Error: "unknown_agent", Reason: err.Error()}, Request{}
	case errors.Is(err, ErrBadSignature):
		a.d.Log.Warn("bad request signature", daemonkit.KeyAddr, ip, daemonkit.KeyErr, err)
		return http.StatusUnauthorized, Answer{Error: "bad_signature", Reason: err.Error()}, Request{}
	case err != nil:
		return http.StatusBadRequest, Answer{Error: "malformed", Reason: err.Error()}, Request{}
	}
	if ok, wait := a.limiter.Allow("key", strconv.FormatUint(r.Agent, 10)); !ok {
		return http.StatusTooManyRequests, Answer{Error: "rate_limited", Reason: fmt.Sprintf("agent %d: retry in %s", r.Agent, wait.Round(time.Millisecond))}, r
	}
	if r.ChainID != a.cfg.Chain.ChainID {
		return http.StatusBadRequest, Answer{Error: "chain", Reason: fmt.Sprintf("request for chain %q, this ADO issues for %q", r.ChainID, a.cfg.Chain.ChainID)}, r
	}
	head, err := a.d.Chain.Height(qctx)
	if err != nil {
		return http.StatusServiceUnavailable, Answer{Error: "chain_unavailable", Reason: err.Error()}, r
	}
	if r.Height > head || head-r.Height > a.cfg.Credential.MaxRequestBlocks {
		return http.StatusBadRequest, Answer{Error: "stale", Reason: fmt.Sprintf("request height %d, chain head %d: want within %d blocks", r.Height, head, a.cfg.Credential.MaxRequestBlocks)}, r
	}
	if err := a.d.Store.UseJTI(ctx, r.Agent, r.JTI, a.d.Clock.Now()); errors.Is(err, ErrReplay) {
		return http.StatusConflict, Answer{Error: "replay", Reason: err.Error()}, r
	} else if err != nil {
		return http.StatusInternalServerError, Answer{Error: "internal", Reason: "jti store unavailable"}, r
	}
	snap, err := ComputeSnapshot(qctx, a.d.Chain, r)
	if errors.Is(err, ErrMalformed) {
		return http.StatusBadRequest, Answer{Error: "malformed", Reason: err.Error()}, r
	} else if err != nil {
		return http.StatusServiceUnavailable, Answer{Error: "chain_unavailable", Reason: err.Error()}, r
	}
	var refusal *Refusal
	if err := Precheck(qctx, a.d.Chain, r, snap); errors.As(err, &refusal) {
		return http.StatusUnprocessableEntity, Answer{Error: refusal.Code, Reason: refusal.Reason}, r
	} else if err != nil {
		return http.StatusServiceUnavailable, Answer{Error: "chain_unavailable", Reason: err.Error()}, r
	}
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return http.StatusInternalServerError, Answer{Error: "internal", Reason: "no randomness"}, r
	}
	c := credittypes.Credential{
		Issuer: a.d.Signer.PublicKey(), Subject: r.Agent, IssuedHeight: head, ValidUntilHeight: head + a.cfg.Credential.ValidityBlocks,
		Action: r.Action, Value: r.Value, Target: r.Target, Nonce: binary.BigEndian.Uint64(nonce[:]), Data: snap.Data,
	}
	hash, err := credittypes.CredentialHash(a.cfg.Chain.ChainID, c)
	if err != nil {
		return http.StatusInternalServerError, Answer{Error: "internal", Reason: err.Error()}, r
	}
	sig, err := a.d.Signer.Sign(hash)
	if err != nil {
		a.d.Log.Error("signing", daemonkit.KeyErr, err)
		return http.StatusInternalServerError, Answer{Error: "internal", Reason: "issuer key unavailable"}, r
	}
	bz, err := a.d.Codec.MarshalJSON(&credittypes.SignedCredential{Credential: c, Signature: sig})
	if err != nil {
		return http.StatusInternalServerError, Answer{Error: "internal", Reason: err.Error()}, r
	}
	a.d.Log.Info("credential issued", daemonkit.KeyAgent, r.Agent, "action", r.Action, daemonkit.KeyAmount, r.Value, daemonkit.KeyHeight, head)
	return http.StatusOK, Answer{Credential: bz, Hash: hex.EncodeToString(hash)}, r
}

var errUnknownAgent = errors.New("unknown agent")
