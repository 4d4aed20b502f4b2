package daemonkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/clock"
	"github.com/guild-network/guild/internal/daemonkit"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func TestConfigErrorNamesSectionAndUnwraps(t *testing.T) {
	cause := errors.New("too small")
	err := daemonkit.Section("chain", &daemonkit.ConfigError{Key: "tx_timeout", Err: cause})
	require.ErrorIs(t, err, daemonkit.ErrInvalidConfig)
	require.ErrorIs(t, err, cause)
	var ce *daemonkit.ConfigError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "chain", ce.Section)
	require.Equal(t, "tx_timeout", ce.Key)
	require.Equal(t, "invalid configuration: [chain] tx_timeout: too small", err.Error())

	nested := daemonkit.Section("drivers", daemonkit.Section("process", daemonkit.KeyErrorf("nice", "%d: want 0…19", 30)))
	require.ErrorAs(t, nested, &ce)
	require.Equal(t, "drivers.process", ce.Section)
	require.Equal(t, "invalid configuration: [drivers.process] nice: 30: want 0…19", nested.Error())

	plain := daemonkit.Section("server", io.EOF)
	require.ErrorIs(t, plain, io.EOF)
	require.ErrorIs(t, plain, daemonkit.ErrInvalidConfig)
	require.NoError(t, daemonkit.Section("server", nil))
}

type section struct{ err error }

func (s section) ValidateBasic() error { return s.err }

func TestValidateSectionsReturnsTheFirstFailingSection(t *testing.T) {
	require.NoError(t, daemonkit.ValidateSections(daemonkit.Sections{{"a", section{}}, {"b", section{}}}))
	err := daemonkit.ValidateSections(daemonkit.Sections{
		{"a", section{}},
		{"log", daemonkit.LogConfig{Level: "loud", Format: "json"}},
		{"c", section{errors.New("never reached")}},
	})
	var ce *daemonkit.ConfigError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "log", ce.Section)
	require.Equal(t, "level", ce.Key)
}

type fileConfig struct {
	Server daemonkit.ServerConfig `toml:"server"`
	Loop   struct {
		Every daemonkit.Duration `toml:"every"`
	} `toml:"loop"`
	Log daemonkit.LogConfig `toml:"log"`
}

func TestDecodeTOMLStrictWithSections(t *testing.T) {
	base := fileConfig{Log: daemonkit.DefaultLogConfig()}
	base.Loop.Every = daemonkit.Duration(time.Minute)
	cfg, err := daemonkit.DecodeTOML([]byte("[server]\nlisten = \"127.0.0.1:1\"\n"), base)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:1", cfg.Server.Listen)
	require.Equal(t, time.Minute, cfg.Loop.Every.D(), "omitted keys keep the base value")
	require.Equal(t, "info", cfg.Log.Level)

	_, err = daemonkit.DecodeTOML([]byte("[server]\nlisten = \"x\"\nlistn = \"y\"\n"), base)
	var ce *daemonkit.ConfigError
	require.ErrorAs(t, err, &ce)
	require.ErrorIs(t, err, daemonkit.ErrInvalidConfig)
	require.Equal(t, "server", ce.Section)
	require.Equal(t, "listn", ce.Key)

	_, err = daemonkit.DecodeTOML([]byte("[loop]\nevery = \"soon\"\n"), base)
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "loop", ce.Section)
	require.Equal(t, "every", ce.Key)

	_, err = daemonkit.LoadTOML("/nonexistent/guild.toml", base)
	require.ErrorIs(t, err, daemonkit.ErrInvalidConfig)

	out, err := daemonkit.EncodeTOML("guild test\nsecond line", cfg)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(out), "# guild test\n# second line\n\n"))
	back, err := daemonkit.DecodeTOML(out, fileConfig{})
	require.NoError(t, err)
	require.Equal(t, cfg, back)
}

func TestDurationAndServerAndLogSections(t *testing.T) {
	require.NoError(t, daemonkit.Duration(time.Second).AtLeast("x", time.Second))
	var ce *daemonkit.ConfigError
	require.ErrorAs(t, daemonkit.Duration(time.Millisecond).AtLeast("x", time.Second), &ce)
	require.Equal(t, "x", ce.Key)
	require.NoError(t, daemonkit.ServerConfig{}.ValidateBasic())
	require.NoError(t, daemonkit.ServerConfig{Listen: "127.0.0.1:0"}.ValidateBasic())
	require.ErrorAs(t, daemonkit.ServerConfig{Listen: "nope"}.ValidateBasic(), &ce)
	require.Equal(t, "listen", ce.Key)
	require.ErrorAs(t, daemonkit.LogConfig{Level: "info", Format: "xml"}.ValidateBasic(), &ce)
	require.Equal(t, "format", ce.Key)

	var buf bytes.Buffer
	daemonkit.NewLogger(&buf, daemonkit.LogConfig{Level: "warn", Format: "json"}).Info("hidden")
	daemonkit.NewLogger(&buf, daemonkit.LogConfig{Level: "warn", Format: "json"}).Warn("shown", daemonkit.KeyLease, 7)
	require.NotContains(t, buf.String(), "hidden")
	require.Contains(t, buf.String(), `"lease":7`)
	buf.Reset()
	daemonkit.NewLogger(&buf, daemonkit.LogConfig{Level: "debug", Format: "text"}).Debug("d", daemonkit.KeyHeight, 3)
	require.Contains(t, buf.String(), "height=3")
	daemonkit.Discard().Error("nothing")
}

func getHealth(t *testing.T, h http.Handler) (int, daemonkit.HealthReport) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	var r daemonkit.HealthReport
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	return rec.Code, r
}

func TestHealthFailsWhenALoopIsStaleOrACheckFails(t *testing.T) {
	clk := clock.NewFake(t0)
	h := daemonkit.NewHealth(clk)
	sync := h.Loop("sync", time.Minute)
	require.Same(t, sync, h.Loop("sync", time.Hour), "registering twice returns the same loop")
	h.Loop("claims", 10*time.Minute)
	h.Info(func() any { return map[string]int{"node": 3} })

	code, r := getHealth(t, h)
	require.Equal(t, http.StatusOK, code, "healthy at start-up for one staleness period")
	require.True(t, r.OK)
	require.Equal(t, map[string]any{"node": float64(3)}, r.Info)

	clk.Advance(61 * time.Second)
	code, r = getHealth(t, h)
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Equal(t, []string{"sync"}, r.Failing())

	sync.Fail(errors.New("rpc down"))
	code, r = getHealth(t, h)
	require.Equal(t, http.StatusOK, code, "a loop that runs and fails is alive")
	require.Equal(t, "rpc down", r.Loops["sync"].LastError)
	require.Equal(t, clk.Now(), r.Loops["sync"].LastBeat)
	sync.Beat()
	_, r = getHealth(t, h)
	require.Empty(t, r.Loops["sync"].LastError)

	down := errors.New("store closed")
	h.Check("store", func(context.Context) error { return down })
	code, r = getHealth(t, h)
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Equal(t, "store closed", r.Checks["store"])
	require.Equal(t, []string{"store"}, r.Failing())
	down = nil
	h.Check("store", func(context.Context) error { return nil })
	code, _ = getHealth(t, h)
	require.Equal(t, http.StatusOK, code)
}

func TestMuxServesHealthAndMetrics(t *testing.T) {
	reg := daemonkit.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_test_things_total", Help: "things"})
	reg.MustRegister(c)
	c.Add(3)
	srv := httptest.NewServer(daemonkit.Mux(daemonkit.NewHealth(nil), reg))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, string(body), "guild_test_things_total 3")
	require.Contains(t, string(body), "go_goroutines")
	resp, err = http.Get(srv.URL + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestRunReturnsTheFirstErrorAndStopsTheOthers(t *testing.T) {
	boom := errors.New("boom")
	stopped := make(chan struct{})
	err := daemonkit.Run(context.Background(),
		func(ctx context.Context) error { <-ctx.Done(); close(stopped); return ctx.Err() },
		daemonkit.Named("worker", func(context.Context) error { return boom }),
	)
	require.ErrorIs(t, err, boom)
	require.Equal(t, "worker: boom", err.Error())
	<-stopped // Run waited for the other part
}

func TestRunIsCleanOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, 2)
	done := make(chan error, 1)
	go func() {
		done <- daemonkit.Run(ctx,
			func(ctx context.Context) error { started <- struct{}{}; <-ctx.Done(); return ctx.Err() },
			func(ctx context.Context) error { started <- struct{}{}; <-ctx.Done(); return nil },
		)
	}()
	<-started
	<-started
	cancel()
	require.NoError(t, <-done)
}

func TestRunReturnsTheHTTPServersErrorAndShutsItDownOnCancel(t *testing.T) {
	l, err := daemonkit.Listen("127.0.0.1:0")
	require.NoError(t, err)
	_, err = daemonkit.Listen(l.Addr().String())
	require.ErrorContains(t, err, l.Addr().String(), "a taken address is named")
	// A listener closed under the server makes Serve fail: Run returns that error.
	require.NoError(t, l.Close())
	err = daemonkit.Run(context.Background(),
		daemonkit.HTTPService{Listener: l, Handler: http.NotFoundHandler()}.Run,
		func(ctx context.Context) error { <-ctx.Done(); return nil },
	)
	require.ErrorContains(t, err, "http server on")

	l, err = daemonkit.Listen("127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	svc := daemonkit.HTTPService{Listener: l, Handler: daemonkit.Mux(daemonkit.NewHealth(nil), daemonkit.NewRegistry()),
		Log: daemonkit.Discard()}
	go func() { done <- daemonkit.Run(ctx, svc.Run) }()
	resp, err := http.Get("http://" + l.Addr().String() + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	cancel()
	require.NoError(t, <-done)
	_, err = http.Get("http://" + l.Addr().String() + "/healthz")
	require.Error(t, err, "the server is shut down")
}

func TestEveryRunsOnTheClockAndBeats(t *testing.T) {
	clk := clock.NewFake(t0)
	h := daemonkit.NewHealth(clk)
	loop := h.Loop("tick", 15*time.Second)
	rounds := make(chan time.Time, 10)
	fail := errors.New("flaky")
	n := 0
	step := func(context.Context) error {
		n++
		rounds <- clk.Now()
		if n == 2 {
			return fail
		}
		if n == 4 {
			return errors.Join(daemonkit.ErrFatal, errors.New("disk gone"))
		}
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- daemonkit.Every(clk, 10*time.Second, loop, step)(context.Background()) }()
	require.Equal(t, t0, <-rounds, "the first round runs at once")
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		require.NoError(t, clk.BlockUntil(ctx, 1))
		clk.Advance(10 * time.Second)
		require.Equal(t, t0.Add(time.Duration(i)*10*time.Second), <-rounds)
		if i == 1 { // the second round failed
			require.NoError(t, clk.BlockUntil(ctx, 1))
			require.Equal(t, "flaky", h.Report(ctx).Loops["tick"].LastError)
		}
	}
	require.ErrorIs(t, <-done, daemonkit.ErrFatal)
}

func TestEveryStopsOnCancel(t *testing.T) {
	clk := clock.NewFake(t0)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- daemonkit.Every(clk, time.Hour, nil, func(context.Context) error { ran <- struct{}{}; return nil })(ctx)
	}()
	<-ran
	require.NoError(t, clk.BlockUntil(ctx, 1))
	cancel()
	require.NoError(t, <-done)
}

func TestRateLimiterPerRouteAndKey(t *testing.T) {
	clk := clock.NewFake(t0)
	perMin := daemonkit.Rate{Events: 60, Per: daemonkit.Duration(time.Minute), Burst: 2}
	strict := daemonkit.Rate{Events: 1, Per: daemonkit.Duration(time.Minute), Burst: 1}
	l := daemonkit.NewRateLimiter(clk, perMin, map[string]daemonkit.Rate{"partial": strict, "info": {}}, 100)

	ok, _ := l.Allow("login", "a")
	require.True(t, ok)
	ok, _ = l.Allow("login", "a")
	require.True(t, ok)
	ok, wait := l.Allow("login", "a")
	require.False(t, ok, "burst of 2 used")
	require.Equal(t, time.Second, wait)
	ok, _ = l.Allow("login", "b")
	require.True(t, ok, "another key has its own bucket")
	ok, _ = l.Allow("partial", "a")
	require.True(t, ok, "another route has its own bucket")
	ok, wait = l.Allow("partial", "a")
	require.False(t, ok)
	require.Equal(t, time.Minute, wait)
	for range 100 {
		ok, _ = l.Allow("info", "a")
		require.True(t, ok, "a zero rate is unlimited")
	}
	clk.Advance(time.Second)
	ok, _ = l.Allow("login", "a")
	require.True(t, ok, "refilled by the clock")
	ok, _ = l.Allow("login", "a")
	require.False(t, ok, "a refused request took no token")
}

func TestRateLimiterBoundsItsKeys(t *testing.T) {
	clk := clock.NewFake(t0)
	r := daemonkit.Rate{Events: 1, Per: daemonkit.Duration(time.Hour), Burst: 1}
	l := daemonkit.NewRateLimiter(clk, r, nil, 2)
	for _, k := range []string{"a", "b"} {
		ok, _ := l.Allow("x", k)
		require.True(t, ok)
	}
	ok, _ := l.Allow("x", "a") // a is now the most recently used
	require.False(t, ok)
	ok, _ = l.Allow("x", "c") // evicts b
	require.True(t, ok)
	require.Equal(t, 2, l.Keys())
	ok, _ = l.Allow("x", "a")
	require.False(t, ok, "a was kept")
	ok, _ = l.Allow("x", "b")
	require.True(t, ok, "b was forgotten and starts full")
}

func TestRateLimitMiddleware(t *testing.T) {
	clk := clock.NewFake(t0)
	l := daemonkit.NewRateLimiter(clk, daemonkit.Rate{Events: 1, Per: daemonkit.Duration(90 * time.Second), Burst: 1}, nil, 10)
	limited := 0
	h := l.Middleware("partial", nil, func(route string) { require.Equal(t, "partial", route); limited++ },
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	do := func(remote string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/partial", nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	require.Equal(t, http.StatusNoContent, do("10.0.0.1:1000").Code)
	rec := do("10.0.0.1:2000") // same IP, other port: same key
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	require.Equal(t, "90", rec.Header().Get("Retry-After"))
	require.Equal(t, 1, limited)
	require.Equal(t, http.StatusNoContent, do("10.0.0.2:1000").Code)
	require.Equal(t, "garbage", daemonkit.ClientIP(&http.Request{RemoteAddr: "garbage"}))
}

func TestRateValidateBasic(t *testing.T) {
	require.NoError(t, daemonkit.Rate{}.ValidateBasic())
	require.NoError(t, daemonkit.Rate{Events: 1, Per: daemonkit.Duration(time.Second), Burst: 1}.ValidateBasic())
	require.ErrorIs(t, daemonkit.Rate{Events: 1}.ValidateBasic(), daemonkit.ErrInvalidConfig)
}
