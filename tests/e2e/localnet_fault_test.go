package e2e

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
)

// TestLocalnet runs the multi-validator fault tests on ONE shared 4-validator localnet whose
// peer links go through proxies: kill -9 one validator, kill two (halt and resume), a
// partition, and a full node joining by state sync. Each step leaves all four validators
// running and agreeing, so the next starts from a healthy network.
func TestLocalnet(t *testing.T) {
	start := time.Now()
	ln := StartLocalnet(t, LocalnetOptions{Proxied: true})
	t.Logf("localnet of 4 validators live after %s", time.Since(start).Round(time.Millisecond))
	st := ln.WaitAgree(2, 60*time.Second)
	t.Logf("all 4 agree at height %d", st.CommonHeight)
	f := newFaultFlow(t, ln)

	t.Run("KillOne", func(t *testing.T) { testKillOne(t, ln, f) })
	t.Run("KillTwo", func(t *testing.T) { testKillTwo(t, ln, f) })
	t.Run("Partition", func(t *testing.T) { testPartition(t, ln, f) })
	t.Run("StateSync", func(t *testing.T) { testStateSync(t, ln) })
	t.Logf("TestLocalnet total %s", time.Since(start).Round(time.Millisecond))
}

// faultFlow is the user traffic of the fault tests: bank sends from the tenant to a fresh
// account and market bookings by the tenant on the demo provider's vm offer, all through the
// CLI against node 0, with what they committed kept to be read back later.
type faultFlow struct {
	t       *testing.T
	ln      *Localnet
	recv    string
	offer   string
	sent    int64    // uusdc sent to recv so far
	leases  []string // lease ids booked so far
	tenant  string
	deposit bool
}

func newFaultFlow(t *testing.T, ln *Localnet) *faultFlow {
	d := ln.Client
	_, err := d.CLI("keys", "add", "ln-recv", "--keyring-backend", "test")
	require.NoError(t, err)
	recv := keyAddr(t, d, "ln-recv")
	var offers struct {
		Offers []struct {
			ID          string `json:"id"`
			UnitsTotal  string `json:"units_total"`
			UnitsBooked string `json:"units_booked"`
		} `json:"offers"`
	}
	d.Query(&offers, "provider", "offers", "--provider", d.Addr(devnet.Provider))
	require.NotEmpty(t, offers.Offers, "demo offers")
	// The offer with the most free units (the demo volume offer sells GiB): one unit per booking.
	best, free := "", int64(0)
	for _, o := range offers.Offers {
		if f := atoi(t, o.UnitsTotal) - atoi(t, o.UnitsBooked); f > free {
			best, free = o.ID, f
		}
	}
	require.GreaterOrEqual(t, free, int64(12), "free units for the bookings")
	return &faultFlow{t: t, ln: ln, recv: recv, offer: best, tenant: d.Addr(devnet.Tenant)}
}

// step commits one bank send and one market booking and returns the booking's height.
func (f *faultFlow) step(t *testing.T) int64 {
	t.Helper()
	d := f.ln.Client
	if !f.deposit {
		d.Tx(devnet.Tenant, "market", "deposit", "100000000uusdc") // 100 USDC: weeks of cover
		f.deposit = true
	}
	d.Tx(devnet.Tenant, "bank", "send", f.tenant, f.recv, "1000uusdc")
	f.sent += 1000
	data := "ln-" + strconv.Itoa(len(f.leases))
	res := d.Tx(devnet.Tenant, "market", "book", f.offer, "1", deploymentHash(data), data)
	id := res.Attr("guild.market.v1.EventLeaseCreated", "lease_id")
	if id == "" {
		id = lastLeaseID(t, d, f.tenant, len(f.leases))
	}
	f.leases = append(f.leases, id)
	h, _ := strconv.ParseInt(res.Height, 10, 64)
	return h
}

func lastLeaseID(t *testing.T, d *Devnet, tenant string, have int) string {
	ids := leaseIDs(t, d, tenant)
	require.Greater(t, len(ids), have, "the booking's lease is listed")
	return ids[len(ids)-1]
}

// checkCommitted reads everything committed so far back from node i.
func (f *faultFlow) checkCommitted(t *testing.T, i int) {
	t.Helper()
	var bal struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	f.ln.QueryOn(i, &bal, "bank", "balance", f.recv, "uusdc")
	require.Equal(t, strconv.FormatInt(f.sent, 10), bal.Balance.Amount, "node %d: every committed send is there", i)
	for _, id := range f.leases {
		var res struct {
			Lease struct {
				ID     string `json:"id"`
				Tenant string `json:"tenant"`
				Units  string `json:"units"`
			} `json:"lease"`
		}
		f.ln.QueryOn(i, &res, "market", "lease", id)
		require.Equal(t, id, res.Lease.ID, "node %d: lease %s", i, id)
		require.Equal(t, f.tenant, res.Lease.Tenant, "node %d: lease %s", i, id)
	}
}

func testKillOne(t *testing.T, ln *Localnet, f *faultFlow) {
	start := time.Now()
	f.step(t)
	ln.Kill9(3)
	killedAt := ln.NodeHeight(0)
	t.Logf("node 3 killed at height %d", killedAt)
	f.step(t) // sends and bookings keep committing with 3 of 4
	last := f.step(t)
	ln.Client.WaitHeight(killedAt + 10)
	require.False(t, ln.Status().Nodes[3].Running, "a crashed validator is not restarted by anyone")
	ln.StartNode(3)
	st := ln.WaitAgree(last+2, 90*time.Second)
	f.checkCommitted(t, 3)
	t.Logf("KillOne: committed through height %d without node 3; after restart all agree at %d (app hash %s); %s",
		last, st.CommonHeight, st.Nodes[3].AppHash, time.Since(start).Round(time.Millisecond))
}

func testKillTwo(t *testing.T, ln *Localnet, f *faultFlow) {
	start := time.Now()
	f.step(t)
	ln.Kill9(2)
	ln.Kill9(3)
	// With half the voting power gone no block can get two thirds: once the block in flight (if
	// any) is done, the height must stay where it is.
	time.Sleep(2 * time.Second)
	halted := ln.NodeHeight(0)
	time.Sleep(6 * time.Second) // 20 block times
	require.Equal(t, halted, ln.NodeHeight(0), "chain must halt without two thirds")
	require.Equal(t, halted, ln.NodeHeight(1))
	t.Logf("KillTwo: halted at height %d for 6 s", halted)
	ln.StartNode(2)
	ln.WaitNodeHeight(0, halted+3, 90*time.Second)
	f.checkCommitted(t, 0)
	f.checkCommitted(t, 2)
	last := f.step(t)
	ln.StartNode(3)
	st := ln.WaitAgree(last+2, 90*time.Second)
	f.checkCommitted(t, 3)
	t.Logf("KillTwo: resumed after restarting node 2, committed at %d, all agree at %d; %s",
		last, st.CommonHeight, time.Since(start).Round(time.Millisecond))
}

func testPartition(t *testing.T, ln *Localnet, f *faultFlow) {
	start := time.Now()
	ln.Partition(3)
	time.Sleep(time.Second) // let a block in flight land
	cutAt := ln.NodeHeight(3)
	bytesAt := ln.ProxiedBytes(3)
	f.step(t)
	last := f.step(t)
	ln.Client.WaitHeight(cutAt + 15)
	require.Equal(t, cutAt, ln.NodeHeight(3), "the cut-off validator must not advance")
	require.Equal(t, bytesAt, ln.ProxiedBytes(3), "no traffic reaches the cut-off validator")
	require.True(t, ln.Status().Nodes[3].Running, "the cut-off validator keeps running")
	t.Logf("Partition: node 3 held at %d while the majority committed through %d", cutAt, last)
	ln.Heal()
	st := ln.WaitAgree(last+2, 90*time.Second)
	f.checkCommitted(t, 3)
	t.Logf("Partition: healed; all agree at %d; %s", st.CommonHeight, time.Since(start).Round(time.Millisecond))
}
