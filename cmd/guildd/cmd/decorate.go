package cmd

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/cosmos/cosmos-sdk/client/flags"
)

// decorateCommands applies Guild's CLI conventions to the finished command tree, so that every
// module's commands (autocli or hand-written, present and future) get them without code of
// their own: positional arguments named in help and errors and enum values accepted by either
// name (cliargs.go), tx commands that wait for inclusion and fail loudly (txwait.go), query answers readable
// in text mode (queryout.go), and
// errors without repeated prefixes or source paths, with a hint for a forgotten --home
// (clierrors.go).
func decorateCommands(root *cobra.Command, modules map[string]*autocliv1.ModuleOptions) {
	describeArguments(root, modules)
	acceptEnumNames(root)
	for _, c := range root.Commands() {
		switch c.Name() {
		case "tx":
			waitForInclusion(c)
		case "query":
			humanQueries(c)
		}
	}
	cleanErrors(root)
	explainHome(root)
}

// explainHome makes every command's --home help say where guildd dev keeps its home. The flag
// itself is added by the SDK's executor after the tree is built, so the text is set when help
// is shown.
func explainHome(root *cobra.Command) {
	help := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c.Name() != "dev" {
			for _, fs := range []*pflag.FlagSet{c.Flags(), c.InheritedFlags()} {
				if f := fs.Lookup(flags.FlagHome); f != nil {
					f.Usage = "directory for config, keys and data; guildd dev's is " + devHome()
				}
			}
		}
		help(c, args)
	})
}
