package cmd

import (
	"sort"
	"strings"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/log/v2"

	runtimeservices "github.com/cosmos/cosmos-sdk/runtime/services"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/guild-network/guild/app"
	"github.com/guild-network/guild/internal/encoding"
)

// commandTree renders a command, its flags and its subcommands, recursively, for comparison.
func commandTree(c *cobra.Command, indent string, b *strings.Builder) {
	b.WriteString(indent + c.Use + " — " + c.Short + "\n")
	var flags []string
	c.Flags().VisitAll(func(f *pflag.Flag) { flags = append(flags, f.Name+"="+f.DefValue) })
	sort.Strings(flags)
	b.WriteString(indent + "  flags: " + strings.Join(flags, " ") + "\n")
	subs := c.Commands()
	sort.Slice(subs, func(i, j int) bool { return subs[i].Use < subs[j].Use })
	for _, s := range subs {
		commandTree(s, indent+"  ", b)
	}
}

func tree(c *cobra.Command) string {
	if c == nil {
		return "<none>"
	}
	var b strings.Builder
	commandTree(c, "", &b)
	return b.String()
}

// TestCLIModulesMatchTheApp: the AutoCLI options and custom commands built without an app are
// those the app's module manager gives, module by module (this test is the one place the CLI
// package builds an app outside the node's app creator).
func TestCLIModulesMatchTheApp(t *testing.T) {
	encoding.SetAddressPrefixes()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
	mm := a.ModuleManager()
	wantOptions := runtimeservices.ExtractAutoCLIOptions(mm.Modules)
	modules, options := cliModules()

	names := func(m map[string]any) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	gotNames, wantNames := []string{}, []string{}
	for k := range options {
		gotNames = append(gotNames, k)
	}
	for k := range wantOptions {
		wantNames = append(wantNames, k)
	}
	sort.Strings(gotNames)
	sort.Strings(wantNames)
	require.Equal(t, wantNames, gotNames, "modules with AutoCLI options")
	for name, want := range wantOptions {
		require.True(t, proto.Equal(want, options[name]), "module %s: AutoCLI options differ", name)
	}

	// Custom commands: every app module AutoCLI would read one from, and no other.
	for _, name := range names(mm.Modules) {
		m := mm.Modules[name]
		var wantTx, wantQuery *cobra.Command
		if h, ok := m.(autocli.HasCustomTxCommand); ok {
			wantTx = h.GetTxCmd()
		}
		if h, ok := m.(autocli.HasCustomQueryCommand); ok {
			wantQuery = h.GetQueryCmd()
		}
		got, ok := modules[name]
		if !ok {
			require.Nil(t, wantTx, "module %s has a custom tx command but no CLI module", name)
			require.Nil(t, wantQuery, "module %s has a custom query command but no CLI module", name)
			continue
		}
		var gotTx, gotQuery *cobra.Command
		if h, ok := got.(autocli.HasCustomTxCommand); ok {
			gotTx = h.GetTxCmd()
		}
		if h, ok := got.(autocli.HasCustomQueryCommand); ok {
			gotQuery = h.GetQueryCmd()
		}
		require.Equal(t, tree(wantTx), tree(gotTx), "module %s: custom tx command", name)
		require.Equal(t, tree(wantQuery), tree(gotQuery), "module %s: custom query command", name)
	}
	for name := range modules {
		_, ok := mm.Modules[name]
		require.True(t, ok, "CLI module %s is not a module of the app", name)
	}
}
