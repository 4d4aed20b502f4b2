package plotscli

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/pospace"
)

var (
	testPool = strings.Repeat("ab", 32)
	testPub  = strings.Repeat("cd", 32)
)

// run executes the plots command in-process and returns stdout, stderr and the error.
func run(t *testing.T, opts Options, args ...string) (string, string, error) {
	t.Helper()
	cmd := NewPlotsCmd(opts)
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func fakeKeys(_ *cobra.Command, name string) ([]byte, error) {
	if name != "farmer" {
		return nil, errors.New("no such key")
	}
	b, _ := hex.DecodeString(testPub)
	return b, nil
}

func TestCreateListCheck(t *testing.T) {
	dir := t.TempDir()
	opts := Options{ResolveKey: fakeKeys, DefaultDir: dir}
	out, errOut, err := run(t, opts, "create", "-k", "14", "--pool-contract", testPool, "--key", "farmer")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, errOut)
	}
	pool, _ := pospace.ParseHex32(testPool)
	pub, _ := pospace.ParseHex32(testPub)
	id := pospace.DerivePlotID(pool, pub)
	path := filepath.Join(dir, pospace.PlotFileName(14, id))
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("plot not created: %v", err)
	}
	if !strings.Contains(out, "created "+path) || !strings.Contains(out, id.String()) {
		t.Errorf("create output %q", out)
	}
	if !strings.Contains(errOut, "100%") || !strings.Contains(errOut, "eta") {
		t.Errorf("no progress bar on stderr: %q", errOut)
	}

	// The same plot again is refused; --pubkey gives the same id.
	if _, _, err := run(t, opts, "create", "-k", "14", "--pool-contract", testPool, "--pubkey", testPub); err == nil ||
		!strings.Contains(err.Error(), "already exists") {
		t.Errorf("second create: %v", err)
	}

	out, _, err = run(t, opts, "list")
	if err != nil || !strings.Contains(out, id.String()) || !strings.Contains(out, testPool) {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, _, err = run(t, opts, "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var infos []plotInfo
	if err := json.Unmarshal([]byte(out), &infos); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(infos) != 1 || infos[0].K != 14 || infos[0].PlotID != id.String() || infos[0].PlotPublicKey != testPub {
		t.Fatalf("list --json: %+v", infos)
	}

	out, _, err = run(t, opts, "check", "--challenges", "30", "--json")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	var results []checkResult
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("check --json: %v\n%s", err, out)
	}
	if len(results) != 1 || results[0].Proofs < 10 || results[0].Invalid != 0 || results[0].Error != "" {
		t.Fatalf("check: %+v", results)
	}
	out, _, err = run(t, opts, "check", "--challenges", "5", "--dir", dir)
	if err != nil || !strings.Contains(out, "for 5 challenges") {
		t.Fatalf("check: %v\n%s", err, out)
	}
}

func TestCreatePlotIDOverride(t *testing.T) {
	dir := t.TempDir()
	id := "23023404333717545b0a6f0c0dde9710e4d3fe2d5cc6cc0a090a0b818bab0f17"
	if _, errOut, err := run(t, Options{}, "create", "-k", "12", "--plot-id", id, "--dir", dir); err != nil {
		t.Fatalf("create: %v\n%s", err, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "plot-k12-"+id+".plot")); err != nil {
		t.Fatal(err)
	}
}

func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]string{
		"no identity":   {"create", "-k", "12", "--dir", dir},
		"no key":        {"create", "-k", "12", "--dir", dir, "--pool-contract", testPool},
		"unknown key":   {"create", "-k", "12", "--dir", dir, "--pool-contract", testPool, "--key", "nobody"},
		"bad hex":       {"create", "-k", "12", "--dir", dir, "--pool-contract", "zz", "--pubkey", testPub},
		"k too small":   {"create", "-k", "5", "--dir", dir, "--plot-id", testPool},
		"k missing":     {"create", "--dir", dir, "--plot-id", testPool},
		"key and pub":   {"create", "-k", "12", "--dir", dir, "--pool-contract", testPool, "--key", "farmer", "--pubkey", testPub},
		"stray arg":     {"create", "extra", "-k", "12", "--dir", dir, "--plot-id", testPool},
		"short pub key": {"create", "-k", "12", "--dir", dir, "--pool-contract", testPool, "--pubkey", "abcd"},
		"bad memory":    {"create", "-k", "12", "--dir", dir, "--plot-id", testPool, "--memory", "12GB"},
		"memory fmt 1":  {"create", "-k", "12", "--dir", dir, "--plot-id", testPool, "--memory", "1GiB", "--format", "1"},
	}
	for name, args := range cases {
		if _, _, err := run(t, Options{ResolveKey: fakeKeys}, args...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed creates left %d files", len(entries))
	}
}

// TestCreateMemory checks that --memory keeps intermediate tables in memory without changing the
// plot, and that the plan printed before plotting shows the smaller disk peak.
func TestCreateMemory(t *testing.T) {
	id := "23023404333717545b0a6f0c0dde9710e4d3fe2d5cc6cc0a090a0b818bab0f17"
	var files [2][]byte
	for i, mem := range []string{"0", "1GiB"} {
		dir := t.TempDir()
		_, errOut, err := run(t, Options{}, "create", "-k", "14", "--plot-id", id, "--dir", dir, "--memory", mem)
		if err != nil {
			t.Fatalf("create --memory %s: %v\n%s", mem, err, errOut)
		}
		need := pospace.EstimateSpaceMemory(14, 2, []uint64{0, 1 << 30}[i])
		if plan := pospace.FormatBytes(need.Total) + " of both at the peak"; !strings.Contains(errOut, plan) {
			t.Errorf("--memory %s: plan %q not in %q", mem, plan, errOut)
		}
		if files[i], err = os.ReadFile(filepath.Join(dir, "plot-k14-"+id+".plot")); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("--memory changed the plot")
	}
	if a, b := pospace.EstimateSpaceMemory(14, 2, 0), pospace.EstimateSpaceMemory(14, 2, 1<<30); b.Total >= a.Total || b.Memory <= a.Memory {
		t.Errorf("memory does not trade for disk: %+v vs %+v", a, b)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{"0": 0, "4096": 4096, "3KiB": 3 << 10, "512MiB": 512 << 20, "12GiB": 12 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GiB", "-1", "1.5GiB", "12GB", "99999999999999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): no error", in)
		}
	}
}

func TestCheckBadPlot(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "junk.plot"), []byte("not a plot"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, Options{DefaultDir: dir}, "check", "--challenges", "3")
	if !errors.Is(err, errInvalidProofs) || !strings.Contains(out, "error") {
		t.Fatalf("check of a bad plot: %v\n%s", err, out)
	}
	out, _, err = run(t, Options{DefaultDir: dir}, "list")
	if err != nil || !strings.Contains(out, "junk.plot (error") {
		t.Fatalf("list of a bad plot: %v\n%s", err, out)
	}
}

func TestVerify(t *testing.T) {
	data, err := os.ReadFile("../../pospace/testdata/test_proofs_k21.txt")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(strings.SplitN(string(data), "\n", 2)[0], ",")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	out, _, err := run(t, Options{}, "verify", "--plot-id", f[0], "-k", f[1], "--challenge", f[2], "--proof", f[3])
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != f[4] {
		t.Fatalf("quality %q, want %s", out, f[4])
	}
	bad := []byte(f[3])
	if bad[10] == '0' {
		bad[10] = '1'
	} else {
		bad[10] = '0'
	}
	_, _, err = run(t, Options{}, "verify", "--plot-id", f[0], "-k", f[1], "--challenge", f[2], "--proof", string(bad))
	var pe *pospace.ProofError
	if !errors.As(err, &pe) {
		t.Fatalf("tampered proof: %v", err)
	}
	_, _, err = run(t, Options{}, "verify", "--plot-id", f[0], "-k", f[1], "--challenge", f[2], "--proof", "00")
	if !errors.Is(err, pospace.ErrProofSize) {
		t.Fatalf("short proof: %v", err)
	}
	if _, _, err := run(t, Options{}, "verify", "--plot-id", f[0]); err == nil {
		t.Fatal("missing flags accepted")
	}
}

func TestProgressBar(t *testing.T) {
	now := time.Unix(1000, 0)
	clock := func() time.Time { return now }
	var buf bytes.Buffer
	b := newProgressBar(&buf, clock)
	now = now.Add(10 * time.Second)
	b.update(0.25, "table 2/7")
	if got := buf.String(); !strings.Contains(got, " 25% table 2/7") || !strings.Contains(got, "elapsed 0:10 eta 0:30") {
		t.Fatalf("bar %q", got)
	}
	buf.Reset()
	b.update(0.26, "table 2/7") // too soon: not redrawn
	if buf.Len() != 0 {
		t.Fatalf("redrawn too soon: %q", buf.String())
	}
	now = now.Add(time.Hour)
	b.update(0.5, "table 4/7")
	if got := buf.String(); !strings.HasPrefix(got, "\r[###############---------------]") || !strings.Contains(got, "eta 1:00:10") {
		t.Fatalf("bar %q", got)
	}
	b.finish()
	if !strings.HasSuffix(buf.String(), "\n") {
		t.Fatal("finish did not end the line")
	}
}
