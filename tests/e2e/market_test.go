package e2e

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/app"
	"github.com/guild-network/guild/internal/devnet"
	markettypes "github.com/guild-network/guild/x/market/types"
)

// marketParams shortens the market's periods so that grace and cover show within seconds.
const marketParams = `{"market":{"min_cover":"10","grace_period":"8","provider_notice":"5","deploy_timeout":"600","community_fee_bps":500}}`

type leaseJSON struct {
	ID          string `json:"id"`
	State       string `json:"state"`
	Rate        string `json:"rate"`
	Paid        string `json:"paid"`
	DeployedAt  string `json:"deployed_at"`
	BilledUntil string `json:"billed_until"`
	ClosedAt    string `json:"closed_at"`
	CloseReason int64  `json:"close_reason"`
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(strings.Split(s, ".")[0], 10, 64)
	require.NoError(t, err, s)
	return n
}

func (d *Devnet) lease(t *testing.T, id string) leaseJSON {
	var res struct {
		Lease leaseJSON `json:"lease"`
	}
	d.Query(&res, "market", "lease", id)
	return res.Lease
}

func (d *Devnet) escrow(t *testing.T, tenant string) (available, withdrawable int64) {
	var res struct {
		Accounts []struct {
			Available    string `json:"available"`
			Withdrawable string `json:"withdrawable"`
		} `json:"accounts"`
	}
	d.Query(&res, "market", "account", tenant)
	require.Len(t, res.Accounts, 1)
	return atoi(t, res.Accounts[0].Available), atoi(t, res.Accounts[0].Withdrawable)
}

func (d *Devnet) communityPool(t *testing.T, denom string) int64 {
	var res struct {
		Pool []string `json:"pool"` // decimal coins such as "1.000000000000000000uusdc"
	}
	d.Query(&res, "distribution", "community-pool")
	for _, c := range res.Pool {
		if amount, ok := strings.CutSuffix(c, denom); ok {
			return atoi(t, amount)
		}
	}
	return 0
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// setupProvider registers a second provider "mprov2" with node key "mnode2" through the CLI, as
// an operator would: keys, funding, registration, node with bond, fee grant, heartbeat, offer.
// It returns the provider address and the offer id.
func setupProvider(t *testing.T, d *Devnet, price string) (string, string) {
	_, err := d.CLI("keys", "add", "mprov2", "--keyring-backend", "test")
	require.NoError(t, err)
	_, err = d.CLI("keys", "add", "mnode2", "--algo", "ed25519", "--keyring-backend", "test")
	require.NoError(t, err)
	prov := keyAddr(t, d, "mprov2")
	node := keyAddr(t, d, "mnode2")
	d.Tx(devnet.Validator, "bank", "send", d.Addr(devnet.Validator), prov, "100000000ugld")

	d.Tx("mprov2", "provider", "register", "mprov2", "https://prov2.example")
	d.Tx("mprov2", "provider", "add-node", prov, nodePubKeyHex(t, d, "mnode2"), "20000000ugld",
		"--capacity", `{"cpu_milli":4000,"memory_bytes":8589934592,"storage_bytes":107374182400}`)
	var nodes struct {
		Nodes []struct {
			ID      string `json:"id"`
			Account string `json:"account"`
		} `json:"nodes"`
	}
	d.Query(&nodes, "provider", "nodes", "--provider", prov)
	require.Len(t, nodes.Nodes, 1)
	require.Equal(t, node, nodes.Nodes[0].Account)
	nodeID := nodes.Nodes[0].ID

	d.Tx("mprov2", "feegrant", "grant", prov, node)
	d.Tx("mnode2", "provider", "heartbeat", nodeID, "--fee-granter", prov)
	d.Tx("mprov2", "provider", "add-offer", nodeID, "vm", price+"uusdc", "4",
		"--resources", `{"cpu_milli":1000,"memory_bytes":1073741824}`)
	var offers struct {
		Offers []struct {
			ID string `json:"id"`
		} `json:"offers"`
	}
	d.Query(&offers, "provider", "offers", "--provider", prov)
	require.Len(t, offers.Offers, 1)
	return prov, offers.Offers[0].ID
}

func keyAddr(t *testing.T, d *Devnet, name string) string {
	out, err := d.CLI("keys", "show", name, "-a", "--keyring-backend", "test")
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

func nodePubKeyHex(t *testing.T, d *Devnet, name string) string {
	out, err := d.CLI("keys", "show", name, "--pubkey", "--keyring-backend", "test")
	require.NoError(t, err)
	var pk struct {
		Key string `json:"key"`
	}
	require.NoError(t, json.Unmarshal(out, &pk))
	raw, err := base64.StdEncoding.DecodeString(pk.Key)
	require.NoError(t, err)
	require.Len(t, raw, 32)
	return hex.EncodeToString(raw)
}

func deploymentHash(data string) string {
	h := sha256.Sum256([]byte(data))
	return hex.EncodeToString(h[:])
}

func leaseIDs(t *testing.T, d *Devnet, tenant string) []string {
	var res struct {
		Leases []leaseJSON `json:"leases"`
	}
	d.Query(&res, "market", "leases", "--tenant", tenant)
	var ids []string
	for _, l := range res.Leases {
		ids = append(ids, l.ID)
	}
	return ids
}

// TestMarketFlow drives the whole market through the CLI on a real devnet.
func TestMarketFlow(t *testing.T) {
	file := filepath.Join(t.TempDir(), "params.json")
	require.NoError(t, os.WriteFile(file, []byte(marketParams), 0o644))
	d := StartDevnet(t, Options{ExtraArgs: []string{"--genesis-params", file}})
	prov, offer := setupProvider(t, d, "3") // 3 uusdc per unit per second
	tenant := d.Addr(devnet.Tenant)
	wallet0 := d.Balance(tenant, "uusdc")

	// Deposit and book 2 units: 6 uusdc/s.
	d.Tx(devnet.Tenant, "market", "deposit", "10000uusdc")
	data := `{"image":"nginx"}`
	d.Tx(devnet.Tenant, "market", "book", offer, "2", deploymentHash(data), data)
	ids := leaseIDs(t, d, tenant)
	require.Len(t, ids, 1)
	id := ids[0]
	require.Equal(t, "LEASE_STATE_PENDING", d.lease(t, id).State)

	// Only the node's own key may report: the demo node's key and the tenant are refused.
	_, err := d.TryTx(devnet.Node, "market", "report-deployment", id, "deployed")
	require.ErrorIs(t, err, ErrTxFailed)
	_, err = d.TryTx(devnet.Tenant, "market", "report-deployment", id, "deployed")
	require.ErrorIs(t, err, ErrTxFailed)
	require.Equal(t, "LEASE_STATE_PENDING", d.lease(t, id).State)

	d.Tx("mnode2", "market", "report-deployment", id, "deployed", "--info", "vm-1", "--fee-granter", prov)
	l := d.lease(t, id)
	require.Equal(t, "LEASE_STATE_ACTIVE", l.State)

	// Withdrawing beyond the cover of live leases is refused: 6/s × 10 s must stay.
	res, err := d.TryTx(devnet.Tenant, "market", "withdraw", "9990uusdc")
	require.ErrorIs(t, err, ErrTxFailed, "withdraw beyond cover: %+v", res)

	time.Sleep(6 * time.Second) // long enough for a fee above one unit
	benef0, pool0 := d.Balance(prov, "uusdc"), d.communityPool(t, "uusdc")
	d.Tx("mprov2", "market", "claim", id)
	l = d.lease(t, id)
	paid := atoi(t, l.Paid)
	elapsed := atoi(t, l.BilledUntil) - atoi(t, l.DeployedAt)
	require.Positive(t, elapsed)
	require.Equal(t, 6*elapsed, paid, "paid must be exactly rate × billed time")
	fee := (paid*500 + 9_999) / 10_000 // the community fee rounds up, in the protocol's favour
	require.Equal(t, benef0+paid-fee, d.Balance(prov, "uusdc"), "beneficiary gains rate × time − fee")
	require.Equal(t, pool0+fee, d.communityPool(t, "uusdc"), "community pool gains the fee")

	// The tenant cancels and gets exactly the rest back.
	d.Tx(devnet.Tenant, "market", "cancel", id, "100")
	l = d.lease(t, id)
	require.Equal(t, "LEASE_STATE_CLOSED", l.State)
	require.EqualValues(t, 100, l.CloseReason)
	paid = atoi(t, l.Paid)
	require.Equal(t, 6*(atoi(t, l.ClosedAt)-atoi(t, l.DeployedAt)), paid)
	available, withdrawable := d.escrow(t, tenant)
	require.Equal(t, 10_000-paid, available)
	require.Equal(t, available, withdrawable)
	d.Tx(devnet.Tenant, "market", "withdraw", strconv.FormatInt(available, 10)+"uusdc")
	require.Equal(t, wallet0-paid, d.Balance(tenant, "uusdc"))

	t.Run("out of funds: grace, top-up resumes, close after grace", func(t *testing.T) {
		investor := d.Addr(devnet.Investor)
		// Cover rule: with nothing deposited the booking is refused.
		_, err := d.TryTx(devnet.Investor, "market", "book", offer, "2", deploymentHash("x"), "x")
		require.ErrorIs(t, err, ErrTxFailed)

		d.Tx(devnet.Investor, "market", "deposit", "60uusdc") // exactly 10 s at 6/s
		d.Tx(devnet.Investor, "market", "book", offer, "2", deploymentHash("y"), "y")
		id := leaseIDs(t, d, investor)[0]
		d.Tx("mnode2", "market", "report-deployment", id, "deployed", "--fee-granter", prov)
		waitFor(t, "grace", 30*time.Second, func() bool { return d.lease(t, id).State == "LEASE_STATE_GRACE" })
		l := d.lease(t, id)
		require.EqualValues(t, 60, atoi(t, l.Paid)+unclaimedOf(t, d, id), "billed exactly the 60 deposited")

		d.Tx(devnet.Investor, "market", "deposit", "30uusdc") // five more seconds
		require.Equal(t, "LEASE_STATE_ACTIVE", d.lease(t, id).State)
		waitFor(t, "grace again", 30*time.Second, func() bool { return d.lease(t, id).State == "LEASE_STATE_GRACE" })
		waitFor(t, "close after grace", 30*time.Second, func() bool { return d.lease(t, id).State == "LEASE_STATE_CLOSED" })
		l = d.lease(t, id)
		require.EqualValues(t, 300, l.CloseReason)
		require.EqualValues(t, 90, atoi(t, l.Paid), "the provider is paid every unit deposited, no more")
		available, _ := d.escrow(t, investor)
		require.Zero(t, available)
	})

	var totals struct {
		Totals []struct {
			Denom     string `json:"denom"`
			Deposited string `json:"deposited"`
			Withdrawn string `json:"withdrawn"`
			Paid      string `json:"paid_to_providers"`
			Fees      string `json:"fees"`
		} `json:"totals"`
	}
	d.Query(&totals, "market", "totals")
	require.Len(t, totals.Totals, 1)
	tot := totals.Totals[0]
	held := atoi(t, tot.Deposited) - atoi(t, tot.Withdrawn) - atoi(t, tot.Paid) - atoi(t, tot.Fees)
	escrowAddr := moduleAddr(markettypes.ModuleName)
	require.Equal(t, held, d.Balance(escrowAddr, "uusdc"), "escrow holds exactly deposits − withdrawals − payouts − fees")
}

func unclaimedOf(t *testing.T, d *Devnet, id string) int64 {
	var res struct {
		Payable struct {
			Amount string `json:"amount"`
		} `json:"payable"`
	}
	d.Query(&res, "market", "lease", id)
	return atoi(t, res.Payable.Amount)
}

// moduleAddr is the address of a module account, derived as the chain derives it.
func moduleAddr(name string) string {
	app.SetAddressPrefixes()
	return authtypes.NewModuleAddress(name).String()
}
