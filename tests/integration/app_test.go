package integration

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/guild-network/guild/app"
	"github.com/guild-network/guild/internal/kittest"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

const (
	chainID = "guild-integration-1"
	usdc    = app.StableDenom
	gld     = app.BondDenom
)

// genesisTime is the header time of the first block.
var genesisTime = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// addr is a deterministic test address for a name.
func addr(name string) sdk.AccAddress {
	h := sha256.Sum256([]byte("guild/integration/" + name))
	return sdk.AccAddress(h[:20])
}

// nodeKey is a deterministic ed25519 key for a node.
func nodeKey(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("guild/integration/node/" + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// chain is one in-process app and the header of the block being built.
type chain struct {
	t      testing.TB
	app    *app.App
	height int64     // last committed height
	now    time.Time // last committed block time
	hashes [][]byte  // app hash of every committed block
	valSet *cmttypes.ValidatorSet
	// usdcSupply is the stablecoin supply seen by the first invariant check.
	usdcSupply sdkmath.Int
}

// funded is one genesis account with its coins.
type funded struct {
	addr  sdk.AccAddress
	coins sdk.Coins
}

// newChain starts an app from a deterministic genesis: one validator, the given funded accounts,
// and the market parameters patched by patchMarket (nil keeps the defaults). It commits the
// first block at genesisTime.
func newChain(t testing.TB, accounts []funded, patchMarket func(*markettypes.Params)) *chain {
	t.Helper()
	app.SetAddressPrefixes()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()), baseapp.SetChainID(chainID))
	c := &chain{t: t, app: a}

	pv := cmted25519.GenPrivKeyFromSecret([]byte("guild/integration/validator"))
	c.valSet = cmttypes.NewValidatorSet([]*cmttypes.Validator{cmttypes.NewValidator(pv.PubKey(), 1)})
	var genAccs []authtypes.GenesisAccount
	var balances []banktypes.Balance
	// The first account delegates to the validator (GenesisStateWithValSet's convention).
	staker := addr("staker")
	genAccs = append(genAccs, authtypes.NewBaseAccount(staker, nil, 0, 0))
	balances = append(balances, banktypes.Balance{Address: staker.String(), Coins: sdk.NewCoins(sdk.NewInt64Coin(gld, 1_000_000))})
	for _, f := range accounts {
		genAccs = append(genAccs, authtypes.NewBaseAccount(f.addr, nil, 0, 0))
		balances = append(balances, banktypes.Balance{Address: f.addr.String(), Coins: f.coins})
	}
	state, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), c.valSet, genAccs, balances...)
	require.NoError(t, err)
	if patchMarket != nil {
		var mg markettypes.GenesisState
		require.NoError(t, a.AppCodec().UnmarshalJSON(state[markettypes.ModuleName], &mg))
		patchMarket(&mg.Params)
		state[markettypes.ModuleName] = a.AppCodec().MustMarshalJSON(&mg)
	}
	stateBytes, err := cmtjson.MarshalIndent(state, "", " ")
	require.NoError(t, err)
	c.initChain(stateBytes)
	return c
}

// initChain runs InitChain with the app state and commits the first block at genesisTime.
func (c *chain) initChain(stateBytes []byte) {
	c.t.Helper()
	_, err := c.app.InitChain(&abci.RequestInitChain{
		ChainId: chainID, Time: genesisTime, InitialHeight: 1,
		Validators: []abci.ValidatorUpdate{}, ConsensusParams: simtestutil.DefaultConsensusParams,
		AppStateBytes: stateBytes,
	})
	require.NoError(c.t, err)
	c.now = genesisTime.Add(-time.Second)
	c.block(time.Second)
}

// header is the header of the block being built: the next height at the given time.
func (c *chain) header(at time.Time) cmtproto.Header {
	return cmtproto.Header{ChainID: chainID, Height: c.height + 1, Time: at}
}

// ctxAt is a context writing to the app's working state as part of the next block, at time at.
func (c *chain) ctxAt(at time.Time) sdk.Context {
	return c.app.NewUncachedContext(false, c.header(at)).WithEventManager(sdk.NewEventManager())
}

// block finalizes and commits the next block, d after the last one, and records its app hash.
func (c *chain) block(d time.Duration) {
	c.t.Helper()
	at := c.now.Add(d)
	res, err := c.app.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height: c.height + 1, Time: at, NextValidatorsHash: c.valSet.Hash(),
		ProposerAddress: c.valSet.Validators[0].Address,
	})
	require.NoError(c.t, err)
	for _, tx := range res.TxResults {
		require.Zero(c.t, tx.Code, tx.Log)
	}
	_, err = c.app.Commit()
	require.NoError(c.t, err)
	c.height++
	c.now = at
	c.hashes = append(c.hashes, res.AppHash)
}

// deliver routes msg through the app's Msg service router on ctx as a transaction would after
// its ante handler: ValidateBasic first, then the module's handler, whose events land in ctx's
// event manager.
func (c *chain) deliver(ctx sdk.Context, msg sdk.Msg) (*sdk.Result, error) {
	if vb, ok := msg.(sdk.HasValidateBasic); ok {
		if err := vb.ValidateBasic(); err != nil {
			return nil, err
		}
	}
	h := c.app.MsgServiceRouter().Handler(msg)
	if h == nil {
		return nil, fmt.Errorf("no handler for %s", sdk.MsgTypeURL(msg))
	}
	res, err := h(ctx, msg)
	if err != nil {
		return nil, err
	}
	// The router gives the message its own event manager and returns the events in the
	// result; the transaction's events are these, as baseapp collects them.
	for _, e := range res.GetEvents() {
		ctx.EventManager().EmitEvent(sdk.Event(e))
	}
	return res, nil
}

// checker is kittest's Checker on ctx with the app-wide snapshot and joint invariants.
func (c *chain) checker(ctx *sdk.Context) kittest.Checker {
	return kittest.Checker{
		T: c.t, Ctx: ctx,
		Snapshot:   func() any { return c.snapshot(*ctx) },
		Invariants: func() error { return c.invariants(*ctx) },
	}
}

// snapshot is everything a refused message must leave unchanged: the provider, market and bank
// (every balance and the supply) genesis as exported now.
func (c *chain) snapshot(ctx sdk.Context) map[string]string {
	out := map[string]string{}
	gen, err := c.app.ModuleManager().ExportGenesisForModules(ctx, c.app.AppCodec(), []string{
		providertypes.ModuleName, markettypes.ModuleName, banktypes.ModuleName,
	})
	require.NoError(c.t, err)
	for name, raw := range gen {
		out[name] = string(raw)
	}
	return out
}

// genesis exports the provider and market state at ctx.
func (c *chain) genesis(ctx sdk.Context) (providertypes.GenesisState, markettypes.GenesisState) {
	c.t.Helper()
	gen, err := c.app.ModuleManager().ExportGenesisForModules(ctx, c.app.AppCodec(), []string{providertypes.ModuleName, markettypes.ModuleName})
	require.NoError(c.t, err)
	var pg providertypes.GenesisState
	var mg markettypes.GenesisState
	require.NoError(c.t, c.app.AppCodec().UnmarshalJSON(gen[providertypes.ModuleName], &pg))
	require.NoError(c.t, c.app.AppCodec().UnmarshalJSON(gen[markettypes.ModuleName], &mg))
	return pg, mg
}

// committedCtx reads the last committed state.
func (c *chain) committedCtx() sdk.Context {
	return c.app.NewUncachedContext(false, cmtproto.Header{ChainID: chainID, Height: c.height, Time: c.now})
}

// rootCause is the innermost error of a wrapped chain: a registered sentinel for module errors,
// which errors.Is matches on a replay of the same call.
func rootCause(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// mustJSON renders v for failure messages.
func mustJSON(v any) string {
	bz, _ := json.Marshal(v)
	return string(bz)
}

// dec parses a decimal.
func dec(s string) sdkmath.LegacyDec { return sdkmath.LegacyMustNewDecFromStr(s) }
