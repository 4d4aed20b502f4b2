package pospace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestPlotGolden pins the bytes of small plots of every format: a change to the plotter's
// internals (buffer sizes, goroutines, sorting) must leave the files as they were, and a change
// to the format must be made on purpose, here.
func TestPlotGolden(t *testing.T) {
	id := PlotID(CheckChallenge(11))
	for _, c := range []struct {
		format, level int
		want          string
	}{
		{1, 0, "d2ed78e6b7701e69752b21c38477f586000f1c842705cd10615e39dabbab8bf7"},
		{2, 0, "a29b8a3d6dccab80fe1ea1ffdc742f5cf7a6aade4faa3e6369619cf20f36a267"},
		{2, 3, "046710c555b0d559b0ebcdbd872ac8ead45b2001fa23b457466ab51824806921"},
	} {
		path := makePlotOpts(t, PlotOptions{K: 17, PlotID: id, Format: c.format, Compression: c.level})
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != c.want {
			t.Errorf("format %d level %d: SHA-256 %s, want %s", c.format, c.level, got, c.want)
		}
	}
}

// TestConvertCancelInBuckets cancels a conversion while its bucket goroutine is reading and
// sorting: the conversion stops with the context's error and leaves no file behind.
func TestConvertCancelInBuckets(t *testing.T) {
	src := makePlotOpts(t, PlotOptions{K: 18, PlotID: PlotID(CheckChallenge(12)), Format: 1})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelled := false
	_, err := ConvertPlot(ctx, src, filepath.Join(dir, "out.plot"), ConvertOptions{Progress: func(_ float64, phase string) {
		if phase == "table 3/7" && !cancelled {
			cancelled = true
			cancel()
		}
	}})
	if !cancelled || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled %v, err %v", cancelled, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("cancelled conversion left files: %v", entries)
	}
}
