package keeper_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"cosmossdk.io/core/header"
	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdkcodec "github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/pospace"
	"github.com/guild-network/guild/x/farming/keeper"
	farmingmodule "github.com/guild-network/guild/x/farming/module"
	"github.com/guild-network/guild/x/farming/types"
	"github.com/guild-network/guild/x/internal/modkit/kittest"
)

const (
	chainID   = "guild-test"
	startTime = int64(1_700_000_000)
	testK     = 18
)

var (
	farmerA, farmerB, poolAddr, stranger, blocked string
	moduleAddr                                    string
	// plots[i] is a k=18 plot of plot key i+1 bound to pool contract i+1.
	plots [2]*testPlot
)

type testPlot struct {
	priv     ed25519.PrivateKey
	pub      []byte
	contract uint64
	id       pospace.PlotID
	prover   *pospace.Prover
}

func addr(i byte) string { return sdk.AccAddress(slices.Repeat([]byte{i}, 20)).String() }

func plotKey(i byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(slices.Repeat([]byte{i}, 32))
}

// TestMain installs the bech32 prefix and opens (plotting on the first run, ~1 s each) two
// small k=18 plots kept in the temp directory, so the keeper tests use real proofs of space.
func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	farmerA, farmerB, poolAddr, stranger, blocked = addr(1), addr(2), addr(3), addr(4), addr(5)
	moduleAddr = authtypes.NewModuleAddress(types.ModuleName).String()
	dir := filepath.Join(os.TempDir(), "guild-farming-test-plots")
	for i := range plots {
		p, err := openPlot(dir, byte(i+1), uint64(i+1))
		if err != nil {
			panic(err)
		}
		plots[i] = p
	}
	os.Exit(m.Run())
}

func openPlot(dir string, key byte, contract uint64) (*testPlot, error) {
	priv := plotKey(key)
	pub := []byte(priv.Public().(ed25519.PublicKey))
	id, err := types.PlotID(contract, pub)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, pospace.PlotFileName(testK, id))
	prover, err := pospace.OpenProver(path)
	if err != nil {
		_ = os.Remove(path)
		tmp := path + ".tmp"
		if _, err := pospace.CreatePlot(context.Background(), tmp, pospace.PlotOptions{
			K: testK, PlotID: id, PoolContractID: types.PoolContractKey(contract), PlotPublicKey: [32]byte(pub),
		}); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp, path); err != nil {
			return nil, err
		}
		if prover, err = pospace.OpenProver(path); err != nil {
			return nil, err
		}
	}
	return &testPlot{priv: priv, pub: pub, contract: contract, id: id, prover: prover}, nil
}

// candidate is one proof a plot has for a signage point.
type candidate struct {
	proof   []byte
	quality [32]byte
}

func (p *testPlot) proofs(t testing.TB, spHash [32]byte) []candidate {
	t.Helper()
	ch := types.ProofChallenge(p.id, spHash)
	qs, err := p.prover.Qualities(ch)
	require.NoError(t, err)
	out := make([]candidate, len(qs))
	for i, q := range qs {
		proof, err := p.prover.Proof(ch, i)
		require.NoError(t, err)
		out[i] = candidate{proof: proof, quality: q}
	}
	return out
}

// msg builds a signed submission of a proof of plot p for signage point sp, paid to reward.
func (p *testPlot) msg(sp types.SignagePoint, proof []byte, reward, submitter string) *types.MsgSubmitProof {
	sig := ed25519.Sign(p.priv, types.ProofSignBytes(chainID, sp.Height, [32]byte(sp.Hash), reward))
	return &types.MsgSubmitProof{
		Submitter: submitter, SpHeight: sp.Height, PlotPublicKey: p.pub, PoolContractId: p.contract,
		K: testK, Proof: proof, RewardAddress: reward, Signature: sig,
	}
}

// testParams make every k=18 proof win at difficulty 1 (DCF 2^44): see the ADR's table.
func testParams() types.Params {
	p := types.DevnetParams()
	p.DifficultyConstantFactorBits = 44
	p.ClaimWindow = 3
	p.SpRetention = 10
	p.EpochLength = 8
	p.RewardPerSp = sdkmath.NewInt(1_000_003)
	return p
}

type fixture struct {
	t    testing.TB
	ctx  sdk.Context
	k    keeper.Keeper
	msg  types.MsgServer
	q    types.QueryServer
	bank *fakeBank
	gov  string
	c    kittest.Checker
	// commit commits the store, as the end of a block does (benchmarks measure on committed
	// state, as a chain does).
	commit func()
	// key and cdc give tests the raw store and the codec (index layout and gas tests).
	key *storetypes.KVStoreKey
	cdc sdkcodec.BinaryCodec
}

func setup(t testing.TB, params types.Params) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tc := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	enc := moduletestutil.MakeTestEncodingConfig(farmingmodule.AppModuleBasic{})
	bank := newFakeBank()
	bank.blocked[blocked] = true
	gov := authtypes.NewModuleAddress("gov").String()
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), gov, bank)
	f := &fixture{
		t: t, ctx: tc.Ctx.WithBlockTime(time.Unix(startTime, 0)).WithChainID(chainID).WithBlockHeight(1),
		k: k, msg: keeper.NewMsgServerImpl(k), q: keeper.NewQueryServerImpl(k), bank: bank, gov: gov,
		commit: func() { tc.CMS.Commit() },
		key:    key, cdc: enc.Codec,
	}
	gs := types.DefaultGenesis()
	gs.Params = params
	gs.State = types.NewFarmingState(params)
	require.NoError(t, k.InitGenesis(f.ctx, gs))
	// Block 1 begins: nothing to record yet, its hash is kept for block 2.
	f.ctx = f.ctx.WithHeaderInfo(header.Info{Height: 1, Hash: blockHash(1), ChainID: chainID})
	require.NoError(t, k.BeginBlock(f.ctx))
	f.c = kittest.Checker{T: t, Ctx: &f.ctx, Snapshot: f.snapshot, Invariants: func() error { return f.k.CheckInvariants(f.ctx) }}
	return f
}

func (f *fixture) snapshot() any {
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	return []any{gs, f.bank.snapshot()}
}

// blockHash is the (test) hash of block h.
func blockHash(h int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(h))
	s := sha256.Sum256(b[:])
	return s[:]
}

// next begins the next block, whose hash is blockHash(height), and runs BeginBlock.
func (f *fixture) next() []string {
	f.t.Helper()
	h := f.ctx.BlockHeight() + 1
	f.ctx = f.ctx.WithBlockHeight(h).WithBlockTime(time.Unix(startTime+h, 0)).
		WithHeaderInfo(header.Info{Height: h, Hash: blockHash(h), ChainID: chainID})
	return f.c.OK(func(ctx sdk.Context) error { return f.k.BeginBlock(ctx) })
}

// advance begins n blocks.
func (f *fixture) advance(n int) {
	for range n {
		f.next()
	}
}

func (f *fixture) sp(h int64) types.SignagePoint {
	f.t.Helper()
	sp, err := f.k.GetSignagePoint(f.ctx, h)
	require.NoError(f.t, err)
	return sp
}

func (f *fixture) state() types.FarmingState {
	st, err := f.k.GetState(f.ctx)
	require.NoError(f.t, err)
	return st
}

func (f *fixture) contract(id uint64) types.PoolContract {
	c, err := f.k.GetPoolContract(f.ctx, id)
	require.NoError(f.t, err)
	return c
}

// createContracts creates pool contracts 1 (owner farmerA) and 2 (owner farmerB).
func (f *fixture) createContracts() {
	for i, owner := range []string{farmerA, farmerB} {
		var res *types.MsgCreatePoolContractResponse
		f.c.OK(func(ctx sdk.Context) error {
			var err error
			res, err = f.msg.CreatePoolContract(ctx, &types.MsgCreatePoolContract{Owner: owner, OwnerPublicKey: plots[i].pub})
			return err
		}, &types.EventPoolContractCreated{})
		require.Equal(f.t, uint64(i+1), res.Id)
	}
}

// findSP advances block by block until the newest signage point has a proof from every listed
// plot, and returns it with the proofs (deterministic: block hashes are fixed).
func (f *fixture) findSP(ps ...*testPlot) (types.SignagePoint, [][]candidate) {
	f.t.Helper()
	for range 200 {
		f.next()
		sp := f.sp(f.ctx.BlockHeight() - 1)
		all := make([][]candidate, len(ps))
		ok := true
		for i, p := range ps {
			all[i] = p.proofs(f.t, [32]byte(sp.Hash))
			ok = ok && len(all[i]) > 0
		}
		if ok {
			return sp, all
		}
	}
	f.t.Fatal("no signage point with proofs from every plot in 200 blocks")
	return types.SignagePoint{}, nil
}

func (f *fixture) submit(m *types.MsgSubmitProof) func(sdk.Context) error {
	return func(ctx sdk.Context) error {
		_, err := f.msg.SubmitProof(ctx, m)
		return err
	}
}

// fakeBank is an in-memory bank keeper.
type fakeBank struct {
	balances map[string]sdk.Coins
	blocked  map[string]bool
}

func newFakeBank() *fakeBank {
	return &fakeBank{balances: map[string]sdk.Coins{}, blocked: map[string]bool{}}
}

func (b *fakeBank) balance(a string) sdkmath.Int { return b.balances[a].AmountOf("ugld") }

func (b *fakeBank) snapshot() []string {
	var out []string
	for a, c := range b.balances {
		out = append(out, a+"="+c.String())
	}
	slices.Sort(out)
	return out
}

func (b *fakeBank) MintCoins(_ context.Context, module string, amt sdk.Coins) error {
	a := authtypes.NewModuleAddress(module).String()
	b.balances[a] = b.balances[a].Add(amt...)
	return nil
}

func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error {
	from := authtypes.NewModuleAddress(module).String()
	bal, neg := b.balances[from].SafeSub(amt...)
	if neg {
		return sdkerrors.ErrInsufficientFunds
	}
	b.balances[from] = bal
	b.balances[to.String()] = b.balances[to.String()].Add(amt...)
	return nil
}

func (b *fakeBank) GetBalance(_ context.Context, a sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.balances[a.String()].AmountOf(denom))
}

func (b *fakeBank) BlockedAddr(a sdk.AccAddress) bool { return b.blocked[a.String()] }

func headerInfo(h int64) header.Info {
	return header.Info{Height: h, Hash: blockHash(h), ChainID: chainID}
}

func itoa(n int) string { return strconv.Itoa(n) }
