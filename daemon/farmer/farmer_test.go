package farmer

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/daemonkit"
	"github.com/guild-network/guild/pospace"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

const testChainID = "guild-dev-1"

func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	os.Exit(m.Run())
}

var plotPriv = ed25519.NewKeyFromSeed(slices.Repeat([]byte{7}, 32))

// testPlotDir returns a directory holding one k=18 plot of plotPriv bound to pool contract 1,
// plotted once (~1 s) and cached in the temp directory.
func testPlotDir(t testing.TB) string {
	t.Helper()
	cache := filepath.Join(os.TempDir(), "guild-farmer-test-plot")
	pub := []byte(plotPriv.Public().(ed25519.PublicKey))
	id, err := farmingtypes.PlotID(1, pub)
	require.NoError(t, err)
	path := filepath.Join(cache, pospace.PlotFileName(18, id))
	if p, err := pospace.OpenProver(path); err == nil {
		p.Close()
	} else {
		require.NoError(t, os.MkdirAll(cache, 0o755))
		_, err := pospace.CreatePlot(context.Background(), path+".tmp", pospace.PlotOptions{
			K: 18, PlotID: id, PoolContractID: farmingtypes.PoolContractKey(1), PlotPublicKey: [32]byte(pub),
		})
		require.NoError(t, err)
		require.NoError(t, os.Rename(path+".tmp", path))
	}
	dir := t.TempDir()
	require.NoError(t, os.Symlink(path, filepath.Join(dir, filepath.Base(path))))
	return dir
}

func testParams() farmingtypes.Params {
	p := farmingtypes.DevnetParams()
	p.DifficultyConstantFactorBits = 44 // every k=18 proof wins at difficulty 1
	return p
}

// fakeChain is an in-memory Chain that checks submissions as the chain does (stateless part).
type fakeChain struct {
	mu        sync.Mutex
	params    farmingtypes.Params
	sps       map[int64]farmingtypes.SignagePoint
	latest    int64
	submitted []*farmingtypes.MsgSubmitProof
	refuse    error
}

func newFakeChain(p farmingtypes.Params) *fakeChain {
	return &fakeChain{params: p, sps: map[int64]farmingtypes.SignagePoint{}}
}

func (c *fakeChain) addSP(h int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(h))
	bh := sha256.Sum256(b[:])
	hash := farmingtypes.SignagePointHash(bh[:])
	c.sps[h] = farmingtypes.SignagePoint{Height: h, Hash: hash[:], Difficulty: 1, Time: 1000 + h, CloseHeight: h + 6, Reward: sdkmath.ZeroInt()}
	c.latest = h
}

func (c *fakeChain) Params(context.Context) (farmingtypes.Params, error) { return c.params, nil }
func (c *fakeChain) State(context.Context) (farmingtypes.FarmingState, error) {
	return farmingtypes.FarmingState{Difficulty: 1}, nil
}
func (c *fakeChain) Submitter() string { return sdk.AccAddress(slices.Repeat([]byte{9}, 20)).String() }
func (c *fakeChain) LatestSignagePoint(ctx context.Context) (farmingtypes.SignagePoint, error) {
	c.mu.Lock()
	h := c.latest
	c.mu.Unlock()
	if h == 0 {
		return farmingtypes.SignagePoint{}, ErrSPNotFound
	}
	return c.SignagePoint(ctx, h)
}
func (c *fakeChain) SignagePoint(_ context.Context, h int64) (farmingtypes.SignagePoint, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sp, ok := c.sps[h]
	if !ok {
		return sp, ErrSPNotFound
	}
	return sp, nil
}
func (c *fakeChain) RecentSignagePoints(context.Context, uint64) ([]farmingtypes.SignagePoint, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []farmingtypes.SignagePoint
	for h := c.latest; h > 0; h-- {
		if sp, ok := c.sps[h]; ok {
			out = append(out, sp)
		}
	}
	return out, nil
}
func (c *fakeChain) SubmitProof(_ context.Context, m *farmingtypes.MsgSubmitProof) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refuse != nil {
		return 0, c.refuse
	}
	sp := c.sps[m.SpHeight]
	ev, err := farmingtypes.EvaluateProof(c.params, m.PoolContractId, m.PlotPublicKey, m.K, m.Proof, [32]byte(sp.Hash), sp.Difficulty)
	if err != nil {
		return 0, err
	}
	if err := farmingtypes.VerifyProofSignature(m.PlotPublicKey, testChainID, m.SpHeight, [32]byte(sp.Hash), m.RewardAddress, m.Signature); err != nil {
		return 0, err
	}
	sp.Best = &farmingtypes.BestProof{PlotId: ev.PlotID[:], Quality: ev.Quality[:], RequiredIters: ev.RequiredIters, RewardAddress: m.RewardAddress, PoolContractId: m.PoolContractId}
	c.sps[m.SpHeight] = sp
	c.submitted = append(c.submitted, m)
	return c.latest + 1, nil
}

type keySigner struct{}

func (keySigner) Sign(pub, msg []byte) ([]byte, error) {
	if string(pub) != string(plotPriv.Public().(ed25519.PublicKey)) {
		return nil, errors.New("unknown plot key")
	}
	return ed25519.Sign(plotPriv, msg), nil
}

type fakePool struct {
	mu       sync.Mutex
	diff     uint64
	partials []Proof
}

func (p *fakePool) Difficulty(id uint64) uint64 {
	if id != 1 {
		return 0
	}
	return p.diff
}
func (p *fakePool) SubmitPartial(_ context.Context, pr Proof) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.partials = append(p.partials, pr)
	return nil
}

func TestFarmerSubmitsCatchesUpAndCountsWins(t *testing.T) {
	dir := testPlotDir(t)
	cfg := TestConfig(dir)
	chain := newFakeChain(testParams())
	for h := int64(1); h <= 8; h++ {
		chain.addSP(h)
	}
	pool := &fakePool{diff: 1}
	f, err := New(cfg, chain, Options{Signer: keySigner{}, Log: daemonkit.Discard(), Pool: pool})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, f.Step(ctx))

	// Only the signage points still open were looked up (claim_window back from the latest),
	// and every submission passed the chain's checks (proof, filter, signature).
	first := len(chain.submitted)
	require.Positive(t, first)
	for _, m := range chain.submitted {
		require.Greater(t, m.SpHeight, int64(8-testParams().ClaimWindow))
		require.Equal(t, cfg.Farming.RewardAddress, m.RewardAddress)
		require.Equal(t, chain.Submitter(), m.Submitter)
	}
	require.Equal(t, float64(first), value(f.m.submitted))
	require.Equal(t, float64(testParams().ClaimWindow), value(f.m.sps))
	// Partials at pool difficulty 1: the pool client got every proof of each looked-up SP.
	require.GreaterOrEqual(t, len(pool.partials), first)
	for _, p := range pool.partials {
		ev, err := farmingtypes.EvaluateProof(testParams(), 1, p.Plot.PublicKey, p.Plot.K, p.Proof, p.SPHash, p.Difficulty)
		require.NoError(t, err)
		require.Equal(t, p.RequiredIters, ev.RequiredIters)
	}

	// Wins: the chain closes the submitted signage points with our proof held.
	chain.mu.Lock()
	for h, sp := range chain.sps {
		if sp.Best != nil {
			sp.Awarded = true
			sp.Reward = sdkmath.NewInt(1_000_000)
			chain.sps[h] = sp
		}
	}
	chain.mu.Unlock()
	require.NoError(t, f.Step(ctx))
	require.Equal(t, float64(first), value(f.m.won))
	status, err := ComputeStatus(ctx, chain, f.Harvester(), cfg.Farming.RewardAddress)
	require.NoError(t, err)
	require.Len(t, status.Plots, 1)
	require.Len(t, status.RecentWins, first)
	require.Equal(t, "1.0", status.ExpectedSPsPerWin, "with DCF 2^44 every proof wins")
	require.NotEmpty(t, status.EstimatedTimeToWin)
	require.NoError(t, f.Close())
	require.NoError(t, f.Close(), "Close is idempotent")

	// A restart resumes from the cursor: nothing is submitted twice; a new SP is farmed.
	g, err := New(cfg, chain, Options{Signer: keySigner{}, Log: daemonkit.Discard()})
	require.NoError(t, err)
	defer g.Close()
	require.NoError(t, g.Step(ctx))
	require.Len(t, chain.submitted, first)
	require.Zero(t, value(g.m.sps))
	for h := int64(9); ; h++ {
		chain.addSP(h)
		require.NoError(t, g.Step(ctx))
		if len(chain.submitted) > first {
			require.Equal(t, h, chain.submitted[len(chain.submitted)-1].SpHeight)
			break
		}
		require.Less(t, h, int64(60), "the plot should find a proof within 50 signage points")
	}

	// A refused submission is counted and does not stop the farmer.
	chain.refuse = errors.New("proof not better")
	before := value(g.m.submitFails)
	for h := int64(100); value(g.m.submitFails) == before; h++ {
		chain.addSP(h)
		require.NoError(t, g.Step(ctx))
		require.Less(t, h, int64(160))
	}
}

func TestFarmerSkipsWhatTheChainAlreadyBeats(t *testing.T) {
	dir := testPlotDir(t)
	chain := newFakeChain(testParams())
	f, err := New(TestConfig(dir), chain, Options{Signer: keySigner{}, Log: daemonkit.Discard()})
	require.NoError(t, err)
	defer f.Close()
	// Every signage point already holds an unbeatable proof (1 iteration, zero quality).
	for h := int64(1); h <= 30; h++ {
		chain.addSP(h)
		sp := chain.sps[h]
		sp.Best = &farmingtypes.BestProof{RequiredIters: 1, Quality: make([]byte, 32)}
		chain.sps[h] = sp
		require.NoError(t, f.Step(context.Background()))
	}
	require.Empty(t, chain.submitted)
	require.Positive(t, value(f.m.found))
}

func TestConfigValidation(t *testing.T) {
	good := TestConfig(t.TempDir())
	require.NoError(t, good.ValidateBasic())
	withPool := good
	withPool.Pool = PoolConfig{URL: "http://127.0.0.1:8444", OwnerKey: "owner", PayoutAddress: good.Farming.RewardAddress}
	require.NoError(t, withPool.ValidateBasic())
	pooled := func(edit func(*PoolConfig)) func(*Config) {
		return func(c *Config) { c.Pool = withPool.Pool; edit(&c.Pool) }
	}
	cases := []struct {
		name, section string
		edit          func(*Config)
	}{
		{"rpc", "chain", func(c *Config) { c.Chain.RPC = "" }},
		{"backend", "chain", func(c *Config) { c.Chain.KeyringBackend = "os" }},
		{"plot keys", "chain", func(c *Config) { c.Chain.PlotKeys = nil }},
		{"timeout", "chain", func(c *Config) { c.Chain.TxTimeout = 0 }},
		{"reward", "farming", func(c *Config) { c.Farming.RewardAddress = "x" }},
		{"contracts", "farming", func(c *Config) { c.Farming.PoolContracts = nil }},
		{"contract 0", "farming", func(c *Config) { c.Farming.PoolContracts = []uint64{0} }},
		{"dirs", "farming", func(c *Config) { c.Farming.PlotDirs = nil }},
		{"poll", "loop", func(c *Config) { c.Loop.PollInterval = 0 }},
		{"server", "server", func(c *Config) { c.Server.Listen = "nope" }},
		{"log", "log", func(c *Config) { c.Log.Level = "loud" }},
		{"pool url", "pool", pooled(func(p *PoolConfig) { p.URL = "127.0.0.1:8444" })},
		{"pool scheme", "pool", pooled(func(p *PoolConfig) { p.URL = "ftp://pool.example.org" })},
		{"pool owner", "pool", pooled(func(p *PoolConfig) { p.OwnerKey = "" })},
		{"pool payout", "pool", pooled(func(p *PoolConfig) { p.PayoutAddress = "guild1nope" })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := good
			c.edit(&cfg)
			err := cfg.ValidateBasic()
			require.ErrorIs(t, err, daemonkit.ErrInvalidConfig)
			var ce *daemonkit.ConfigError
			require.True(t, errors.As(err, &ce))
			require.Equal(t, c.section, ce.Section)
		})
	}
	// Plots bound to another pool contract are skipped, and no plot at all is an error.
	cfg := TestConfig(testPlotDir(t))
	cfg.Farming.PoolContracts = []uint64{2}
	_, err := New(cfg, newFakeChain(testParams()), Options{Signer: keySigner{}, Log: daemonkit.Discard()})
	require.ErrorIs(t, err, ErrNoPlots)
}

// value reads a counter or gauge.
func value(m prometheus.Metric) float64 {
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		panic(err)
	}
	if d.Counter != nil {
		return d.Counter.GetValue()
	}
	return d.Gauge.GetValue()
}
