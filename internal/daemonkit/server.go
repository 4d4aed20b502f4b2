package daemonkit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ServerConfig is the [server] section of a daemon that serves HTTP.
type ServerConfig struct {
	Listen string `toml:"listen" comment:"listen address (host:port); empty disables the server"`
}

// ValidateBasic checks the listen address.
func (c ServerConfig) ValidateBasic() error {
	if c.Listen == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return KeyErrorf("listen", "%q: %w", c.Listen, err)
	}
	return nil
}

// NewRegistry returns a Prometheus registry with the Go and process collectors; a daemon
// registers its guild_<daemon>_… metrics on it.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// Mux returns a ServeMux with /healthz (health) and /metrics (gatherer); a daemon adds its own
// routes to it.
func Mux(health http.Handler, gatherer prometheus.Gatherer) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", health)
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	return mux
}

// HTTPService serves handler on l as one of Run's functions. It returns nil when ctx is
// cancelled, after a graceful shutdown that waits up to shutdownTimeout for requests in
// flight, and the server's error if it fails first (which stops the whole daemon).
type HTTPService struct {
	Listener        net.Listener
	Handler         http.Handler
	Log             *slog.Logger
	ShutdownTimeout time.Duration // 0: 5s
	ReadTimeout     time.Duration // for the headers; 0: 5s
}

// Listen opens a TCP listener on addr with an error that says which address failed.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	return l, nil
}

// Run serves until ctx is done or the server fails.
func (s HTTPService) Run(ctx context.Context) error {
	rt := s.ReadTimeout
	if rt == 0 {
		rt = 5 * time.Second
	}
	st := s.ShutdownTimeout
	if st == 0 {
		st = 5 * time.Second
	}
	srv := &http.Server{Handler: s.Handler, ReadHeaderTimeout: rt}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.Listener) }()
	if s.Log != nil {
		s.Log.Info("serving http", KeyAddr, s.Listener.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("http server on %s: %w", s.Listener.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), st)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("http server on %s: shutdown: %w", s.Listener.Addr(), err)
	}
	return nil
}
