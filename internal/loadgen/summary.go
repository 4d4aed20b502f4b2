package loadgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Summary is what a run did, for people (Print) and scripts (JSON).
type Summary struct {
	Nodes     []string `json:"nodes"`
	Senders   int      `json:"senders"`
	Mix       string   `json:"mix"`
	SendingS  float64  `json:"sending_s"`  // start → the last broadcast
	MeasuredS float64  `json:"measured_s"` // start → the last commit seen: the tx/s window

	Submitted       int              `json:"submitted"` // accepted by CheckTx (or fate unknown)
	Committed       int              `json:"committed"`
	CommittedByKind map[Kind]int     `json:"committed_by_kind"`
	TPS             float64          `json:"committed_tps"`
	TPSByKind       map[Kind]float64 `json:"committed_tps_by_kind"`
	Latency         Latency          `json:"latency"`
	LatencyByKind   map[Kind]Latency `json:"latency_by_kind"`

	Rejected        map[string]int `json:"rejected"`         // refused by CheckTx, by reason
	Failed          map[string]int `json:"failed"`           // in a block with a non-zero code, by reason
	BroadcastErrors map[string]int `json:"broadcast_errors"` // the node did not answer
	Lost            map[string]int `json:"lost"`             // given up by their sender (they may still land)
	Uncommitted     int            `json:"uncommitted"`      // accepted, in no block at the end

	Blocks     Blocks  `json:"blocks"`
	Mempool    Mempool `json:"mempool"`
	HashesFile string  `json:"hashes_file,omitempty"`
}

// runStats counts what the senders saw; safe for concurrent use.
type runStats struct {
	mu                        sync.Mutex
	rejected, broadcast, lost map[string]int
	samples                   []MempoolSample
}

func newRunStats() runStats {
	return runStats{rejected: map[string]int{}, broadcast: map[string]int{}, lost: map[string]int{}}
}

func (r *runStats) count(m *map[string]int, reason string) {
	r.mu.Lock()
	(*m)[reason]++
	r.mu.Unlock()
}

func (r *runStats) mempool(s MempoolSample) {
	r.mu.Lock()
	r.samples = append(r.samples, s)
	r.mu.Unlock()
}

var digits = regexp.MustCompile(`[0-9]+`)

// reasonOf turns a result into a bounded reason key: codespace/code and the log's first clause
// (up to a comma, colon, semicolon or parenthesis) with numbers blanked, so "account sequence mismatch, expected 7, got 5: ..." from every
// sender counts as one reason.
func reasonOf(codespace string, code uint32, log string) string {
	msg := log
	if i := strings.IndexAny(msg, ",:;("); i >= 0 {
		msg = msg[:i]
	}
	msg = digits.ReplaceAllString(strings.TrimSpace(msg), "N")
	if len(msg) > 80 {
		msg = msg[:80]
	}
	if codespace == "" && code == 0 {
		return msg
	}
	return fmt.Sprintf("%s/%d: %s", codespace, code, msg)
}

// summarise computes the summary from the outcomes and blocks of a run.
func summarise(cfg Config, start, sent time.Time, firstHeight int64, outs []Outcome, blocks []BlockStat, st *runStats) Summary {
	s := Summary{
		Nodes: cfg.RPCs, Senders: cfg.Senders, Mix: cfg.Mix.String(), SendingS: sent.Sub(start).Seconds(),
		CommittedByKind: map[Kind]int{}, TPSByKind: map[Kind]float64{}, LatencyByKind: map[Kind]Latency{},
		Failed: map[string]int{}, Submitted: len(outs),
	}
	st.mu.Lock()
	s.Rejected, s.BroadcastErrors, s.Lost = copyMap(st.rejected), copyMap(st.broadcast), copyMap(st.lost)
	s.Mempool = MempoolOf(append([]MempoolSample(nil), st.samples...))
	st.mu.Unlock()
	var all []time.Duration
	byKind := map[Kind][]time.Duration{}
	end := start
	for _, o := range outs {
		switch {
		case o.Committed():
			s.Committed++
			s.CommittedByKind[o.Kind]++
			all = append(all, o.Latency())
			byKind[o.Kind] = append(byKind[o.Kind], o.Latency())
			if o.Seen.After(end) {
				end = o.Seen
			}
		case o.Height > 0:
			s.Failed[reasonOf(o.Codespace, o.Code, o.Log)]++
		default:
			s.Uncommitted++
		}
	}
	measured := end.Sub(start)
	s.MeasuredS = measured.Seconds()
	s.TPS = Rate(s.Committed, measured)
	s.Latency = LatencyOf(all)
	for k, ds := range byKind {
		s.TPSByKind[k] = Rate(len(ds), measured)
		s.LatencyByKind[k] = LatencyOf(ds)
	}
	var run []BlockStat
	for _, b := range blocks {
		if b.Height >= firstHeight {
			run = append(run, b)
		}
	}
	s.Blocks = BlocksOf(run)
	return s
}

func copyMap(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Print writes the summary for people.
func (s Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "load: %d senders over %d node(s), mix %s\n", s.Senders, len(s.Nodes), s.Mix)
	fmt.Fprintf(w, "committed: %d of %d accepted in %.1fs = %.1f tx/s", s.Committed, s.Submitted, s.MeasuredS, s.TPS)
	for _, k := range Kinds {
		if n := s.CommittedByKind[k]; n > 0 {
			fmt.Fprintf(w, "  %s %d (%.1f/s)", k, n, s.TPSByKind[k])
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "latency submit→block: p50 %dms  p90 %dms  p99 %dms  max %dms\n", s.Latency.P50, s.Latency.P90, s.Latency.P99, s.Latency.Max)
	fmt.Fprintf(w, "blocks %d..%d: %.1f txs (max %d), %.0f bytes (max %d), %.0f gas (max %d) per block, one every %.2fs\n",
		s.Blocks.First, s.Blocks.Last, s.Blocks.MeanTxs, s.Blocks.MaxTxs, s.Blocks.MeanBytes, s.Blocks.MaxBytes, s.Blocks.MeanGas, s.Blocks.MaxGas, s.Blocks.MeanPeriod)
	fmt.Fprintf(w, "mempool: mean %.0f, max %d unconfirmed txs (%d samples)\n", s.Mempool.Mean, s.Mempool.Max, len(s.Mempool.Samples))
	printReasons(w, "rejected by CheckTx", s.Rejected)
	printReasons(w, "failed in block", s.Failed)
	printReasons(w, "broadcast errors", s.BroadcastErrors)
	printReasons(w, "given up by sender", s.Lost)
	if s.Uncommitted > 0 {
		fmt.Fprintf(w, "uncommitted at the end: %d\n", s.Uncommitted)
	}
	if s.HashesFile != "" {
		fmt.Fprintf(w, "committed hashes: %s\n", s.HashesFile)
	}
}

func printReasons(w io.Writer, title string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s: %d × %s\n", title, m[k], k)
	}
}

// JSON encodes the summary.
func (s Summary) JSON() ([]byte, error) { return json.MarshalIndent(s, "", "  ") }

// Committed is one line of a hashes file: a transaction the generator saw committed.
type Committed struct {
	Height int64
	Hash   string
	Kind   Kind
}

// WriteHashes writes "height hash kind" for every committed outcome, in height order.
func WriteHashes(path string, outs []Outcome) error {
	var cs []Committed
	for _, o := range outs {
		if o.Committed() {
			cs = append(cs, Committed{o.Height, o.Hash, o.Kind})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Height != cs[j].Height {
			return cs[i].Height < cs[j].Height
		}
		return cs[i].Hash < cs[j].Hash
	})
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, c := range cs {
		fmt.Fprintf(w, "%d %s %s\n", c.Height, c.Hash, c.Kind)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadHashes reads a file written by WriteHashes.
func ReadHashes(path string) ([]Committed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cs []Committed
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var c Committed
		if _, err := fmt.Sscanf(sc.Text(), "%d %s %s", &c.Height, &c.Hash, &c.Kind); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		cs = append(cs, c)
	}
	return cs, sc.Err()
}
