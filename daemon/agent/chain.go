package agent

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/internal/chainclient"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// ErrLeaseNotFound is returned by Chain.Lease for a lease the chain does not know.
var ErrLeaseNotFound = errors.New("lease not found")

// Chain is what the agent reads from and sends to the chain. Implementations are safe for
// concurrent use; Submit waits until the transaction is in a block.
type Chain interface {
	Height(ctx context.Context) (int64, error)
	Node(ctx context.Context, id uint64) (providertypes.Node, error)
	Offer(ctx context.Context, id uint64) (providertypes.Offer, error)
	// NodeLeases lists every lease of a node in one state.
	NodeLeases(ctx context.Context, node uint64, state markettypes.LeaseState) ([]markettypes.Lease, error)
	// Lease returns one lease, or ErrLeaseNotFound.
	Lease(ctx context.Context, id uint64) (markettypes.Lease, error)
	MarketParams(ctx context.Context) (markettypes.Params, error)
	// BlockEvents returns the x/market events of a block, decoded.
	BlockEvents(ctx context.Context, height int64) ([]proto.Message, error)
	// Submit signs msgs with the node key (fees from the fee grant), broadcasts them and waits
	// for the block; it returns the block height and each message's response.
	Submit(ctx context.Context, msgs ...sdk.Msg) (TxResult, error)
}

// TxResult is a committed transaction of the agent's.
type TxResult struct {
	Height    int64
	Hash      string
	Responses []*codectypes.Any
}

// RPCChain is Chain over a chainclient (ABCI queries and CometBFT RPC).
type RPCChain struct {
	c       *chainclient.Client
	key     string
	granter sdk.AccAddress
	market  markettypes.QueryClient
	prov    providertypes.QueryClient
}

var _ Chain = (*RPCChain)(nil)

// NewRPCChain signs with key; granter (may be nil) pays the fees through its fee grant.
func NewRPCChain(c *chainclient.Client, key string, granter sdk.AccAddress) *RPCChain {
	return &RPCChain{
		c: c, key: key, granter: granter,
		market: markettypes.NewQueryClient(c.Context()), prov: providertypes.NewQueryClient(c.Context()),
	}
}

// SetGranter sets who pays the fees.
func (r *RPCChain) SetGranter(granter sdk.AccAddress) { r.granter = granter }

// Height implements Chain.
func (r *RPCChain) Height(ctx context.Context) (int64, error) { return r.c.Height(ctx) }

// Node implements Chain.
func (r *RPCChain) Node(ctx context.Context, id uint64) (providertypes.Node, error) {
	res, err := r.prov.Node(ctx, &providertypes.QueryNodeRequest{Id: id})
	if err != nil {
		return providertypes.Node{}, fmt.Errorf("node %d: %w", id, err)
	}
	return res.Node, nil
}

// Offer implements Chain.
func (r *RPCChain) Offer(ctx context.Context, id uint64) (providertypes.Offer, error) {
	res, err := r.prov.Offer(ctx, &providertypes.QueryOfferRequest{Id: id})
	if err != nil {
		return providertypes.Offer{}, fmt.Errorf("offer %d: %w", id, err)
	}
	return res.Offer, nil
}

// FindNode returns the node of provider whose account is addr.
func (r *RPCChain) FindNode(ctx context.Context, provider, addr string) (providertypes.Node, error) {
	var key []byte
	for {
		res, err := r.prov.Nodes(ctx, &providertypes.QueryNodesRequest{Provider: provider, Pagination: &query.PageRequest{Key: key, Limit: 100}})
		if err != nil {
			return providertypes.Node{}, fmt.Errorf("nodes of %s: %w", provider, err)
		}
		for _, n := range res.Nodes {
			if n.Account == addr {
				return n, nil
			}
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return providertypes.Node{}, fmt.Errorf("provider %s has no node with account %s", provider, addr)
		}
		key = res.Pagination.NextKey
	}
}

// NodeLeases implements Chain. The query pages by offset over the node's leases in the state.
func (r *RPCChain) NodeLeases(ctx context.Context, node uint64, state markettypes.LeaseState) ([]markettypes.Lease, error) {
	var out []markettypes.Lease
	const limit = 200
	for offset := uint64(0); ; offset += limit {
		res, err := r.market.Leases(ctx, &markettypes.QueryLeasesRequest{
			NodeId: node, State: state, Pagination: &query.PageRequest{Offset: offset, Limit: limit},
		})
		if err != nil {
			return nil, fmt.Errorf("leases of node %d in %s: %w", node, state, err)
		}
		out = append(out, res.Leases...)
		if len(res.Leases) < limit {
			return out, nil
		}
	}
}

// Lease implements Chain.
func (r *RPCChain) Lease(ctx context.Context, id uint64) (markettypes.Lease, error) {
	res, err := r.market.Lease(ctx, &markettypes.QueryLeaseRequest{Id: id})
	if status.Code(err) == codes.NotFound {
		return markettypes.Lease{}, fmt.Errorf("lease %d: %w", id, ErrLeaseNotFound)
	}
	if err != nil {
		return markettypes.Lease{}, fmt.Errorf("lease %d: %w", id, err)
	}
	return res.Lease, nil
}

// MarketParams implements Chain.
func (r *RPCChain) MarketParams(ctx context.Context) (markettypes.Params, error) {
	res, err := r.market.Params(ctx, &markettypes.QueryParamsRequest{})
	if err != nil {
		return markettypes.Params{}, err
	}
	return res.Params, nil
}

// BlockEvents implements Chain: the x/market typed events of successful transactions and of
// the block's begin/end work.
func (r *RPCChain) BlockEvents(ctx context.Context, height int64) ([]proto.Message, error) {
	h := height
	res, err := r.c.RPC().BlockResults(ctx, &h)
	if err != nil {
		return nil, fmt.Errorf("block results %d: %w", height, err)
	}
	var events []abci.Event
	for _, tx := range res.TxsResults {
		if tx != nil && tx.Code == 0 {
			events = append(events, tx.Events...)
		}
	}
	events = append(events, res.FinalizeBlockEvents...)
	return MarketEvents(events), nil
}

// MarketEvents decodes the x/market typed events among events; others are skipped.
func MarketEvents(events []abci.Event) []proto.Message {
	prefix := proto.MessageName(&markettypes.EventLeaseCreated{})
	prefix = prefix[:strings.LastIndexByte(prefix, '.')+1]
	var out []proto.Message
	for _, e := range events {
		if !strings.HasPrefix(e.Type, prefix) {
			continue
		}
		msg, err := sdk.ParseTypedEvent(e)
		if err != nil {
			continue
		}
		out = append(out, msg)
	}
	return out
}

// Submit implements Chain.
func (r *RPCChain) Submit(ctx context.Context, msgs ...sdk.Msg) (TxResult, error) {
	var opts []chainclient.TxOption
	if r.granter != nil {
		opts = append(opts, chainclient.WithFeeGranter(r.granter))
	}
	res, err := r.c.Submit(ctx, r.key, msgs, opts...)
	if err != nil {
		return TxResult{Height: res.Height, Hash: res.Hash}, err
	}
	out := TxResult{Height: res.Height, Hash: res.Hash}
	raw, err := hex.DecodeString(res.Hash)
	if err != nil {
		return out, nil
	}
	tx, err := r.c.RPC().Tx(ctx, raw, false)
	if err != nil {
		return out, nil // committed; responses are a nicety
	}
	var data sdk.TxMsgData
	if err := data.Unmarshal(tx.TxResult.Data); err == nil {
		out.Responses = data.MsgResponses
	}
	return out, nil
}
