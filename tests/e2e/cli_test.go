package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
)

// TestCLIAndAPI checks what a newcomer meets first, through the real binary: tx commands that
// wait for their block and exit non-zero with the module's error, readable help, errors and
// text output, REST with enum names, the OpenAPI document with its Swagger UI, CORS on
// request, and a resumed devnet that is usable the moment it says it is live.
func TestCLIAndAPI(t *testing.T) {
	d := StartDevnet(t, Options{ExtraArgs: []string{"--cors"}})
	waitForDemoOffers(t, d)
	tenant, provider := d.Addr(devnet.Tenant), d.Addr(devnet.Provider)

	t.Run("a tx failing in its block exits non-zero with the module's error", func(t *testing.T) {
		// By default the CLI simulates first (--gas auto), which refuses this before broadcasting;
		// an explicit gas limit skips the simulation so that the failure happens in the block.
		out, err := d.CLI("tx", "market", "cancel", "99", "100", "--from", devnet.Tenant, "--yes", "--output", "text", "--gas", "300000")
		requireExit1(t, err)
		msg := err.Error()
		require.Contains(t, msg, "lease 99: lease not found")
		require.Regexp(t, `failed in block \d+: code \d+ \(market\)`, msg)
		require.NotContains(t, msg, "rpc error")
		require.NotRegexp(t, `\.go:\d+`, msg)
		require.Regexp(t, `tx [0-9A-F]{64} in block \d+: FAILED code`, string(out))
	})

	t.Run("a tx the simulation refuses exits non-zero with the module's error", func(t *testing.T) {
		_, err := d.CLI("tx", "market", "cancel", "99", "100", "--from", devnet.Tenant, "--yes", "--output", "text")
		requireExit1(t, err)
		require.Contains(t, err.Error(), "lease 99: lease not found")
		require.NotContains(t, err.Error(), "rpc error: code = Unknown desc = rpc error")
	})

	t.Run("a tx refused in CheckTx exits non-zero", func(t *testing.T) {
		_, err := d.CLI("tx", "bank", "send", devnet.Tenant, provider, "1uusdc", "--fees", "999999999999999999ugld", "--yes", "--gas", "200000")
		requireExit1(t, err)
		require.Contains(t, err.Error(), "refused by the node")
		require.Contains(t, err.Error(), "insufficient funds")
	})

	t.Run("back-to-back txs from one account need no waiting", func(t *testing.T) {
		before := d.Balance(provider, "uusdc")
		for i := 0; i < 3; i++ {
			out, err := d.CLI("tx", "bank", "send", devnet.Tenant, provider, "7uusdc", "--yes", "--output", "text")
			require.NoError(t, err)
			require.Regexp(t, `in block \d+: ok`, string(out))
		}
		require.Equal(t, before+21, d.Balance(provider, "uusdc"))
	})

	t.Run("--no-wait returns after CheckTx", func(t *testing.T) {
		out, err := d.CLI("tx", "bank", "send", devnet.Tenant, provider, "1uusdc", "--yes", "--no-wait", "--output", "json")
		require.NoError(t, err)
		require.Contains(t, string(out), `"height":"0"`)
	})

	t.Run("positional arguments are named in help and errors", func(t *testing.T) {
		_, err := d.CLI("tx", "market", "cancel", "1", "done", "--from", devnet.Tenant, "--yes")
		require.Error(t, err)
		require.Contains(t, err.Error(), `argument 2 [reason]: invalid value "done"`)
		require.NotContains(t, err.Error(), `"--1"`)
		help, err := d.CLI("tx", "market", "report-deployment", "--help")
		require.NoError(t, err)
		require.Contains(t, string(help), "one of deployed, failed")
		require.Regexp(t, `--report string\s+with reason 101`, mustCLI(t, d, "tx", "market", "cancel", "--help"))
		require.Regexp(t, `--max-price string\s+\S`, mustCLI(t, d, "tx", "market", "book", "--help"))
		require.Regexp(t, `--capacity .*\(json\)\s+\S`, mustCLI(t, d, "tx", "provider", "add-node", "--help"))
	})

	t.Run("enum flags take the short or the full name", func(t *testing.T) {
		for _, kind := range []string{"vm", "OFFER_KIND_VM"} {
			var res struct {
				Offers []struct {
					Kind string `json:"kind"`
				} `json:"offers"`
			}
			d.Query(&res, "provider", "available-offers", "--kind", kind)
			require.Len(t, res.Offers, 1, kind)
			require.Equal(t, "OFFER_KIND_VM", res.Offers[0].Kind)
		}
		for _, state := range []string{"active", "LEASE_STATE_ACTIVE"} {
			var res map[string]any
			d.Query(&res, "market", "leases", "--tenant", tenant, "--state", state)
		}
	})

	t.Run("text output is readable; json stays exact", func(t *testing.T) {
		d.Tx(devnet.Tenant, "market", "deposit", "5000000uusdc")
		data := `{"driver":"volume"}`
		sum := sha256.Sum256([]byte(data))
		d.Tx(devnet.Tenant, "market", "book", "2", "1", hex.EncodeToString(sum[:]), data)
		ids := leaseIDs(t, d, tenant)
		require.NotEmpty(t, ids)
		text := mustCLI(t, d, "query", "market", "lease", ids[len(ids)-1], "--output", "text")
		require.Contains(t, text, "hash: "+hex.EncodeToString(sum[:]))
		require.Regexp(t, `created_at: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(.* ago\)`, text)
		params := mustCLI(t, d, "query", "market", "params", "--output", "text")
		require.Contains(t, params, "min_cover: 604800 (7d)")
		jsonOut := mustCLI(t, d, "query", "market", "params", "--output", "json")
		require.Contains(t, jsonOut, `"min_cover": "604800"`)
		_, stderr := cliBoth(t, d, "query", "market", "account", d.Addr(devnet.Farmer))
		require.Contains(t, stderr, "nothing found")
	})

	t.Run("a forgotten --home gets a hint", func(t *testing.T) {
		cmd := exec.Command(d.Bin, "keys", "show", devnet.Tenant, "-a")
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		require.Error(t, err)
		require.Contains(t, string(out), "hint: without --home")
		require.Contains(t, string(out), ".guild-dev")
	})

	api := "http://" + d.Info.API
	t.Run("REST takes enum names", func(t *testing.T) {
		body := get(t, api+"/guild/provider/v1/available_offers?kind=OFFER_KIND_VM", nil)
		require.Contains(t, body, `"OFFER_KIND_VM"`)
		require.NotContains(t, body, "OFFER_KIND_VOLUME")
		get(t, api+"/guild/market/v1/leases?tenant="+tenant+"&state=LEASE_STATE_ACTIVE", nil)
	})

	t.Run("the OpenAPI document and Swagger UI are served", func(t *testing.T) {
		require.Contains(t, get(t, api+"/swagger/", nil), "swagger-ui-bundle.js")
		require.Contains(t, get(t, api+"/swagger/swagger-ui-bundle.js", nil), "SwaggerUIBundle")
		doc := get(t, api+"/swagger/openapi.json", nil)
		for _, route := range []string{"/guild/market/v1/leases", "/guild/provider/v1/available_offers",
			"/cosmos/nft/v1beta1/nfts", "/cosmos/bank/v1beta1/balances/{address}", "/cosmos/feegrant/v1beta1/allowances/{grantee}"} {
			require.Contains(t, doc, `"`+route+`"`)
		}
		require.NotContains(t, doc, "/cosmos/mint/")
	})

	t.Run("CORS when enabled", func(t *testing.T) {
		hdr := http.Header{"Origin": {"http://dapp.example"}}
		resp := do(t, api+"/guild/market/v1/params", hdr)
		require.NotEmpty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	})

	t.Run("a resumed devnet is usable when it says it is live", func(t *testing.T) {
		stored := d.Height()
		d.Stop()
		require.NotContains(t, d.Log(), "use of closed network connection", "a clean stop prints no errors")
		require.NotContains(t, d.Log(), "Stopped accept routine")
		d.Restart()
		m := regexp.MustCompile(`block (\d+) committed, the chain is live`).FindAllStringSubmatch(d.Log(), -1)
		require.Len(t, m, 2)
		live, _ := strconv.ParseInt(m[1][1], 10, 64)
		require.Greater(t, live, stored, "live means a block of this run")
		// The first transaction after the restart goes through (it failed with account number 0).
		d.Tx(devnet.Tenant, "bank", "send", tenant, provider, "1uusdc")
		require.NotContains(t, d.Log(), "signature verification failed")
		_, err := os.Stat("data")
		require.True(t, errors.Is(err, os.ErrNotExist), "guildd dev leaves no data/ in its working directory")
	})
}

func requireExit1(t *testing.T, err error) {
	t.Helper()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, 1, exit.ExitCode())
}

func mustCLI(t *testing.T, d *Devnet, args ...string) string {
	t.Helper()
	out, err := d.CLI(args...)
	require.NoError(t, err)
	return string(out)
}

// cliBoth runs guildd against d and returns stdout and stderr.
func cliBoth(t *testing.T, d *Devnet, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(d.Bin, append(args, "--home", d.Home)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	return stdout.String(), stderr.String()
}

func do(t *testing.T, url string, hdr http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func get(t *testing.T, url string, hdr http.Header) string {
	t.Helper()
	resp := do(t, url, hdr)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", url, body)
	return string(body)
}
