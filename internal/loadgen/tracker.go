package loadgen

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Outcome is what became of one transaction the node accepted.
type Outcome struct {
	Hash      string
	Kind      Kind
	Sender    int
	Submitted time.Time
	Seen      time.Time // when the scanner saw its block
	Height    int64     // 0 while not in a block
	Code      uint32    // its result code in the block (0 = committed)
	Codespace string
	Log       string
	Unsure    bool // the broadcast failed in transport: the node may or may not have it
	done      chan struct{}
}

// Committed reports whether the transaction is in a block and succeeded.
func (o *Outcome) Committed() bool { return o.Height > 0 && o.Code == 0 }

// Latency is submit → the scanner seeing its block.
func (o *Outcome) Latency() time.Duration { return o.Seen.Sub(o.Submitted) }

// Done is closed when the transaction is found in a block.
func (o *Outcome) Done() <-chan struct{} { return o.done }

// tracker finds the generator's transactions by scanning every committed block (one block and
// one block-results request per height, whatever the number of transactions), not with one query
// per transaction. It asks the nodes in turn and moves on to the next one when a node fails.
type tracker struct {
	nodes *nodes
	poll  time.Duration

	mu      sync.Mutex
	pending map[string]*Outcome // accepted, not yet in a block
	all     []*Outcome          // every accepted transaction, in order
	blocks  []BlockStat
	next    int64 // next height to scan
	cur     int   // node asked
	errs    int   // consecutive scan errors
}

func newTracker(n *nodes, poll time.Duration) *tracker {
	return &tracker{nodes: n, poll: poll, pending: map[string]*Outcome{}}
}

// start sets the first height to scan to the node's next block.
func (t *tracker) start(ctx context.Context) error {
	var lastErr error
	for range t.nodes.clients {
		st, err := t.nodes.clients[t.cur].Status(ctx)
		if err == nil {
			t.next = st.SyncInfo.LatestBlockHeight + 1
			return nil
		}
		lastErr = err
		t.cur = (t.cur + 1) % len(t.nodes.clients)
	}
	return fmt.Errorf("no node answers: %w", lastErr)
}

// add registers a transaction before it is broadcast, so that a fast block cannot be missed.
func (t *tracker) add(o *Outcome) {
	o.done = make(chan struct{})
	t.mu.Lock()
	t.pending[o.Hash] = o
	t.mu.Unlock()
}

// drop forgets a transaction the node refused (it will never be in a block).
func (t *tracker) drop(hash string) {
	t.mu.Lock()
	delete(t.pending, hash)
	t.mu.Unlock()
}

// accept records a transaction the node took.
func (t *tracker) accept(o *Outcome) {
	t.mu.Lock()
	t.all = append(t.all, o)
	t.mu.Unlock()
}

// run scans blocks until ctx ends.
func (t *tracker) run(ctx context.Context) {
	tick := time.NewTicker(t.poll)
	defer tick.Stop()
	for {
		if err := t.scan(ctx); err != nil && ctx.Err() == nil {
			t.cur = (t.cur + 1) % len(t.nodes.clients)
			t.errs++
		} else {
			t.errs = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// scan reads every block from next up to the node's latest.
func (t *tracker) scan(ctx context.Context) error {
	c := t.nodes.clients[t.cur]
	st, err := c.Status(ctx)
	if err != nil {
		return err
	}
	for h := t.next; h <= st.SyncInfo.LatestBlockHeight; h++ {
		b, err := c.Block(ctx, &h)
		if err != nil {
			return err
		}
		res, err := c.BlockResults(ctx, &h)
		if err != nil {
			return err
		}
		if len(res.TxsResults) != len(b.Block.Txs) {
			return fmt.Errorf("block %d: %d txs but %d results", h, len(b.Block.Txs), len(res.TxsResults))
		}
		seen := time.Now()
		stat := BlockStat{Height: h, Time: b.Block.Time, Txs: len(b.Block.Txs)}
		t.mu.Lock()
		for i, tx := range b.Block.Txs {
			r := res.TxsResults[i]
			stat.Bytes += len(tx)
			stat.GasUsed += r.GasUsed
			o, ok := t.pending[TxHash(tx)]
			if !ok {
				continue
			}
			stat.Ours++
			o.Height, o.Code, o.Codespace, o.Log, o.Seen = h, r.Code, r.Codespace, r.Log, seen
			delete(t.pending, o.Hash)
			close(o.done)
		}
		t.blocks = append(t.blocks, stat)
		t.next = h + 1
		t.mu.Unlock()
	}
	return nil
}

// height is the last height scanned.
func (t *tracker) height() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.next - 1
}

// inFlight is the number of accepted transactions not yet seen in a block.
func (t *tracker) inFlight() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.pending)
}

// snapshot returns copies of the outcomes and block stats.
func (t *tracker) snapshot() ([]Outcome, []BlockStat) {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Outcome, len(t.all))
	for i, o := range t.all {
		out[i] = *o
	}
	return out, append([]BlockStat(nil), t.blocks...)
}
