// Package daemonkit is what Guild's daemons (the provider agent, the ADO, the pool server, the
// farmer) share: constant structured-log keys and the log section, config errors that name
// their TOML section, strict TOML loading, a TOML duration, a health registry whose /healthz
// fails when a loop goes stale, Prometheus /metrics, an HTTP service, Run (every goroutine in
// one errgroup, the first error returned, graceful shutdown on cancel) and a per-route, per-key
// rate limiter. All timing goes through an injected clock.Clock. Stores live in
// daemonkit/sqlstore, their conformance suites in daemonkit/storetest.
package daemonkit

import (
	"io"
	"log/slog"
)

// Structured-log keys. Every daemon logs with these constants, never with ad-hoc strings, so
// that one query finds a lease, a height or an error across all of them.
const (
	KeyErr       = "err"       // an error
	KeyComponent = "component" // the daemon part that logs (loop, server, store, …)
	KeyLoop      = "loop"      // a named loop registered with Health
	KeyAddr      = "addr"      // a listen or remote address
	KeyRoute     = "route"     // an HTTP route
	KeyKey       = "key"       // a rate-limit key
	KeyHeight    = "height"    // a chain height
	KeyTxHash    = "tx_hash"   // a transaction hash
	KeyAccount   = "account"   // a bech32 account
	KeyProvider  = "provider"  // a provider address
	KeyNode      = "node"      // a node id
	KeyLease     = "lease"     // a lease id
	KeyDenom     = "denom"     // a coin denomination
	KeyAmount    = "amount"    // a coin amount
	KeyAgent     = "agent"     // a credit agent id
	KeyIssuer    = "issuer"    // a credential issuer
	KeyFarmer    = "farmer"    // a farmer (launcher / pool contract) id
	KeyPool      = "pool"      // a pool contract id
	KeyPayout    = "payout"    // a payout id
	KeyVersion   = "version"   // a schema or protocol version
	KeyDuration  = "duration"  // how long something took
	KeyPath      = "path"      // a file or database path
	KeyCount     = "count"     // a number of items
)

// LogConfig is the [log] section every daemon has.
type LogConfig struct {
	Level  string `toml:"level" comment:"debug, info, warn or error"`
	Format string `toml:"format" comment:"json or text"`
}

// DefaultLogConfig is info-level JSON.
func DefaultLogConfig() LogConfig { return LogConfig{Level: "info", Format: "json"} }

// ValidateBasic checks the log section; errors name the key (wrap with Section("log", …)).
func (c LogConfig) ValidateBasic() error {
	switch c.Level {
	case "debug", "info", "warn", "error":
	default:
		return KeyErrorf("level", "%q: want debug, info, warn or error", c.Level)
	}
	switch c.Format {
	case "json", "text":
	default:
		return KeyErrorf("format", "%q: want json or text", c.Format)
	}
	return nil
}

// NewLogger returns a structured logger writing to w as the section says (an invalid level
// means info).
func NewLogger(w io.Writer, c LogConfig) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// Discard is a logger that drops everything, for tests.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
