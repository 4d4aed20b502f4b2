package loadgen

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/guild-network/guild/internal/chainclient"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// What the setup gives each sender, and the load offer's terms.
const (
	FundNative    = 100_000_000 // ugld per sender: bank sends move 1ugld each
	FundStable    = 200_000_000 // uusdc per sender, half of it deposited into escrow
	DepositStable = 100_000_000 // uusdc each sender deposits: covers 7 days of ~160 leases
	nativeDenom   = "ugld"
	stableDenom   = "uusdc"
	outputsPerTx  = 100 // multi-send outputs per funding transaction
	msgsPerTx     = 50  // deployment reports per node transaction
)

// OfferPrice is the load offer's price per unit per second (uusdc): 6,048 uusdc of cover per
// one-unit lease at the default 7-day min_cover, and whole units to claim every few minutes.
var OfferPrice = sdkmath.LegacyMustNewDecFromStr("0.01")

// ErrSetup is returned (wrapped) when the setup phase cannot prepare the chain.
var ErrSetup = errors.New("load setup failed")

// Setup funds the senders (a few multi-send transactions from the funder, only for senders not
// yet funded), reads their account numbers and sequences, and for a mix with market
// transactions deposits escrow for each sender, adds a one-millicpu offer on the provider's
// node and books and deploys LeasesPerSender leases per sender for the claims. Running it again
// with the same seed tops up and reuses what exists.
func (g *Generator) Setup(ctx context.Context) error {
	start := time.Now()
	if err := g.fund(ctx); err != nil {
		return err
	}
	for _, s := range g.senders {
		if err := s.Resync(ctx, g.cctx); err != nil {
			return fmt.Errorf("%w: %v", ErrSetup, err)
		}
	}
	if g.cfg.needsMarket() {
		if err := g.setupMarket(ctx); err != nil {
			return err
		}
	}
	g.logf("setup: %d senders ready in %.1fs", len(g.senders), time.Since(start).Seconds())
	return nil
}

func (g *Generator) fund(ctx context.Context) error {
	funder, err := g.cc.Address(g.cfg.Funder)
	if err != nil {
		return fmt.Errorf("%w: funder: %v", ErrSetup, err)
	}
	bank := banktypes.NewQueryClient(g.cctx)
	coins := sdk.NewCoins(sdk.NewInt64Coin(nativeDenom, FundNative))
	if g.cfg.needsMarket() {
		coins = coins.Add(sdk.NewInt64Coin(stableDenom, FundStable))
	}
	var outs []banktypes.Output
	for _, s := range g.senders {
		res, err := bank.Balance(ctx, &banktypes.QueryBalanceRequest{Address: s.Addr.String(), Denom: nativeDenom})
		if err != nil {
			return fmt.Errorf("%w: balance of sender %d: %v", ErrSetup, s.Index, err)
		}
		if res.Balance.Amount.LT(sdkmath.NewInt(FundNative / 2)) {
			outs = append(outs, banktypes.NewOutput(s.Addr, coins))
		}
	}
	for i := 0; i < len(outs); i += outputsPerTx {
		batch := outs[i:min(i+outputsPerTx, len(outs))]
		total := sdk.NewCoins()
		for _, o := range batch {
			total = total.Add(o.Coins...)
		}
		msg := banktypes.NewMsgMultiSend(banktypes.NewInput(funder, total), batch)
		if _, err := g.cc.Submit(ctx, g.cfg.Funder, []sdk.Msg{msg}); err != nil {
			return fmt.Errorf("%w: fund %d senders from %s: %v", ErrSetup, len(batch), g.cfg.Funder, err)
		}
	}
	g.logf("setup: funded %d of %d senders from %s", len(outs), len(g.senders), g.cfg.Funder)
	return nil
}

func (g *Generator) setupMarket(ctx context.Context) error {
	market := markettypes.NewQueryClient(g.cctx)
	// Escrow for every sender below half its deposit.
	var batch []signedMsg
	for _, s := range g.senders {
		res, err := market.Account(ctx, &markettypes.QueryAccountRequest{Tenant: s.Addr.String()})
		if err != nil {
			return fmt.Errorf("%w: escrow of sender %d: %v", ErrSetup, s.Index, err)
		}
		have := sdkmath.ZeroInt()
		for _, a := range res.Accounts {
			if a.Account.Denom == stableDenom {
				have = a.Available
			}
		}
		if have.LT(sdkmath.NewInt(DepositStable / 2)) {
			batch = append(batch, signedMsg{s, []sdk.Msg{&markettypes.MsgDeposit{Tenant: s.Addr.String(), Amount: sdk.NewInt64Coin(stableDenom, DepositStable)}}})
		}
	}
	if err := g.submitAll(ctx, "deposit", batch); err != nil {
		return err
	}
	if err := g.addOffer(ctx); err != nil {
		return err
	}
	// Leases for the claims: reuse the sender's active ones, book the rest.
	batch = nil
	hash := sha256.Sum256([]byte("guild/loadgen"))
	for _, s := range g.senders {
		res, err := market.Leases(ctx, &markettypes.QueryLeasesRequest{Tenant: s.Addr.String(), State: markettypes.LEASE_STATE_ACTIVE, Pagination: &query.PageRequest{Limit: uint64(g.cfg.LeasesPerSender)}})
		if err != nil {
			return fmt.Errorf("%w: leases of sender %d: %v", ErrSetup, s.Index, err)
		}
		s.leases = nil
		for _, l := range res.Leases {
			s.leases = append(s.leases, l.Id)
		}
		var msgs []sdk.Msg
		for i := len(s.leases); i < g.cfg.LeasesPerSender && g.cfg.Mix[KindClaim] > 0; i++ {
			msgs = append(msgs, &markettypes.MsgBook{Tenant: s.Addr.String(), OfferId: g.offerID, Units: 1, DeploymentHash: hash[:], DeploymentData: fmt.Sprintf("claim-%d", i)})
		}
		if len(msgs) > 0 {
			batch = append(batch, signedMsg{s, msgs})
		}
	}
	if err := g.submitAll(ctx, "book", batch); err != nil {
		return err
	}
	return g.deploy(ctx, market)
}

// addOffer adds the offer every booking of the run takes one unit of.
func (g *Generator) addOffer(ctx context.Context) error {
	provider, err := g.cc.Address(g.cfg.Provider)
	if err != nil {
		return fmt.Errorf("%w: provider: %v", ErrSetup, err)
	}
	nodeAcc, err := g.cc.Address(g.cfg.Node)
	if err != nil {
		return fmt.Errorf("%w: node: %v", ErrSetup, err)
	}
	res, err := providertypes.NewQueryClient(g.cctx).Nodes(ctx, &providertypes.QueryNodesRequest{Provider: provider.String()})
	if err != nil {
		return fmt.Errorf("%w: nodes of %s: %v", ErrSetup, provider, err)
	}
	for _, n := range res.Nodes {
		if n.Account == nodeAcc.String() {
			g.nodeID = n.Id
		}
	}
	if g.nodeID == 0 {
		return fmt.Errorf("%w: provider %s has no node with account %s (key %q)", ErrSetup, provider, nodeAcc, g.cfg.Node)
	}
	r, err := g.cc.Submit(ctx, g.cfg.Provider, []sdk.Msg{&providertypes.MsgAddOffer{
		Signer: provider.String(), NodeId: g.nodeID, Kind: providertypes.OFFER_KIND_VM,
		Resources: providertypes.Resources{CpuMilli: 1}, Units: uint64(g.cfg.OfferUnits),
		Price: sdk.NewDecCoinFromDec(stableDenom, OfferPrice),
	}})
	if err != nil {
		return fmt.Errorf("%w: add offer: %v", ErrSetup, err)
	}
	if _, err := fmt.Sscan(r.Attr("guild.provider.v1.EventOfferAdded", "offer_id"), &g.offerID); err != nil {
		return fmt.Errorf("%w: add offer: no offer id in its events: %v", ErrSetup, err)
	}
	g.logf("setup: offer %d on node %d (%d units)", g.offerID, g.nodeID, g.cfg.OfferUnits)
	return nil
}

// deploy reports every pending lease of the senders deployed, from the node's account with its
// fees on the provider's grant, and gives each sender its active leases to claim.
func (g *Generator) deploy(ctx context.Context, market markettypes.QueryClient) error {
	provider, _ := g.cc.Address(g.cfg.Provider)
	nodeAcc, _ := g.cc.Address(g.cfg.Node)
	var msgs []sdk.Msg
	owner := map[uint64]*Sender{}
	for _, s := range g.senders {
		if len(s.leases) >= g.cfg.LeasesPerSender || g.cfg.Mix[KindClaim] == 0 {
			continue
		}
		res, err := market.Leases(ctx, &markettypes.QueryLeasesRequest{Tenant: s.Addr.String(), State: markettypes.LEASE_STATE_PENDING, Pagination: &query.PageRequest{Limit: 1000}})
		if err != nil {
			return fmt.Errorf("%w: pending leases of sender %d: %v", ErrSetup, s.Index, err)
		}
		for _, l := range res.Leases {
			if l.OfferId == g.offerID && len(s.leases) < g.cfg.LeasesPerSender {
				msgs = append(msgs, &markettypes.MsgReportDeployment{NodeAccount: nodeAcc.String(), LeaseId: l.Id, Result: markettypes.DEPLOYMENT_RESULT_DEPLOYED})
				s.leases = append(s.leases, l.Id)
				owner[l.Id] = s
			}
		}
	}
	for i := 0; i < len(msgs); i += msgsPerTx {
		if _, err := g.cc.Submit(ctx, g.cfg.Node, msgs[i:min(i+msgsPerTx, len(msgs))], chainclient.WithFeeGranter(provider)); err != nil {
			return fmt.Errorf("%w: report %d deployments: %v", ErrSetup, len(msgs[i:min(i+msgsPerTx, len(msgs))]), err)
		}
	}
	for _, s := range g.senders {
		if g.cfg.Mix[KindClaim] > 0 && len(s.leases) == 0 {
			return fmt.Errorf("%w: sender %d has no lease to claim", ErrSetup, s.Index)
		}
	}
	g.logf("setup: deployed %d leases for the claims", len(msgs))
	return nil
}

type signedMsg struct {
	s    *Sender
	msgs []sdk.Msg
}

// submitAll sends one transaction per entry (each from its own sender, all at once) and waits
// until every one is in a block; any failure fails the setup.
func (g *Generator) submitAll(ctx context.Context, what string, batch []signedMsg) error {
	if len(batch) == 0 {
		return nil
	}
	var outs []*Outcome
	for _, b := range batch {
		bz, hash, err := b.s.Sign(ctx, g.cctx, g.cfg.Gas*uint64(len(b.msgs)), b.msgs...)
		if err != nil {
			return fmt.Errorf("%w: %s: sign: %v", ErrSetup, what, err)
		}
		o := &Outcome{Hash: hash, Sender: b.s.Index, Submitted: time.Now()}
		g.tr.add(o)
		res, err := g.nodes.clients[b.s.rpc].BroadcastTxSync(ctx, bz)
		if err != nil {
			return fmt.Errorf("%w: %s from sender %d: %v", ErrSetup, what, b.s.Index, err)
		}
		if res.Code != 0 {
			g.tr.drop(hash)
			return fmt.Errorf("%w: %s from sender %d: code %d: %s", ErrSetup, what, b.s.Index, res.Code, res.Log)
		}
		b.s.Accept()
		outs = append(outs, o)
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for _, o := range outs {
		select {
		case <-o.Done():
		case <-wctx.Done():
			return fmt.Errorf("%w: %s: transaction %s not in a block after 2m", ErrSetup, what, o.Hash)
		}
		if o.Code != 0 {
			return fmt.Errorf("%w: %s from sender %d failed in block %d: %s", ErrSetup, what, o.Sender, o.Height, o.Log)
		}
	}
	g.logf("setup: %d %s transactions committed", len(outs), what)
	return nil
}
