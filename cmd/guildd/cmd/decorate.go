package cmd

import (
	"github.com/spf13/cobra"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
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
}
