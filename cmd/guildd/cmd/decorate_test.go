package cmd

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestHumanTime(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		sec  int64
		want string
	}{
		{"unset", 0, "not set"},
		{"past", at.Add(-90 * time.Second).Unix(), "2026-12-01 09:58:30 UTC (1m30s ago)"},
		{"future", at.Add(49 * time.Hour).Unix(), "2026-12-03 11:00:00 UTC (in 2d1h)"},
		{"far future is never", 18462778362, "never (18462778362: the year 2555)"},
	} {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, humanTime(tc.sec, at)) })
	}
}

func TestHumanDuration(t *testing.T) {
	for sec, want := range map[int64]string{0: "0s", 45: "45s", 600: "10m", 86400: "1d", 604800: "7d", 90061: "1d1h", 3605: "1h"} {
		require.Equal(t, want, humanDuration(sec), sec)
	}
}

func TestHumanString(t *testing.T) {
	now = func() time.Time { return time.Unix(1_800_000_000, 0) }
	defer func() { now = time.Now }()
	for _, tc := range []struct{ key, in, want string }{
		{"hash", "VeYL4qVRCbmtTulHyiAw3eZNIakMbwhFIaqHoBYPl/o=", "55e60be2a55109b9ad4ee947ca2030dde64d21a90c6f084521aa87a0160f97fa"},
		{"pub_key", "AQI=", "0102"},
		{"min_cover", "604800", "604800 (7d)"},
		{"grace_period", "1209600", "1209600 (14d)"},
		{"price", "0.050000000000000000uusdc", "0.05uusdc"},
		{"rate", "3.000000000000000000", "3"},
		{"balance", "4999970", "4999970"},
		{"closed_at", "0", "not set"},
		{"moniker", "acme", "acme"},
	} {
		require.Equal(t, tc.want, humanString(tc.key, tc.in), tc.key)
	}
}

func TestWriteHumanKeepsLargeIntegers(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, writeHuman(&buf, []byte(`{"a":{"n":123456789012345678,"hash":"AQI="}}`)))
	require.Equal(t, "a:\n  hash: \"0102\"\n  \"n\": 123456789012345678\n", buf.String())
}

func TestEnumShortName(t *testing.T) {
	for in, want := range map[string]string{
		"LEASE_STATE_ACTIVE": "active", "ACTIVE": "active", "lease_state_active": "active", "active": "active",
		"closing": "closing", "": "",
	} {
		require.Equal(t, want, enumShortName("LeaseState", in), in)
	}
	require.Equal(t, "vm", enumShortName("OfferKind", "OFFER_KIND_VM"))
	require.Equal(t, "deployed", enumShortName("DeploymentResult", "DEPLOYMENT_RESULT_DEPLOYED"))
}

func TestRenamePositionalError(t *testing.T) {
	args := []positionalArg{{name: "lease-id"}, {name: "reason"}}
	err := renamePositionalError(errors.New(`invalid argument "done" for "--1" flag: strconv.ParseUint: parsing "done": invalid syntax`), args)
	require.EqualError(t, err, `argument 2 [reason]: invalid value "done": not a number`)
	other := errors.New("something else")
	require.Equal(t, other, renamePositionalError(other, args))
}

func TestCleanErrorText(t *testing.T) {
	for in, want := range map[string]string{
		"rpc error: code = NotFound desc = rpc error: code = NotFound desc = lease 9: lease not found":         "not found: lease 9: lease not found",
		"rpc error: code = Unknown desc = provider x: provider not found [/root/go/x/provider/keeper/q.go:41]": "provider x: provider not found",
		"plain error": "plain error",
		"failed to execute message; message index: 0: booking needs 10uusdc: balance does not cover with gas used: '34695': unknown request": "booking needs 10uusdc: balance does not cover",
	} {
		require.Equal(t, want, cleanErrorText(in))
	}
}

func TestTxErrorText(t *testing.T) {
	require.Equal(t, "lease 1 is already closed: lease is not in a state that allows this",
		txErrorText("failed to execute message; message index: 0: lease 1 is already closed: lease is not in a state that allows this"))
	require.Equal(t, "insufficient fee", txErrorText("insufficient fee"))
}

func TestTxCaptureKeepsOnlyTheBroadcastResult(t *testing.T) {
	var out bytes.Buffer
	c := &txCapture{next: &out}
	_, _ = c.Write([]byte(`{"body":{"messages":[]}}` + "\n"))
	_, _ = c.Write([]byte(`{"height":"0","txhash":"AB","code":0}`))
	_, _ = c.Write([]byte("\n"))
	require.Equal(t, `{"body":{"messages":[]}}`+"\n", out.String())
	require.JSONEq(t, `{"height":"0","txhash":"AB","code":0}`, string(c.raw))
}

func TestHumanAttr(t *testing.T) {
	require.Equal(t, "23uusdc", humanAttr("amount", `{"denom":"uusdc","amount":"23"}`))
	require.Equal(t, "3", humanAttr("rate", `"3.000000000000000000"`))
	require.Equal(t, "LEASE_STATE_CLOSED", humanAttr("to", `"LEASE_STATE_CLOSED"`))
}

func TestRootCommandDecorations(t *testing.T) {
	root := NewRootCmd()
	cancel := findPath(root, "tx", "market", "cancel")
	require.NotNil(t, cancel)
	require.NotNil(t, cancel.Flags().Lookup(flagNoWait))
	require.Contains(t, cancel.Long, "lease-id")
	report := findPath(root, "tx", "market", "report-deployment")
	require.Contains(t, report.Long, "one of deployed, failed")
	leases := findPath(root, "query", "market", "leases")
	require.NoError(t, leases.Flags().Set("state", "LEASE_STATE_ACTIVE"))
	require.Equal(t, "active", leases.Flags().Lookup("state").Value.String())
	require.Nil(t, findPath(root, "query", "market", "leases").Flags().Lookup(flagNoWait))
}
