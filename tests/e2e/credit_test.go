package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
)

// creditParams: a steep rate so that interest shows within seconds, and a quick deploy timeout
// that slashes most of a node's bond (the default path's collateral drop).
const creditParams = `{"credit":{"base_rate":"50.000000000000000000"},
 "market":{"min_cover":"10","deploy_timeout":"12","deploy_timeout_slash_bps":9500}}`

var adoAddr = regexp.MustCompile(`ado listening on (http://\S+)`)

// waitADO waits for `guildd dev` to report the ADO's address (the credit demo is set up first).
func waitADO(t *testing.T, d *Devnet) string {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := adoAddr.FindStringSubmatch(d.Log()); m != nil {
			return m[1]
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("the ADO did not start:\n%s", d.Log())
	return ""
}

type loanJSON struct {
	Loan struct {
		Principal string `json:"principal"`
		Denom     string `json:"denom"`
	} `json:"loan"`
	Debt     string `json:"debt"`
	Interest string `json:"interest"`
}

type agentJSON struct {
	Agent struct {
		ID        string   `json:"id"`
		Address   string   `json:"address"`
		Owner     string   `json:"owner"`
		State     string   `json:"state"`
		Providers []string `json:"providers"`
	} `json:"agent"`
	Loans []loanJSON `json:"loans"`
}

func (d *Devnet) creditAgent(t *testing.T) agentJSON {
	var a agentJSON
	d.Query(&a, "credit", "agent", "1")
	return a
}

// TestCreditLendBorrowRepayAndDefault: the devnet's lender-funded pool and demo agent (holding
// the second demo provider); a deposit, a borrow with a credential from the running ADO, tenant
// payments to the provider, interest, an exact repayment, a redemption above the deposit; then a
// second loan, the provider's bond slashed, administration and default on the chain's evidence,
// and the waterfall accounted to the unit.
func TestCreditLendBorrowRepayAndDefault(t *testing.T) {
	file := filepath.Join(t.TempDir(), "params.json")
	require.NoError(t, os.WriteFile(file, []byte(creditParams), 0o644))
	d := StartDevnet(t, Options{BlockTime: 500 * time.Millisecond, ExtraArgs: []string{"--genesis-params", file, "--without", "agent"}})
	ado := waitADO(t, d)
	lender := d.Addr(devnet.Lender)
	p2 := keyAddr(t, d, devnet.Provider2)
	a := d.creditAgent(t)
	require.Equal(t, []string{p2}, a.Agent.Providers, "the demo agent holds the second provider")
	agentAddr := a.Agent.Address

	// A lender deposit mints shares.
	shares0 := d.Balance(lender, "credit/ugld")
	require.Positive(t, shares0, "the devnet's deposit")
	d.Tx(devnet.Lender, "credit", "deposit", "1000000ugld")
	require.Greater(t, d.Balance(lender, "credit/ugld"), shares0)
	var pool struct {
		Pool struct {
			Pool struct {
				Deposited string `json:"deposited"`
			} `json:"pool"`
		} `json:"pool"`
	}
	d.Query(&pool, "credit", "pool", "ugld")
	deposited := atoi(t, pool.Pool.Pool.Deposited)

	// Refused before any credential is issued: the ADO pre-checks with the chain's max-borrow.
	_, err := d.TryTx(devnet.Provider2, "credit", "borrow", "--amount", "700000000ugld", "--ado", ado)
	require.ErrorIs(t, err, ErrTxFailed)
	require.Contains(t, err.Error(), "dtl")

	// Borrow 100 GLD with a credential fetched by the CLI from the ADO.
	d.Tx(devnet.Provider2, "credit", "borrow", "--amount", "100000000ugld", "--ado", ado)
	require.Equal(t, int64(100_000_000), d.Balance(agentAddr, "ugld"))

	// Tenants pay the provider: an offer on its node, a booking, the node reports it deployed,
	// and a claim pays the agent (the beneficiary).
	node := keyAddr(t, d, devnet.Node2)
	var nodes struct {
		Nodes []struct {
			ID string `json:"id"`
		} `json:"nodes"`
	}
	d.Query(&nodes, "provider", "nodes", "--provider", p2)
	require.Len(t, nodes.Nodes, 1)
	nodeID := nodes.Nodes[0].ID
	d.Tx(devnet.Provider2, "feegrant", "grant", p2, node)
	d.Tx(devnet.Node2, "provider", "heartbeat", nodeID, "--fee-granter", p2)
	d.Tx(devnet.Provider2, "provider", "add-offer", nodeID, "vm", "2uusdc", "4", "--resources", `{"cpu_milli":1000,"memory_bytes":1073741824}`)
	var offers struct {
		Offers []struct {
			ID string `json:"id"`
		} `json:"offers"`
	}
	d.Query(&offers, "provider", "offers", "--provider", p2)
	offer := offers.Offers[0].ID
	tenant := d.Addr(devnet.Tenant)
	d.Tx(devnet.Tenant, "market", "deposit", "100000uusdc")
	d.Tx(devnet.Tenant, "market", "book", offer, "1", deploymentHash("a"), "a")
	lease := leaseIDs(t, d, tenant)[0]
	d.Tx(devnet.Node2, "market", "report-deployment", lease, "deployed", "--fee-granter", p2)
	d.WaitHeight(d.Height() + 4)
	d.Tx(devnet.Lender, "market", "claim", lease)
	require.Positive(t, d.Balance(agentAddr, "uusdc"), "earnings reach the agent")

	// Interest accrues; the owner pays from the agent's account, overpaying: interest first,
	// then principal, exactly, and the overpayment stays in the agent.
	a = d.creditAgent(t)
	require.Greater(t, atoi(t, a.Loans[0].Interest), int64(0))
	d.Tx(devnet.Provider2, "credit", "borrow", "--amount", "1000000ugld", "--ado", ado) // a little more, so the agent can overpay
	// The owner tops the agent up, so that paying its whole balance overpays the debt.
	d.Tx(devnet.Provider2, "bank", "send", p2, agentAddr, "20000000ugld")
	before := d.Balance(agentAddr, "ugld")
	res := d.Tx(devnet.Provider2, "credit", "pay", "1", strconv.FormatInt(before, 10)+"ugld", "--from-agent")
	interest := atoi(t, res.Attr("guild.credit.v1.EventPaid", "interest"))
	principal := atoi(t, res.Attr("guild.credit.v1.EventPaid", "principal"))
	refunded := atoi(t, res.Attr("guild.credit.v1.EventPaid", "refunded"))
	require.Equal(t, int64(101_000_000), principal)
	require.Positive(t, interest)
	require.Equal(t, before, interest+principal+refunded)
	require.Equal(t, refunded, d.Balance(agentAddr, "ugld"), "the overpayment is never taken")
	require.Empty(t, d.creditAgent(t).Loans, "the debt is cleared")

	// Unclaimed market earnings are collateral: the lease keeps earning uusdc for the agent,
	// unclaimed, and a uusdc borrow above what the agent's liquid uusdc alone allows (its bonds
	// are ugld) fits only because of them.
	d.Tx(devnet.Lender, "credit", "deposit", "10000000uusdc")
	var cc struct {
		Liquid   string `json:"liquid"`
		Earnings string `json:"earnings"`
	}
	require.Eventually(t, func() bool {
		d.Query(&cc, "credit", "chain-collateral", "1", "uusdc")
		return atoi(t, cc.Earnings) >= 4
	}, 30*time.Second, 500*time.Millisecond, "the lease's unclaimed earnings show in the chain-seen collateral")
	liquidUSDC, earned := atoi(t, cc.Liquid), atoi(t, cc.Earnings)
	byLiquidAlone := 3 * liquidUSDC // (0.75 × C) / (1 − 0.75): the most a borrow against liquid alone allows
	want := byLiquidAlone + 2*earned
	d.Tx(devnet.Provider2, "credit", "borrow", "--amount", strconv.FormatInt(want, 10)+"uusdc", "--ado", ado)
	a = d.creditAgent(t)
	require.Len(t, a.Loans, 1)
	require.Equal(t, "uusdc", a.Loans[0].Loan.Denom)
	require.Greater(t, want, byLiquidAlone, "the borrow only fits because of the unclaimed earnings")
	// Anyone may pay: the tenant clears the uusdc debt, overpaying (the rest is refunded).
	d.Tx(devnet.Tenant, "credit", "pay", "1", strconv.FormatInt(want+1_000_000, 10)+"uusdc")
	require.Empty(t, d.creditAgent(t).Loans, "the uusdc debt is cleared")

	// The lender redeems every share for more than it deposited.
	wallet := d.Balance(lender, "ugld")
	d.Tx(devnet.Lender, "credit", "redeem", strconv.FormatInt(d.Balance(lender, "credit/ugld"), 10)+"credit/ugld")
	got := d.Balance(lender, "ugld") - wallet
	require.Greater(t, got, deposited, "redeemed %d for %d deposited", got, deposited)

	// The default path: the lender deposits again, the agent borrows 300 GLD.
	d.Tx(devnet.Lender, "credit", "deposit", "1000000000ugld")
	d.Tx(devnet.Provider2, "credit", "borrow", "--amount", "300000000ugld", "--ado", ado)
	// On the chain's evidence alone the agent is healthy.
	_, err = d.TryTx(devnet.Lender, "credit", "put-on-administration", "--agent", "1")
	require.ErrorIs(t, err, ErrTxFailed)
	// A booking the node never deploys times out: 95% of the 200 GLD bond is slashed.
	d.Tx(devnet.Node2, "provider", "heartbeat", nodeID, "--fee-granter", p2)
	d.Tx(devnet.Tenant, "market", "book", offer, "1", deploymentHash("b"), "b")
	require.Eventually(t, func() bool {
		var c struct {
			Bonds string `json:"bonds"`
		}
		d.Query(&c, "credit", "chain-collateral", "1", "ugld")
		return atoi(t, c.Bonds) == 10_000_000
	}, 60*time.Second, 500*time.Millisecond)
	d.Tx(devnet.Lender, "credit", "put-on-administration", "--agent", "1")
	require.Equal(t, "AGENT_STATE_ADMINISTRATION", d.creditAgent(t).Agent.State)
	_, err = d.TryTx(devnet.Provider2, "credit", "borrow", "--amount", "1ugld", "--ado", ado)
	require.ErrorIs(t, err, ErrTxFailed, "borrowing is blocked")

	// Default: the agent's liquid funds, the bond left and the earnings are seized.
	owner0 := d.Balance(p2, "ugld")
	cp0 := d.communityPool(t, "ugld")
	liquid := d.Balance(agentAddr, "ugld")
	res = d.Tx(devnet.Lender, "credit", "set-default", "--agent", "1")
	var l struct {
		Recovered           string `json:"recovered"`
		InterestPaid        string `json:"interest_paid"`
		PrincipalPaid       string `json:"principal_paid"`
		Fee                 string `json:"fee"`
		ReturnedToOwner     string `json:"returned_to_owner"`
		PrincipalWrittenOff string `json:"principal_written_off"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.Attr("guild.credit.v1.EventLiquidated", "liquidation")), &l), res.Events)
	require.Equal(t, "AGENT_STATE_DEFAULT", d.creditAgent(t).Agent.State)
	recovered := liquid + 10_000_000
	got0 := d.Balance(p2, "ugld") - owner0
	require.Equal(t, int64(0), d.Balance(agentAddr, "ugld"), "everything left the agent")
	require.Empty(t, d.creditAgent(t).Loans)
	var view struct {
		Pool struct {
			Pool struct {
				PrincipalWrittenOff string `json:"principal_written_off"`
				InterestWrittenOff  string `json:"interest_written_off"`
				LiquidationFees     string `json:"liquidation_fees"`
			} `json:"pool"`
		} `json:"pool"`
	}
	d.Query(&view, "credit", "pool", "ugld")
	fee := atoi(t, l.Fee)
	require.Equal(t, fee, atoi(t, view.Pool.Pool.LiquidationFees))
	require.Zero(t, atoi(t, view.Pool.Pool.PrincipalWrittenOff), "310 GLD recovered covers a ~300 GLD debt")
	require.Equal(t, int64(300_000_000), atoi(t, l.PrincipalPaid))
	require.Equal(t, recovered, atoi(t, l.Recovered))
	// Every unit: recovered = interest + principal + fee + what the owner got back; the fee and
	// the treasury's tenth of the interest reached the community pool.
	require.Equal(t, recovered, atoi(t, l.InterestPaid)+atoi(t, l.PrincipalPaid)+fee+got0)
	require.Equal(t, got0, atoi(t, l.ReturnedToOwner))
	require.Equal(t, cp0+fee+atoi(t, l.InterestPaid)/10, d.communityPool(t, "ugld"))
	var prov struct {
		Provider struct {
			PendingOwner string `json:"pending_owner"`
		} `json:"provider"`
	}
	d.Query(&prov, "provider", "provider", p2)
	require.Equal(t, p2, prov.Provider.PendingOwner, "the provider goes back to its owner")
}
