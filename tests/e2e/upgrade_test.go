package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
)

// upgradeName is the plan of the test-only upgrade that `-tags upgradetest` builds carry
// (app/upgrades/v2_upgradetest.go, ADR 0014).
const upgradeName = "v2"

// cosmovisorVersion is pinned in tools/cosmovisor/go.mod.
const cosmovisorVersion = "v1.5.0"

// upgradeParams: market periods short enough to bill within seconds, governance voting short
// enough for a proposal to pass within the test.
const upgradeParams = `{"market":{"min_cover":"10","grace_period":"8","provider_notice":"5","deploy_timeout":"600","community_fee_bps":500},` +
	`"gov":{"voting_period":"6s","expedited_voting_period":"3s"}}`

// cosmovisorBinary builds cosmovisor from tools/cosmovisor into the user cache directory once
// per version ($COSMOVISOR_BIN overrides it).
func cosmovisorBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("COSMOVISOR_BIN"); p != "" {
		return p
	}
	cache, err := os.UserCacheDir()
	require.NoError(t, err)
	bin := filepath.Join(cache, "guild-e2e", "cosmovisor-"+cosmovisorVersion, "cosmovisor")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	require.NoError(t, os.MkdirAll(filepath.Dir(bin), 0o755))
	tmp := bin + ".tmp"
	cmd := exec.Command("go", "build", "-o", tmp, "cosmossdk.io/tools/cosmovisor/cmd/cosmovisor")
	cmd.Dir = filepath.Join(repoRoot(), "tools", "cosmovisor")
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "build cosmovisor: %s", out)
	require.NoError(t, os.Rename(tmp, bin))
	return bin
}

// upgradeBinary builds the `upgradetest` guildd ($GUILDD_UPGRADE_BIN overrides it).
func upgradeBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("GUILDD_UPGRADE_BIN"); p != "" {
		abs, err := filepath.Abs(p)
		require.NoError(t, err)
		return abs
	}
	bin := filepath.Join(t.TempDir(), "guildd")
	cmd := exec.Command("go", "build", "-tags", "upgradetest", "-o", bin, "./cmd/guildd")
	cmd.Dir = repoRoot()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "build guildd -tags upgradetest: %s", out)
	return bin
}

func copyExecutable(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	in, err := os.Open(src)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// providerParams returns x/provider's parameters as the CLI prints them.
func providerParams(t *testing.T, d *Devnet) map[string]any {
	var res struct {
		Params map[string]any `json:"params"`
	}
	d.Query(&res, "provider", "params")
	return res.Params
}

// moduleVersion returns a module's consensus version as x/upgrade stores it.
func moduleVersion(t *testing.T, d *Devnet, module string) string {
	var res struct {
		ModuleVersions []struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"module_versions"`
	}
	d.Query(&res, "upgrade", "module-versions", module)
	require.Len(t, res.ModuleVersions, 1)
	return res.ModuleVersions[0].Version
}

// snapshot is the state the upgrade must keep: balances, the lease, its escrow and indexes.
type snapshot struct {
	balances     map[string]int64
	lease        leaseJSON
	byTenant     []string
	byProvider   []string
	escrowAvail  int64
	escrowModule int64
}

func takeSnapshot(t *testing.T, d *Devnet, addrs []string, leaseID, tenant, prov string) snapshot {
	s := snapshot{balances: map[string]int64{}}
	for _, a := range addrs {
		for _, denom := range []string{"ugld", "uusdc"} {
			s.balances[a+"/"+denom] = d.Balance(a, denom)
		}
	}
	s.lease = d.lease(t, leaseID)
	s.byTenant = leaseIDs(t, d, tenant)
	var res struct {
		Leases []leaseJSON `json:"leases"`
	}
	d.Query(&res, "market", "leases", "--provider", prov)
	for _, l := range res.Leases {
		s.byProvider = append(s.byProvider, l.ID)
	}
	s.escrowAvail, _ = d.escrow(t, tenant)
	s.escrowModule = d.Balance(moduleAddr("market"), "uusdc")
	return s
}

// TestUpgrade runs the chain under cosmovisor, passes a software-upgrade proposal, lets the old
// binary halt at the plan height and cosmovisor start the `upgradetest` binary, whose handler
// migrates x/provider to consensus version 2; then checks that balances, the lease, its escrow
// and its indexes are intact, the migration's parameter is visible, new transactions commit,
// and the node restarts on the new binary (cosmovisor's `current` link). Single validator.
func TestUpgrade(t *testing.T) {
	oldBin := Binary(t)
	newBin := upgradeBinary(t)
	cv := cosmovisorBinary(t)

	file := filepath.Join(t.TempDir(), "params.json")
	require.NoError(t, os.WriteFile(file, []byte(upgradeParams), 0o644))
	without := []string{"--without", "agent,ado,farmer,pool,vault"}
	d := StartDevnet(t, Options{BlockTime: 500 * time.Millisecond,
		ExtraArgs: append([]string{"--genesis-params", file}, without...)})

	// Before the upgrade: x/provider at version 1, heartbeat_interval unset.
	require.Equal(t, "1", moduleVersion(t, d, "provider"))
	if v, ok := providerParams(t, d)["heartbeat_interval"]; ok {
		require.Equal(t, "0", fmt.Sprint(v), "version 1 leaves heartbeat_interval zero")
	}

	// State: a provider with a bonded node and an offer, a tenant's escrow and an active lease
	// that bills across the upgrade.
	prov, offer := setupProvider(t, d, "3")
	tenant := d.Addr(devnet.Tenant)
	d.Tx(devnet.Tenant, "market", "deposit", "100000uusdc")
	data := `{"image":"nginx"}`
	d.Tx(devnet.Tenant, "market", "book", offer, "2", deploymentHash(data), data)
	ids := leaseIDs(t, d, tenant)
	require.Len(t, ids, 1)
	id := ids[0]
	d.Tx("mnode2", "market", "report-deployment", id, "deployed", "--fee-granter", prov)
	require.Equal(t, "LEASE_STATE_ACTIVE", d.lease(t, id).State)

	// Move the node under cosmovisor: genesis = this build, upgrades/v2 = the upgradetest build.
	// (guildd dev creates its home from scratch on the first run, so the folders go in after.)
	d.Stop()
	copyExecutable(t, oldBin, filepath.Join(d.Home, "cosmovisor", "genesis", "bin", "guildd"))
	copyExecutable(t, newBin, filepath.Join(d.Home, "cosmovisor", "upgrades", upgradeName, "bin", "guildd"))
	env := []string{"DAEMON_NAME=guildd", "DAEMON_HOME=" + d.Home, "DAEMON_ALLOW_DOWNLOAD_BINARIES=false",
		"DAEMON_RESTART_AFTER_UPGRADE=true", "UNSAFE_SKIP_BACKUP=true", "DAEMON_SHUTDOWN_GRACE=20s",
		"DAEMON_POLL_INTERVAL=200ms"}
	d = StartDevnet(t, Options{BlockTime: 500 * time.Millisecond, Home: d.Home, ExtraArgs: without,
		Launcher: []string{cv, "run"}, Env: env})
	t.Cleanup(func() {
		if t.Failed() {
			log := d.Log()
			t.Logf("devnet log (last 6000 bytes):\n%s", log[max(0, len(log)-6000):])
		}
	})
	require.Contains(t, d.Log(), "running app", "cosmovisor launched guildd")

	// Governance: propose the upgrade a few blocks after the voting period, vote yes.
	planHeight := d.Height() + 50
	d.Tx(devnet.Validator, "upgrade", "software-upgrade", upgradeName,
		"--upgrade-height", strconv.FormatInt(planHeight, 10), "--title", "v2", "--summary", "heartbeat interval",
		"--deposit", "10000000ugld", "--no-validate")
	var props struct {
		Proposals []struct {
			ID string `json:"id"`
		} `json:"proposals"`
	}
	d.Query(&props, "gov", "proposals")
	require.NotEmpty(t, props.Proposals)
	propID := props.Proposals[len(props.Proposals)-1].ID
	d.Tx(devnet.Validator, "gov", "vote", propID, "yes")

	// Snapshot now: no transaction of ours moves anything until after the upgrade (the lease
	// keeps billing: its payable grows, but the paid cursor and the balances do not).
	addrs := []string{tenant, prov, d.Addr(devnet.Investor)} // accounts no demo setup touches
	before := takeSnapshot(t, d, addrs, id, tenant, prov)
	waitFor(t, "proposal passed", 30*time.Second, func() bool {
		var p struct {
			Proposal struct {
				Status string `json:"status"`
			} `json:"proposal"`
		}
		d.Query(&p, "gov", "proposal", propID)
		return p.Proposal.Status == "PROPOSAL_STATUS_PASSED"
	})
	var plan struct {
		Plan struct {
			Name   string `json:"name"`
			Height string `json:"height"`
		} `json:"plan"`
	}
	d.Query(&plan, "upgrade", "plan")
	require.Equal(t, upgradeName, plan.Plan.Name)

	// The old binary halts at the plan height; cosmovisor switches; blocks continue.
	link := filepath.Join(d.Home, "cosmovisor", "current")
	waitFor(t, "cosmovisor switched to "+upgradeName, 90*time.Second, func() bool {
		current, err := os.Readlink(link)
		return err == nil && strings.HasSuffix(current, filepath.Join("upgrades", upgradeName))
	})
	d.Bin = newBin // the CLI of the new release from now on
	waitFor(t, "blocks after the upgrade", 60*time.Second, func() bool {
		bz, err := d.CLI("status")
		if err != nil {
			return false
		}
		var st struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		}
		if json.Unmarshal(bz, &st) != nil {
			return false
		}
		h, _ := strconv.ParseInt(st.SyncInfo.LatestBlockHeight, 10, 64)
		return h > planHeight+1
	})
	require.Contains(t, d.Log(), "UPGRADE \""+upgradeName+"\" NEEDED at height", "the old binary halted at the plan")

	// The migration ran: x/provider at version 2 and heartbeat_interval written.
	require.Equal(t, "2", moduleVersion(t, d, "provider"))
	p := providerParams(t, d)
	require.Equal(t, "60", fmt.Sprint(p["heartbeat_interval"]))
	require.Equal(t, "600", fmt.Sprint(p["heartbeat_timeout"]), "other parameters unchanged")
	var applied struct {
		Height string `json:"height"`
	}
	d.Query(&applied, "upgrade", "applied", upgradeName)
	require.Equal(t, strconv.FormatInt(planHeight, 10), applied.Height)

	// Everything intact: balances, lease, its indexes, the escrow.
	after := takeSnapshot(t, d, addrs, id, tenant, prov)
	require.Equal(t, before.balances, after.balances, "no balance moved across the upgrade")
	require.Equal(t, before.lease.State, after.lease.State)
	require.Equal(t, before.lease.Rate, after.lease.Rate)
	require.Equal(t, before.lease.Paid, after.lease.Paid)
	require.Equal(t, before.lease.DeployedAt, after.lease.DeployedAt)
	require.Equal(t, before.byTenant, after.byTenant, "lease index by tenant")
	require.Equal(t, before.byProvider, after.byProvider, "lease index by provider")
	require.Equal(t, []string{id}, after.byProvider)
	require.Equal(t, before.escrowModule, after.escrowModule, "escrow module balance")

	// New transactions commit on the new binary, and the settlement is still exact: a claim
	// pays rate × billed time, minus the community fee, to the beneficiary.
	benef0, pool0 := d.Balance(prov, "uusdc"), d.communityPool(t, "uusdc")
	d.Tx("mprov2", "market", "claim", id)
	l := d.lease(t, id)
	paid := atoi(t, l.Paid)
	require.Equal(t, 6*(atoi(t, l.BilledUntil)-atoi(t, l.DeployedAt)), paid, "paid = rate × billed time, across the upgrade")
	fee := (paid*500 + 9_999) / 10_000
	require.Equal(t, benef0+paid-fee, d.Balance(prov, "uusdc"))
	require.Equal(t, pool0+fee, d.communityPool(t, "uusdc"))
	d.Tx(devnet.Tenant, "bank", "send", tenant, d.Addr(devnet.Investor), "7uusdc")
	require.Equal(t, after.balances[d.Addr(devnet.Investor)+"/uusdc"]+7, d.Balance(d.Addr(devnet.Investor), "uusdc"))
	held := marketHeld(t, d)
	require.Equal(t, held, d.Balance(moduleAddr("market"), "uusdc"), "escrow = deposits − withdrawals − payouts − fees")

	// A restart after the upgrade starts the new binary through cosmovisor's current link.
	d.Stop()
	d.Restart()
	h := d.Height()
	d.WaitHeight(h + 2)
	require.Equal(t, "2", moduleVersion(t, d, "provider"))
	d.Tx(devnet.Tenant, "market", "deposit", "10uusdc")
}

// marketHeld is what x/market's totals say the escrow must hold in uusdc.
func marketHeld(t *testing.T, d *Devnet) int64 {
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
	for _, tot := range totals.Totals {
		if tot.Denom == "uusdc" {
			return atoi(t, tot.Deposited) - atoi(t, tot.Withdrawn) - atoi(t, tot.Paid) - atoi(t, tot.Fees)
		}
	}
	return 0
}
