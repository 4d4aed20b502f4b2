package pool

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/internal/benchkit"
)

// BenchmarkPartials measures valid partials per second that the server verifies (signatures,
// proof of space, difficulty) and durably records, through its HTTP handler from parallel
// clients, with the p99 latency. Each partial is distinct (a farmer's plot at a signage point);
// the store is SQLite, and PostgreSQL when GUILD_TEST_POSTGRES_URL is set.
func BenchmarkPartials(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		benchPartials(b, func(t testing.TB) store.Store {
			st, err := store.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "pool.db"))
			require.NoError(t, err)
			return st
		})
	})
	if url := os.Getenv("GUILD_TEST_POSTGRES_URL"); url != "" {
		b.Run("postgres", func(b *testing.B) {
			benchPartials(b, func(t testing.TB) store.Store {
				st, err := store.OpenPostgres(context.Background(), freshPostgres(t, url))
				require.NoError(t, err)
				return st
			})
		})
	}
}

const (
	benchFarmers = 16
	// benchK is the benchmark's plot size: real k=18 plots (made once, outside the timed loop),
	// the devnet's minimum plot size, so that each proof costs what a real one costs to verify.
	benchK = 18
)

func benchPartials(b *testing.B, open func(testing.TB) store.Store) {
	cfg := TestConfig(b.TempDir())
	cfg.Pool.Address = poolAddr
	cfg.Proof.DCFBits = 40
	cfg.Proof.MinK = 12
	cfg.Proof.SignagePoints = 1 << 20
	cfg.Pool.DifficultyCount = 1 << 20 // keep every farmer at difficulty 1 during the run
	cfg.Pool.PartialTimeLimit = Duration(time.Hour)
	st := open(b)
	defer st.Close()
	chain := newFakeChain()
	srv, err := New(context.Background(), cfg, Options{Chain: chain, Store: st})
	require.NoError(b, err)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { _ = srv.writeLoop(stop); close(done) }()
	defer func() { close(stop); <-done }()
	h := srv.Handler()
	now := time.Now()

	// b.N distinct valid partials spread over the farmers.
	per := b.N/benchFarmers + 1
	bodies := make([][]byte, 0, b.N)
	var farmers []*farmerKit
	for i := 0; i < benchFarmers; i++ {
		fk := newFarmerK(b, chain, cfg, uint64(100+i), benchK)
		farmers = append(farmers, fk)
		raw, _ := json.Marshal(fk.postFarmer(now, nil))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/farmer", bytes.NewReader(raw)))
		require.Contains(b, rec.Body.String(), "welcome_message")
	}
	for _, fk := range farmers {
		for _, s := range fk.sps(1, per) {
			srv.AddSignagePoint(s)
			req, _ := fk.partial(b, s, now)
			raw, _ := json.Marshal(req)
			bodies = append(bodies, raw)
		}
	}
	// interleave farmers so that concurrent requests are for different farmers, as in a pool
	mixed := make([][]byte, 0, len(bodies))
	for j := 0; j < per; j++ {
		for f := 0; f < benchFarmers; f++ {
			mixed = append(mixed, bodies[f*per+j])
		}
	}
	bodies = mixed[:b.N]
	cpu0 := benchkit.ProcessCPU()

	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var failed atomic.Int64
	b.ResetTimer()
	b.SetParallelism(32) // 64 concurrent clients on 2 cores: a pool serves many farmers at once
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := next.Add(1) - 1
			start := time.Now()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/partial", bytes.NewReader(bodies[i]))
			req.RemoteAddr = fmt.Sprintf("10.0.%d.%d:1", i/250%250, i%250)
			h.ServeHTTP(rec, req)
			mine = append(mine, time.Since(start))
			if !bytes.Contains(rec.Body.Bytes(), []byte("new_difficulty")) {
				failed.Add(1)
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d partials were refused", n, b.N)
	}
	var points uint64
	for _, fk := range farmers {
		f, err := st.Farmer(context.Background(), fk.lid)
		require.NoError(b, err)
		points += f.Points
	}
	if points != uint64(b.N) {
		b.Fatalf("recorded %d points for %d partials", points, b.N)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "partials/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
	b.ReportMetric(float64((benchkit.ProcessCPU()-cpu0).Microseconds())/float64(b.N), "cpu_us/partial")
	if nb, np := srv.sigs.Batches(); nb > 0 {
		b.ReportMetric(float64(np)/float64(nb), "partials/sig_batch")
	}
	wall := b.Elapsed()
	b.ReportMetric(100*srv.sigs.Busy().Seconds()/wall.Seconds(), "sig_busy_%")
	if c := srv.wstats.commits.Load(); c > 0 {
		b.ReportMetric(100*float64(srv.wstats.busyNs.Load())/float64(wall), "writer_busy_%")
		b.ReportMetric(float64(srv.wstats.partials.Load())/float64(c), "partials/commit")
		b.ReportMetric(float64(srv.wstats.waitNs.Load())/float64(srv.wstats.partials.Load())/1e6, "write_wait_ms")
		b.ReportMetric(float64(srv.wstats.maxNs.Load())/1e6, "max_commit_ms")
	}
	b.ReportMetric(0, "ns/op")
}

// freshPostgres creates an empty schema on the server and returns a URL whose connections use it.
func freshPostgres(t testing.TB, url string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "poolbench_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", url); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			_ = db.Close()
		}
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}
