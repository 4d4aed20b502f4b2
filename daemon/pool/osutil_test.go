package pool

import (
	"os"
	"testing"
)

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "guild-pool-plots-") }

func TestMain(m *testing.M) {
	code := m.Run()
	if plotsDir != "" {
		_ = os.RemoveAll(plotsDir)
	}
	if fuzzShared != nil { // the fuzz target's environment outlives its tests
		fuzzShared.stop()
		_ = fuzzShared.st.Close()
		_ = os.RemoveAll(fuzzShared.dir)
	}
	os.Exit(code)
}
