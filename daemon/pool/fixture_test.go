package pool

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/internal/clock"
	"github.com/guild-network/guild/pospace"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// testK is the plot size of the tests: a k=14 plot takes about 0.1 s to make and has a proof for
// about 40 % of challenges.
const testK = 14

func addr(name string) string {
	h := sha256.Sum256([]byte(name))
	a, err := bech32.ConvertAndEncode("guild", h[:20])
	if err != nil {
		panic(err)
	}
	return a
}

func edKey(name string) ed25519.PrivateKey {
	s := sha256.Sum256([]byte("key/" + name))
	return ed25519.NewKeyFromSeed(s[:])
}

var poolAddr = addr("pool")

// testConfig is TestConfig with a DCF small enough that every k=14 proof passes at difficulty
// 1 (and few at difficulty 10 000).
func testConfig(t *testing.T) Config {
	c := TestConfig(t.TempDir())
	c.Pool.Address = poolAddr
	c.Proof.DCFBits = 40
	c.Proof.MinK = 12
	return c
}

// fakeChain is an in-memory chain with Cosmos's replay protection: a payout transaction is
// signed with the pool account's sequence and is included only while that sequence is current
// and its timeout height has not passed, so a double payment shows up in the balances.
type fakeChain struct {
	mu        sync.Mutex
	height    int64
	contracts map[store.Key]*PoolContract
	balances  map[string]uint64
	seq       uint64
	txs       map[string]*fakeTx
	mempool   []string
	absorbed  []store.Reward
	dropSends bool // Broadcast fails without reaching the mempool
}

type fakeTx struct {
	Seq      uint64
	Outputs  []Output
	Timeout  int64
	Denom    string
	included bool
	height   int64
}

func newFakeChain() *fakeChain {
	return &fakeChain{height: 1, contracts: map[store.Key]*PoolContract{}, balances: map[string]uint64{}, txs: map[string]*fakeTx{}}
}

func (c *fakeChain) SubscribeSignagePoints(ctx context.Context, _ func(SignagePoint)) error {
	<-ctx.Done()
	return ctx.Err()
}

func (c *fakeChain) Contract(_ context.Context, lid store.Key) (PoolContract, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	pc, ok := c.contracts[lid]
	if !ok {
		return PoolContract{}, ErrContractNotFound
	}
	return *pc, nil
}

func (c *fakeChain) ContractsTargeting(_ context.Context, target string) ([]PoolContract, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []PoolContract
	for _, pc := range c.contracts {
		if pc.Target == target {
			out = append(out, *pc)
		}
	}
	return out, nil
}

func (c *fakeChain) Absorb(_ context.Context, ids []uint64) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		for _, pc := range c.contracts {
			if pc.ID == id && pc.Balance > 0 {
				c.balances[pc.Target] += pc.Balance
				c.absorbed = append(c.absorbed, store.Reward{Key: fmt.Sprintf("absorb/%d/%d/%d", c.height, id, len(c.absorbed)),
					ContractID: id, Amount: pc.Balance, Height: c.height})
				pc.Balance = 0
			}
		}
	}
	return fmt.Sprintf("absorb-%d", c.height), nil
}

func (c *fakeChain) Absorbed(_ context.Context, target string, from int64) ([]store.Reward, int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if from > int64(len(c.absorbed)) {
		from = int64(len(c.absorbed))
	}
	return append([]store.Reward(nil), c.absorbed[from:]...), int64(len(c.absorbed)), nil
}

func (c *fakeChain) SignPayout(_ context.Context, denom string, outs []Output, timeout int64) (string, []byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tx := &fakeTx{Seq: c.seq, Outputs: outs, Timeout: timeout, Denom: denom}
	raw, _ := json.Marshal(tx)
	h := sha256.Sum256(raw)
	hash := hex.EncodeToString(h[:])
	if _, ok := c.txs[hash]; !ok {
		c.txs[hash] = tx
	}
	return hash, raw, nil
}

func (c *fakeChain) Broadcast(_ context.Context, raw []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropSends {
		return fmt.Errorf("connection refused")
	}
	h := sha256.Sum256(raw)
	hash := hex.EncodeToString(h[:])
	tx, ok := c.txs[hash]
	if !ok {
		return fmt.Errorf("unknown tx")
	}
	if tx.included {
		return fmt.Errorf("tx already in a block")
	}
	for _, m := range c.mempool {
		if m == hash {
			return nil
		}
	}
	c.mempool = append(c.mempool, hash)
	return nil
}

// mine makes a block: mempool transactions with the current sequence and a live timeout pay.
func (c *fakeChain) mine() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.height++
	for _, hash := range c.mempool {
		tx := c.txs[hash]
		if tx.Seq != c.seq || c.height > tx.Timeout {
			continue
		}
		var total uint64
		for _, o := range tx.Outputs {
			total += o.Amount
		}
		if c.balances[poolAddr] < total {
			continue
		}
		c.balances[poolAddr] -= total
		for _, o := range tx.Outputs {
			c.balances[o.Address] += o.Amount
		}
		tx.included, tx.height = true, c.height
		c.seq++
	}
	c.mempool = nil
}

func (c *fakeChain) Status(_ context.Context, hash string) (TxStatus, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tx, ok := c.txs[hash]
	if !ok || !tx.included {
		return TxStatus{}, nil
	}
	return TxStatus{Included: true, Success: true, Height: tx.height}, nil
}

func (c *fakeChain) Height(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.height, nil
}

func (c *fakeChain) balance(a string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.balances[a]
}

// win credits a pool contract's balance (its 7/8 of a won reward).
func (c *fakeChain) win(lid store.Key, amount uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.contracts[lid].Balance += amount
}

// plots caches one plot per pool contract across the package's tests.
var (
	plotsMu  sync.Mutex
	plotsDir string
	plots    = map[[2]uint64]*pospace.Prover{} // by (contract, k)
)

// farmerKit is one farmer: a pool contract on the fake chain, its keys and one plot.
type farmerKit struct {
	id     uint64
	lid    store.Key
	owner  ed25519.PrivateKey
	auth   ed25519.PrivateKey
	plot   ed25519.PrivateKey
	prover *pospace.Prover
	k      int
	payout string
}

func newFarmer(t testing.TB, c *fakeChain, cfg Config, id uint64) *farmerKit {
	t.Helper()
	return newFarmerK(t, c, cfg, id, testK)
}

// newFarmerK is newFarmer with a plot of size k.
func newFarmerK(t testing.TB, c *fakeChain, cfg Config, id uint64, k int) *farmerKit {
	t.Helper()
	name := fmt.Sprint("farmer", id)
	fk := &farmerKit{id: id, lid: store.Key(farmingtypes.PoolContractKey(id)), owner: edKey(name + "/owner"),
		auth: edKey(name + "/auth"), plot: edKey(name + "/plot"), payout: addr(name), k: k}
	plotsMu.Lock()
	defer plotsMu.Unlock()
	if plots[[2]uint64{id, uint64(k)}] == nil {
		if plotsDir == "" {
			plotsDir = filepathTemp()
		}
		pk := [32]byte(protocol.PublicKey(fk.plot))
		plotID := pospace.DerivePlotID(farmingtypes.PoolContractKey(id), pk)
		path := filepath.Join(plotsDir, pospace.PlotFileName(k, plotID))
		_, err := pospace.CreatePlot(context.Background(), path, pospace.PlotOptions{K: k, PlotID: plotID,
			PoolContractID: farmingtypes.PoolContractKey(id), PlotPublicKey: pk})
		require.NoError(t, err)
		pr, err := pospace.OpenProver(path)
		require.NoError(t, err)
		plots[[2]uint64{id, uint64(k)}] = pr
	}
	fk.prover = plots[[2]uint64{id, uint64(k)}]
	c.mu.Lock()
	c.contracts[fk.lid] = &PoolContract{LauncherID: fk.lid, ID: id, Owner: addr(name + "/owner"),
		OwnerPublicKey: [32]byte(protocol.PublicKey(fk.owner)), State: FarmingToPool, Target: cfg.Pool.Address,
		PoolURL: cfg.Pool.URL, RelativeLock: cfg.Pool.RelativeLock}
	c.mu.Unlock()
	return fk
}

func filepathTemp() string {
	dir, err := osMkdirTemp()
	if err != nil {
		panic(err)
	}
	return dir
}

// sp returns the i-th test signage point.
func sp(i uint64) SignagePoint {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], i)
	return SignagePoint{Height: i, Hash: farmingtypes.SignagePointHash(b[:])}
}

// partial builds a signed partial of the farmer for the signage point, if its plot has a proof.
func (fk *farmerKit) partial(t testing.TB, s SignagePoint, now time.Time) (*protocol.PostPartialRequest, bool) {
	t.Helper()
	pk := protocol.PublicKey(fk.plot)
	plotID := pospace.DerivePlotID(farmingtypes.PoolContractKey(fk.id), [32]byte(pk))
	ch := farmingtypes.ProofChallenge(plotID, s.Hash)
	qs, err := fk.prover.Qualities(ch)
	require.NoError(t, err)
	if len(qs) == 0 {
		return nil, false
	}
	proof, err := fk.prover.Proof(ch, 0)
	require.NoError(t, err)
	req := &protocol.PostPartialRequest{Payload: protocol.PostPartialPayload{
		LauncherID: protocol.Bytes32(fk.lid), AuthenticationToken: protocol.AuthToken(now, 5),
		ProofOfSpace: protocol.ProofOfSpace{Challenge: ch, PoolContractPuzzleHash: protocol.Bytes32(fk.lid),
			PlotPublicKey: pk, Size: uint8(fk.k), Proof: proof},
		SPHash: s.Hash, HarvesterID: protocol.Bytes32{7},
	}}
	req.AggregateSignature = protocol.SignPartial(&req.Payload, fk.plot, fk.auth)
	return req, true
}

// sps returns the first n signage points from start for which the farmer's plot has a proof.
func (fk *farmerKit) sps(start uint64, n int) []SignagePoint {
	var out []SignagePoint
	pk := protocol.PublicKey(fk.plot)
	plotID := pospace.DerivePlotID(farmingtypes.PoolContractKey(fk.id), [32]byte(pk))
	for i := start; len(out) < n; i++ {
		s := sp(i)
		if qs, _ := fk.prover.Qualities(farmingtypes.ProofChallenge(plotID, s.Hash)); len(qs) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func (fk *farmerKit) postFarmer(now time.Time, difficulty *uint64) *protocol.PostFarmerRequest {
	req := &protocol.PostFarmerRequest{Payload: protocol.PostFarmerPayload{LauncherID: protocol.Bytes32(fk.lid),
		AuthenticationToken: protocol.AuthToken(now, 5), AuthenticationPublicKey: protocol.PublicKey(fk.auth),
		PayoutInstructions: fk.payout, SuggestedDifficulty: difficulty}}
	req.Signature = protocol.Sign(fk.owner, req.Payload.Hash())
	return req
}

// env is a server over a fake chain and a fake clock, with its writer running.
type env struct {
	t     *testing.T
	cfg   Config
	chain *fakeChain
	clk   *clock.Fake
	srv   *Server
	st    store.Store
	dir   string // the store's directory, removed with the environment
	h     http.Handler
	stop  func()
	kit   *farmerKit // the fuzz target's farmer
}

func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	e := newEnvNoCleanup(t, cfg)
	t.Cleanup(func() { e.stop(); _ = e.st.Close(); _ = os.RemoveAll(e.dir) })
	return e
}

// newEnvNoCleanup is newEnv for an environment that outlives the test (the fuzz target's).
func newEnvNoCleanup(t *testing.T, cfg Config) *env {
	t.Helper()
	dir, err := os.MkdirTemp("", "guild-pool-env-")
	require.NoError(t, err)
	st, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "pool.db"))
	require.NoError(t, err)
	e := &env{t: t, dir: dir, cfg: cfg, chain: newFakeChain(), clk: clock.NewFake(time.Unix(1_800_000_000, 0)), st: st}
	e.start()
	return e
}

// start (re)creates the server over the same store and chain: a restart.
func (e *env) start() {
	srv, err := New(context.Background(), e.cfg, Options{Chain: e.chain, Store: e.st, Clock: e.clk})
	require.NoError(e.t, err)
	e.srv, e.h = srv, srv.Handler()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { _ = srv.writeLoop(stop); close(done) }()
	var once sync.Once
	e.stop = func() { once.Do(func() { close(stop); <-done }) }
}

// restart stops the writer and starts a new server (the store stays open, as a crash would
// leave the database file).
func (e *env) restart(cfg Config) {
	e.stop()
	e.cfg = cfg
	e.start()
}

// do sends a request and decodes the JSON answer into out (when not nil); it returns the
// status and the protocol error, if any.
func (e *env) do(method, path string, body any, out any) (int, *protocol.Error) {
	e.t.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = "10.0.0.1:5555"
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	raw := rec.Body.Bytes()
	var pe protocol.Error
	if json.Unmarshal(raw, &pe) == nil && pe.Code != 0 {
		return rec.Code, &pe
	}
	if out != nil {
		require.NoError(e.t, json.Unmarshal(raw, out), "body %s", raw)
	}
	return rec.Code, nil
}

func (e *env) join(fk *farmerKit) {
	e.t.Helper()
	var resp protocol.PostFarmerResponse
	_, perr := e.do("POST", "/farmer", fk.postFarmer(e.clk.Now(), nil), &resp)
	require.Nil(e.t, perr)
	require.NotEmpty(e.t, resp.WelcomeMessage)
}

func (e *env) farmer(fk *farmerKit) store.Farmer {
	e.t.Helper()
	f, err := e.st.Farmer(context.Background(), fk.lid)
	require.NoError(e.t, err)
	return f
}
