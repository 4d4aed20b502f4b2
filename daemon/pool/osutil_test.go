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
	os.Exit(code)
}
