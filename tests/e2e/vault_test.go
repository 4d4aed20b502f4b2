package e2e

import (
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
)

// vaultE2EParams: the market's short periods, and vault votes as short as 5 s.
const vaultE2EParams = `{"market":{"min_cover":"10","grace_period":"8","provider_notice":"5","deploy_timeout":"600","community_fee_bps":500},` +
	`"vault":{"min_voting_period":"5","harvest_interval":"3600"}}`

type vaultJSON struct {
	ID          string `json:"id"`
	Account     string `json:"account"`
	Provider    string `json:"provider"`
	Status      string `json:"status"`
	TotalShares string `json:"total_shares"`
	Liquid      string `json:"liquid"`
	Terms       struct {
		OperatorFeeBps int64 `json:"operator_fee_bps"`
	} `json:"terms"`
}

type positionJSON struct {
	Position struct {
		ID     string `json:"id"`
		Shares string `json:"shares"`
	} `json:"position"`
	Owner string `json:"owner"`
	Value string `json:"value"`
}

func (d *Devnet) vault(t *testing.T, id string) vaultJSON {
	var res struct {
		Vault struct {
			Vault vaultJSON `json:"vault"`
		} `json:"vault"`
	}
	d.Query(&res, "vault", "vault", id)
	return res.Vault.Vault
}

func (d *Devnet) vaultPosition(t *testing.T, id string) positionJSON {
	var res struct {
		Position positionJSON `json:"position"`
	}
	d.Query(&res, "vault", "position", id)
	return res.Position
}

func bigInt(t *testing.T, s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	require.True(t, ok, s)
	return n
}

// proRata is ⌊amount × shares / total⌋.
func proRata(t *testing.T, amount string, shares, total string) int64 {
	n := new(big.Int).Mul(bigInt(t, amount), bigInt(t, shares))
	return n.Quo(n, bigInt(t, total)).Int64()
}

// TestVaultCustodyFlow drives x/vault through the CLI on a real devnet: the demo provider's owner
// creates a vault and hands the provider over; three investors deposit; a tenant books and pays;
// a harvest splits the payout; each investor claims exactly its share; an NFT transfer moves
// the rewards; a vote changes the operator fee; an early exit leaves its fee to the others; and a
// vote releases the provider to a named owner.
func TestVaultCustodyFlow(t *testing.T) {
	file := filepath.Join(t.TempDir(), "params.json")
	require.NoError(t, os.WriteFile(file, []byte(vaultE2EParams), 0o644))
	// No demo vault (this test makes its own), no agent (the test reports as the node) and no
	// farmer (this test needs no plots).
	d := StartDevnet(t, Options{ExtraArgs: []string{"--genesis-params", file, "--without", "vault,agent,farmer"}})
	provider := d.Addr(devnet.Provider)
	waitFor(t, "the demo provider's offers", 60*time.Second, func() bool {
		var res struct {
			Offers []struct{} `json:"offers"`
		}
		d.Query(&res, "provider", "offers", "--provider", provider)
		return len(res.Offers) == 2
	})

	// The operator creates the vault and takes the provider into custody.
	res := d.Tx(devnet.Provider, "vault", "create", provider,
		"--terms", `{"operator_fee_bps":1000,"dataset_fee_bps":300,"dataset_recipient":"`+d.Addr(devnet.Lender)+`",`+
			`"device_fee_bps":200,"device_recipient":"`+d.Addr(devnet.Pool)+`","min_deposit":"1000000","deposit_cap":"100000000000",`+
			`"lock_period":"3600","early_exit_fee_bps":500,"liquidity_reserve_bps":2000}`,
		"--governance", `{"quorum_bps":3000,"threshold_bps":5000,"voting_period":"15"}`)
	vid := res.Attr("guild.vault.v1.EventVaultCreated", "vault_id")
	require.Equal(t, "1", vid)
	v := d.vault(t, vid)
	require.Equal(t, "VAULT_STATUS_OPEN", v.Status)
	d.Tx(devnet.Provider, "provider", "propose-owner", provider, v.Account)
	d.Tx(devnet.Provider, "vault", "accept-custody", vid)
	var prov struct {
		Provider struct {
			Owner        string `json:"owner"`
			Beneficiary  string `json:"beneficiary"`
			Operator     string `json:"operator"`
			PendingOwner string `json:"pending_owner"`
		} `json:"provider"`
	}
	d.Query(&prov, "provider", "provider", provider)
	require.Equal(t, v.Account, prov.Provider.Owner)
	require.Equal(t, v.Account, prov.Provider.Beneficiary)
	require.Equal(t, provider, prov.Provider.Operator)
	// The former owner's key can no longer act as the owner.
	_, err := d.TryTx(devnet.Provider, "provider", "propose-owner", provider, d.Addr(devnet.Tenant))
	require.ErrorIs(t, err, ErrTxFailed)
	_, err = d.TryTx(devnet.Provider, "provider", "withdraw-bond", "1", "1ugld")
	require.ErrorIs(t, err, ErrTxFailed)

	// Three investors deposit different amounts; the third deposit is below the minimum first.
	_, err = d.TryTx(devnet.Farmer, "vault", "deposit", vid, "999999ugld")
	require.ErrorIs(t, err, ErrTxFailed)
	pos := map[string]string{}
	for who, amt := range map[string]string{devnet.Investor: "1000000000ugld", devnet.Tenant: "2000000000ugld", devnet.Farmer: "3000000000ugld"} {
		r := d.Tx(who, "vault", "deposit", vid, amt)
		pos[who] = r.Attr("guild.vault.v1.EventDeposited", "position_id")
		require.NotEmpty(t, pos[who])
	}

	// A tenant books the demo VM offer (the operator reprices it first), the node reports it
	// deployed, it bills for a few seconds, the tenant ends it: the market pays the vault.
	d.Tx(devnet.Provider, "provider", "update-offer", "1", "500uusdc", "6", "true")
	d.Tx(devnet.Validator, "market", "deposit", "100000000uusdc")
	data := `{"image":"nginx"}`
	r := d.Tx(devnet.Validator, "market", "book", "1", "2", deploymentHash(data), data)
	lease := r.Attr("guild.market.v1.EventLeaseCreated", "lease_id")
	d.Tx(devnet.Node, "market", "report-deployment", lease, "deployed", "--fee-granter", provider)
	d.WaitHeight(d.Height() + 10)
	d.Tx(devnet.Validator, "market", "cancel", lease, "100")
	paidIn := d.Balance(v.Account, "uusdc")
	require.Positive(t, paidIn, "the market paid the vault account")

	opBefore := d.Balance(provider, "uusdc")
	r = d.Tx(devnet.Validator, "vault", "harvest", vid, "--claim-market")
	income := r.Attr("guild.vault.v1.EventHarvested", "income")
	toHolders := r.Attr("guild.vault.v1.EventHarvested", "to_holders")
	require.Equal(t, paidIn, atoi(t, income))
	require.Equal(t, paidIn/10, atoi(t, r.Attr("guild.vault.v1.EventHarvested", "operator_fee")))
	require.Equal(t, paidIn*3/100, atoi(t, r.Attr("guild.vault.v1.EventHarvested", "dataset_fee")))
	require.Equal(t, paidIn*2/100, atoi(t, r.Attr("guild.vault.v1.EventHarvested", "device_fee")))
	require.Equal(t, paidIn/10, d.Balance(provider, "uusdc")-opBefore)
	v = d.vault(t, vid)

	// The farmer's token goes to the pool account before anyone claims: the unclaimed rewards
	// go with it.
	d.Tx(devnet.Farmer, "nft", "send", "vault-"+vid, pos[devnet.Farmer], d.Addr(devnet.Pool))
	require.Equal(t, d.Addr(devnet.Pool), d.vaultPosition(t, pos[devnet.Farmer]).Owner)
	_, err = d.TryTx(devnet.Farmer, "vault", "claim", pos[devnet.Farmer])
	require.ErrorIs(t, err, ErrTxFailed)
	for who, claimer := range map[string]string{devnet.Investor: devnet.Investor, devnet.Tenant: devnet.Tenant, devnet.Farmer: devnet.Pool} {
		p := d.vaultPosition(t, pos[who])
		want := proRata(t, toHolders, p.Position.Shares, v.TotalShares)
		before := d.Balance(d.Addr(claimer), "uusdc")
		d.Tx(claimer, "vault", "claim", pos[who])
		require.Equal(t, want, d.Balance(d.Addr(claimer), "uusdc")-before, "%s's position %s", who, pos[who])
	}
	_, err = d.TryTx(devnet.Investor, "vault", "claim", pos[devnet.Investor])
	require.ErrorIs(t, err, ErrTxFailed, "nothing left to claim")

	// Future rewards follow the token too: anything sent to the vault counts.
	d.Tx(devnet.Validator, "bank", "send", d.Addr(devnet.Validator), v.Account, "1000000uusdc")
	r = d.Tx(devnet.Validator, "vault", "harvest", vid)
	toHolders = r.Attr("guild.vault.v1.EventHarvested", "to_holders")
	require.Equal(t, int64(850_000), atoi(t, toHolders))
	p := d.vaultPosition(t, pos[devnet.Farmer])
	before := d.Balance(d.Addr(devnet.Pool), "uusdc")
	d.Tx(devnet.Pool, "vault", "claim", pos[devnet.Farmer])
	require.Equal(t, proRata(t, toHolders, p.Position.Shares, v.TotalShares), d.Balance(d.Addr(devnet.Pool), "uusdc")-before)
	_, err = d.TryTx(devnet.Farmer, "vault", "claim", pos[devnet.Farmer])
	require.ErrorIs(t, err, ErrTxFailed)

	// A proposal raises the operator fee to 20%; it takes effect only once it passed.
	terms := `{"kind":"PROPOSAL_KIND_UPDATE_TERMS","terms":{"operator_fee_bps":2000,"dataset_fee_bps":300,"dataset_recipient":"` + d.Addr(devnet.Lender) +
		`","device_fee_bps":200,"device_recipient":"` + d.Addr(devnet.Pool) + `","min_deposit":"1000000","deposit_cap":"100000000000",` +
		`"lock_period":"3600","early_exit_fee_bps":500,"liquidity_reserve_bps":2000}}`
	r = d.Tx(devnet.Investor, "vault", "propose", pos[devnet.Investor], "--content", terms)
	prop := r.Attr("guild.vault.v1.EventProposalSubmitted", "proposal_id")
	d.Tx(devnet.Tenant, "vault", "vote", prop, pos[devnet.Tenant], "true")
	_, err = d.TryTx(devnet.Tenant, "vault", "vote", prop, pos[devnet.Tenant], "true")
	require.ErrorIs(t, err, ErrTxFailed, "double vote")
	d.Tx(devnet.Pool, "vault", "vote", prop, pos[devnet.Farmer], "true")
	require.EqualValues(t, 1000, d.vault(t, vid).Terms.OperatorFeeBps, "not before the vote ends")
	waitFor(t, "the proposal to execute", 60*time.Second, func() bool {
		var res struct {
			Proposal struct {
				Status string `json:"status"`
			} `json:"proposal"`
		}
		d.Query(&res, "vault", "proposal", prop)
		return res.Proposal.Status == "PROPOSAL_STATUS_EXECUTED"
	})
	require.EqualValues(t, 2000, d.vault(t, vid).Terms.OperatorFeeBps)
	d.Tx(devnet.Validator, "bank", "send", d.Addr(devnet.Validator), v.Account, "1000000uusdc")
	r = d.Tx(devnet.Validator, "vault", "harvest", vid)
	require.Equal(t, int64(200_000), atoi(t, r.Attr("guild.vault.v1.EventHarvested", "operator_fee")))

	// An early exit pays the 5% fee, which stays with the other holders.
	otherBefore := atoi(t, d.vaultPosition(t, pos[devnet.Farmer]).Value)
	r = d.Tx(devnet.Tenant, "vault", "exit", pos[devnet.Tenant], "0")
	fee := atoi(t, r.Attr("guild.vault.v1.EventExited", "fee"))
	require.Equal(t, int64(100_000_000), fee) // 5% of 2,000 GLD
	require.Equal(t, "true", r.Attr("guild.vault.v1.EventExited", "early"))
	otherAfter := atoi(t, d.vaultPosition(t, pos[devnet.Farmer]).Value)
	require.InDelta(t, fee*3/4, otherAfter-otherBefore, 1, "three quarters of the fee to the 3,000 GLD position")

	// A vote releases the provider to a named owner, who accepts.
	newOwner := d.Addr(devnet.Lender)
	r = d.Tx(devnet.Pool, "vault", "propose", pos[devnet.Farmer], "--content", `{"kind":"PROPOSAL_KIND_RELEASE_CUSTODY","address":"`+newOwner+`"}`)
	prop = r.Attr("guild.vault.v1.EventProposalSubmitted", "proposal_id")
	d.Tx(devnet.Pool, "vault", "vote", prop, pos[devnet.Farmer], "true")
	waitFor(t, "the release to execute", 60*time.Second, func() bool { return d.vault(t, vid).Status == "VAULT_STATUS_RELEASED" })
	d.Query(&prov, "provider", "provider", provider)
	require.Equal(t, newOwner, prov.Provider.PendingOwner)
	require.Equal(t, newOwner, prov.Provider.Beneficiary)
	d.Tx(devnet.Lender, "provider", "accept-owner", provider)
	d.Query(&prov, "provider", "provider", provider)
	require.Equal(t, newOwner, prov.Provider.Owner)
}
