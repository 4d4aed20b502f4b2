// Package chainclient signs, broadcasts and follows Guild transactions from Go, for the daemons
// and tools that act on the chain (the devnet's demo setup, the provider agent, load scripts).
// It uses the node's CometBFT RPC and a keyring; it keeps no state of its own.
package chainclient

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/internal/edkey"
	"github.com/guild-network/guild/internal/encoding"
)

// ErrTxFailed wraps a transaction the chain refused, in CheckTx or in its block.
var ErrTxFailed = errors.New("transaction failed")

// Config says how to reach the chain and where the keys are.
type Config struct {
	RPC            string // CometBFT RPC address, e.g. tcp://127.0.0.1:26657
	ChainID        string
	KeyringDir     string // home holding keyring-test (or keyring-file)
	KeyringBackend string // "test" (default) or "file"
	GasAdjustment  float64
	// Input answers keyring passphrase prompts for the file backend.
	Input io.Reader
}

// Client signs and broadcasts transactions. It is safe for concurrent use: transactions from
// the same key are serialised so their sequences never collide.
type Client struct {
	cfg     Config
	ctx     client.Context
	rpc     *rpchttp.HTTP
	Keyring keyring.Keyring
	locks   sync.Map // key name → *sync.Mutex
}

// New connects to the node's RPC (lazily: nothing is sent until the first call).
func New(cfg Config) (*Client, error) {
	if cfg.KeyringBackend == "" {
		cfg.KeyringBackend = keyring.BackendTest
	}
	if cfg.GasAdjustment == 0 {
		cfg.GasAdjustment = 1.5
	}
	if !strings.Contains(cfg.RPC, "://") {
		cfg.RPC = "tcp://" + cfg.RPC
	}
	// The codecs come from the module basics: every module's types, no app.
	enc := encoding.MakeConfig()
	kr, err := keyring.New("guild", cfg.KeyringBackend, cfg.KeyringDir, cfg.Input, enc.Codec, edkey.KeyringOption())
	if err != nil {
		return nil, fmt.Errorf("open keyring: %w", err)
	}
	rpc, err := client.NewClientFromNode(cfg.RPC)
	if err != nil {
		return nil, fmt.Errorf("rpc %s: %w", cfg.RPC, err)
	}
	ctx := client.Context{}.
		WithCodec(enc.Codec).WithInterfaceRegistry(enc.InterfaceRegistry).WithTxConfig(enc.TxConfig).
		WithLegacyAmino(enc.Amino).WithAccountRetriever(authtypes.AccountRetriever{}).
		WithChainID(cfg.ChainID).WithKeyring(kr).WithClient(rpc).WithNodeURI(cfg.RPC).
		WithBroadcastMode("sync").WithSkipConfirmation(true)
	return &Client{cfg: cfg, ctx: ctx, rpc: rpc, Keyring: kr}, nil
}

// Context returns the SDK client context (for gRPC-over-ABCI queries with a query client).
func (c *Client) Context() client.Context { return c.ctx }

// Address returns the address of a key in the keyring.
func (c *Client) Address(name string) (sdk.AccAddress, error) {
	rec, err := c.Keyring.Key(name)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	return rec.GetAddress()
}

// TxOption adjusts one transaction.
type TxOption func(*clienttx.Factory)

// WithFeeGranter pays the fee from a feegrant allowance of granter.
func WithFeeGranter(granter sdk.AccAddress) TxOption {
	return func(f *clienttx.Factory) { *f = f.WithFeeGranter(granter) }
}

// WithFees sets the fee, e.g. "2000ugld".
func WithFees(fees string) TxOption {
	return func(f *clienttx.Factory) { *f = f.WithFees(fees) }
}

// Result is a committed transaction.
type Result struct {
	Height int64
	Hash   string
	Code   uint32
	Log    string
	Events []Event
}

// Event is an ABCI event with its attributes.
type Event struct {
	Type       string
	Attributes map[string]string
}

// Submit signs msgs with key from, broadcasts them and waits until they are in a block. It
// returns ErrTxFailed (wrapped, with the chain's log) if the chain refuses them.
func (c *Client) Submit(ctx context.Context, from string, msgs []sdk.Msg, opts ...TxOption) (Result, error) {
	mu, _ := c.locks.LoadOrStore(from, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	hash, err := c.broadcast(ctx, from, msgs, opts)
	mu.(*sync.Mutex).Unlock()
	if err != nil {
		return Result{}, err
	}
	return c.WaitTx(ctx, hash)
}

func (c *Client) broadcast(ctx context.Context, from string, msgs []sdk.Msg, opts []TxOption) (string, error) {
	addr, err := c.Address(from)
	if err != nil {
		return "", err
	}
	cctx := c.ctx.WithFromName(from).WithFromAddress(addr).WithCmdContext(ctx)
	f := clienttx.Factory{}.
		WithTxConfig(c.ctx.TxConfig).WithAccountRetriever(c.ctx.AccountRetriever).WithKeybase(c.Keyring).
		WithChainID(c.cfg.ChainID).WithGasAdjustment(c.cfg.GasAdjustment).WithSimulateAndExecute(true).
		WithFromName(from)
	for _, o := range opts {
		o(&f)
	}
	f, err = f.Prepare(cctx)
	if err != nil {
		return "", fmt.Errorf("prepare tx for %s: %w", from, err)
	}
	_, gas, err := clienttx.CalculateGas(cctx, f, msgs...)
	if err != nil {
		return "", fmt.Errorf("%w: simulate: %v", ErrTxFailed, err)
	}
	f = f.WithGas(gas)
	builder, err := f.BuildUnsignedTx(msgs...)
	if err != nil {
		return "", err
	}
	if err := clienttx.Sign(ctx, f, from, builder, true); err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	bz, err := c.ctx.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return "", err
	}
	res, err := c.rpc.BroadcastTxSync(ctx, bz)
	if err != nil {
		return "", fmt.Errorf("broadcast: %w", err)
	}
	if res.Code != 0 {
		return "", fmt.Errorf("%w: check tx code %d: %s", ErrTxFailed, res.Code, res.Log)
	}
	return res.Hash.String(), nil
}

// WaitTx waits until the transaction with hash is in a block and returns its result.
func (c *Client) WaitTx(ctx context.Context, hash string) (Result, error) {
	raw, err := hex.DecodeString(hash)
	if err != nil {
		return Result{}, err
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		res, err := c.rpc.Tx(ctx, raw, false)
		if err == nil {
			out := Result{Height: res.Height, Hash: hash, Code: res.TxResult.Code, Log: res.TxResult.Log}
			for _, e := range res.TxResult.Events {
				ev := Event{Type: e.Type, Attributes: map[string]string{}}
				for _, a := range e.Attributes {
					ev.Attributes[a.Key] = strings.Trim(a.Value, `"`)
				}
				out.Events = append(out.Events, ev)
			}
			if out.Code != 0 {
				return out, fmt.Errorf("%w: code %d: %s", ErrTxFailed, out.Code, out.Log)
			}
			return out, nil
		}
		select {
		case <-ctx.Done():
			return Result{}, ctx.Err()
		case <-t.C:
		}
	}
}

// Attr returns the first value of attribute key in events of type typ.
func (r Result) Attr(typ, key string) string {
	for _, e := range r.Events {
		if e.Type == typ {
			if v, ok := e.Attributes[key]; ok {
				return v
			}
		}
	}
	return ""
}

// Height returns the latest block height.
func (c *Client) Height(ctx context.Context) (int64, error) {
	st, err := c.rpc.Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

// RPC returns the CometBFT RPC client (for subscriptions and block queries).
func (c *Client) RPC() *rpchttp.HTTP { return c.rpc }
