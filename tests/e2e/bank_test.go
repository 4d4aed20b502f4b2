package e2e

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
)

// TestBankSend sends stablecoins from the tenant to the provider through the CLI and checks
// both balances, then restarts the devnet (clean stop, then a crash) and checks nothing is lost.
func TestBankSend(t *testing.T) {
	d := StartDevnet(t, Options{})
	tenant, provider := d.Addr(devnet.Tenant), d.Addr(devnet.Provider)
	tenantBefore, providerBefore := d.Balance(tenant, "uusdc"), d.Balance(provider, "uusdc")
	require.EqualValues(t, devnet.GenesisStable, providerBefore)

	const amount = 1_234_567
	res := d.Tx(devnet.Tenant, "bank", "send", tenant, provider, strconv.Itoa(amount)+"uusdc")
	require.NotEmpty(t, res.Height)

	require.Equal(t, tenantBefore-amount, d.Balance(tenant, "uusdc"))
	require.Equal(t, providerBefore+amount, d.Balance(provider, "uusdc"))

	// A send beyond the balance is refused and changes nothing.
	_, err := d.TryTx(devnet.Provider, "bank", "send", provider, tenant, "999999999999999999uusdc")
	require.ErrorIs(t, err, ErrTxFailed)
	require.Equal(t, providerBefore+amount, d.Balance(provider, "uusdc"))

	// Committed state survives a clean restart and a kill -9.
	d.Stop()
	d.Restart()
	require.Equal(t, providerBefore+amount, d.Balance(provider, "uusdc"))
	h := d.Height()
	d.Kill9()
	d.Restart()
	d.WaitHeight(h + 2)
	require.Equal(t, providerBefore+amount, d.Balance(provider, "uusdc"))
	require.Equal(t, tenantBefore-amount, d.Balance(tenant, "uusdc"))
}
