package ado

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/clock"
	credittypes "github.com/guild-network/guild/x/credit/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// fakeChain answers the queries the ADO makes from fixed state: agent 1 with requester key
// "requester" holding one provider whose one online node has a 1,000,000 ugld bond.
type fakeChain struct {
	height atomic.Int64
	credit fakeCredit
	prov   fakeProvider
}

func (c *fakeChain) Height(context.Context) (int64, error) { return c.height.Load(), nil }
func (c *fakeChain) Credit() credittypes.QueryClient       { return c.credit }
func (c *fakeChain) Provider() providertypes.QueryClient   { return c.prov }

type fakeCredit struct {
	credittypes.QueryClient
	agent    credittypes.Agent
	earnings int64 // the provider's unclaimed earnings the chain counts
}

func (f fakeCredit) Params(context.Context, *credittypes.QueryParamsRequest, ...grpc.CallOption) (*credittypes.QueryParamsResponse, error) {
	return &credittypes.QueryParamsResponse{Params: credittypes.DefaultParams()}, nil
}

func (f fakeCredit) Agent(_ context.Context, r *credittypes.QueryAgentRequest, _ ...grpc.CallOption) (*credittypes.QueryAgentResponse, error) {
	if r.AgentId != f.agent.Id {
		return nil, fmt.Errorf("agent %d not found", r.AgentId)
	}
	return &credittypes.QueryAgentResponse{Agent: f.agent}, nil
}

func (f fakeCredit) ChainCollateral(context.Context, *credittypes.QueryChainCollateralRequest, ...grpc.CallOption) (*credittypes.QueryChainCollateralResponse, error) {
	return &credittypes.QueryChainCollateralResponse{Liquid: sdkmath.ZeroInt(), Bonds: sdkmath.NewInt(1_000_000), Earnings: sdkmath.NewInt(f.earnings),
		Total:     sdkmath.NewInt(1_000_000 + f.earnings),
		Providers: []credittypes.ProviderCollateral{{Provider: "p", Bonds: sdkmath.NewInt(1_000_000), Earnings: sdkmath.NewInt(f.earnings), ClaimPages: 1}}}, nil
}

func (f fakeCredit) MaxBorrow(_ context.Context, r *credittypes.QueryMaxBorrowRequest, _ ...grpc.CallOption) (*credittypes.QueryMaxBorrowResponse, error) {
	c, _ := sdkmath.NewIntFromString(r.CollateralValue)
	max := credittypes.BorrowByDTL(sdkmath.ZeroInt(), c, 7500)
	return &credittypes.QueryMaxBorrowResponse{Max: max, Binding: credittypes.LimitDTL, Reason: "debt 0 + borrow within 7500 bps"}, nil
}

type fakeProvider struct{ providertypes.QueryClient }

var node = providertypes.Node{Id: 1, Provider: "p", Status: providertypes.NODE_STATUS_ONLINE, Bond: sdk.NewInt64Coin("ugld", 1_000_000),
	Capacity: providertypes.Resources{CpuMilli: 4000}}

func (fakeProvider) Nodes(context.Context, *providertypes.QueryNodesRequest, ...grpc.CallOption) (*providertypes.QueryNodesResponse, error) {
	return &providertypes.QueryNodesResponse{Nodes: []providertypes.Node{node}}, nil
}

func (fakeProvider) Node(context.Context, *providertypes.QueryNodeRequest, ...grpc.CallOption) (*providertypes.QueryNodeResponse, error) {
	return &providertypes.QueryNodeResponse{Node: node, EffectiveStatus: providertypes.NODE_STATUS_ONLINE}, nil
}

func (fakeProvider) Offers(context.Context, *providertypes.QueryOffersRequest, ...grpc.CallOption) (*providertypes.QueryOffersResponse, error) {
	return &providertypes.QueryOffersResponse{Offers: []providertypes.Offer{{Id: 1, NodeId: 1, UnitsBooked: 3,
		Price: sdk.NewDecCoinFromDec("ugld", sdkmath.LegacyNewDecWithPrec(5, 1))}}}, nil
}

type harness struct {
	ado    *ADO
	chain  *fakeChain
	srv    *httptest.Server
	req    ed25519.PrivateKey
	issuer ed25519.PrivateKey
	cdc    codec.Codec
	n      atomic.Int64
}

func newHarness(t testing.TB, cfg Config) *harness {
	h := &harness{chain: &fakeChain{}, req: key("requester"), issuer: key("issuer")}
	h.chain.height.Store(100)
	h.chain.credit.agent = credittypes.Agent{Id: 1, RequesterKey: h.req.Public().(ed25519.PublicKey), State: credittypes.AGENT_STATE_HEALTHY, Providers: []string{"p"}}
	reg := codectypes.NewInterfaceRegistry()
	credittypes.RegisterInterfaces(reg)
	h.cdc = codec.NewProtoCodec(reg)
	store, err := OpenSQLite(context.Background(), t.TempDir()+"/ado.db", time.Now)
	require.NoError(t, err)
	cfg.Server.Listen = ""
	a, err := New(cfg, Deps{Chain: h.chain, Signer: KeySigner{h.issuer}, Store: store, Clock: clock.Real, Codec: h.cdc})
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	h.ado = a
	h.srv = httptest.NewServer(a.Handler())
	t.Cleanup(h.srv.Close)
	return h
}

func (h *harness) request(value string) Request {
	return Request{ChainID: "guild-dev", Agent: 1, Action: credittypes.ActionBorrow, Value: value, Height: h.chain.height.Load(),
		JTI: fmt.Sprint("jti-", h.n.Add(1))}
}

func (h *harness) send(t testing.TB, r Request, k ed25519.PrivateKey) (credittypes.SignedCredential, error) {
	jws, err := SignRequest(r, k)
	require.NoError(t, err)
	raw, err := Fetch(context.Background(), http.DefaultClient, h.srv.URL, jws)
	if err != nil {
		return credittypes.SignedCredential{}, err
	}
	var sc credittypes.SignedCredential
	require.NoError(t, h.cdc.UnmarshalJSON(raw, &sc))
	return sc, nil
}

func refusedCode(t *testing.T, err error) string {
	var r *RefusedError
	require.ErrorAs(t, err, &r)
	return r.Code
}

func TestIssueAndRefuse(t *testing.T) {
	h := newHarness(t, TestConfig())
	t.Run("issued, signed over the chain's hash, post-borrow data", func(t *testing.T) {
		sc, err := h.send(t, h.request("100000ugld"), h.req)
		require.NoError(t, err)
		hash, err := sc.ValidateBasic("guild-dev")
		require.NoError(t, err)
		require.Len(t, hash, 32)
		c := sc.Credential
		require.Equal(t, uint64(1), c.Subject)
		require.Equal(t, int64(100), c.IssuedHeight)
		require.Equal(t, int64(120), c.ValidUntilHeight)
		require.Equal(t, "100000ugld", c.Value)
		require.Equal(t, int64(1_100_000), c.Data.CollateralValue.Int64(), "bond + the borrowed funds")
		require.Equal(t, int64(100_000), c.Data.Principal.Int64())
		require.Equal(t, uint64(3), c.Data.LiveSectors)
		require.Equal(t, int64(129_600), c.Data.ExpectedDailyRewards.Int64(), "3 units × 0.5 × 86,400")
		require.Equal(t, uint64(4000), c.Data.QaPower)
	})
	t.Run("a reused jti", func(t *testing.T) {
		r := h.request("1ugld")
		_, err := h.send(t, r, h.req)
		require.NoError(t, err)
		_, err = h.send(t, r, h.req)
		require.Equal(t, "replay", refusedCode(t, err))
	})
	t.Run("signed by another key", func(t *testing.T) {
		_, err := h.send(t, h.request("1ugld"), key("mallory"))
		require.Equal(t, "bad_signature", refusedCode(t, err))
	})
	t.Run("alg none", func(t *testing.T) {
		_, err := Fetch(context.Background(), http.DefaultClient, h.srv.URL, "eyJhbGciOiJub25lIn0.eyJhZ2VudCI6MX0.")
		require.Equal(t, "malformed", refusedCode(t, err))
	})
	t.Run("stale and future heights", func(t *testing.T) {
		r := h.request("1ugld")
		r.Height -= 6
		_, err := h.send(t, r, h.req)
		require.Equal(t, "stale", refusedCode(t, err))
		r = h.request("1ugld")
		r.Height += 1
		_, err = h.send(t, r, h.req)
		require.Equal(t, "stale", refusedCode(t, err))
	})
	t.Run("unknown agent", func(t *testing.T) {
		r := h.request("1ugld")
		r.Agent = 9
		_, err := h.send(t, r, h.req)
		require.Equal(t, "unknown_agent", refusedCode(t, err))
	})
	t.Run("an action that would fail on chain gets a reason, not a credential", func(t *testing.T) {
		_, err := h.send(t, h.request("3000001ugld"), h.req)
		require.Equal(t, "dtl", refusedCode(t, err))
		require.Contains(t, err.Error(), "at most 3000000ugld")
	})
	t.Run("another chain", func(t *testing.T) {
		r := h.request("1ugld")
		r.ChainID = "other"
		_, err := h.send(t, r, h.req)
		require.Equal(t, "chain", refusedCode(t, err))
	})
	t.Run("audit log and metrics", func(t *testing.T) {
		log, err := h.ado.d.Store.AuditLog(context.Background(), 1, 100)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(log), 6)
		res, err := http.Get(h.srv.URL + "/metrics")
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.Contains(t, string(body), `guild_ado_requests_total{outcome="issued"}`)
		require.Contains(t, string(body), `guild_ado_requests_total{outcome="replay"} 1`)
	})
}

func TestPerKeyRateLimit(t *testing.T) {
	cfg := TestConfig()
	cfg.Limits.PerKey = daemonkitRate(2)
	h := newHarness(t, cfg)
	for range 2 {
		_, err := h.send(t, h.request("1ugld"), h.req)
		require.NoError(t, err)
	}
	_, err := h.send(t, h.request("1ugld"), h.req)
	require.Equal(t, "rate_limited", refusedCode(t, err))
}

// TestEarningsCountInCollateral: the provider's unclaimed earnings as the chain counts them
// add to collateral_value and agent_value, and a borrow that fits only because of them is
// issued.
func TestEarningsCountInCollateral(t *testing.T) {
	h := newHarness(t, TestConfig())
	_, err := h.send(t, h.request("3500000ugld"), h.req)
	require.Equal(t, "dtl", refusedCode(t, err), "3 × the 1,000,000 bond is the limit without earnings")
	h.chain.credit.earnings = 500_000
	sc, err := h.send(t, h.request("3500000ugld"), h.req)
	require.NoError(t, err)
	require.Equal(t, int64(5_000_000), sc.Credential.Data.CollateralValue.Int64(), "bond + earnings + the borrowed funds")
	require.Equal(t, int64(5_000_000), sc.Credential.Data.AgentValue.Int64())
}
