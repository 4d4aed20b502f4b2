package farmer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	cmttypes "github.com/cometbft/cometbft/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/clock"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// ErrSPNotFound is returned by Chain.SignagePoint for a signage point the chain does not hold.
var ErrSPNotFound = errors.New("signage point not found")

// Chain is what the farmer reads from and sends to the chain. Implementations are safe for
// concurrent use.
type Chain interface {
	Params(ctx context.Context) (farmingtypes.Params, error)
	State(ctx context.Context) (farmingtypes.FarmingState, error)
	LatestSignagePoint(ctx context.Context) (farmingtypes.SignagePoint, error)
	// SignagePoint returns one signage point, or ErrSPNotFound.
	SignagePoint(ctx context.Context, height int64) (farmingtypes.SignagePoint, error)
	// RecentSignagePoints lists up to limit kept signage points, newest first.
	RecentSignagePoints(ctx context.Context, limit uint64) ([]farmingtypes.SignagePoint, error)
	// Submitter is the address that sends (and pays for) proof transactions.
	Submitter() string
	// SubmitProof sends a proof transaction and waits for its block.
	SubmitProof(ctx context.Context, msg *farmingtypes.MsgSubmitProof) (int64, error)
}

// Signer signs with plot keys.
type Signer interface {
	// Sign signs msg with the plot key whose public key is pub.
	Sign(pub []byte, msg []byte) ([]byte, error)
}

// RPCChain is Chain over a chainclient (ABCI queries and CometBFT RPC), submitting with the
// submitter key and signing with the keyring's plot keys.
type RPCChain struct {
	c         *chainclient.Client
	submitter string
	address   string
	q         farmingtypes.QueryClient
	plotKeys  map[string]string // hex-free string(pubkey) → key name
}

// NewRPCChain connects to the chain of cfg and finds the plot keys in the keyring.
func NewRPCChain(cfg ChainConfig) (*RPCChain, error) {
	c, err := chainclient.New(chainclient.Config{
		RPC: cfg.RPC, ChainID: cfg.ChainID, KeyringDir: cfg.KeyringDir, KeyringBackend: cfg.KeyringBackend,
	})
	if err != nil {
		return nil, err
	}
	addr, err := c.Address(cfg.Submitter)
	if err != nil {
		return nil, fmt.Errorf("[chain] submitter: %w", err)
	}
	keys := map[string]string{}
	for _, name := range cfg.PlotKeys {
		rec, err := c.Keyring.Key(name)
		if err != nil {
			return nil, fmt.Errorf("[chain] plot_keys: %q: %w", name, err)
		}
		pk, err := rec.GetPubKey()
		if err != nil {
			return nil, err
		}
		if len(pk.Bytes()) != 32 {
			return nil, fmt.Errorf("[chain] plot_keys: %q is not an ed25519 key", name)
		}
		keys[string(pk.Bytes())] = name
	}
	return &RPCChain{c: c, submitter: cfg.Submitter, address: addr.String(), q: farmingtypes.NewQueryClient(c.Context()), plotKeys: keys}, nil
}

// Client is the underlying chain client.
func (r *RPCChain) Client() *chainclient.Client { return r.c }

// Submitter implements Chain.
func (r *RPCChain) Submitter() string { return r.address }

// Sign implements Signer with the keyring.
func (r *RPCChain) Sign(pub, msg []byte) ([]byte, error) {
	name, ok := r.plotKeys[string(pub)]
	if !ok {
		return nil, fmt.Errorf("no plot key for public key %x in [chain] plot_keys", pub)
	}
	sig, _, err := r.c.Keyring.Sign(name, msg, signingtypes.SignMode_SIGN_MODE_DIRECT)
	return sig, err
}

// Params implements Chain.
func (r *RPCChain) Params(ctx context.Context) (farmingtypes.Params, error) {
	res, err := r.q.Params(ctx, &farmingtypes.QueryParamsRequest{})
	if err != nil {
		return farmingtypes.Params{}, err
	}
	return res.Params, nil
}

// State implements Chain.
func (r *RPCChain) State(ctx context.Context) (farmingtypes.FarmingState, error) {
	res, err := r.q.State(ctx, &farmingtypes.QueryStateRequest{})
	if err != nil {
		return farmingtypes.FarmingState{}, err
	}
	return res.State, nil
}

// LatestSignagePoint implements Chain.
func (r *RPCChain) LatestSignagePoint(ctx context.Context) (farmingtypes.SignagePoint, error) {
	res, err := r.q.LatestSignagePoint(ctx, &farmingtypes.QueryLatestSignagePointRequest{})
	if err != nil {
		return farmingtypes.SignagePoint{}, notFound(err)
	}
	return res.SignagePoint, nil
}

// SignagePoint implements Chain.
func (r *RPCChain) SignagePoint(ctx context.Context, height int64) (farmingtypes.SignagePoint, error) {
	res, err := r.q.SignagePoint(ctx, &farmingtypes.QuerySignagePointRequest{Height: height})
	if err != nil {
		return farmingtypes.SignagePoint{}, notFound(err)
	}
	return res.SignagePoint, nil
}

// RecentSignagePoints implements Chain.
func (r *RPCChain) RecentSignagePoints(ctx context.Context, limit uint64) ([]farmingtypes.SignagePoint, error) {
	res, err := r.q.SignagePoints(ctx, &farmingtypes.QuerySignagePointsRequest{Pagination: pageLimit(limit)})
	if err != nil {
		return nil, err
	}
	return res.SignagePoints, nil
}

// SubmitProof implements Chain.
func (r *RPCChain) SubmitProof(ctx context.Context, msg *farmingtypes.MsgSubmitProof) (int64, error) {
	res, err := r.c.Submit(ctx, r.submitter, []sdk.Msg{msg})
	if err != nil {
		return 0, err
	}
	return res.Height, nil
}

func notFound(err error) error {
	if status.Code(err) == codes.NotFound || errors.Is(err, farmingtypes.ErrSignagePointNotFound) ||
		strings.Contains(err.Error(), farmingtypes.ErrSignagePointNotFound.Error()) {
		return fmt.Errorf("%w: %v", ErrSPNotFound, err)
	}
	return err
}

// subscribeBlocks wakes the farmer on every new block header until ctx ends, reconnecting after
// failures (the poll covers the gaps).
func subscribeBlocks(ctx context.Context, clk clock.Clock, remote string, wake chan<- struct{}, logf func(string, ...any)) error {
	if !strings.Contains(remote, "://") {
		remote = "tcp://" + remote
	}
	for ctx.Err() == nil {
		err := subscribeOnce(ctx, remote, wake)
		if ctx.Err() != nil {
			return nil
		}
		logf("block subscription ended; polling meanwhile", "err", err)
		if err := clk.Sleep(ctx, 5*time.Second); err != nil {
			return nil
		}
	}
	return nil
}

func subscribeOnce(ctx context.Context, remote string, wake chan<- struct{}) error {
	ws, err := rpchttp.New(remote, "/websocket")
	if err != nil {
		return err
	}
	if err := ws.Start(); err != nil {
		return err
	}
	defer func() { _ = ws.Stop() }()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	events, err := ws.Subscribe(sctx, "guild-farmer", cmttypes.EventQueryNewBlockHeader.String(), 16)
	cancel()
	if err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-events:
			if !ok {
				return errors.New("subscription closed")
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
}

func pageLimit(limit uint64) *query.PageRequest { return &query.PageRequest{Limit: limit} }
