package loadgen

import (
	"sort"
	"time"
)

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of ds: the smallest value
// with at least p% of the values at or below it. ds need not be sorted; it is not changed. An
// empty ds gives 0.
func Percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 || p <= 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if p >= 100 {
		return s[len(s)-1]
	}
	rank := (p*len(s) + 99) / 100 // ceil(p/100 × n), 1-based
	return s[rank-1]
}

// Rate is n events over d, per second (0 when d is 0).
func Rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// Latency is the submit → block distribution, in milliseconds.
type Latency struct {
	P50 int64 `json:"p50_ms"`
	P90 int64 `json:"p90_ms"`
	P99 int64 `json:"p99_ms"`
	Max int64 `json:"max_ms"`
}

// LatencyOf summarises ds.
func LatencyOf(ds []time.Duration) Latency {
	return Latency{
		P50: Percentile(ds, 50).Milliseconds(), P90: Percentile(ds, 90).Milliseconds(),
		P99: Percentile(ds, 99).Milliseconds(), Max: Percentile(ds, 100).Milliseconds(),
	}
}

// BlockStat is one committed block as the scanner saw it.
type BlockStat struct {
	Height  int64     `json:"height"`
	Time    time.Time `json:"time"` // header time
	Txs     int       `json:"txs"`  // every transaction in the block, the generator's or not
	Ours    int       `json:"ours"` // the generator's
	Bytes   int       `json:"bytes"`
	GasUsed int64     `json:"gas_used"`
}

// Blocks summarises the blocks of a run.
type Blocks struct {
	Count      int     `json:"count"`
	First      int64   `json:"first_height"`
	Last       int64   `json:"last_height"`
	MeanTxs    float64 `json:"mean_txs"`
	MaxTxs     int     `json:"max_txs"`
	MeanBytes  float64 `json:"mean_bytes"`
	MaxBytes   int     `json:"max_bytes"`
	MeanGas    float64 `json:"mean_gas"`
	MaxGas     int64   `json:"max_gas"`
	MeanPeriod float64 `json:"mean_interval_s"` // header time between consecutive blocks
}

// BlocksOf summarises bs (in height order).
func BlocksOf(bs []BlockStat) Blocks {
	var b Blocks
	if len(bs) == 0 {
		return b
	}
	b.Count, b.First, b.Last = len(bs), bs[0].Height, bs[len(bs)-1].Height
	var txs, bytes int
	var gas int64
	for _, s := range bs {
		txs, bytes, gas = txs+s.Txs, bytes+s.Bytes, gas+s.GasUsed
		b.MaxTxs, b.MaxBytes, b.MaxGas = max(b.MaxTxs, s.Txs), max(b.MaxBytes, s.Bytes), max(b.MaxGas, s.GasUsed)
	}
	n := float64(len(bs))
	b.MeanTxs, b.MeanBytes, b.MeanGas = float64(txs)/n, float64(bytes)/n, float64(gas)/n
	if len(bs) > 1 {
		b.MeanPeriod = bs[len(bs)-1].Time.Sub(bs[0].Time).Seconds() / float64(len(bs)-1)
	}
	return b
}

// MempoolSample is the number of unconfirmed transactions of the first node at one moment.
type MempoolSample struct {
	At   float64 `json:"t_s"` // seconds since the load started
	Size int     `json:"size"`
}

// Mempool summarises the samples.
type Mempool struct {
	Samples []MempoolSample `json:"samples"`
	Max     int             `json:"max"`
	Mean    float64         `json:"mean"`
}

// MempoolOf summarises ss.
func MempoolOf(ss []MempoolSample) Mempool {
	m := Mempool{Samples: ss}
	if len(ss) == 0 {
		return m
	}
	sum := 0
	for _, s := range ss {
		sum += s.Size
		m.Max = max(m.Max, s.Size)
	}
	m.Mean = float64(sum) / float64(len(ss))
	return m
}
