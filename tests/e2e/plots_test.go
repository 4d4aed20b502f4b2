package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPlotsCLI creates a k=18 plot with an ed25519 key from guildd's keyring, checks it finds
// and verifies proofs, lists it, and verifies one proof with `plots verify`; a corrupted proof is
// refused with a non-zero exit.
func TestPlotsCLI(t *testing.T) {
	bin := Binary(t)
	home := t.TempDir()
	dir := filepath.Join(home, "plots")
	run := func(args ...string) (string, error) {
		out, err := exec.Command(bin, append(args, "--home", home)...).CombinedOutput()
		return string(out), err
	}
	out, err := run("keys", "add", "plot1", "--algo", "ed25519", "--keyring-backend", "test")
	require.NoError(t, err, out)
	out, err = run("keys", "add", "acct", "--keyring-backend", "test")
	require.NoError(t, err, out)

	contract := strings.Repeat("ab", 32)
	out, err = run("plots", "create", "-k", "18", "--pool-contract", contract, "--key", "acct",
		"--dir", dir, "--keyring-backend", "test")
	require.Error(t, err, "a secp256k1 key cannot be a plot key: %s", out)

	out, err = run("plots", "create", "-k", "18", "--pool-contract", contract, "--key", "plot1",
		"--dir", dir, "--keyring-backend", "test")
	require.NoError(t, err, out)

	out, err = run("plots", "check", "--dir", dir, "--challenges", "30", "--json")
	require.NoError(t, err, out)
	var checked []struct {
		Proofs  int `json:"proofs"`
		Invalid int `json:"invalid"`
	}
	require.NoError(t, json.Unmarshal([]byte(out[strings.Index(out, "["):]), &checked), out)
	require.Len(t, checked, 1)
	require.Positive(t, checked[0].Proofs)
	require.Zero(t, checked[0].Invalid)

	out, err = run("plots", "list", "--dir", dir, "--json")
	require.NoError(t, err, out)
	var listed []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out[strings.Index(out, "["):]), &listed), out)
	require.Len(t, listed, 1)
	require.EqualValues(t, 18, listed[0]["k"])

	out, err = run("plots", "verify", "--plot-id", strings.Repeat("00", 32), "-k", "18",
		"--challenge", strings.Repeat("11", 32), "--proof", strings.Repeat("22", 18*8))
	require.Error(t, err, "a made-up proof must be refused: %s", out)
}
