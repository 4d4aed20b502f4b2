// Package loadgen drives a Guild network with many senders at once and measures what it
// commits. Each sender is its own secp256k1 account (derived from a seed) that signs offline
// with an explicit account number and a locally counted sequence, broadcasts with
// broadcast_tx_sync to one of several nodes, and keeps a bounded number of transactions in
// flight. Inclusion is found by scanning every committed block (one block and one results
// request per height), never by one query per transaction. A run prints committed tx/s,
// submit → block latency percentiles, refusals and failures by reason, block and mempool
// figures, and writes the committed hashes with their heights for a checker (Verify).
//
// Threading: Setup and Run are called once each, in that order, from one goroutine; Run starts
// one goroutine per sender plus the block scanner and the mempool sampler and waits for all of
// them before it returns.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/guild-network/guild/internal/chainclient"
	markettypes "github.com/guild-network/guild/x/market/types"
)

// Generator is one load run against one network.
type Generator struct {
	cfg     Config
	cc      *chainclient.Client // the funder's, provider's and node's keys, on the first node
	cctx    client.Context      // codecs and the first node, for queries and signing
	nodes   *nodes
	tr      *tracker
	senders []*Sender
	offerID uint64
	nodeID  uint64
	log     io.Writer

	cancelScan context.CancelFunc
	scanDone   chan struct{}
	stats      runStats
}

// New validates cfg, opens the keyring and derives the senders. It sends nothing.
func New(cfg Config, log io.Writer) (*Generator, error) {
	if err := cfg.ValidateBasic(); err != nil {
		return nil, err
	}
	cc, err := chainclient.New(chainclient.Config{RPC: cfg.RPCs[0], ChainID: cfg.ChainID, KeyringDir: cfg.KeyringDir})
	if err != nil {
		return nil, err
	}
	n, err := dialNodes(cfg.RPCs)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = io.Discard
	}
	g := &Generator{cfg: cfg, cc: cc, cctx: cc.Context().WithClient(n.clients[0]), nodes: n, log: log}
	g.tr = newTracker(n, cfg.Poll)
	for i := 0; i < cfg.Senders; i++ {
		s := DeriveSender(cfg.Seed, i)
		s.rpc = i % len(n.clients)
		g.senders = append(g.senders, s)
	}
	g.stats = newRunStats()
	return g, nil
}

// Start begins scanning blocks from the next one; Setup and Run need it. Close stops it.
func (g *Generator) Start(ctx context.Context) error {
	if err := g.tr.start(ctx); err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(context.Background())
	g.cancelScan, g.scanDone = cancel, make(chan struct{})
	go func() { defer close(g.scanDone); g.tr.run(sctx) }()
	return nil
}

// Close stops the block scanner. It is idempotent.
func (g *Generator) Close() {
	if g.cancelScan != nil {
		g.cancelScan()
		<-g.scanDone
		g.cancelScan = nil
	}
}

// Senders returns the sender addresses, in index order.
func (g *Generator) Senders() []string {
	out := make([]string, len(g.senders))
	for i, s := range g.senders {
		out[i] = s.Addr.String()
	}
	return out
}

func (g *Generator) logf(format string, args ...any) { fmt.Fprintf(g.log, format+"\n", args...) }

// cctxFor is the client context on the node sender s broadcasts to.
func (g *Generator) cctxFor(s *Sender) client.Context {
	return g.cctx.WithClient(g.nodes.clients[s.rpc])
}

// Run sends load until the duration ends or Txs transactions were broadcast, waits up to Drain
// for the last ones to land, and summarises the run. Setup must have run.
func (g *Generator) Run(ctx context.Context) (Summary, error) {
	lctx := ctx
	if g.cfg.Duration > 0 {
		var cancel context.CancelFunc
		lctx, cancel = context.WithTimeout(ctx, g.cfg.Duration)
		defer cancel()
	}
	start := time.Now()
	firstHeight := g.tr.height() + 1
	mctx, stopMempool := context.WithCancel(ctx)
	var mwg sync.WaitGroup
	mwg.Add(1)
	go func() { defer mwg.Done(); g.sampleMempool(mctx, start) }()

	cycle := g.cfg.Mix.Cycle()
	var wg sync.WaitGroup
	for _, s := range g.senders {
		wg.Add(1)
		go func() { defer wg.Done(); g.sendLoop(lctx, s, Share(g.cfg.Txs, len(g.senders), s.Index), cycle) }()
	}
	wg.Wait()
	sent := time.Now()
	g.logf("load: sending stopped after %.1fs; waiting up to %s for %d transactions", sent.Sub(start).Seconds(), g.cfg.Drain, g.tr.inFlight())
	deadline := time.NewTimer(g.cfg.Drain)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
drain:
	for g.tr.inFlight() > 0 {
		select {
		case <-ctx.Done():
			break drain
		case <-deadline.C:
			break drain
		case <-tick.C:
		}
	}
	stopMempool()
	mwg.Wait()
	outs, blocks := g.tr.snapshot()
	sum := summarise(g.cfg, start, sent, firstHeight, outs, blocks, &g.stats)
	if g.cfg.HashesFile != "" {
		if err := WriteHashes(g.cfg.HashesFile, outs); err != nil {
			return sum, err
		}
		sum.HashesFile = g.cfg.HashesFile
	}
	return sum, nil
}

// sendLoop is one sender: sign, broadcast, keep at most InFlight transactions outstanding;
// after a sequence mismatch, a failure in a block, a lost transaction or a node that does not
// answer, let its outstanding transactions land and read the sequence again.
func (g *Generator) sendLoop(ctx context.Context, s *Sender, budget int, cycle []Kind) {
	var window []*Outcome
	resync := false
	pos := s.Index % len(cycle)
	for ctx.Err() == nil {
		kept := window[:0]
		for _, o := range window {
			select {
			case <-o.Done():
				if o.Code != 0 {
					resync = true // a failed tx in a block does not consume its sequence
				}
				continue
			default:
			}
			if time.Since(o.Submitted) > g.cfg.TxTimeout {
				g.stats.count(&g.stats.lost, "not in a block within the tx timeout")
				resync = true
				continue
			}
			kept = append(kept, o)
		}
		window = kept
		if len(window) >= g.cfg.InFlight || (resync && len(window) > 0) {
			select {
			case <-ctx.Done():
			case <-window[0].Done():
			case <-time.After(50 * time.Millisecond):
			}
			continue
		}
		if resync {
			if err := s.Resync(ctx, g.cctxFor(s)); err != nil {
				g.stats.count(&g.stats.broadcast, "resync: "+reasonOf("", 0, err.Error()))
				g.nextNode(s)
				sleep(ctx, 200*time.Millisecond)
				continue
			}
			resync = false
		}
		if budget == 0 {
			return
		}
		budget--
		kind := cycle[pos]
		pos = (pos + 1) % len(cycle)
		bz, hash, err := s.Sign(ctx, g.cctx, g.cfg.Gas, g.msg(s, kind))
		if err != nil {
			g.stats.count(&g.stats.broadcast, "sign: "+err.Error())
			return
		}
		o := &Outcome{Hash: hash, Kind: kind, Sender: s.Index, Submitted: time.Now()}
		g.tr.add(o)
		res, err := g.nodes.clients[s.rpc].BroadcastTxSync(ctx, bz)
		switch {
		case err != nil && ctx.Err() != nil:
			g.tr.drop(hash)
			return
		case err != nil:
			// The node may or may not have taken it: keep tracking it, it may still land.
			o.Unsure = true
			g.tr.accept(o)
			window = append(window, o) // wait for it (or its timeout) before reading the sequence
			g.stats.count(&g.stats.broadcast, reasonOf("", 0, err.Error()))
			resync = true
			g.nextNode(s)
			sleep(ctx, 200*time.Millisecond)
		case res.Code != 0:
			g.tr.drop(hash)
			g.stats.count(&g.stats.rejected, reasonOf(res.Codespace, res.Code, res.Log))
			switch {
			case res.Codespace == "sdk" && res.Code == codeUnauthorized:
				// A node still catching up after a restart checks against an old state (the
				// account or its number unknown there): try another node.
				resync = true
				g.nextNode(s)
				sleep(ctx, 200*time.Millisecond)
			case res.Codespace == "sdk" && res.Code == codeWrongSequence:
				resync = true
			}
			if res.Codespace == "mempool" || (res.Codespace == "sdk" && res.Code == codeMempoolFull) {
				sleep(ctx, 100*time.Millisecond)
			}
		default:
			s.Accept()
			g.tr.accept(o)
			window = append(window, o)
		}
	}
}

// Share is sender i's part of txs transactions over n senders: txs/n, one more for the first
// txs%n senders, so a bounded run is the same mix whatever the timing. txs 0 is unbounded (-1).
func Share(txs, n, i int) int {
	if txs == 0 {
		return -1
	}
	share := txs / n
	if i < txs%n {
		share++
	}
	return share
}

// SDK error codes the sender reacts to.
const (
	codeWrongSequence = 32
	codeUnauthorized  = 4 // signature verification failed
	codeMempoolFull   = 20
)

func (g *Generator) nextNode(s *Sender) { s.rpc = (s.rpc + 1) % len(g.nodes.clients) }

// msg builds the next transaction of kind for s.
func (g *Generator) msg(s *Sender, kind Kind) sdk.Msg {
	switch kind {
	case KindBook:
		return &markettypes.MsgBook{Tenant: s.Addr.String(), OfferId: g.offerID, Units: 1, DeploymentHash: loadDeployment[:], DeploymentData: fmt.Sprintf("load-%d-%d", s.Index, s.Sequence())}
	case KindClaim:
		id := s.leases[s.claim%len(s.leases)]
		s.claim++
		return &markettypes.MsgClaim{Sender: s.Addr.String(), LeaseId: id}
	default:
		to := g.senders[(s.Index+1)%len(g.senders)].Addr
		return &banktypes.MsgSend{FromAddress: s.Addr.String(), ToAddress: to.String(), Amount: sdk.NewCoins(sdk.NewCoin(nativeDenom, sdkmath.OneInt()))}
	}
}

var loadDeployment = [32]byte{'g', 'u', 'i', 'l', 'd', '/', 'l', 'o', 'a', 'd'}

// sampleMempool records the first answering node's number of unconfirmed transactions twice a
// second.
func (g *Generator) sampleMempool(ctx context.Context, start time.Time) {
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, c := range g.nodes.clients {
			if r, err := c.NumUnconfirmedTxs(ctx); err == nil {
				g.stats.mempool(MempoolSample{At: time.Since(start).Seconds(), Size: r.Total})
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
