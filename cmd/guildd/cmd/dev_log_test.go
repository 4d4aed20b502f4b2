package cmd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDevEnvLogPrefix: the services' log lines name the command that runs them.
func TestDevEnvLogPrefix(t *testing.T) {
	for _, c := range []struct{ prefix, want string }{{"", "guildd dev: "}, {"guildd localnet", "guildd localnet: "}} {
		var b strings.Builder
		env := DevEnv{Log: &b, Prefix: c.prefix}
		env.Logf("pool listening on %s\n", "127.0.0.1:1")
		fmt.Fprintf(env.LogWriter(), "plotting %d/%d\n", 1, 2)
		require.Equal(t, c.want+"pool listening on 127.0.0.1:1\n"+c.want+"plotting 1/2\n", b.String())
	}
}
