package encoding_test

import (
	"sort"
	"testing"

	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/guild-network/guild/app"
	"github.com/guild-network/guild/internal/encoding"
	markettypes "github.com/guild-network/guild/x/market/types"
)

func implementations(t *testing.T, reg interface {
	ListAllInterfaces() []string
	ListImplementations(string) []string
}) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, iface := range reg.ListAllInterfaces() {
		impls := reg.ListImplementations(iface)
		sort.Strings(impls)
		out[iface] = impls
	}
	return out
}

// TestSameTypesAsTheApp keeps ModuleBasics in step with the app: the same modules, the same
// interface implementations (every Msg of every module), the same prefixes.
func TestSameTypesAsTheApp(t *testing.T) {
	enc := encoding.MakeConfig()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
	require.Equal(t, app.Bech32Prefix, encoding.Bech32Prefix)
	require.Equal(t, app.BondDenom, encoding.BondDenom)

	var appNames, ourNames []string
	for name := range a.BasicManager() {
		appNames = append(appNames, name)
	}
	for name := range encoding.ModuleBasics() {
		ourNames = append(ourNames, name)
	}
	sort.Strings(appNames)
	sort.Strings(ourNames)
	require.Equal(t, appNames, ourNames, "encoding.ModuleBasics lists the app's modules")
	require.Equal(t, implementations(t, a.InterfaceRegistry()), implementations(t, enc.InterfaceRegistry))
	require.Contains(t, enc.InterfaceRegistry.ListImplementations("cosmos.base.v1beta1.Msg"), "/guild.market.v1.MsgBook")
}

// TestTxRoundTrip encodes a market transaction with the codecs from the basics and decodes it
// with the app's.
func TestTxRoundTrip(t *testing.T) {
	enc := encoding.MakeConfig()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
	b := enc.TxConfig.NewTxBuilder()
	msg := &markettypes.MsgDeposit{Tenant: "guild1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du"}
	require.NoError(t, b.SetMsgs(msg))
	bz, err := enc.TxConfig.TxEncoder()(b.GetTx())
	require.NoError(t, err)
	tx, err := a.TxConfig().TxDecoder()(bz)
	require.NoError(t, err)
	require.Len(t, tx.GetMsgs(), 1)
	require.Equal(t, msg.Tenant, tx.GetMsgs()[0].(*markettypes.MsgDeposit).Tenant)
}
