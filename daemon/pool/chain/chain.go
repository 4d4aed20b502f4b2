// Package chain is the pool server's adapter to a Guild node: it implements pool.Chain with
// x/farming queries (gRPC over ABCI), a CometBFT websocket subscription to new blocks for
// signage points, block results for absorptions, and bank multi-sends signed with a timeout
// height for payouts.
package chain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/guild-network/guild/daemon/pool"
	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/internal/chainclient"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// maxScanBlocks bounds the blocks whose results one Absorbed call reads.
const maxScanBlocks = 500

// absorbedEvent is the typed event x/farming emits for an absorption.
const absorbedEvent = "guild.farming.v1.EventAbsorbed"

// Adapter is pool.Chain over a node.
type Adapter struct {
	c    *chainclient.Client
	key  string
	addr sdk.AccAddress
	q    farmingtypes.QueryClient
	fees sdk.Coins
}

var _ pool.Chain = (*Adapter)(nil)
var _ pool.ParamsSource = (*Adapter)(nil)

// New returns an adapter that signs absorbs and payouts with key; fees (may be empty) is paid
// per transaction.
func New(c *chainclient.Client, key string, fees string) (*Adapter, error) {
	addr, err := c.Address(key)
	if err != nil {
		return nil, err
	}
	coins, err := sdk.ParseCoinsNormalized(fees)
	if err != nil {
		return nil, fmt.Errorf("fees %q: %w", fees, err)
	}
	return &Adapter{c: c, key: key, addr: addr, q: farmingtypes.NewQueryClient(c.Context()), fees: coins}, nil
}

// Address returns the pool's address (the key's).
func (a *Adapter) Address() string { return a.addr.String() }

// FarmingParams implements pool.ParamsSource.
func (a *Adapter) FarmingParams(ctx context.Context) (farmingtypes.Params, error) {
	res, err := a.q.Params(ctx, &farmingtypes.QueryParamsRequest{})
	if err != nil {
		return farmingtypes.Params{}, err
	}
	return res.Params, nil
}

// SubscribeSignagePoints follows new blocks over the websocket and reports the signage point
// each records; it first reports the latest one (catch-up after a restart).
func (a *Adapter) SubscribeSignagePoints(ctx context.Context, fn func(pool.SignagePoint)) error {
	rpc := a.c.RPC()
	if !rpc.IsRunning() {
		if err := rpc.Start(); err != nil {
			return fmt.Errorf("websocket: %w", err)
		}
	}
	events, err := rpc.Subscribe(ctx, "guild-pool", "tm.event='NewBlock'", 64)
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	defer func() { _ = rpc.UnsubscribeAll(context.Background(), "guild-pool") }()
	var last int64
	report := func() error {
		res, err := a.q.LatestSignagePoint(ctx, &farmingtypes.QueryLatestSignagePointRequest{})
		if status.Code(err) == codes.NotFound {
			return nil // a new chain has none until its second block
		} else if err != nil {
			return err
		}
		sp := res.SignagePoint
		if sp.Height <= last || len(sp.Hash) != 32 {
			return nil
		}
		last = sp.Height
		fn(pool.SignagePoint{Height: uint64(sp.Height), Hash: [32]byte(sp.Hash)})
		return nil
	}
	if err := report(); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-events:
			if !ok {
				return errors.New("block subscription closed")
			}
			if err := report(); err != nil {
				return err
			}
		}
	}
}

func toContract(pc farmingtypes.PoolContract) pool.PoolContract {
	out := pool.PoolContract{LauncherID: store.Key(farmingtypes.PoolContractKey(pc.Id)), ID: pc.Id, Owner: pc.Owner,
		State: pool.ContractState(pc.State), Target: pc.Target, PoolURL: pc.PoolUrl, RelativeLock: pc.RelativeLock,
		LeavingUntil: pc.LeavingUntil}
	copy(out.OwnerPublicKey[:], pc.OwnerPublicKey)
	if pc.Balance.IsUint64() {
		out.Balance = pc.Balance.Uint64()
	}
	return out
}

// ContractsTargeting implements pool.Contracts.
func (a *Adapter) ContractsTargeting(ctx context.Context, target string) ([]pool.PoolContract, error) {
	var out []pool.PoolContract
	var next []byte
	for {
		res, err := a.q.PoolContractsByTarget(ctx, &farmingtypes.QueryPoolContractsByTargetRequest{Target: target,
			Pagination: &query.PageRequest{Key: next, Limit: 200}})
		if err != nil {
			return nil, err
		}
		for _, pc := range res.PoolContracts {
			out = append(out, toContract(pc))
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return out, nil
		}
		next = res.Pagination.NextKey
	}
}

// Contract implements pool.Contracts: a launcher id is a hash of the contract id, so the
// contract is looked up among those targeting the pool (the only ones a farmer may join with).
func (a *Adapter) Contract(ctx context.Context, lid store.Key) (pool.PoolContract, error) {
	cs, err := a.ContractsTargeting(ctx, a.Address())
	if err != nil {
		return pool.PoolContract{}, err
	}
	for _, c := range cs {
		if c.LauncherID == lid {
			return c, nil
		}
	}
	return pool.PoolContract{}, pool.ErrContractNotFound
}

// Absorb implements pool.Rewards: one transaction with one MsgAbsorb per contract.
func (a *Adapter) Absorb(ctx context.Context, ids []uint64) (string, error) {
	msgs := make([]sdk.Msg, len(ids))
	for i, id := range ids {
		msgs[i] = &farmingtypes.MsgAbsorb{Signer: a.Address(), PoolContractId: id, Target: a.Address()}
	}
	var opts []chainclient.TxOption
	if !a.fees.IsZero() {
		opts = append(opts, chainclient.WithFees(a.fees.String()))
	}
	res, err := a.c.Submit(ctx, a.key, msgs, opts...)
	return res.Hash, err
}

// Absorbed implements pool.Rewards by reading the results of the blocks from fromHeight on
// (at most maxScanBlocks per call) for absorptions into target.
func (a *Adapter) Absorbed(ctx context.Context, target string, from int64) ([]store.Reward, int64, error) {
	latest, err := a.c.Height(ctx)
	if err != nil {
		return nil, from, err
	}
	if from < 1 {
		from = 1
	}
	to := min(latest, from+maxScanBlocks-1)
	var out []store.Reward
	for h := from; h <= to; h++ {
		hh := h
		res, err := a.c.RPC().BlockResults(ctx, &hh)
		if err != nil {
			return nil, from, fmt.Errorf("block results %d: %w", h, err)
		}
		for i, tx := range res.TxsResults {
			if tx.Code != 0 {
				continue
			}
			rs, err := absorptions(tx.Events, target, h, strconv.Itoa(i))
			if err != nil {
				return nil, from, err
			}
			out = append(out, rs...)
		}
		// A contract whose relative lock ends pays the pool what it won in BeginBlock: that
		// absorption is among the block's own events, not a transaction's.
		rs, err := absorptions(res.FinalizeBlockEvents, target, h, "b")
		if err != nil {
			return nil, from, err
		}
		out = append(out, rs...)
	}
	return out, to + 1, nil
}

// absorptions returns the absorptions into target among events of block h; where names the
// transaction index (or "b" for the block's own events) in each reward's unique key.
func absorptions(events []abci.Event, target string, h int64, where string) ([]store.Reward, error) {
	var out []store.Reward
	for _, ev := range events {
		if ev.Type != absorbedEvent {
			continue
		}
		attrs := map[string]string{}
		for _, at := range ev.Attributes {
			attrs[at.Key] = strings.Trim(at.Value, `"`)
		}
		if attrs["target"] != target {
			continue
		}
		id, err1 := strconv.ParseUint(attrs["id"], 10, 64)
		amt, ok := sdkmath.NewIntFromString(attrs["amount"])
		if err1 != nil || !ok || !amt.IsUint64() || amt.IsZero() {
			return nil, fmt.Errorf("block %d (%s): malformed %s %v", h, where, absorbedEvent, attrs)
		}
		out = append(out, store.Reward{Key: fmt.Sprintf("%d/%s/%d", h, where, id), ContractID: id, Amount: amt.Uint64(), Height: h})
	}
	return out, nil
}

// SignPayout implements pool.Payer: one bank multi-send from the pool's address, valid until
// timeoutHeight, signed with the account's committed sequence (the pool signs one payout at a
// time, so it never races itself).
func (a *Adapter) SignPayout(ctx context.Context, denom string, outs []pool.Output, timeoutHeight int64) (string, []byte, error) {
	total := sdkmath.ZeroInt()
	msg := &banktypes.MsgMultiSend{}
	for _, o := range outs {
		amt := sdkmath.NewIntFromUint64(o.Amount)
		total = total.Add(amt)
		msg.Outputs = append(msg.Outputs, banktypes.Output{Address: o.Address, Coins: sdk.NewCoins(sdk.NewCoin(denom, amt))})
	}
	msg.Inputs = []banktypes.Input{{Address: a.Address(), Coins: sdk.NewCoins(sdk.NewCoin(denom, total))}}
	cctx := a.c.Context()
	num, seq, err := cctx.AccountRetriever.GetAccountNumberSequence(cctx.WithCmdContext(ctx), a.addr)
	if err != nil {
		return "", nil, fmt.Errorf("account %s: %w", a.addr, err)
	}
	f := clienttx.Factory{}.WithTxConfig(cctx.TxConfig).WithKeybase(a.c.Keyring).WithChainID(cctx.ChainID).
		WithAccountNumber(num).WithSequence(seq).WithGas(200_000 + 30_000*uint64(len(outs))).WithFromName(a.key).
		WithTimeoutHeight(uint64(timeoutHeight)).WithFees(a.fees.String())
	builder, err := f.BuildUnsignedTx(msg)
	if err != nil {
		return "", nil, err
	}
	if err := clienttx.Sign(ctx, f, a.key, builder, true); err != nil {
		return "", nil, fmt.Errorf("sign: %w", err)
	}
	raw, err := cctx.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return "", nil, err
	}
	h := sha256.Sum256(raw)
	return strings.ToUpper(hex.EncodeToString(h[:])), raw, nil
}

// Broadcast implements pool.Payer; a transaction already in the mempool or cache is not an
// error.
func (a *Adapter) Broadcast(ctx context.Context, raw []byte) error {
	res, err := a.c.RPC().BroadcastTxSync(ctx, raw)
	if err != nil {
		if strings.Contains(err.Error(), "tx already exists in cache") {
			return nil
		}
		return err
	}
	if res.Code != 0 {
		return fmt.Errorf("%w: check tx code %d: %s", chainclient.ErrTxFailed, res.Code, res.Log)
	}
	return nil
}

// Status implements pool.Payer.
func (a *Adapter) Status(ctx context.Context, hash string) (pool.TxStatus, error) {
	raw, err := hex.DecodeString(hash)
	if err != nil {
		return pool.TxStatus{}, err
	}
	res, err := a.c.RPC().Tx(ctx, raw, false)
	if err != nil {
		if strings.Contains(err.Error(), "not found") {
			return pool.TxStatus{}, nil
		}
		return pool.TxStatus{}, err
	}
	return pool.TxStatus{Included: true, Success: res.TxResult.Code == 0, Height: res.Height}, nil
}

// Height implements pool.Payer.
func (a *Adapter) Height(ctx context.Context) (int64, error) { return a.c.Height(ctx) }
