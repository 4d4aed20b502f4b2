package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/devnet"
	markettypes "github.com/guild-network/guild/x/market/types"
)

// walkthroughHeading is README's section whose ```sh blocks the walkthrough test runs.
const walkthroughHeading = "## Walkthrough"

// TestREADMEWalkthrough runs README's walkthrough verbatim against a devnet, as a newcomer would
// paste it: every ```sh block under "## Walkthrough", in order, in one bash with -euo pipefail,
// from a directory holding build/guildd, with HOME set to a temporary directory whose
// ~/.guild-dev is this test's devnet. Backquoted text in a command's trailing comment must
// appear in that command's output (`re:…` is an extended regular expression). Then the
// chain is checked for what the walkthrough says happened.
func TestREADMEWalkthrough(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot(), "README.md"))
	require.NoError(t, err)
	blocks := walkthroughBlocks(string(readme))
	require.NotEmpty(t, blocks, "README has no ```sh blocks under %q", walkthroughHeading)

	home := t.TempDir()
	d := StartDevnet(t, Options{Home: filepath.Join(home, ".guild-dev"), BlockTime: 500 * time.Millisecond})
	waitForDemoOffers(t, d)

	stableBefore := d.stableHeld(t)

	work := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(work, "build"), 0o755))
	require.NoError(t, os.Symlink(d.Bin, filepath.Join(work, "build", "guildd")))
	script := walkthroughScript(blocks)
	require.NoError(t, os.WriteFile(filepath.Join(work, "walkthrough.sh"), []byte(script), 0o644))

	cmd := exec.Command("bash", "walkthrough.sh")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "HOME="+home, "OUT="+filepath.Join(work, "out"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	t.Logf("walkthrough output:\n%s", out.String())
	require.NoError(t, err, "README walkthrough failed")

	// `guildd farmer status` of the dev farmer shows its pool's record of contract 1 (the
	// [pool] section guildd dev writes into the farmer's configuration): joined, difficulty,
	// points. The pool client joins within seconds of the farmer's start, hence the retry.
	poolLine := regexp.MustCompile(`(?m)^pool contract 1 +http://\S+ +joined=true +difficulty [1-9][0-9]* +points [0-9]+$`)
	farmerCfg := filepath.Join(d.Home, "farmer", "farmer.toml")
	var status []byte
	require.Eventually(t, func() bool {
		status, err = exec.Command(d.Bin, "farmer", "status", "--config", farmerCfg, "--home", d.Home).CombinedOutput()
		return err == nil && poolLine.Match(status)
	}, 90*time.Second, time.Second, "farmer status shows no joined pool record")
	t.Logf("farmer status:\n%s", status)

	// What the walkthrough says happened, checked on the chain: lease 1 ran, was paid and
	// closed by its tenant, and the escrow is empty again.
	tenant := d.Addr(devnet.Tenant)
	var lease struct {
		Lease struct {
			State       string `json:"state"`
			Paid        string `json:"paid"`
			CloseReason int    `json:"close_reason"`
		} `json:"lease"`
	}
	d.Query(&lease, "market", "lease", "1")
	require.Equal(t, "LEASE_STATE_CLOSED", lease.Lease.State)
	require.Equal(t, 100, lease.Lease.CloseReason)
	paid := atoi(t, lease.Lease.Paid)
	require.Positive(t, paid, "the walkthrough must show money move")
	available, _ := d.escrow(t, tenant)
	require.Zero(t, available, "withdraw took the rest")
	// tenant: genesis − 2.5 USDC sent − what the lease paid. The provider's payouts go to its
	// beneficiary (the demo vault, which splits them among its positions and the operator's
	// fee), so the rest is checked as conservation: every uusdc unit is still held by a demo
	// account, the vault or the community pool, which got the fees.
	require.Equal(t, int64(devnet.GenesisStable-2_500_000)-paid, d.Balance(tenant, "uusdc"))
	require.Positive(t, d.communityPool(t, "uusdc"))
	require.Equal(t, stableBefore, d.stableHeld(t), "uusdc held by the demo accounts, the vault and the community pool")
}

// stableHeld sums the uusdc of every demo account, demo vault 1's account (if it exists), the
// market escrow and the community pool.
func (d *Devnet) stableHeld(t *testing.T) int64 {
	t.Helper()
	var sum int64
	for _, name := range devnet.Accounts {
		sum += d.Balance(d.Addr(name), "uusdc")
	}
	var v struct {
		Vault struct {
			Account string `json:"account"`
		} `json:"vault"`
	}
	if out, err := d.CLI("query", "vault", "vault", "1", "--output", "json"); err == nil && json.Unmarshal(out, &v) == nil && v.Vault.Account != "" {
		sum += d.Balance(v.Vault.Account, "uusdc")
	}
	sum += d.Balance(moduleAddr(markettypes.ModuleName), "uusdc")
	return sum + d.communityPool(t, "uusdc")
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// walkthroughBlocks returns the bodies of the ```sh blocks under walkthroughHeading (its
// ### subsections included, up to the next ## heading).
func walkthroughBlocks(readme string) []string {
	var blocks []string
	in, inBlock := false, false
	var cur strings.Builder
	for _, line := range strings.Split(readme, "\n") {
		switch {
		case inBlock && strings.HasPrefix(line, "```"):
			blocks = append(blocks, cur.String())
			cur.Reset()
			inBlock = false
		case inBlock:
			cur.WriteString(line + "\n")
		case strings.HasPrefix(line, "## "):
			in = strings.TrimSpace(line) == walkthroughHeading
		case in && strings.TrimSpace(line) == "```sh":
			inBlock = true
		}
	}
	return blocks
}

var claimText = regexp.MustCompile("`([^`]+)`")

// walkthroughScript turns the blocks into one bash script: each line verbatim, and after a
// line whose trailing comment carries claims, a check of that line's output.
func walkthroughScript(blocks []string) string {
	var b strings.Builder
	b.WriteString("set -euo pipefail\nexec 3>&1\n")
	n := 0
	for i, block := range blocks {
		fmt.Fprintf(&b, "echo '### README walkthrough block %d'\n", i+1)
		for _, line := range strings.Split(strings.TrimRight(block, "\n"), "\n") {
			claims := lineClaims(line)
			if len(claims) == 0 {
				b.WriteString(line + "\n")
				continue
			}
			n++
			fmt.Fprintf(&b, "echo %s\n", shellQuote("$ "+line))
			// A failing command shows its output before the script stops.
			fmt.Fprintf(&b, "exec >\"$OUT.%d\" 2>&1\n%s || { rc=$?; exec >&3 2>&1; cat \"$OUT.%d\"; echo \"exit status $rc\"; exit $rc; }\nexec >&3 2>&1\ncat \"$OUT.%d\"\n", n, lineCommand(line), n, n)
			for _, c := range claims {
				grep := "grep -qF -- " + shellQuote(c)
				if strings.HasPrefix(c, "re:") {
					grep = "grep -qE -- " + shellQuote(strings.TrimPrefix(c, "re:"))
				}
				fmt.Fprintf(&b, "%s \"$OUT.%d\" || { echo %s; exit 1; }\n", grep, n,
					shellQuote("README claim not met: `"+c+"` in the output of: "+line))
			}
		}
	}
	b.WriteString("echo '### README walkthrough done'\n")
	return b.String()
}

// lineCommand is a claimed line without its trailing comment.
func lineCommand(line string) string {
	i := strings.Index(line, "   #")
	if i < 0 {
		i = strings.Index(line, " # ")
	}
	if i < 0 {
		return line
	}
	return line[:i]
}

// lineClaims returns the backquoted texts of a command line's trailing comment.
func lineClaims(line string) []string {
	i := strings.Index(line, "   #")
	if i < 0 {
		i = strings.Index(line, " # ")
	}
	if i < 0 || strings.HasPrefix(strings.TrimSpace(line), "#") {
		return nil
	}
	var claims []string
	for _, m := range claimText.FindAllStringSubmatch(line[i:], -1) {
		claims = append(claims, m[1])
	}
	return claims
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// waitForDemoOffers waits until guildd dev's demo setup has registered both offers.
func waitForDemoOffers(t *testing.T, d *Devnet) {
	t.Helper()
	waitFor(t, "demo offers", 60*time.Second, func() bool {
		var res struct {
			Offers []json.RawMessage `json:"offers"`
		}
		d.Query(&res, "provider", "offers")
		return len(res.Offers) >= 2
	})
}
