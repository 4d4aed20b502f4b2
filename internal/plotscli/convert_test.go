package plotscli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guild-network/guild/pospace"
)

// TestCreateCompressedConvertCheck makes a version-1 plot and a compressed version-2 plot,
// converts the first, and checks that `plots check` reports both with their levels and lookup
// times and the same proofs.
func TestCreateCompressedConvertCheck(t *testing.T) {
	dir := t.TempDir()
	opts := Options{DefaultDir: dir}
	idA := strings.Repeat("01", 32)
	idB := strings.Repeat("02", 32)
	if _, errOut, err := run(t, opts, "create", "-k", "14", "--plot-id", idA, "--format", "1"); err != nil {
		t.Fatalf("create v1: %v\n%s", err, errOut)
	}
	_, errOut, err := run(t, opts, "create", "-k", "14", "--plot-id", idB, "--compress", "6")
	if err != nil {
		t.Fatalf("create compressed: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "temporary space") {
		t.Errorf("create does not state the temporary space: %q", errOut)
	}
	for _, bad := range [][]string{{"--compress", "14"}, {"--compress", "-1"}, {"--format", "3"}, {"--format", "1", "--compress", "2"}} {
		if _, _, err := run(t, opts, append([]string{"create", "-k", "14", "--plot-id", strings.Repeat("03", 32)}, bad...)...); err == nil {
			t.Errorf("create %v: no error", bad)
		}
	}
	check := func() map[int]checkResult {
		t.Helper()
		out, _, err := run(t, opts, "check", "--json", "--challenges", "50")
		if err != nil {
			t.Fatalf("check: %v\n%s", err, out)
		}
		var rs []checkResult
		if err := json.Unmarshal([]byte(out), &rs); err != nil {
			t.Fatal(err)
		}
		byFormat := map[int]checkResult{}
		for _, r := range rs {
			if r.Error != "" || r.Invalid > 0 || r.QualityUS <= 0 {
				t.Errorf("check result %+v", r)
			}
			byFormat[r.Format*100+r.Level] = r
		}
		return byFormat
	}
	before := check()
	v1 := before[100]
	if v1.Proofs == 0 || before[206].Level != 6 {
		t.Fatalf("check results %+v", before)
	}
	pathA := filepath.Join(dir, pospace.PlotFileName(14, mustID(t, idA)))
	sizeA, _ := os.Stat(pathA)
	out, _, err := run(t, opts, "convert", "--compress", "2")
	if err != nil || !strings.Contains(out, "converted "+pathA) {
		t.Fatalf("convert: %v\n%s", err, out)
	}
	sizeB, _ := os.Stat(pathA)
	if sizeB.Size() >= sizeA.Size()/2 {
		t.Errorf("converted plot has %d bytes, version 1 had %d", sizeB.Size(), sizeA.Size())
	}
	after := check()
	if r, ok := after[202]; !ok || r.Proofs != v1.Proofs || r.Path != pathA {
		t.Fatalf("after convert: %+v (version 1 found %d proofs)", after, v1.Proofs)
	}
	// Nothing left to convert; a version-2 plot is refused.
	if out, _, err := run(t, opts, "convert"); err != nil || !strings.Contains(out, "no version-1 plots") {
		t.Errorf("second convert: %v %q", err, out)
	}
	if _, _, err := run(t, opts, "convert", pathA); err == nil {
		t.Error("converting a version-2 plot: no error")
	}
	out, _, err = run(t, opts, "check")
	if err != nil || !strings.Contains(out, "compression 2") || !strings.Contains(out, "full proof") {
		t.Errorf("check text: %v %q", err, out)
	}
}

func mustID(t *testing.T, s string) pospace.PlotID {
	id, err := pospace.ParsePlotID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
