package ado

import (
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/guild-network/guild/internal/daemonkit"
)

func daemonkitRate(burst int) daemonkit.Rate {
	return daemonkit.Rate{Events: 1, Per: daemonkit.Duration(time.Hour), Burst: burst}
}

// BenchmarkIssue measures credential issuance end to end over HTTP (JWS verification, the jti
// insert, the chain reads against an in-memory chain, the signature and the audit row in
// SQLite) with parallel clients, and reports p50/p99 latency and requests per second.
// 8 × GOMAXPROCS clients send at once (16 on a 2-core machine): a credential service serves
// many agents concurrently, and the store's group commit lets them share one fsync.
func BenchmarkIssue(b *testing.B) {
	h := newHarness(b, TestConfig())
	par := 8
	if v, err := strconv.Atoi(os.Getenv("ADO_PARALLELISM")); err == nil && v > 0 {
		par = v // ADO_PARALLELISM=1: one client per core, for comparison
	}
	b.SetParallelism(par)
	lat := make(chan time.Duration, b.N+64)
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := h.request("1000ugld")
			t0 := time.Now()
			if _, err := h.send(b, r, h.req); err != nil {
				b.Error(err)
				return
			}
			lat <- time.Since(t0)
		}
	})
	elapsed := time.Since(start)
	close(lat)
	var all []time.Duration
	for d := range lat {
		all = append(all, d)
	}
	if len(all) == 0 {
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
}
